# Two set-up commands: `make docs` and `make test`. Both create .venv when
# it is missing and install the package (editable) with what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPHINXOPTS ?= -W --keep-going
SIZE ?= small

.PHONY: docs test serve bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,docs]"
	touch $(STAMP)

docs: $(STAMP)
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) docs docs/_build/html

test: $(STAMP)
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/sphinx-autobuild docs docs/_build/html --watch src

clean:
	rm -rf docs/_build build dist

# Two set-up commands: `make docs` and `make test`. Both create .venv when
# it is missing and install the package (editable) with what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPHINXOPTS ?= -W --keep-going
SIZE ?= small

.PHONY: docs docs-pdf check-print test test-oldest test-long serve bench check-html check-dist pot new-language catalogs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml setup.py $(wildcard sphinx_quotefig/locale/*/LC_MESSAGES/*.po) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,docs]"
	touch $(STAMP)

docs: $(STAMP)
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) docs docs/_build/html

# The docs as a PDF (XeLaTeX, latexmk; Debian: texlive-xetex,
# texlive-latex-extra, latexmk, fonts-freefont-otf, fonts-wqy-microhei), then its LaTeX log
# checked: no undefined reference, no character the fonts lack.
docs-pdf: $(STAMP)
	$(BIN)/sphinx-build -M latexpdf docs docs/_build $(SPHINXOPTS) -q
	$(BIN)/python scripts/check_latex_log.py docs/_build/latex/sphinx-quotefig.log

# The print and e-book checks, which `make test` skips where the tools are
# missing: the docs' PDF, the test projects compiled to PDF, and EPUBCheck
# on the docs and test projects. Here a missing tool fails, never skips.
check-print: docs-pdf
	QUOTEFIG_PRINT_TOOLS=required $(BIN)/python -m pytest -p no:cacheprovider tests/test_print.py tests/test_epubcheck.py

test: $(STAMP)
	$(BIN)/python -m pytest

# The same suite against the oldest supported Sphinx, myst-parser and
# docutils (tests/oldest-constraints.txt), in a virtual environment of its own.
OLDEST := .venv-oldest
test-oldest:
	test -x $(OLDEST)/bin/python || $(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet -c tests/oldest-constraints.txt -e ".[test]"
	$(OLDEST)/bin/python -m pytest -p no:cacheprovider

# The long property-based profiles (fuzzing, random edit sequences): minutes.
test-long: $(STAMP)
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -m slow -p no:cacheprovider

# Benchmark against plain Sphinx and sphinxcontrib-bibtex (bench/README.md).
# SIZE=small is quick; SIZE=large runs 200x20 and 1000x10 and the scaling
# series, and writes the results and chart into docs/benchmarks/.
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,docs,bench]"
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py --size $(SIZE)

# Valid HTML (Nu HTML Checker) and accessibility (axe-core in headless
# Chromium, light and dark) of the docs in five themes, compared with the
# same pages built without the extension (scripts/check_html/README.md).
THEMES_STAMP := $(VENV)/.installed-themes
$(THEMES_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,docs,themes]"
	touch $(THEMES_STAMP)

check-html: $(THEMES_STAMP)
	npm ci --prefix scripts/check_html --no-audit --no-fund --silent --ignore-scripts
	$(BIN)/python scripts/check_html/check.py $(CHECK_HTML_ARGS)

# The sdist and wheel build, their metadata is what PyPI accepts, and both
# carry the compiled message catalogs.
check-dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist . >/dev/null
	$(BIN)/python -m twine check --strict dist/*
	$(BIN)/python scripts/check_dist_catalogs.py dist

# The message catalogs (docs/translations.md). `make pot` gathers every
# string passed to _() or __() into the template and merges it into each
# language's .po (new strings untranslated, changed ones marked fuzzy);
# `make catalogs` compiles the .po files to .mo, as installing does.
LOCALE := sphinx_quotefig/locale
DOMAIN := sphinx_quotefig
pot: $(STAMP)
	$(BIN)/pybabel extract --no-default-keywords -k _ -k __ -k ngettext:1,2 --add-comments=TRANSLATORS: \
		--add-location=file --sort-output --no-wrap --project=sphinx-quotefig \
		--copyright-holder="sphinx-quotefig contributors" -o $(LOCALE)/$(DOMAIN).pot $(DOMAIN)
	$(BIN)/pybabel update --no-wrap --ignore-obsolete -i $(LOCALE)/$(DOMAIN).pot -d $(LOCALE) -D $(DOMAIN)

# A new language: `make new-language NEW=sv` (then translate its .po).
new-language: $(STAMP)
	test -n "$(NEW)" || { echo "usage: make new-language NEW=<language code>"; exit 2; }
	$(BIN)/pybabel init --no-wrap -i $(LOCALE)/$(DOMAIN).pot -d $(LOCALE) -D $(DOMAIN) -l $(NEW)

catalogs: $(STAMP)
	$(BIN)/pybabel compile --statistics -d $(LOCALE) -D $(DOMAIN)

serve: $(STAMP)
	$(BIN)/sphinx-autobuild docs docs/_build/html --watch sphinx_quotefig

clean:
	rm -rf docs/_build build dist

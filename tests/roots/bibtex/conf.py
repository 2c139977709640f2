# Both extensions: sphinxcontrib-bibtex's bibfiles are sphinx-quotefig's sources too.
extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_quotefig"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
bibtex_bibfiles = ["refs.bib"]
quotefig_bibliography = ["refs.bib"]  # the same file: read once

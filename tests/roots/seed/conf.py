extensions = ["myst_parser", "sphinx_quotefig"]
exclude_patterns = ["_build"]
# The seed's source, as the docs declare it.
quotefig_bibliography = ["references.bib"]

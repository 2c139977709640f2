extensions = ["myst_parser", "sphinx_quotefig"]
exclude_patterns = ["_build"]

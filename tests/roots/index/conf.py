extensions = ["myst_parser", "sphinx_quotefig"]
exclude_patterns = ["_build"]
project = "Index test"
quotefig_sources = {
    "zeta": {"title": "The Zeta Book", "author": "Zed", "year": "1999"},
}

extensions = ["myst_parser", "sphinx_quotefig"]
exclude_patterns = ["_build"]
quotefig_sources = {
    "dup": {"title": "Declared in conf.py"},
    "evil": {"title": "Evil", "url": "javascript:alert(1)"},
}

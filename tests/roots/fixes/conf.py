extensions = ["myst_parser", "sphinx_quotefig"]
exclude_patterns = ["_build"]
quotefig_sources = {
    "tufte": {"title": "Envisioning Information", "author": "Edward Tufte"},
    "orwell": {"title": "Politics and the English Language", "author": "George Orwell"},
}

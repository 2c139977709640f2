extensions = ["myst_parser", "sphinx_quotefig"]
exclude_patterns = ["_build"]
project = "Colliding names"
numfig = True
quotefig_sources = {"report": {"title": "The Report", "author": "Ann Author"}}

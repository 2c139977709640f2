extensions = ["myst_parser", "sphinx_quotefig"]
exclude_patterns = ["_build"]
numfig = True
# The seed example (index.md) and a page with a numbered link, in one toctree
# (Sphinx numbers figures only on pages in a toctree).
root_doc = "contents"
# The seed's source, as the docs declare it.
quotefig_bibliography = ["references.bib"]

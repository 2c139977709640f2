extensions = ["myst_parser", "sphinx_quotefig"]
project = "Print test"
author = "Quotefig tests"
numfig = True
exclude_patterns = ["_build", "snippets"]
# Declared only here: their index rows point at their first listed quotation.
quotefig_sources = {
    "descartes": {"title": "Discours de la méthode", "author": "René Descartes", "year": "1637"},
    "moby": {"title": "Moby-Dick", "author": "Herman Melville", "year": "1851"},
    "walden": {"title": "Walden", "author": "Henry David Thoreau", "year": "1854"},
}
# The tests of this project are about the title order and the short
# headings of earlier versions.
quotefig_reference_style = "short"
quotefig_index_sort = "title"

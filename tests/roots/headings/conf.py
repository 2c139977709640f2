extensions = ["myst_parser", "sphinx_quotefig"]
exclude_patterns = ["_build"]
project = "Headings"
version = "1.0"
copyright = "2026"
epub_copyright = "2026"
epub_exclude_files = ["quotes.json"]
# Every place a theme shows a copy of a heading: the page's own table of
# contents, the whole toctree, the previous/next links.
html_sidebars = {"**": ["localtoc.html", "globaltoc.html", "relations.html", "searchbox.html"]}
quotefig_sources = {"report": {"title": "The Report", "author": "Ann Author"}}

"""Documentation of sphinx-quotefig, built with sphinx-quotefig."""

from sphinx_quotefig import __version__

project = "sphinx-quotefig"
author = "sphinx-quotefig contributors"
copyright = "2026, sphinx-quotefig contributors"
release = version = __version__

extensions = ["myst_parser", "sphinx_quotefig"]
myst_enable_extensions = ["colon_fence", "deflist"]
numfig = True

exclude_patterns = ["_build", "snippets"]
html_theme = "furo"
html_title = "sphinx-quotefig"

quotefig_sources = {
    "strunk-white": {
        "title": "The Elements of Style",
        "author": "William Strunk Jr.",
        "year": "1918",
        "url": "https://www.gutenberg.org/ebooks/37134",
    },
}

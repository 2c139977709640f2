extensions = ["myst_parser", "sphinx_quotefig"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
numfig = True
quotefig_sources = {
    "elements": {
        "title": "The Elements of Style",
        "author": "William Strunk Jr.",
        "year": "1918",
        "url": "https://example.org/elements",
    },
}

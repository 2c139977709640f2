extensions = ["myst_parser", "sphinx_quotefig"]
exclude_patterns = ["_build"]
project = "Index test"
quotefig_sources = {
    "zeta": {"title": "The Zeta Book", "author": "Zed", "year": "1999"},
}
# beta.md cites "the current source" where there is none, on purpose: the
# index must list that quotation without a source (the warning is tested in
# test_fix_messages.py).
suppress_warnings = ["quotefig.no_current_source"]
# The tests of this project are about the title order and the short
# headings of earlier versions.
quotefig_reference_style = "short"
quotefig_index_sort = "title"

# conf.py
project = "Reading notes"
extensions = ["myst_parser", "sphinx_quotefig"]
# The virtual environment lives here too: keep Sphinx out of it.
exclude_patterns = ["_build", ".venv"]
# Number the quotations, so {numref} can say "Quote 4".
numfig = True

# Sources quoted on many pages, declared once.
quotefig_sources = {
    "strunk-white": {
        "title": "The Elements of Style",
        "author": "William Strunk Jr.",
        "year": "1918",
        "url": "https://www.gutenberg.org/ebooks/37134",
    },
    "mill-1859": {
        "type": "book",
        "title": "On Liberty",
        "author": "John Stuart Mill",
        "year": "1859",
        "publisher": "John W. Parker and Son",
        "place": "London",
        "url": "https://www.gutenberg.org/ebooks/34901",
    },
}

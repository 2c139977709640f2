extensions = ["myst_parser", "sphinx_quotefig"]
project = "references"
exclude_patterns = ["_build"]
quotefig_sources = {
    "carr-2015": {
        "title": "Letters from the Lock", "author": "Edith Carr", "year": "2015", "type": "book",
        "edition": "2", "place": "London", "publisher": "Canal Press", "url": "https://example.org/lock",
    },
    "carr-2010": {"title": "Towpaths", "author": "Edith Carr", "year": "2010", "type": "book"},
    "beard": {
        "title": "Laughter in Rome", "author": "Mary Beard", "year": "2014", "type": "chapter",
        "editor": "Ann Smith", "container": "Roman Humour", "pages": "12--34", "publisher": "OUP", "place": "Oxford",
    },
    "weeds": {
        "title": "Ragwort and <its> ways", "author": "Ralph Cowgill", "year": "2015", "type": "article-journal",
        "container": "Journal of Weeds", "volume": "12", "issue": "3", "pages": "45-67", "doi": "10.1000/a\"b <c>",
    },
    "angstrom": {"title": "Recherches", "author": "Anders Ångström", "year": "1853", "type": "book"},
    "mysociety": {"title": "What we do", "author": "mySociety", "year": "2020", "type": "webpage", "container": "mySociety"},
    "pamphlet": {"title": "Zebra Pamphlet", "year": "1799", "type": "book"},
    "edited": {"title": "Collected Notes", "editor": "Bea Baker", "year": "2001", "type": "book"},
}

"""A ``{q}`` in a heading, in MyST and rST, in every builder.

The heading shows the quotation itself (``<q>`` with its id and citation);
each copy of the heading that docutils or Sphinx makes (the ``contents``
directive, the local table of contents, toctrees, previous/next links,
``<title>``, ``{ref}`` and ``{doc}`` text, the EPUB navigation, the search
index) shows the quoted words between quotation marks, with no id, no
citation and no link of its own. The ``headings`` root has a cited quote in
a section heading (MyST), an uncited one in a document title (MyST), and a
cited one in an rST title, with a ``contents`` table, a labelled section and
a rubric.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from conftest import squash

ROOT = "headings"
#: The copies a reader sees of each heading that holds a quotation.
COPIES = {
    "index": "The “famous phrase” debate",
    "titled": "Other “plain words” here",
    "rst": "The “quoted title” page",
    "rst-section": "Section with “a phrase”",
    "rst-rubric": "Rubric with “rubric words”",
}
CITED = {"index": "(The Report, pg 5)", "rst": "(The Report, pg 9)"}


def texts(tags) -> list[str]:
    return [squash(tag.get_text()) for tag in tags]


def assert_ids_unique(page: BeautifulSoup) -> None:
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    assert [id_ for id_, count in ids.items() if count > 1] == []


def assert_plain_copies(area) -> None:
    """A copy of a quotation: its words between marks, no id, no citation,
    no ``<q>`` (a browser would draw a second pair of marks)."""
    copies = area.select("span.quote")
    assert copies, area
    for copy in copies:
        assert not copy.has_attr("id")
        assert copy.get_text()[0] == "“" and copy.get_text()[-1] == "”"
    assert area.select("q, .quote-citation") == []


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml", "epub", "text", "latex"])
def test_a_quote_in_a_heading_builds_without_a_warning(built, builder):
    assert built(ROOT, builder).warning_lines() == []


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_the_heading_shows_the_quote_with_its_id_and_citation(built, builder):
    result = built(ROOT, builder)
    paths = {"index": "index", "rst": "rst" if builder == "html" else "rst/index"}
    for docname, path in paths.items():
        page = result.html(path)
        heading = page.select_one("h1 q.quote, h2 q.quote")
        assert heading is not None and heading["id"] == "q-1"
        assert squash(heading.find_next_sibling("span", class_="quote-citation").get_text()) == CITED[docname]
        assert_ids_unique(page)
    rst = result.html(paths["rst"])
    assert texts(rst.select("main q.quote, div.body q.quote")) == ["quoted title", "a phrase", "rubric words"]
    assert texts(result.html("titled" if builder == "html" else "titled/index").select("div.body q.quote")) == ["plain words"]


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_tables_of_contents_show_the_quoted_words_in_marks(built, builder):
    result = built(ROOT, builder)
    page = "index"
    index = result.html(page)
    sidebar = index.select_one("div.sphinxsidebar")
    assert_plain_copies(sidebar)
    assert COPIES["index"] in texts(sidebar.select("a"))  # the local toc
    toctree = index.select_one("div.toctree-wrapper")
    assert_plain_copies(toctree)
    assert texts(toctree.select("a")) == ["Other “plain words” here", "Plain section", COPIES["rst"], COPIES["rst-section"]]
    rst = result.html("rst" if builder == "html" else "rst/index")
    contents = rst.select_one("nav.contents, div.contents")
    assert_plain_copies(contents)
    assert texts(contents.select("a")) == [COPIES["rst"], COPIES["rst-section"]]


def test_page_titles_and_neighbour_links_show_the_quoted_words(built):
    result = built(ROOT)
    titled = result.html("titled")
    assert titled.title.get_text().startswith(COPIES["titled"] + " ")
    assert titled.select_one('link[rel="next"]')["title"] == COPIES["rst"]
    nxt = titled.select_one('div.sphinxsidebar a[title="next chapter"]')
    assert squash(nxt.get_text()) == COPIES["rst"]
    assert_plain_copies(nxt)
    # Pages the extension does not write render the copies too.
    for page in ("genindex", "search", "quote-index"):
        sidebar = result.html(page).select_one("div.sphinxsidebar")
        assert COPIES["titled"] in texts(sidebar.select("a")), page


def test_ref_and_doc_text_show_the_quoted_words(built):
    result = built(ROOT)
    titled = texts(result.html("titled").select("div.body p a"))
    assert titled == [COPIES["index"], COPIES["rst"]]
    rst = texts(result.html("rst").select("section > p > a.reference"))
    assert rst == [COPIES["rst-section"], COPIES["index"], COPIES["titled"], COPIES["rst-rubric"]]


def test_only_the_heading_itself_is_listed(built):
    """The ``contents`` table's copy is not a second quotation."""
    data = json.loads(built(ROOT).text("quotes.json"))
    assert [(q["id"], q["text"]) for q in data["quotes"]] == [("index#q-1", "famous phrase"), ("rst#q-1", "quoted title")]


def test_the_search_index_has_the_titles_as_plain_text(built):
    script = built(ROOT).text("searchindex.js")
    index = json.loads(script[script.index("(") + 1 : script.rindex(")")])
    # Sphinx 8.0 keeps a page title's HTML there (for any markup in it):
    # compared as the text a reader sees.
    titles = [BeautifulSoup(title, "html.parser").get_text() for title in index["titles"]]
    assert titles == ["Home", COPIES["rst"], COPIES["titled"]]
    assert not any("<q" in title or "quote-citation" in title for title in index["titles"])
    assert "The famous phrase debate" in index["alltitles"]
    for title in [*titles, *index["alltitles"]]:
        assert "<" not in title and "Report" not in title, title


def test_singlehtml_has_each_quote_once_and_plain_copies(built):
    result = built(ROOT, "singlehtml")
    page = result.html("index")
    assert_ids_unique(page)
    assert [q["id"] for q in page.select("div.body q.quote[id]")] == ["q-1", "rst:q-1"]
    assert_plain_copies(page.select_one("div.sphinxsidebar"))
    assert_plain_copies(page.select_one("nav.contents, div.contents"))
    for quote in json.loads(result.text("quotes.json"))["quotes"]:
        target = page.find(id=quote["url"].split("#", 1)[1])
        assert target.name == "q" and target.get_text() == quote["text"]


def test_epub_navigation_shows_the_quoted_words(built):
    result = built(ROOT, "epub")
    nav = BeautifulSoup(result.text("nav.xhtml"), "html.parser")
    assert COPIES["titled"] in texts(nav.select("a")) and COPIES["rst-section"] in texts(nav.select("a"))
    assert nav.select("q, .quote-citation, [id^=q-]") == []
    ncx = BeautifulSoup(result.text("toc.ncx"), "xml")
    assert COPIES["rst"] in texts(ncx.select("text"))
    page = BeautifulSoup(result.text("rst.xhtml"), "html.parser")
    assert_ids_unique(page)
    assert page.select_one("h1 q.quote")["id"] == "q-1"


def test_text_output_quotes_the_words_in_every_copy(built):
    result = built(ROOT, "text")
    index = result.text("index.txt")
    assert "The “famous phrase” (*The Report*, pg 5) debate" in index
    assert "* Other “plain words” here" in index and "* The “quoted title” page" in index
    rst = result.text("rst.txt")
    assert "  * Section with “a phrase”" in rst
    assert "See Section with “a phrase”, The “famous phrase” debate and Other\n“plain words” here." in rst


def test_copies_use_the_marks_of_the_language(built):
    index = built(ROOT, "text", language="de").text("index.txt")
    assert "* Other „plain words“ here" in index
    # The page label follows the language too (de: "S. 5").
    assert re.search(r"The „famous phrase“ \(\*The Report\*, \S+ 5\) debate", index)


def test_latex_heading_cites_and_copies_do_not(built):
    tex = built(ROOT, "latex").text("headings.tex")
    assert (
        r"\chapter{The \label{\detokenize{index:q-1}}\quotefiginline{“famous phrase”}"
        r"\quotefiginlinecitation{\sphinxtitleref{The Report}, pg 5} debate}" in tex
    )
    contents = [line for line in tex.splitlines() if r"\hyperref[\detokenize{rst:the-quoted-title-page}]" in line]
    assert len(contents) == 1 and r"\DUrole{quote}{“quoted title”}" in contents[0]
    assert "sphinxtitleref" not in contents[0]
    assert re.search(r"\\DUrole\{std-ref\}\{The “famous phrase” debate\}|\\DUrole\{std,std-ref\}\{The “famous phrase” debate\}", tex)

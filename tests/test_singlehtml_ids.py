"""On the ``singlehtml`` page, every document's automatic ids stay apart.

The ``collide`` root has documents whose names differ only by ``/``,
``-``, ``_``, ``.``, case or a space (``x/y``, ``x-y``, ``X_Y``, ``x.y``,
``my notes``), each with a figure, a cited inline quote, a named quote, a
labelled quote and a source line, and ``{ref}``/``{numref}`` links to its
own quotes; the root embeds the citation index. Every link must land on the
quote it names.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import unquote

import pytest
from conftest import squash
from hypothesis import given
from hypothesis import strategies as st

from sphinx_quotefig.anchors import document_prefix

DOCNAMES = ["x/y", "x-y", "X_Y", "x.y", "my notes"]


@pytest.fixture(scope="module")
def single(built):
    result = built("collide", "singlehtml")
    return result, result.html("index")


def target(page, href: str):
    assert href.startswith("#"), href
    found = page.find_all(id=href[1:])
    assert len(found) == 1, href
    return found[0]


def test_every_id_on_the_page_is_unique(single):
    result, page = single
    assert result.warning_lines() == []
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    assert [id_ for id_, count in ids.items() if count > 1] == []
    automatic = {id_ for id_ in ids if re.search(r":(figure|q|source)-", id_)}
    assert automatic == {
        *(f"{document_prefix(name)}:{anchor}" for name in DOCNAMES for anchor in ("figure-1", "q-1")),
        *(f"{document_prefix(name)}:source-other" for name in DOCNAMES if name != "x.y"),
        "x.y:source-report",
    }


def test_every_index_link_lands_on_its_quote(single):
    _, page = single
    entries = page.select("div.quote-index p.quote-index-quote")
    assert len(entries) == 1 + 4 * len(DOCNAMES)
    for entry in entries:
        excerpt = re.search(r"“(.*)”", squash(entry.get_text()))[1]
        assert excerpt in squash(target(page, entry.a["href"]).get_text()), entry


def test_every_ref_and_numref_lands_on_the_quote_of_its_document(single):
    _, page = single
    for name in DOCNAMES:
        start = page.find(id=f"document-{name}")
        links = start.find_next(lambda tag: tag.name == "p" and tag.get_text().startswith("See ")).select("a")
        named, numbered, labelled = (target(page, a["href"]) for a in links[:3])
        assert squash(named.blockquote.get_text()) == f"Named of {name}."
        assert numbered is labelled and squash(labelled.blockquote.get_text()) == f"Labelled of {name}."
        assert re.fullmatch(r"Quote \d+", links[1].get_text())


def test_source_links_land_on_the_source_line_declaring_it(single):
    _, page = single
    links = {a.get_text(): a["href"] for a in page.select("a:has(> .quote-source)")}
    report, other = target(page, links["The Report"]), target(page, links["The Other Book"])
    # The home of each source: its first declaration, by document name.
    assert report.name == "p" and report["id"] == "x.y:source-report"
    assert other.name == "p" and other["id"] == "X_Y:source-other"
    # The label on the source line is the author's: not prefixed.
    assert target(page, "#source-label").parent is report


def test_quotes_json_urls_land_on_their_quotes(single):
    result, page = single
    quotes = json.loads(result.text("quotes.json"))["quotes"]
    assert len(quotes) == 1 + 4 * len(DOCNAMES)
    for quote in quotes:
        base, anchor = quote["url"].split("#", 1)
        assert base == "index.html"
        assert squash(quote["text"]) in squash(target(page, "#" + anchor).get_text()), quote


def test_labelled_quotes_are_named_by_their_label(built):
    """A label before a quote names it as ``:name:`` does: its id, its
    entry in ``quotes.json``."""
    result = built("collide")
    page = result.html("x-y")
    assert page.find("figure", id="label-2") is not None
    assert page.find(id="figure-3") is None
    ids = [q["id"] for q in json.loads(result.text("quotes.json"))["quotes"] if q["id"].startswith("x-y#")]
    assert sorted(ids) == ["x-y#figure-1", "x-y#label-2", "x-y#named-2", "x-y#q-1"]


@given(st.text())
def test_the_document_prefix_is_injective_and_ends_at_the_first_colon(docname):
    prefix = document_prefix(docname)
    assert unquote(prefix, errors="surrogatepass") == docname  # so no two names share a prefix
    assert ":" not in prefix and not any(char.isspace() for char in prefix)

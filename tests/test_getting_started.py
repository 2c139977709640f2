"""The getting-started walk (docs/snippets/start, shown and rendered on
docs/getting-started.md) builds as the page says: no warning, ten
quotations from three sources, the citation index in the stated order."""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO, build_project, squash

START = REPO / "docs" / "snippets" / "start"


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    srcdir = tmp_path_factory.mktemp("start")
    shutil.copytree(START, srcdir, dirs_exist_ok=True)
    return build_project(srcdir)


def test_the_walk_builds_without_a_warning(walk):
    assert walk.warnings.strip() == ""


def test_the_index_lists_three_sources_by_author_with_their_ten_quotations(walk):
    index = walk.html("quote-index")
    headings = [squash(p.get_text()) for p in index.select("p.quote-index-heading")]
    assert [[cite.get_text() for cite in p.select("cite")] for p in index.select("p.quote-index-heading")] == [
        ["On the Origin of Species"],  # Darwin
        ["On Liberty"],  # Mill
        ["The Elements of Style"],  # Strunk (Jr.)
    ]
    assert ["(5 quotations)" in headings[0], "(2 quotations)" in headings[1], "(3 quotations)" in headings[2]] == [True] * 3
    assert "declared in On the Origin of Species" in headings[0]
    listed = [squash(p.get_text()) for p in index.select("p.quote-index-quote")]
    assert len(listed) == 10
    assert [item.split(" \u2014 ")[0] for item in listed[:5]] == ["pg 61", "pg 84", "pg 489", "pg 490", "pg 490"]


def test_a_q_without_a_citation_is_not_listed(walk):
    assert walk.html("darwin").find("q", string="natural selection") is not None
    assert "natural selection\u201d" not in squash(walk.html("quote-index").get_text())


def test_numref_reads_quote_4(walk):
    assert squash(walk.html("darwin").select_one("a[href='#darwin-grandeur']").get_text()) == "Quote 4"


def test_home_page_links_the_citation_index(walk):
    links = [squash(a.get_text()) for a in walk.html().select("a[href='quote-index.html']")]
    assert "Citation index" in links


def test_embedded_index_lists_one_source(walk):
    embedded = walk.html("style").select_one("div.quote-index")
    headings = [squash(p.get_text()) for p in embedded.select("p.quote-index-heading")]
    assert len(headings) == 1 and "The Elements of Style" in headings[0]

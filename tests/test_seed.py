"""The reference design, reproduced: the docs' seed example page built with
the extension has the seed post's eight figures, exactly structured."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import SEED, squash


@pytest.fixture(scope="module")
def seed_figures() -> list:
    if not SEED.exists():
        pytest.skip(f"reference design not found at {SEED}")
    raw = SEED.read_text(encoding="utf-8").split("---", 2)[2]
    return BeautifulSoup(raw, "html.parser").select("figure.quote")


@pytest.fixture(scope="module")
def figures(built) -> list:
    return built("seed").html().select("figure.quote")


def test_seed_builds_without_warnings(built):
    assert built("seed").warning_lines() == []


def test_eight_figures_with_seed_ids_in_order(figures, seed_figures):
    assert [f["id"] for f in figures] == [f["id"] for f in seed_figures]
    assert [f["id"] for f in figures] == [f"figure-{n}" for n in range(1, 9)]


def test_each_figure_is_blockquote_then_footer_cite(figures):
    for figure in figures:
        children = [c.name for c in figure.find_all(recursive=False)]
        assert children == ["blockquote", "footer"]
        footer = figure.footer
        assert [c.name for c in footer.find_all(recursive=False)] == ["cite"]


def test_paragraphs_are_direct_children_of_blockquote(figures):
    for figure in figures:
        blockquote = figure.blockquote
        assert {c.name for c in blockquote.find_all(recursive=False)} == {"p"}


def test_citations_read_pg_n_like_the_seed(figures, seed_figures):
    assert [squash(f.footer.cite.get_text()) for f in figures] == [
        squash(f.footer.cite.get_text()) for f in seed_figures
    ]
    assert squash(figures[0].footer.cite.get_text()) == "pg 5"


def test_quote_texts_equal_the_seed(figures, seed_figures):
    for ours, theirs in zip(figures, seed_figures, strict=True):
        assert squash(ours.blockquote.get_text(" ")) == squash(theirs.blockquote.get_text(" "))


def test_multi_paragraph_quote_keeps_its_paragraphs(figures, seed_figures):
    assert len(figures[7].blockquote.find_all("p")) == len(seed_figures[7].blockquote.find_all("p")) == 2


def test_report_title_line_stands_above_the_quotes(built):
    page = built("seed").html()
    line = page.select_one("p.quote-source")
    assert squash(line.cite.get_text()) == (
        "The Third Sector and Online Citizen Empowerment: the Case of mySociety"
    )
    assert line.find_next("figure")["id"] == "figure-1"


def test_stylesheet_is_linked(built):
    page = built("seed").html()
    assert any("quotefig.css" in link.get("href", "") for link in page.select("link[rel=stylesheet]"))
    assert (built("seed").outdir / "_static" / "quotefig.css").exists()

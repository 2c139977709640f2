"""Messages that say the fix, and the small output details of issue 18: a
typed page label is dropped, an unknown source names the likely key, a
citation of the current source where there is none warns."""

from __future__ import annotations

import pytest

from conftest import squash

@pytest.fixture(scope="module")
def fixes(built):
    return built("fixes")

def test_a_typed_page_label_is_dropped_without_a_warning(fixes):
    figures = fixes.html().select("figure.quote")
    assert squash(figures[0].footer.cite.get_text()).endswith("pg 12")
    assert squash(figures[1].footer.cite.get_text()).endswith("pg 27\u201328")
    assert not [line for line in fixes.warning_lines() if "malformed_page" in line]

def test_a_typed_page_label_in_a_q_citation_is_a_page_not_free_text(fixes):
    inline = fixes.html().find("q", string="escaping flatland")
    assert squash(inline.find_next_sibling("span", class_="quote-citation").get_text()) == "(Envisioning Information, pg 5)"
    index = squash(fixes.html("quote-index").get_text())
    assert "pg 5 \u2014 \u201cescaping flatland\u201d" in index

def test_a_citation_without_its_comma_suggests_the_comma(fixes):
    [line] = [w for w in fixes.warning_lines() if "'tufte 5'" in w]
    assert "index.md:20:" in line
    assert "a comma goes between the source and the page: <tufte, 5>" in line
    assert line.endswith("[quotefig.unknown_source]")

def test_a_page_in_the_source_option_suggests_the_page_option(fixes):
    [line] = [w for w in fixes.warning_lines() if "'orwell 9'" in w]
    assert "the page goes in its own option: :source: orwell and :page: 9" in line

@pytest.mark.parametrize(("typed", "meant"), [("Tufte-1990", "tufte"), ("orwel", "orwell")])
def test_an_unknown_key_names_the_closest_known_one(fixes, typed, meant):
    [line] = [w for w in fixes.warning_lines() if f"unknown source {typed!r}" in w]
    assert f"did you mean {meant!r}?" in line

def test_an_unknown_key_like_nothing_known_suggests_nothing(fixes):
    [line] = [w for w in fixes.warning_lines() if "'zzzz'" in w]
    assert line.endswith("WARNING: unknown source 'zzzz' [quotefig.unknown_source]")

def test_citing_the_current_source_where_there_is_none_warns(fixes):
    lines = [w for w in fixes.warning_lines() if "no_current_source" in w]
    assert len(lines) == 1
    assert "unsourced.md:3:" in lines[0]
    assert "name the source (<key, 5>) or put a quote-source directive above" in lines[0]

def test_no_other_warnings(fixes):
    assert len(fixes.warning_lines()) == 6

def test_ref_text_of_a_cut_quote_has_one_mark_where_it_is_cut(fixes):
    link = fixes.html().select_one("a[href='#labelled-page']")
    assert squash(link.get_text()) == "The great enemy of clear language is insincerity\u2026"

def test_index_excerpt_of_a_cut_quote_has_one_mark_where_it_is_cut(built):
    project = built("fixes", quotefig_excerpt_words=8)
    index = squash(project.html("quote-index").get_text())
    assert "\u201cThe great enemy of clear language is insincerity\u2026\u201d" in index

def test_heading_of_quotations_without_a_source_is_not_a_cited_title(fixes):
    index = fixes.html("quote-index")
    heading = [p for p in index.select("p.quote-index-heading") if "Quotations without a source" in p.get_text()]
    assert heading and heading[0].find("cite") is None

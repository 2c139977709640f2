"""Full references in the author–date style, the short style, and the
citation index's order by author or by title (docs/reference-styles.md)."""

from __future__ import annotations

import re

import pytest

from conftest import build_project, squash
from sphinx_quotefig.reference_style import author_date, doi_uri, plain
from sphinx_quotefig.sources import Source


def headings(built) -> list[str]:
    return [squash(p.get_text()) for p in built.html("quote-index").select("p.quote-index-heading")]


def source_line(built, key: str):
    return built.html().select_one(f"p.quote-source#source-{key}")


# -- the style, source by source ----------------------------------------------


def test_structured_authors_invert_the_first_and_join_the_last_with_and():
    source = Source("k", title="Prose", authors="Carr, Edith and Beard, Mary and {mySociety}", year="2015", type="book")
    assert plain(author_date(source).runs) == "Carr, Edith, Mary Beard and mySociety (2015). Prose."


def test_editors_stand_in_for_missing_authors_with_ed_or_eds():
    one = Source("k", title="Notes", editors="Baker, Bea", year="2001", type="book")
    two = Source("k", title="Notes", editors="Baker, Bea and Cole, Al", year="2001", type="book")
    assert plain(author_date(one).lead) == "Baker, Bea (ed.) (2001)"
    assert plain(author_date(two).lead) == "Baker, Bea and Al Cole (eds.) (2001)"


def test_a_chapter_names_its_book_and_editors_after_in():
    source = Source(
        "k", title="Laughter", authors="Beard, Mary", editors="Smith, Ann", year="2014", type="chapter",
        container="Roman Humour", volume="2", pages="12--34", place="Oxford", publisher="OUP",
    )  # fmt: skip
    reference = author_date(source)
    assert plain(reference.runs) == "Beard, Mary (2014). Laughter. In Ann Smith (ed.), Roman Humour, vol. 2, pp. 12–34. Oxford: OUP."
    assert [run.text for run in reference.runs if run.italic] == ["Roman Humour"]


def test_a_title_ending_in_a_question_mark_gets_no_second_stop():
    source = Source("k", title="Why?", author="Ann", year="2000", type="book", publisher="P")
    assert plain(author_date(source).runs) == "Ann (2000). Why? P."


def test_a_doi_is_shown_as_written_and_linked_percent_encoded():
    source = Source("k", title="T", author="A", type="report", doi="doi:10.1000/a b#c")
    last = author_date(source).runs[-1]
    assert last.text == "https://doi.org/10.1000/a b#c"
    assert last.uri == doi_uri("https://doi.org/10.1000/a b#c") == "https://doi.org/10.1000/a%20b%23c"


# -- in the output -------------------------------------------------------------


def test_source_line_is_the_full_reference_with_the_title_in_cite(built):
    result = built("references")
    line = source_line(result, "carr-2015")
    assert squash(line.get_text()) == "Edith Carr (2015). Letters from the Lock. Edition 2. London: Canal Press."
    link = line.select_one("a.reference.external")
    assert link["href"] == "https://example.org/lock"
    assert link.select_one("cite").get_text() == "Letters from the Lock"


def test_an_article_sets_its_journal_in_cite_and_links_its_doi(built):
    line = source_line(built("references"), "weeds")
    assert [cite.get_text() for cite in line.select("cite")] == ["Journal of Weeds"]
    assert "Ragwort and <its> ways. Journal of Weeds, 12(3), 45–67." in squash(line.get_text())
    doi = line.select_one("a.reference.external")
    assert doi["href"] == "https://doi.org/10.1000/a%22b%20%3Cc%3E"
    assert doi.get_text() == 'https://doi.org/10.1000/a"b <c>'
    raw = built("references").text("index.html")
    assert "<its>" not in raw and "<c>" not in raw


def test_index_heading_is_the_full_reference_its_authors_and_year_in_bold(built):
    index = built("references").html("quote-index")
    heading = index.select_one("#source-beard p.quote-index-heading")
    assert heading.select_one("strong").get_text() == "Mary Beard (2014)"
    assert squash(heading.get_text()).startswith(
        "Mary Beard (2014). Laughter in Rome. In Ann Smith (ed.), Roman Humour, pp. 12–34. Oxford: OUP. (1 quotation)"
    )
    assert [cite.get_text() for cite in heading.select("cite")] == ["Roman Humour"]
    untitled = index.select_one("#source-pamphlet p.quote-index-heading strong")
    assert untitled.select_one("cite").get_text() == "Zebra Pamphlet"


def test_embedded_listing_says_what_the_standalone_page_says(built):
    result = built("references")
    embedded = [squash(p.get_text()) for p in result.html().select(".quote-index p.quote-index-heading")]
    assert embedded == headings(result)


@pytest.mark.parametrize(
    ("builder", "filename"),
    [("text", "index.txt"), ("man", "references.1"), ("texinfo", "references.texi"), ("latex", "references.tex")],
)
def test_every_builder_writes_the_full_reference_line(built, builder, filename):
    out = built("references", builder).text(filename).replace("\\&", "")  # man: "\&." is a full stop
    assert re.search(r"Mary Beard \(2014\)\. Laughter in Rome\. In Ann Smith \(ed\.\),", squash(out))
    assert "Canal Press" in out


def test_epub_writes_the_full_reference_line(built):
    result = built("references", "epub")
    assert "Mary Beard (2014). Laughter in Rome. In Ann Smith (ed.), " in squash(result.text("index.xhtml"))


def test_latex_index_sets_each_source_as_its_reference_with_titles_in_italics(built):
    tex = built("references", "latex").text("references.tex")
    index = tex.split("\\begin{quotefigindex}")[1].split("\\end{quotefigindex}")[0]
    assert "\\quotefigindexreference{\\textbf{Mary Beard (2014)}. Laughter in Rome. In Ann Smith (ed.), \\textit{Roman Humour}" in index
    assert "\\sphinxhref{https://doi.org/10.1000/a\\%22b\\%20\\%3Cc\\%3E}" in index


# -- the short style -------------------------------------------------------------


def test_short_style_keeps_the_earlier_line_and_heading(built):
    result = built("references", quotefig_reference_style="short")
    line = source_line(result, "carr-2015")
    assert squash(line.get_text()) == "Edith Carr, Letters from the Lock (2015)"
    assert line.select_one("a > cite").get_text() == "Letters from the Lock"
    heading = result.html("quote-index").select_one("#source-carr-2015 p.quote-index-heading")
    assert heading.select_one("strong > cite").get_text() == "Letters from the Lock"
    assert squash(heading.get_text()).startswith("Letters from the Lock — Edith Carr, 2015 (1 quotation)")


# -- the order -------------------------------------------------------------------


def test_index_sorts_by_family_name_then_year_then_title_accents_ignored(built):
    assert [heading.split(" (")[0] for heading in headings(built("references"))] == [
        "Anders Ångström",  # Å sorts as A
        "Bea Baker",  # an editor, without authors
        "Mary Beard",
        "Edith Carr",  # 2010 before 2015
        "Edith Carr",
        "Ralph Cowgill",
        "mySociety",  # a corporate author, by its whole name, without case
        "Zebra Pamphlet",  # no author or editor: by its title
        "Quotations without a source",
    ]
    years = [h for h in headings(built("references")) if h.startswith("Edith Carr")]
    assert [h[12:16] for h in years] == ["2010", "2015"]


def test_letter_sections_follow_the_family_names(built):
    index = built("references").html("quote-index")
    letters = {
        section["id"]: [source["id"] for source in section.select(".quote-index-source")]
        for section in index.select(".quote-index-letter")
    }
    assert letters["letter-A"] == ["source-angstrom"]
    assert letters["letter-C"] == ["source-carr-2010", "source-carr-2015", "source-weeds"]
    assert letters["letter-Z"] == ["source-pamphlet"]


def test_index_sort_title_keeps_the_title_order(built):
    titles = [h.split(" (")[0] for h in headings(built("references", quotefig_index_sort="title", quotefig_reference_style="short"))]
    assert titles[:3] == ["Collected Notes — 2001", "Laughter in Rome — Mary Beard, 2014", "Letters from the Lock — Edith Carr, 2015"]
    assert titles[-1] == "Quotations without a source"


# -- settings ---------------------------------------------------------------------


def test_invalid_values_warn_at_their_conf_line_and_fall_back(project):
    srcdir = project("references")
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text() + 'quotefig_reference_style = "apa"\nquotefig_index_sort = "year"\n')
    result = build_project(srcdir)
    lines = result.warning_lines()
    style = next(line for line in lines if "quotefig_reference_style" in line)
    assert re.search(r"conf\.py:\d+: WARNING: .*'apa'.*\[quotefig\.invalid_config\]", style)
    assert any("quotefig_index_sort" in line and "[quotefig.invalid_config]" in line for line in lines)
    assert headings(result)[0].startswith("Anders Ångström (1853). Recherches.")


def test_changing_the_style_or_the_sort_rewrites_the_index_incrementally(project):
    srcdir = project("references")
    first = build_project(srcdir, freshenv=True)
    assert headings(first)[0].startswith("Anders Ångström (1853)")
    short = build_project(srcdir, confoverrides={"quotefig_reference_style": "short"}, freshenv=False)
    assert headings(short)[0].startswith("Recherches — Anders Ångström, 1853")
    assert squash(source_line(short, "beard").get_text()) == "Mary Beard, Laughter in Rome (2014)"
    by_title = build_project(
        srcdir, confoverrides={"quotefig_reference_style": "short", "quotefig_index_sort": "title"}, freshenv=False
    )
    assert headings(by_title)[0].startswith("Collected Notes — 2001")
    back = build_project(srcdir, freshenv=False)
    assert headings(back) == headings(first)


# -- emphasis within a title (title_emphasis: written by bibliography readers) --


def test_emphasis_within_an_italic_title_is_one_cite_holding_em():
    from sphinx_quotefig.render_html import runs

    # "Studies of Drosophila": the species name emphasised (characters 11-21)
    source = Source("k", title="Studies of Drosophila", title_emphasis="11:21", author="Ann", year="1990", type="book")
    reference = author_date(source)
    assert runs(reference.rest) == ". <cite>Studies of <em>Drosophila</em></cite>."
    assert plain(reference.runs) == "Ann (1990). Studies of Drosophila."


def test_emphasis_within_an_upright_article_title_is_em():
    from sphinx_quotefig.reference_style import run_nodes

    source = Source("k", title="On Drosophila", title_emphasis="3:13", author="Ann", type="article-journal")
    rendered = run_nodes(author_date(source).rest)
    assert [node.astext() for node in rendered] == [". On ", "Drosophila", "."]
    assert rendered[1].tagname == "emphasis"

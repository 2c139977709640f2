"""HTML markup of quotes, citations, inline quotes and source lines."""

from __future__ import annotations

import re

import pytest
from conftest import squash


@pytest.fixture(scope="module")
def page(built):
    return built("markup").html()


def figure(page, fid):
    return page.find("figure", id=fid)


def test_markup_root_builds_without_warnings(built):
    assert built("markup").warning_lines() == []


def test_figure_id_skips_an_id_taken_by_a_section(page):
    assert page.find("section", id="figure-1") is not None
    assert figure(page, "figure-1-2") is not None
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_figure_ids_count_every_quote_of_the_page(page):
    # The third quote is figure-3 although the second one is named.
    assert [f["id"] for f in page.select("figure.quote")] == ["figure-1-2", "quote-efficacy", "figure-3", "figure-4"]


def test_name_gives_the_id_and_class_adds_classes(page):
    named = figure(page, "quote-efficacy")
    assert named["class"] == ["quote", "highlight"]
    assert len(named.blockquote.find_all("p")) == 2


def test_blockquote_cite_is_the_source_url_or_the_quotes_own(page):
    assert figure(page, "figure-1-2").blockquote["cite"] == "https://example.org/report.pdf"
    assert figure(page, "figure-3").blockquote["cite"] == "https://example.org/deep#rule13"


def test_quote_from_another_source_names_its_title_and_author(page):
    footer = figure(page, "figure-3").footer
    assert squash(footer.select_one(".quote-author").get_text()) == "A Teacher"
    assert squash(footer.cite.get_text()) == "The Elements of Style, Rule 13"


def test_quote_from_current_source_cites_only_the_page(page):
    assert squash(figure(page, "figure-1-2").footer.get_text()) == "pg 5"
    assert squash(figure(page, "quote-efficacy").footer.cite.get_text()) == "pg 27\u201328"
    assert squash(figure(page, "figure-4").footer.cite.get_text()) == "pg xii"


def test_lang_is_emitted(page):
    assert figure(page, "figure-3")["lang"] == "de-CH"


def test_inline_quotes_are_q_elements_with_citations(page):
    cited = page.find("q", id="q-1")
    assert cited.get_text() == "words of the report"
    assert cited["cite"] == "https://example.org/report.pdf"
    assert squash(cited.find_next_sibling("span", class_="quote-citation").get_text()) == "(pg 33)"
    other = page.find("q", id="q-2")
    assert squash(other.find_next_sibling("span").get_text()) == "(The Elements of Style, pg 7)"
    plain = [q for q in page.find_all("q") if q.get_text() == "uncited"][0]
    assert not plain.has_attr("id") and not plain.has_attr("cite")


def test_source_line_renders_author_title_link_and_year(page):
    line = page.find("p", class_="quote-source")
    assert line["id"] == "source-report"
    assert squash(line.get_text()) == "Ann Author (2015). The Report."
    assert line.a["href"] == "https://example.org/report.pdf"
    assert line.a.cite.get_text() == "The Report"


def test_hidden_source_line_is_a_target_only(built):
    other = built("markup").html("other")
    assert other.find("p", class_="quote-source") is None
    assert other.find(id="source-report") is not None
    assert squash(other.find("figure", id="figure-1").footer.get_text()) == "pg 6"


def test_numref_and_ref_link_to_named_quote(page):
    numref = page.select_one("span.std-numref")
    assert re.fullmatch(r"Quote \d+", numref.get_text())
    assert numref.parent["href"] == "#quote-efficacy"
    ref = page.select_one("span.std-ref")
    assert ref.get_text().startswith("Colon-fenced, named.")
    assert ref.parent["href"] == "#quote-efficacy"


def test_quote_source_role_links_title_to_index_entry(page):
    links = page.select("span.quote-source")
    assert [squash(s.get_text()) for s in links] == ["The Elements of Style", "the report"]
    assert [s.parent["href"] for s in links] == ["quote-index.html#source-elements", "quote-index.html#source-report"]


def test_quote_index_label_links_to_the_index_page(page):
    assert page.find("section").find("a", href="quote-index.html").get_text() == "Citation index"


def test_rst_document_uses_conf_sources(built):
    rst = built("markup").html("rst")
    fig = rst.find("figure", id="figure-1")
    assert squash(fig.footer.get_text()) == "pg 3"
    assert fig.blockquote.em.get_text() == "reStructuredText"
    assert rst.find("q", id="q-1").get_text() == "rst words"


def test_quoted_text_is_kept_verbatim_without_smart_quotes(project):
    from conftest import build_project

    src = project(
        **{
            "conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\n',
            "index.md": '# T\n\n"outside" -- text\n\n```{quote}\n"inside" -- it\'s {q}`"q" -- x`\n```\n',
        }
    )
    page = build_project(src).html()
    assert "\u201coutside\u201d" in page.find("section").p.get_text()
    assert page.blockquote.get_text().strip().startswith('"inside" -- it\'s')
    assert page.find("q").get_text() == '"q" -- x'


def test_figcaption_markup_names_the_work(built):
    page = built("markup", quotefig_markup="figcaption").html()
    fig = page.find("figure", id="figure-1-2")
    assert fig.footer is None
    caption = fig.find("figcaption")
    assert [c.name for c in fig.find_all(recursive=False)] == ["blockquote", "figcaption"]
    assert caption.cite.get_text() == "The Report"
    assert squash(caption.get_text()) == "\u2014 Ann Author, The Report, pg 5"


def test_page_labels_are_configurable(built):
    page = built("markup", quotefig_page_label="p.", quotefig_pages_label="pp.").html()
    assert squash(page.find("figure", id="figure-1-2").footer.get_text()) == "p. 5"
    assert squash(page.find("figure", id="quote-efficacy").footer.get_text()) == "pp. 27\u201328"


def test_custom_numfig_format_is_kept(built):
    page = built("markup", numfig_format={"quote": "Q. %s"}).html()
    assert page.select_one("span.std-numref").get_text().startswith("Q. ")


def test_backslash_escaped_angle_bracket_is_part_of_the_quoted_words(project):
    from conftest import build_project

    line = r"{q}`a < b`, {q}`ends in \<tag>`, {q}`ends in \<tag> <k, 5>`."
    src = project(
        **{
            "conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\nquotefig_sources = {"k": {"title": "K"}}\n',
            "index.md": f"# T\n\n{line}\n\n```{{toctree}}\nr\n```\n",
            "r.rst": "R\n=\n\n" + line.replace("{q}", ":q:") + "\n",
        }
    )
    built = build_project(src)
    assert built.warning_lines() == []
    for docname in ("index", "r"):
        quotes = built.html(docname).find_all("q")
        assert [q.get_text() for q in quotes] == ["a < b", "ends in <tag>", "ends in <tag>"]
        assert [q.get("id") for q in quotes] == [None, None, "q-1"]
        assert squash(quotes[2].find_next_sibling("span").get_text()) == "(K, pg 5)"


def test_source_key_with_spaces_is_one_key_everywhere(project):
    from conftest import build_project

    src = project(
        **{
            "conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\n',
            "index.md": (
                "# T\n\n```{quote-source} my  key\n:title: Spaced\n```\n\n"
                "```{quote}\n:source: my key\n:page: 3\n\nWords.\n```\n\n"
                "{q}`inline <my   key, 4>` and {quote-source}`my key`.\n"
            ),
        }
    )
    built = build_project(src)
    assert built.warning_lines() == []
    page = built.html()
    assert page.find("p", class_="quote-source")["id"] == "source-my-key"
    assert squash(page.find("q", id="q-1").find_next_sibling("span").get_text()) == "(pg 4)"
    assert squash(page.select_one("span.quote-source").get_text()) == "Spaced"


def test_conf_key_with_tabs_is_folded_like_every_other_key(project):
    from conftest import build_project

    src = project(
        **{
            "conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\nquotefig_sources = {"my\\tkey": {"title": "Tabbed"}}\n',
            "index.md": "# T\n\n```{quote}\n:source: my key\n:page: 5\n\nQuoted.\n```\n\n{q}`words <my\tkey, 6>`\n",
        }
    )
    built = build_project(src)
    assert built.warning_lines() == []
    assert squash(built.html().find("figure").footer.get_text()) == "Tabbed, pg 5"

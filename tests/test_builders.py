"""Every builder renders quotes and citations in its own idiom, warning-free."""

from __future__ import annotations

import re

import pytest

from conftest import squash

BUILDERS = ["html", "dirhtml", "singlehtml", "epub", "latex", "text", "man", "texinfo", "xml", "gettext"]
EPUB_CONF = {"epub_copyright": "2026", "version": "1.0", "epub_exclude_files": ["quotes.json"]}


def build(built, name):
    return built("markup", name, **(EPUB_CONF if name == "epub" else {}))


@pytest.mark.parametrize("name", BUILDERS)
def test_builder_builds_without_warnings(built, name):
    result = build(built, name)
    assert result.warning_lines() == []


def test_latex_sets_quotes_in_the_environments_of_the_package(built):
    result = build(built, "latex")
    tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "\\usepackage{sphinxquotefig}" in tex
    assert (result.outdir / "sphinxquotefig.sty").is_file()
    assert "\\begin{quotefigquote}\\label{\\detokenize{index:figure-1-2}}" in tex
    assert "\\quotefigcitation{pg 5}\n\\end{quotefigquote}" in tex
    assert "\\quotefigcitation{pg 27\\textendash{}28}" in tex
    assert "\\quotefigcitation{A Teacher, \\sphinxtitleref{The Elements of Style}, Rule 13}" in tex
    assert "\\begin{quotefigquote}\\label{\\detokenize{index:quote-efficacy}}" in tex
    assert "\\ref{\\detokenize{index:quote-efficacy}}" in tex  # numref
    # inline quotations: a label for the index to point at, the citation after the words
    assert (
        "\\phantomsection\\label{\\detokenize{index:q-1}}\\quotefiginline{\u201cwords of the report\u201d}"
        "\\quotefiginlinecitation{pg 33}" in tex
    )
    assert "\\quotefiginline{\u201cuncited\u201d}." in tex
    # a source's reference line carries its label, inside its own paragraph
    assert "\n\n\\sphinxAtStartPar\n\\phantomsection\\label{\\detokenize{index:source-report}}Ann Author" in tex


def test_latex_sets_the_citation_index_with_levels_and_page_references(built):
    tex = next(build(built, "latex").outdir.glob("*.tex")).read_text(encoding="utf-8")
    index = tex.split("\\begin{quotefigindex}{Citation index}")[1].split("\\end{quotefigindex}")[0]
    assert "sphinxtheindex" not in tex.split("\\begin{quotefigindex}")[1]  # not set twice
    assert "\\quotefigindexreference{\\textbf{Ann Author (2015)}. \\textit{The Report}.}{\\detokenize{index:source-report}}" in index
    assert "\\quotefigindexquote{pg 4}{\u201crst words\u201d}{\\detokenize{rst:q-1}}" in index
    # by family name: Author, then Strunk
    assert index.index("\\quotefigindexletter{A}") < index.index("The Report") < index.index("\\quotefigindexletter{S}")
    assert index.index("\\quotefigindexletter{S}") < index.index("The Elements of Style")


def test_text_indents_quote_and_adds_dash_citation(built):
    text = build(built, "text").text("index.txt")
    assert "   First quote of the report.\n\n   -- pg 5" in text
    assert "-- A Teacher, *The Elements of Style*, Rule 13" in text
    assert "\u201cwords of the report\u201d (pg 33)" in text


def test_man_page_contains_quote_and_citation(built):
    man = next(build(built, "man").outdir.rglob("*.1")).read_text(encoding="utf-8")
    # the citation is a paragraph of its own, not run onto the quote's last line
    assert "First quote of the report.\n.sp\n\u2014 pg 5" in man
    # a quote after another quote, or after a source's line, stands apart from it;
    # the first in a section needs no space above
    assert "\u2014 pg 6\n.UNINDENT\n.UNINDENT\n.sp\n.INDENT 0.0\n.INDENT 3.5\nOmit needless words." in man
    # (the source's line ends with its linked title, which docutils' man
    # writer spells differently from version to version)
    line_then_quote = re.search(r"^Ann Author \(2015\)\. .*The Report.*\\&\.\n\.sp\n\.INDENT 0\.0\n\.INDENT 3\.5\nFirst quote of the report\.", man, re.M)
    assert line_then_quote, man
    assert ".SH OTHER PAGE\n.INDENT 0.0" in man
    # internal links are plain text in man (no "<#figure-1>" after them)
    assert "<#" not in man


def test_texinfo_uses_quotation(built):
    texi = next(build(built, "texinfo").outdir.glob("*.texi")).read_text(encoding="utf-8")
    assert "@quotation" in texi
    assert "@center --- pg 5" in texi


def test_xml_has_standard_block_quote_and_attribution(built):
    xml = build(built, "xml").text("index.xml")
    assert '<block_quote classes="quote" ids="figure-1-2">' in xml
    assert "<attribution><inline>pg 5</inline></attribution>" in xml
    assert "quote_figure" not in xml


def test_gettext_extracts_quoted_text(built):
    pot = build(built, "gettext").text("index.pot")
    assert 'msgid "First quote of the report."' in pot
    assert 'msgid "Colon-fenced, named."' in pot


@pytest.mark.parametrize("name", ["dirhtml", "singlehtml"])
def test_html_variants_keep_the_figure_markup(built, name):
    result = build(built, name)
    page = result.html("index")
    fig = page.find("figure", id="quote-efficacy")
    assert fig is not None and squash(fig.footer.cite.get_text()) == "pg 27\u201328"


def test_epub_keeps_the_figure_markup(built):
    result = build(built, "epub")
    xhtml = (result.outdir / "index.xhtml").read_text(encoding="utf-8")
    assert '<figure class="quote" id="figure-1-2">' in xhtml
    assert not (result.outdir / "quotes.json").exists()


def test_linkcheck_checks_the_urls_of_quotes_and_their_sources(built):
    """Quote and source URLs are attributes in HTML; linkcheck still sees
    them, at the quote's line (checking is switched off: no network)."""
    import json

    result = built("markup", "linkcheck", linkcheck_ignore=[".*"])
    assert result.warning_lines() == []
    found = {}
    for line in (result.outdir / "output.json").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        found.setdefault(entry["uri"], set()).add((entry["filename"], entry["lineno"]))
    # a quote's own :url:, a page-declared source, a conf.py-only source
    assert found["https://example.org/deep#rule13"] == {("index.md", 35)}
    assert found["https://example.org/report.pdf"] == {("index.md", 12)}
    assert found["https://example.org/elements"] == {("index.md", 51)}


@pytest.mark.parametrize("name", ["html", "latex", "text"])
def test_nested_quotes_each_keep_their_own_citation(project, name):
    from conftest import build_project

    src = project(
        **{
            "conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\nmyst_enable_extensions = ["colon_fence"]\n',
            "index.md": "# T\n\n::::{quote}\n:page: 3\n\nOuter.\n\n:::{quote}\n:page: 4\n\nInner.\n:::\n::::\n",
        }
    )
    result = build_project(src, name)
    assert result.warning_lines() == []
    if name == "html":
        outer = result.html().find("figure")
        assert squash(outer.find("footer", recursive=False).get_text()) == "pg 3"
        assert squash(outer.blockquote.figure.footer.get_text()) == "pg 4"
    else:
        out = next(result.outdir.glob("*.tex" if name == "latex" else "index.txt")).read_text(encoding="utf-8")
        assert out.index("Inner.") < out.index("pg 4") < out.index("pg 3")


def test_every_latex_name_the_builders_page_documents_is_defined_by_the_package():
    import re

    from conftest import REPO

    page = (REPO / "docs" / "reference" / "builders.md").read_text(encoding="utf-8")
    table = page.split("### Restyling")[1].split("For example")[0]
    documented = re.findall(r"^\| `\\?([A-Za-z]+)", table, flags=re.MULTILINE)
    package = (REPO / "sphinx_quotefig" / "static" / "sphinxquotefig.sty").read_text(encoding="utf-8")
    # public names only: the package's own helpers have an @ in theirs
    defined = set(re.findall(r"\\new(?:command\*?|length)\\([A-Za-z]+)(?![A-Za-z@])|\\newenvironment\{([A-Za-z]+)\}", package))
    defined = {name for pair in defined for name in pair if name}
    assert len(documented) == 15
    assert set(documented) == defined


@pytest.mark.parametrize(("indices", "listed"), [(True, True), (False, False), (["quote-index"], True), (["py-modindex"], False)])
def test_latex_citation_index_follows_latex_domain_indices(built, indices, listed):
    result = built("markup", "latex", latex_domain_indices=indices)
    tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert ("\\begin{quotefigindex}{Citation index}" in tex) is listed
    assert "sphinxstyleindexentry" not in tex  # never Sphinx's generic rendering

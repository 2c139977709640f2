"""The citation index, the pages embedding it and quotes.json always equal
what a clean build produces: after incremental edits, and in parallel."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build_project, copy_root, inventory_text


def main_content(path: Path) -> str:
    """The document body of an HTML page (the theme's chrome left out)."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    body = soup.select_one("div.body") or soup.body
    return str(body)


def snapshot(outdir: Path) -> dict[str, str]:
    pages = {p.relative_to(outdir).as_posix(): main_content(p) for p in sorted(outdir.glob("*.html"))}
    pages.pop("search.html", None)
    pages.pop("genindex.html", None)
    pages["quotes.json"] = (outdir / "quotes.json").read_text(encoding="utf-8")
    return pages


def clean_build(srcdir: Path, tmp_path: Path, name: str, parallel: int = 0) -> dict[str, str]:
    fresh = tmp_path / f"clean-{name}"
    shutil.copytree(srcdir, fresh, ignore=shutil.ignore_patterns("_build"))
    result = build_project(fresh, parallel=parallel)
    assert result.warning_lines() == []
    return snapshot(result.outdir)


def later(path: Path) -> None:
    """Move the file's mtime clearly past the last build, so Sphinx sees
    the change even within one tick of the file system's clock."""
    stamp = time.time_ns() + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    later(path)


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)
    later(path)


NEW_QUOTE = "\n```{quote}\n:source: report\n:page: 2\n\nA quote added later.\n```\n"
MOVED_QUOTE = "```{quote}\n:page: 27\n\nTwenty-seven comes after five.\n```\n"


def add_quote(src: Path) -> None:
    append(src / "beta.md", NEW_QUOTE)


def edit_page_number(src: Path) -> None:
    edit(src / "alpha.md", ":page: 27\n", ":page: 1\n")


def move_quote(src: Path) -> None:
    edit(src / "alpha.md", MOVED_QUOTE, "")
    append(src / "beta.md", "\n" + MOVED_QUOTE.replace(":page:", ":source: report\n:page:"))


def delete_document(src: Path) -> None:
    (src / "beta.md").unlink()
    edit(src / "index.md", "beta\n", "")


def rename_source(src: Path) -> None:
    edit(src / "alpha.md", "{quote-source} report", "{quote-source} dossier")
    edit(src / "beta.md", ":source: report", ":source: dossier")
    edit(src / "beta.md", "<report, 100>", "<dossier, 100>")
    edit(src / "listing.md", ":source: report", ":source: dossier")


def add_document(src: Path) -> None:
    (src / "gamma.md").write_text(
        "# Gamma\n\n```{quote}\n:source: zeta\n:page: ii\n\nA new page quoting Zeta.\n```\n", encoding="utf-8"
    )
    edit(src / "index.md", "listing\n", "listing\ngamma\n")


def retitle_source(src: Path) -> None:
    """beta quotes the report, declared on alpha: its citations name the new
    title and link the new URL though beta itself is unchanged."""
    edit(src / "alpha.md", ":title: A Report", ":title: An Essay")
    edit(src / "alpha.md", "https://example.org/report.pdf", "https://example.org/essay.pdf")


def retitle_declaring_page(src: Path) -> None:
    """Listings say where a source is declared, by the page's title."""
    edit(src / "alpha.md", "# Alpha\n", "# Alpha, renamed\n")


EDITS = [
    add_quote,
    edit_page_number,
    move_quote,
    delete_document,
    rename_source,
    add_document,
    retitle_source,
    retitle_declaring_page,
]


@pytest.mark.parametrize("change", EDITS, ids=[e.__name__ for e in EDITS])
def test_incremental_build_equals_clean_build(change, tmp_path):
    src = copy_root("index", tmp_path / "src")
    first = build_project(src, freshenv=False)
    assert first.warning_lines() == []
    before = snapshot(first.outdir)
    change(src)
    again = build_project(src, freshenv=False)
    assert again.warning_lines() == []
    clean = clean_build(src, tmp_path, change.__name__)
    # Sphinx leaves the pages of deleted documents behind: compare the rest.
    after = {name: text for name, text in snapshot(again.outdir).items() if name in clean}
    assert after == clean
    # The index and the page embedding it did change.
    assert after["quote-index.html"] != before["quote-index.html"]
    assert after["listing.html"] != before["listing.html"]


def test_edit_elsewhere_rewrites_the_page_holding_quote_index(tmp_path):
    src = copy_root("index", tmp_path / "src")
    build_project(src, freshenv=False)
    edit_page_number(src)
    again = build_project(src, freshenv=False)
    written = again.status.split("preparing documents")[-1].split("generating indices")[0]
    assert "listing" in written and "alpha" in written
    assert "beta" not in written
    assert "pg 1 \u2014" in BeautifulSoup((again.outdir / "listing.html").read_text(), "html.parser").get_text()


def test_source_changed_elsewhere_rewrites_exactly_the_pages_showing_it(tmp_path):
    src = copy_root("index", tmp_path / "src")
    build_project(src, freshenv=False)
    retitle_source(src)
    again = build_project(src, freshenv=False)
    written = again.status.split("preparing documents")[-1].split("generating indices")[0]
    # index holds the toctree over alpha: Sphinx rewrites it itself.
    assert set(re.findall(r"\] (\w+)", written)) == {"alpha", "beta", "listing", "index"}
    beta = BeautifulSoup((again.outdir / "beta.html").read_text(), "html.parser")
    assert beta.find("figure", id="figure-2").find("blockquote")["cite"] == "https://example.org/essay.pdf"


def test_source_edited_in_conf_reads_nothing_and_rewrites_exactly_the_pages_showing_it(tmp_path):
    src = copy_root("index", tmp_path / "src")
    build_project(src, freshenv=False)
    edit(src / "conf.py", '"title": "The Zeta Book"', '"title": "The Zeta Book, revised"')
    again = build_project(src, freshenv=False)
    assert "0 added, 0 changed, 0 removed" in again.status
    written = again.status.split("preparing documents")[-1].split("generating indices")[0]
    # beta quotes zeta, listing embeds the index; index holds the toctree
    # over beta: Sphinx rewrites it itself.
    assert set(re.findall(r"\] (\w+)", written)) == {"beta", "listing", "index"}
    assert snapshot(again.outdir) == clean_build(src, tmp_path, "clean")
    assert "The Zeta Book, revised" in snapshot(again.outdir)["quote-index.html"]


def test_noop_rebuild_writes_nothing(tmp_path):
    src = copy_root("index", tmp_path / "src")
    first = build_project(src, freshenv=False)
    listing = first.outdir / "listing.html"
    json_file = first.outdir / "quotes.json"
    stamps = (listing.stat().st_mtime_ns, json_file.stat().st_mtime_ns)
    again = build_project(src, freshenv=False)
    assert "no targets are out of date" in again.status
    assert (listing.stat().st_mtime_ns, json_file.stat().st_mtime_ns) == stamps


def test_parallel_build_is_identical_to_serial(tmp_path):
    src = copy_root("index", tmp_path / "src")
    # Enough documents that both workers read and write some.
    for n in range(8):
        (src / f"extra{n}.md").write_text(
            f"# Extra {n}\n\n```{{quote}}\n:source: zeta\n:page: {n + 10}\n\nExtra quote {n}.\n```\n", encoding="utf-8"
        )
    edit(src / "index.md", "listing\n", "listing\n" + "".join(f"extra{n}\n" for n in range(8)))
    serial = clean_build(src, tmp_path, "serial")
    parallel = clean_build(src, tmp_path, "parallel", parallel=2)
    assert parallel == serial


def test_incremental_parallel_build_equals_clean_build(tmp_path):
    src = copy_root("index", tmp_path / "src")
    build_project(src, freshenv=False, parallel=2)
    move_quote(src)
    again = build_project(src, freshenv=False, parallel=2)
    assert snapshot(again.outdir) == clean_build(src, tmp_path, "clean")


def test_index_sorts_sources_by_title_and_quotes_by_locator(built):
    page = built("index").html("quote-index")
    headings = [h.strong.get_text() for h in page.select(".quote-index-heading")]
    assert headings == ["A Report", "The Zeta Book", "Quotations without a source"]
    # Titles of works are cited; the heading of quotations without a source is not one.
    assert [h.strong.cite is not None for h in page.select(".quote-index-heading")] == [True, True, False]
    report = page.select(".quote-index-source")[0]
    locators = [li.a.get_text() for li in report.select("li")]
    assert locators == ["pg xii", "pg 5", "pg 5, 9", "pg 27", "pg 100"]
    # Same page, document order: alpha's pg 5 before beta's pg 5, 9.
    assert [li.select_one(".quote-index-page").get_text() for li in report.select("li")][:3] == ["Alpha", "Alpha", "Beta"]


def test_index_entries_link_to_the_quotes(built):
    page = built("index").html("quote-index")
    links = [li.a["href"] for li in page.select(".quote-index-source")[0].select("li")]
    assert links == ["alpha.html#figure-2", "alpha.html#figure-3", "beta.html#figure-2", "alpha.html#figure-1", "beta.html#q-1"]


def test_index_heading_shows_details_count_and_links(built):
    page = built("index").html("quote-index")
    entry = page.find(id="source-report")
    heading = entry.select_one(".quote-index-heading")
    assert "2015" in heading.get_text()
    assert heading.select_one(".quote-index-count").get_text() == "(5 quotations)"
    assert heading.find("a", href="https://example.org/report.pdf") is not None
    assert heading.find("a", href="alpha.html#source-report") is not None


def test_embedded_index_for_one_source(built):
    page = built("index").html("listing")
    indexes = page.select("div.quote-index")
    assert len(indexes) == 2
    assert len(indexes[0].select(".quote-index-source")) == 3
    assert [c.get_text() for c in indexes[1].select(".quote-index-heading cite")] == ["A Report"]
    # Embedded copies carry no ids that could clash with the page's own.
    assert not indexes[0].select("[id^=source-]")


def test_quotes_json_lists_every_quote_with_url(built):
    import json

    data = json.loads(built("index").text("quotes.json"))
    assert data["version"] == 1
    assert [s["key"] for s in data["sources"]] == ["report", "zeta"]
    quotes = {q["id"]: q for q in data["quotes"]}
    assert len(quotes) == 8
    first = quotes["alpha#figure-1"]
    assert first["url"] == "alpha.html#figure-1"
    assert first["locator"] == {"kind": "page", "value": "27", "label": "pg 27"}
    assert first["text"] == "Twenty-seven comes after five."
    assert quotes["beta#q-1"]["kind"] == "inline"


@pytest.mark.parametrize(("builder", "url"), [("dirhtml", "alpha/#figure-1"), ("singlehtml", "index.html#alpha:figure-1")])
def test_quotes_json_urls_follow_the_builder(built, builder, url):
    import json

    data = json.loads(built("index", builder).text("quotes.json"))
    assert {q["id"]: q["url"] for q in data["quotes"]}["alpha#figure-1"] == url


def test_singlehtml_ids_are_unique_and_every_link_lands_on_its_quote(built):
    """One page holds every document: alpha's and beta's ``figure-1`` must
    not collide, and the embedded index, the source links and quotes.json
    must point at the right one."""
    import json
    from collections import Counter

    result = built("index", "singlehtml")
    page = result.html("index")
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    assert [id_ for id_, count in ids.items() if count > 1] == []
    assert page.find("figure", id="alpha:figure-1").blockquote.get_text().strip().startswith("Twenty-seven")
    assert page.find("figure", id="beta:figure-1").blockquote.get_text().strip() == "Zeta quote."
    assert page.find("q", id="beta:q-1").get_text() == "a cited phrase"
    internal = [a["href"] for a in page.select("div.quote-index a[href^='#']")]
    assert internal and all(href[1:] in ids for href in internal)
    assert "#beta:figure-2" in internal
    data = json.loads(result.text("quotes.json"))
    for quote in data["quotes"]:
        base, anchor = quote["url"].split("#")
        assert base == "index.html" and anchor in ids, quote["url"]


def test_json_and_index_can_be_turned_off(built):
    result = built("index", quotefig_json=False, quotefig_index=False)
    assert not (result.outdir / "quotes.json").exists()
    assert not (result.outdir / "quote-index.html").exists()
    assert result.warning_lines() == []


def test_reference_to_disabled_index_warns(project):
    src = project("index")
    (src / "listing.md").write_text("# Listing\n\nSee {ref}`quote-index`.\n", encoding="utf-8")
    result = build_project(src, confoverrides={"quotefig_index": False})
    lines = result.warning_lines()
    assert any("[quotefig.no_index]" in line and "listing.md:3" in line for line in lines), lines
    assert not any("undefined label" in line for line in lines)


def test_general_index_lists_each_quoted_source(built):
    page = built("index").html("genindex")
    links = {a.get_text(): a["href"] for a in page.select("table.indextable a")}
    assert links["A Report"] == "quote-index.html#source-report"
    assert links["The Zeta Book"] == "quote-index.html#source-zeta"


def test_letter_bar_appears_with_many_sources(project):
    sources = "".join(f"```{{quote}}\n:source: s{n}\n:page: 1\n\nQuote {n}.\n```\n\n" for n in range(12))
    conf = 'extensions = ["myst_parser", "sphinx_quotefig"]\nquotefig_sources = {%s}\n' % ", ".join(
        f'"s{n}": {{"title": "{chr(65 + n)}x title"}}' for n in range(12)
    )
    result = build_project(project(**{"conf.py": conf, "index.md": "# Many\n\n" + sources}))
    bar = result.html("quote-index").select_one("p.quote-index-letters")
    assert [a.get_text() for a in bar.find_all("a")] == [chr(65 + n) for n in range(12)]
    assert result.html("quote-index").find(id="letter-A") is not None


@pytest.mark.parametrize("builder", ["latex", "texinfo"])
def test_index_keeps_heading_rows_of_sources_without_a_reference_line(built, builder):
    """The Zeta Book is declared only in conf.py; its row and the row of the
    unsourced quotes point at their first quotation, so neither is dropped."""
    result = built("index", builder)
    assert result.warning_lines() == []
    text = next(result.outdir.glob("*.tex" if builder == "latex" else "*.texi")).read_text(encoding="utf-8")
    if builder == "latex":
        index = text.split(r"\begin{quotefigindex}")[1]
        assert r"\quotefigindexsource{The Zeta Book}{Zed, 1999}{\detokenize{beta:figure-1}}" in index
        assert r"\quotefigindexnosource{Quotations without a source}{\detokenize{beta:q-2}}" in index
    else:
        assert "* The Zeta Book:" in text and "* Quotations without a source:" in text


def test_index_page_is_written_even_with_nothing_to_list(project):
    src = project(**{"conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\n', "index.md": "# T\n\nSee {ref}`quote-index`.\n"})
    result = build_project(src)
    assert result.warning_lines() == []
    assert result.html().find("a", href="quote-index.html") is not None
    page = result.html("quote-index")
    assert page.find("p", class_="quote-index-empty").get_text() == "No quotations yet."
    # LaTeX leaves an empty index out of the book.
    latex = build_project(src, "latex")
    assert "Citation index" not in next(latex.outdir.glob("*.tex")).read_text(encoding="utf-8")


def test_source_named_inside_a_quote_shows_its_title_in_json_and_index(project):
    import json

    src = project(
        **{
            "conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\n',
            "index.rst": "T\n=\n\n.. quote::\n   :name: omit\n\n   Omit \\*needless\\* words, says :quote-source:`strunk`.\n\n"
            ".. toctree::\n\n   other\n",
            "other.md": "# Other\n\n```{quote-source} strunk\n:title: The Elements of Style\n```\n",
        }
    )
    result = build_project(src)
    assert result.warning_lines() == []
    text = "Omit *needless* words, says The Elements of Style."
    assert [q["text"] for q in json.loads(result.text("quotes.json"))["quotes"]] == [text]
    assert text in result.html("quote-index").select_one(".quote-index-quote").get_text()
    assert "\ue000" not in result.text("index.html")


def _inventory_titles(outdir):
    """label -> display title, from ``objects.inv``."""
    found = {}
    for line in inventory_text((outdir / "objects.inv").read_bytes()).splitlines():
        match = re.fullmatch(r"(.+?)\s+std:label\s+-?\d+\s+(\S*)\s+(.*)", line)
        if match:
            found[match[1]] = match[3]
    return found


def test_ref_to_a_quote_shows_the_title_of_a_source_its_opening_links(project):
    src = project(
        **{
            "conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\nnumfig = True\n',
            "index.rst": "T\n=\n\n.. quote::\n   :name: omit\n\n   Omit words, says :quote-source:`strunk and white`."
            " And then some more words after.\n\n.. toctree::\n\n   other\n   refs\n",
            "other.md": "# Other\n\n```{quote-source} strunk and white\n:title: The Elements of Style\n```\n",
            "refs.md": "# Refs\n\nSee {ref}`omit` and {numref}`Q{name} <omit>`.\n",
        }
    )
    result = build_project(src)
    assert result.warning_lines() == []
    opening = "Omit words, says The Elements of Style. And then some more\u2026"
    refs = result.html("refs")
    assert refs.select_one("span.std-ref").get_text() == opening
    assert refs.select_one("span.std-numref").get_text() == "Q" + opening
    assert _inventory_titles(result.outdir)["omit"] == opening
    assert "\x00" not in result.text("refs.html") and "\x00" not in result.text("index.html")

    # Retitling the source on another page rewrites the page that only links to the quote.
    (src / "other.md").write_text("# Other\n\n```{quote-source} strunk and white\n:title: Style\n```\n", encoding="utf-8")
    again = build_project(src, freshenv=False)
    assert again.warning_lines() == []
    assert again.html("refs").select_one("span.std-ref").get_text() == "Omit words, says Style. And then some more\u2026"
    assert _inventory_titles(again.outdir)["omit"] == "Omit words, says Style. And then some more\u2026"


def test_ref_title_keeps_a_source_key_with_spaces_whole():
    from docutils import nodes
    from sphinx import addnodes

    from sphinx_quotefig import nodes as qnodes

    link = addnodes.pending_xref("", refdomain="quote", reftype="source", reftarget="a b c d e f g h i")
    figure = qnodes.quote_figure("", qnodes.quote_body("", nodes.paragraph("", "", link, nodes.Text(" then more words"))))
    title = qnodes.quote_title(figure)
    assert qnodes.with_source_titles(title, {"a b c d e f g h i": _Titled("Title")}) == "Title then more words"


class _Titled:
    def __init__(self, title: str) -> None:
        self.display_title = title


def test_index_page_markup_is_what_the_html_writer_makes_of_the_embedded_listing(project):
    """The standalone page's listing is written as strings (it may list 10^5
    quotations); it must be the HTML writer's rendering of the listing the
    ``quote-index`` directive embeds, but for the page's ids and letter bar."""
    hostile = "<b>&amp; \"quoted\" 'single' @ \u05e2\u05d1\u05e8\u05d9\u05ea</b>"
    declarations = "".join(
        f"```{{quote-source}} s{n}\n:title: {chr(65 + n)} {hostile if n == 3 else 'Title'}\n:author: A{n}\n:year: 19{n}0\n"
        f":url: https://example.org/{n}?a=1&b=2\n```\n\n```{{quote}}\n:page: {n + 1}\n\nWords {n} {hostile}.\n```\n\n"
        for n in range(11)
    )
    src = project(
        **{
            "conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\n'
            'quotefig_sources = {"conf-only": {"title": "1984"}, "c2": {"title": "Quoted, conf only"}}\n',
            "index.md": "# T\n\n```{quote}\nNo source.\n```\n\n{q}`inline <c2, xii>`\n\n" + declarations
            + "```{toctree}\nlisting\n```\n",
            "listing.md": "# Listing\n\n```{quote-index}\n```\n",
        }
    )
    result = build_project(src)
    assert result.warning_lines() == []
    page = result.html("quote-index").select_one("div.quote-index")
    bar = page.select_one("p.quote-index-letters")
    assert bar is not None
    bar.next_sibling.extract()  # its line break
    bar.decompose()
    for tag in page.find_all(id=True):
        del tag["id"]
    embedded = result.html("listing").select_one("div.quote-index")
    # The embedded listing links to the same pages from a page beside index.html.
    assert str(page) == str(embedded)
    assert len(page.select("li")) == 13


@pytest.mark.parametrize("title", ["\u200f", " ;sub-entry"])
def test_a_source_title_sphinx_cannot_file_in_genindex_falls_back_to_its_key(project, title):
    """Sphinx files a general index entry under its first character once
    whitespace and a right-to-left mark are stripped (the part before a
    ";"); with none left, it crashed the build."""
    src = project(
        **{
            "conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\n',
            "index.md": f"# Home\n\n```{{quote-source}} odd\n:title: {title}\n```\n\n```{{quote}}\n:source: odd\n\nWords.\n```\n",
        }
    )
    result = build_project(src)
    assert ">odd<" in result.text("genindex.html")

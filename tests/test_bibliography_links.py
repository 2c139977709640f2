"""Links from a quote's citation, a source's reference line and the
citation index to the source's entry in a ``{bibliography}`` of
sphinxcontrib-bibtex: where they point, that they follow the entry when it
moves (incremental builds as clean ones, parallel as serial), LaTeX, and
nothing for a source no bibliography lists."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_project, copy_root

pytest.importorskip("pybtex")
pytest.importorskip("sphinxcontrib.bibtex")

#: Added to the bibtex root: an inline quotation naming its source, the
#: source's reference line, and a page showing only the citation index.
LIBERTY_MORE = """
He wrote {q}`the only freedom which deserves the name <mill-1859, p. 3>` once.

```{quote-source} mill-1859
```
"""
LISTING = "# Listing\n\n```{quote-index}\n```\n"


def bibtex_project(dest: Path) -> Path:
    src = copy_root("bibtex", dest)
    with (src / "liberty.md").open("a", encoding="utf-8") as stream:
        stream.write(LIBERTY_MORE)
    (src / "listing.md").write_text(LISTING, encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("references\n```", "references\nlisting\n```"), encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    return build_project(bibtex_project(tmp_path_factory.mktemp("linked") / "src"), warningiserror=True)


def page(outdir: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / name).read_text(encoding="utf-8"), "html.parser")


def markers(soup: BeautifulSoup, within: str) -> list:
    """The bibliography markers inside the elements *within* selects."""
    return [marker for element in soup.select(within) for marker in element.select("span.quote-bibliography")]


def followed(outdir: Path, from_page: str, link) -> object:
    """The element *link* (an ``<a>`` on *from_page*) points at."""
    target_page, _hash, anchor = link["href"].partition("#")
    target = page(outdir, str(Path(from_page).parent / target_page) if target_page else from_page)
    return target.find(id=anchor)


def assert_links_to_entry(outdir: Path, from_page: str, marker, label: str) -> None:
    """*marker* is ``[label]`` linked to the bibliography's entry with that label."""
    assert marker.get_text() == f"[{label}]"
    entry = followed(outdir, from_page, marker.a)
    assert entry is not None, marker.a["href"]
    assert "citation" in entry["class"] and entry.find(class_="label").get_text() == f"[{label}]"


def test_a_quote_s_citation_links_to_its_entry_in_the_bibliography(linked):
    liberty = page(linked.outdir, "liberty.html")
    figure = liberty.find("figure", class_="quote")
    # The seed's footer > cite is as it was; the marker follows it.
    assert figure.select_one("footer > cite").get_text() == "On Liberty, ch. 1"
    (marker,) = markers(liberty, "figure.quote footer")
    assert_links_to_entry(linked.outdir, "liberty.html", marker, "Mil59")
    assert figure.footer.get_text() == "On Liberty, ch. 1 [Mil59]"
    # The inline quotation's citation, inside its parentheses.
    citation = liberty.find("q").find_next_sibling("span", class_="quote-citation")
    assert citation.get_text() == "(On Liberty, pg 3 [Mil59])"
    assert_links_to_entry(linked.outdir, "liberty.html", citation.find("span", class_="quote-bibliography"), "Mil59")


def test_a_figcaption_citation_ends_with_the_marker(tmp_path):
    built = build_project(bibtex_project(tmp_path / "src"), confoverrides={"quotefig_markup": "figcaption"})
    caption = page(built.outdir, "liberty.html").find("figcaption", class_="quote-attribution")
    assert caption.get_text() == "\u2014\u00a0John Stuart Mill, On Liberty, ch. 1 [Mil59]"
    assert caption.find("cite").get_text() == "On Liberty"
    assert_links_to_entry(built.outdir, "liberty.html", caption.find("span", class_="quote-bibliography"), "Mil59")


def test_a_source_s_reference_line_links_to_its_entry_and_keeps_its_title_link(linked):
    line = page(linked.outdir, "liberty.html").find("p", class_="quote-source")
    (marker,) = line.select("span.quote-bibliography")
    assert_links_to_entry(linked.outdir, "liberty.html", marker, "Mil59")
    assert line.get_text().endswith("London: John W. Parker and Son. [Mil59]")


@pytest.mark.parametrize("name", ["quote-index.html", "listing.html"], ids=["index-page", "embedded-listing"])
def test_the_citation_index_heading_links_to_the_entry_in_the_bibliography(linked, name):
    listing = page(linked.outdir, name)
    headings = {h.find("strong").get_text(): h for h in listing.find_all("p", class_="quote-index-heading")}
    mill = headings["Mill, John Stuart (1859)"]
    (marker,) = mill.select("span.quote-bibliography")
    assert_links_to_entry(linked.outdir, name, marker, "Mil59")
    # After the reference, before the count.
    assert marker.find_next_sibling("span")["class"] == ["quote-index-count"]


def test_quotes_json_gives_the_entry_s_url_for_a_listed_source_only(linked):
    sources = {s["key"]: s for s in json.loads((linked.outdir / "quotes.json").read_text(encoding="utf-8"))["sources"]}
    entry = followed(linked.outdir, "index.html", {"href": sources["mill-1859"]["bibliography"]})
    assert entry is not None and entry.find(class_="label").get_text() == "[Mil59]"
    assert "bibliography" not in sources["strunk-1918"]


def test_a_source_no_bibliography_lists_has_no_marker_and_no_warning(linked):
    # strunk-1918 is in refs.bib but never {cite}d: the bibliography leaves it out.
    index = page(linked.outdir, "index.html")
    assert str(index.find("figure", class_="quote").footer) == "<footer><cite>The Elements of Style, Rule 13</cite></footer>"
    headings = page(linked.outdir, "quote-index.html").find_all("p", class_="quote-index-heading")
    strunk = next(h for h in headings if "Strunk" in h.get_text())
    assert strunk.select("span.quote-bibliography") == []
    assert linked.warning_lines() == []


def test_without_sphinxcontrib_bibtex_or_a_bibliography_the_output_is_unchanged(tmp_path):
    """The same quotations and sources, with sphinxcontrib-bibtex loaded but
    no ``{bibliography}``, and without it: the same pages and quotes.json."""
    files = {
        "index.md": "# Home\n\n```{toctree}\nliberty\n```\n\n```{quote-index}\n```\n",
        "liberty.md": "# Liberty\n\n```{quote}\n:source: mill-1859\n:locator: ch. 1\n\nThe only freedom.\n```\n"
        + LIBERTY_MORE,
    }
    outputs = []
    for name, extensions in (("plain", '"myst_parser", "sphinx_quotefig"'), ("both", '"myst_parser", "sphinxcontrib.bibtex", "sphinx_quotefig"')):
        src = tmp_path / name
        src.mkdir()
        shutil.copyfile(Path(__file__).parent / "roots" / "bibtex" / "refs.bib", src / "refs.bib")
        for file, text in files.items():
            (src / file).write_text(text, encoding="utf-8")
        (src / "conf.py").write_text(
            f"extensions = [{extensions}]\nbibtex_bibfiles = ['refs.bib']\nquotefig_bibliography = ['refs.bib']\n"
        )
        built = build_project(src, warningiserror=True)
        outputs.append(
            [str(page(built.outdir, f).find(attrs={"role": "main"})) for f in ("index.html", "liberty.html", "quote-index.html")]
            + [(built.outdir / "quotes.json").read_text(encoding="utf-8")]
        )
    assert outputs[0] == outputs[1]
    assert "quote-bibliography" not in "".join(outputs[0])


def test_a_footbibliography_is_not_linked_to(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copyfile(Path(__file__).parent / "roots" / "bibtex" / "refs.bib", src / "refs.bib")
    (src / "conf.py").write_text('extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_quotefig"]\nbibtex_bibfiles = ["refs.bib"]\n')
    (src / "index.md").write_text(
        "# Home\n\nMill {footcite:p}`mill-1859`.\n\n```{quote}\n:source: mill-1859\n\nThe only freedom.\n```\n\n```{footbibliography}\n```\n",
        encoding="utf-8",
    )
    built = build_project(src, warningiserror=True)
    index = page(built.outdir, "index.html")
    assert index.select("aside.footnote, .footnote") and index.select("figure.quote")
    assert not index.select("span.quote-bibliography")
    sources = {s["key"]: s for s in json.loads((built.outdir / "quotes.json").read_text(encoding="utf-8"))["sources"]}
    assert "bibliography" not in sources["mill-1859"]


# -- exactness -------------------------------------------------------------------

REFERENCES = "# References\n\n```{bibliography}\n```\n"
#: Edits of the bibliography's page and what they do to the entry's link.
EDITS = {
    # A citation before the bibliography takes an id: the entries' ids
    # shift, and strunk-1918, cited now, is listed.
    "ids-shift": {"references.md": "# References\n\nSee also {cite:p}`strunk-1918`.\n\n```{bibliography}\n```\n"},
    # The bibliography moves to another page.
    "moved": {
        "references.md": "# References\n\nNone here.\n",
        "listing.md": LISTING + "\n" + REFERENCES.replace("# References\n", "## Works\n"),
    },
    "removed": {"references.md": "# References\n\nNone here.\n"},
}
PAGES = ("index.html", "liberty.html", "references.html", "listing.html", "quote-index.html", "quotes.json")


def outputs(outdir: Path) -> dict[str, str]:
    return {name: (outdir / name).read_text(encoding="utf-8") for name in PAGES}


def hrefs(outdir: Path) -> list[str]:
    return [marker.a["href"] for name in PAGES[:-1] for marker in page(outdir, name).select("span.quote-bibliography")]


@pytest.mark.parametrize(
    ("edit", "quotefig_first"), [(edit, False) for edit in EDITS] + [("ids-shift", True)], ids=[*EDITS, "quotefig-loaded-first"]
)
def test_an_incremental_build_after_the_bibliography_page_changes_equals_a_clean_one(tmp_path, edit, quotefig_first):
    src = bibtex_project(tmp_path / "src")
    if quotefig_first:  # the entries are still taken once sphinxcontrib-bibtex has placed them
        conf = src / "conf.py"
        conf.write_text(conf.read_text().replace('"sphinxcontrib.bibtex", "sphinx_quotefig"', '"sphinx_quotefig", "sphinxcontrib.bibtex"'))
    first = build_project(src)
    before = hrefs(first.outdir)
    assert before
    for name, text in EDITS[edit].items():
        (src / name).write_text(text, encoding="utf-8")
    again = build_project(src, freshenv=False)
    clean_src = shutil.copytree(src, tmp_path / "clean", ignore=shutil.ignore_patterns("_build"))
    clean = build_project(Path(clean_src))
    assert hrefs(clean.outdir) != before  # the edit moved the links
    incremental, expected = outputs(again.outdir), outputs(clean.outdir)
    for name in PAGES:
        assert incremental[name] == expected[name], name


def test_a_parallel_build_links_as_a_serial_one(tmp_path):
    serial = build_project(bibtex_project(tmp_path / "serial"))
    parallel = build_project(bibtex_project(tmp_path / "parallel"), parallel=2)
    assert hrefs(serial.outdir)
    assert outputs(parallel.outdir) == outputs(serial.outdir)


# -- LaTeX -----------------------------------------------------------------------


def test_latex_cites_the_bibitem_sphinx_makes_of_the_entry(tmp_path):
    built = build_project(bibtex_project(tmp_path / "src"), "latex", warningiserror=True)
    tex = next(built.outdir.glob("*.tex")).read_text(encoding="utf-8")
    bibitems = dict(re.findall(r"\\bibitem\[([^]]*)\]\{([^}]*)\}", tex))
    cited = re.findall(r"\\sphinxcite\{([^}]*)\}", tex)
    # The quote's citation, the inline quotation's, the reference line, the
    # embedded listing and the citation index at the end.
    assert len(cited) == 5
    assert set(cited) == {bibitems["Mil59"]}
    assert re.search(r"\\quotefigcitation\{\\sphinxtitleref\{On Liberty\}, ch\. 1 .*\\sphinxcite\{", tex)
    assert re.search(r"\\quotefigindexreference\{.*On Liberty.*\\sphinxcite\{references:id\d+\}\}", tex)


# -- Texinfo ---------------------------------------------------------------------


def test_texinfo_links_quotes_to_the_entry_and_labels_it_in_the_citation_index(tmp_path):
    built = build_project(bibtex_project(tmp_path / "src"), "texinfo", warningiserror=True)
    texi = next(built.outdir.glob("*.texi")).read_text(encoding="utf-8")
    entry_node = re.search(r"@anchor\{(\w+)\}@w\{\(Mil59\)\}", texi).group(1)
    marker = f"[@ref{{{entry_node},,Mil59}}]"
    # The quote's citation, the inline quotation's, the reference line, the embedded listing.
    assert f"@center --- @cite{{On Liberty}}, ch. 1 {marker}" in texi
    assert f"(@cite{{On Liberty}}, pg 3 {marker})" in texi
    assert f"Mill, John Stuart (1859). @cite{{On Liberty}}. London: John W. Parker and Son. {marker}\n" in texi
    assert f"@cite{{On Liberty}}. London: John W. Parker and Son. {marker} (2 quotations)" in texi
    # The citation index is a menu: the source's entry names the label as text.
    menu_entry = next(line for line in texi.splitlines() if line.startswith("* Mill@comma{}"))
    assert menu_entry.startswith("* Mill@comma{} John Stuart (1859). On Liberty. London; John W. Parker and Son. [Mil59]:")

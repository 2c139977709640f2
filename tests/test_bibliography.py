"""Sources read from bibliography files (quotefig_bibliography, and
sphinxcontrib-bibtex's bibtex_bibfiles): what each entry becomes, the
warnings about bad input, the cache, and exact incremental builds."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_project, copy_root

pytest.importorskip("pybtex")


@pytest.fixture(scope="module")
def bibliography(tmp_path_factory):
    src = copy_root("bibliography", tmp_path_factory.mktemp("bibliography") / "src")
    return build_project(src, verbosity=1)


def source(built, key):
    return built.app.env.domains["quote"].sources[key].fields()


def test_bibtex_entry_becomes_a_full_reference_with_latex_decoded(bibliography):
    assert source(bibliography, "mueller-2001") == {
        "type": "book",
        "title": "Reading Walden in the UK – a study",
        "title_emphasis": "8:14",
        "authors": "Müller, Jörg and van der Berg, Anna",
        "author": "Jörg Müller and Anna van der Berg",
        "editors": "Doe, Jane",
        "editor": "Jane Doe",
        "publisher": "Gréve",
        "place": "Paris",
        "year": "2001",
        "edition": "2",
        "isbn": "978-0-00-000000-0",
    }


def test_corporate_author_stays_one_name_and_attachments_are_not_the_checked_file(bibliography):
    fields = bibliography.app.env.domains["quote"].sources["mysociety-2015"]
    assert fields.authors == "{mySociety} and Roe, Richard"
    assert fields.author == "mySociety and Richard Roe"
    assert fields.type == "report" and fields.publisher == "An Institute" and fields.place == "London"
    assert fields.file == ""  # the BibTeX file field is JabRef's attachment


def test_crossref_child_inherits_from_its_parent(bibliography):
    fields = source(bibliography, "mueller-2001-ch2")
    assert fields["type"] == "chapter"
    assert fields["author"] == "Jane Doe"
    assert fields["container"] == "Reading Walden in the UK – a study"
    assert fields["publisher"] == "Gréve" and fields["year"] == "2001"
    assert fields["pages"] == "10–20"


def test_biblatex_date_journaltitle_and_number(bibliography):
    fields = source(bibliography, "smith-2019")
    assert fields["year"] == "2019-05-02"
    assert fields["container"] == "Journal of Quotations"
    assert (fields["volume"], fields["issue"], fields["doi"]) == ("3", "4", "10.1000/xyz123")
    assert fields["type"] == "article-journal"


def test_csl_json_item_becomes_a_source(bibliography):
    assert source(bibliography, "zotero-1") == {
        "type": "article-journal",
        "title": "On Quotation & citation",
        "title_emphasis": "3:12",
        "authors": "Beard, Mary and {Classics Collective}",
        "author": "Mary Beard and Classics Collective",
        "container": "Classical Review",
        "year": "2012-05",
        "volume": "7",
        "pages": "1-9",
        "doi": "10.1000/abc",
    }


def test_bad_entries_warn_with_file_and_line_and_the_build_goes_on(bibliography):
    lines = bibliography.warning_lines()
    expected = [
        (r"refs\.bib:\d+: .*'untitled-2020' has no title", "bibliography"),
        (r"refs\.bib:\d+: .*'odd-2021' has the unknown type @strangetype", "bibliography"),
        (r"refs\.bib:\d+: .*'odd-2021': URL scheme 'javascript' is not allowed", "unsafe_url"),
        (r"library\.json:: .*item 2 is not an object with an id", "bibliography"),
        (r"library\.json:: .*item 3 is not an object with an id", "bibliography"),
    ]
    for pattern, subtype in expected:
        assert [line for line in lines if re.search(pattern, line) and f"[quotefig.{subtype}]" in line], pattern
    assert len(lines) == len(expected)
    # The line of the entry, found in the file.
    odd_line = next(n for n, text in enumerate((bibliography.srcdir / "refs.bib").read_text().splitlines(), 1) if "@strangetype" in text)
    assert any(f"refs.bib:{odd_line}:" in line for line in lines)
    # No type: a document, the default.
    assert "type" not in source(bibliography, "untitled-2020") and "type" not in source(bibliography, "odd-2021")


def test_entry_titles_are_escaped_and_unsafe_urls_never_reach_the_page(bibliography):
    page = (bibliography.outdir / "index.html").read_text(encoding="utf-8")
    index = (bibliography.outdir / "quote-index.html").read_text(encoding="utf-8")
    for html in (page, index):
        assert "<script>alert(1)</script>" not in html
        assert "javascript:" not in html
    assert "An Odd One <script>alert(1)</script>" in BeautifulSoup(index, "html.parser").get_text()


def test_the_index_shows_a_key_as_the_title_of_an_untitled_entry(bibliography):
    index = BeautifulSoup((bibliography.outdir / "quote-index.html").read_text(encoding="utf-8"), "html.parser")
    assert "untitled-2020" in index.get_text()


# -- conflicts and bad files ------------------------------------------------------

CONFLICTING_CONF = """
extensions = ["sphinx_quotefig"]
quotefig_sources = {"shared": {"title": "From conf.py"}}
quotefig_bibliography = ["one.bib", "two.json", "missing.bib"]
"""


def bib_project(project, bibliographies, index="Home\n====\n"):
    """A project reading *bibliographies* (file name -> text), in that order."""
    conf = f'extensions = ["sphinx_quotefig"]\nquotefig_bibliography = {list(bibliographies)!r}\n'
    return project(**{"conf.py": conf, "index.rst": index, **bibliographies})


def test_a_key_in_two_places_is_a_source_conflict_naming_both(project):
    src = project(
        **{
            "conf.py": CONFLICTING_CONF,
            "index.rst": "Home\n====\n\n.. quote::\n   :source: shared\n\n   Words.\n\n.. quote::\n   :source: twice\n\n   More.\n",
            "one.bib": "@book{shared, title={From the bib}}\n\n@book{twice, title = {First}}\n",
            "two.json": '[{"id": "twice", "type": "book", "title": "Second"}]',
        }
    )
    built = build_project(src)
    lines = built.warning_lines()
    assert any(
        "'shared' declared twice" in line and "conf.py (quotefig_sources)" in line and "one.bib:1" in line and "[quotefig.source_conflict]" in line
        for line in lines
    ), lines
    assert any("'twice' declared twice" in line and "one.bib:3" in line and "two.json:1" in line for line in lines), lines
    assert any("missing.bib cannot be read" in line and "[quotefig.bibliography]" in line for line in lines), lines
    sources = built.app.env.domains["quote"].sources
    assert sources["shared"].title == "From conf.py" and sources["twice"].title == "First"


def test_a_page_may_give_the_local_copy_of_a_bibliography_source(project):
    src = bib_project(
        project,
        {
                "refs.bib": "@report{report, title = {Report}, file = {:attachment.pdf:PDF}}\n\n@book{book, title = {Book}}\n",
        },
        index="Home\n====\n\n.. quote-source:: report\n   :file: report.pdf\n\n.. quote-source:: book\n   :title: Book\n   :type: book\n   :file: book.pdf\n",
    )
    built = build_project(src)
    assert built.warning_lines() == []
    sources = built.app.env.domains["quote"].sources
    assert (sources["report"].title, sources["report"].type, sources["report"].file) == ("Report", "report", "report.pdf")
    assert (sources["book"].title, sources["book"].file) == ("Book", "book.pdf")


def test_bibtex_syntax_error_names_its_line_and_later_entries_survive(project):
    src = bib_project(
        project,
        {
                "refs.bib": "@book{good, title={Good}}\n\n@book{broken, title = {Broken}, year = {2020}\n\n@book{later, title={Later}}\n",
        },
    )
    built = build_project(src)
    lines = built.warning_lines()
    assert any(re.search(r"refs\.bib:\d+: .*syntax error in line \d+", line) and "[quotefig.bibliography]" in line for line in lines), lines
    assert {"good", "later"} <= set(built.app.env.domains["quote"].sources)


def test_invalid_json_names_its_line_and_column(project):
    src = bib_project(
        project,
        {
                "library.json": '[\n  {"id": "a", "title": "A"},\n  {"id": "b" "title": "B"}\n]\n',
        },
    )
    lines = build_project(src).warning_lines()
    assert any("library.json:3:" in line and "not valid JSON" in line and "column" in line for line in lines), lines


# -- the cache and exact rebuilds ---------------------------------------------------

EXACT_FILES = {
    "conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\nquotefig_bibliography = ["refs.bib"]\n',
    "index.md": "# Home\n\n```{toctree}\nalpha\nbeta\ngamma\n```\n",
    "alpha.md": "# Alpha\n\n```{quote}\n:source: a\n\nWords of A.\n```\n",
    "beta.md": "# Beta\n\n```{quote}\n:source: b\n\nWords of B.\n```\n",
    "gamma.md": "# Gamma\n\nNo quotations.\n",
    "refs.bib": "@book{a, title = {Book A}, year = 2001}\n\n@book{b, title = {Book B}, year = 2002}\n",
}


def written_documents(status: str) -> set[str]:
    return set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\w+)", status))


@pytest.fixture
def built_once(project):
    """EXACT_FILES built once, kept for a second build (a new project for
    each test)."""
    src = project(**EXACT_FILES)
    return src, build_project(src, freshenv=False, verbosity=1)


def test_unchanged_bibliography_is_not_parsed_again(built_once):
    src, first = built_once
    assert "quotefig: bibliography refs.bib parsed (2 entries, 2 of them read anew)" in first.status
    again = build_project(src, freshenv=False, verbosity=1)
    assert "quotefig: bibliography refs.bib unchanged" in again.status
    assert "parsed" not in again.status
    assert "no targets are out of date" in again.status


def test_editing_one_entry_rewrites_exactly_the_pages_showing_it_and_the_index(built_once):
    src, first = built_once
    index_page = first.outdir / "quote-index.html"
    before = index_page.read_text(encoding="utf-8")
    bib = src / "refs.bib"
    bib.write_text(bib.read_text().replace("Book B", "Book B, revised"))
    again = build_project(src, freshenv=False, verbosity=1)
    assert "quotefig: bibliography refs.bib parsed (2 entries, 1 of them read anew)" in again.status
    # index holds the toctree over beta: Sphinx rewrites it itself.
    assert written_documents(again.status) == {"beta", "index"}
    assert "Book B, revised" in BeautifulSoup((again.outdir / "beta.html").read_text(), "html.parser").get_text()
    after = index_page.read_text(encoding="utf-8")
    assert after != before and "Book B, revised" in after


def everything_read(built):
    """Every entry's source fields and every warning, as a build gave them."""
    sources = built.app.env.domains["quote"].sources
    warnings = sorted(line.replace(str(built.srcdir), "SRC") for line in built.warning_lines())
    return {key: sources[key].fields() for key in sources}, warnings


def edited_build_reads_as_a_clean_build(tmp_path, files, edit):
    """Build *files*, apply *edit* (old text, new text) to refs.bib and build
    again; the same project built clean must have read the same. Returns
    the second build's status."""
    conf = 'extensions = ["sphinx_quotefig"]\nquotefig_bibliography = ["refs.bib"]\n'
    src = tmp_path / "incremental"
    src.mkdir()
    for name, text in {"conf.py": conf, "index.rst": "Home\n====\n", **files}.items():
        (src / name).write_text(text, encoding="utf-8")
    build_project(src, freshenv=False)
    bib = src / "refs.bib"
    old, new = edit
    assert old in bib.read_text(encoding="utf-8")
    bib.write_text(bib.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    again = build_project(src, freshenv=False, verbosity=1)
    clean = tmp_path / "clean"
    shutil.copytree(src, clean, ignore=shutil.ignore_patterns("_build"))
    assert everything_read(again) == everything_read(build_project(clean))
    return again.status


@pytest.mark.parametrize(
    ("material", "edit"),
    [
        ("biblatex-examples-excerpt.bib", ("Aks{\\i}n", "Aks{\\i}nn")),
        ("bbt-bunge-library.bib", ("title = {", "title = {Revised: ")),
        ("bbt-name-particles.bib", ("prefix=de, useprefix=false", "prefix=de, useprefix=true")),
    ],
)
def test_a_real_export_edited_reads_as_a_clean_build_and_pybtex_reads_only_the_edited_entry(tmp_path, material, edit):
    status = edited_build_reads_as_a_clean_build(tmp_path, {"refs.bib": (MATERIAL / material).read_text(encoding="utf-8")}, edit)
    assert re.search(r"refs\.bib parsed \(\d+ entries, 1 of them read anew\)", status), status


def test_an_edited_string_macro_reaches_every_entry_using_it(tmp_path):
    bib = '@string{pub = "Old House"}\n@book{a, title = {A}, publisher = pub}\n@book{b, title = {B}, publisher = pub # " Press"}\n@book{c, title = {C}}\n'
    status = edited_build_reads_as_a_clean_build(tmp_path, {"refs.bib": bib}, ("Old House", "New House"))
    assert re.search(r"refs\.bib parsed \(3 entries, [23] of them read anew\)", status), status


@pytest.mark.parametrize(
    ("bib", "warned"),
    [
        # A line inside a value that starts with "@": the file is cut there, so pybtex reads it whole.
        ("@book{a, title = {A},\n  note = {write to\n@home{x, y}}}\n@book{b, title = {B}}\n", None),
        # One key twice, in two pieces.
        ("@book{a, title = {A}}\n@book{A, title = {A again}}\n@book{b, title = {B}}\n", "refs.bib:: WARNING: bibliography refs.bib: repeated bibliography entry: A"),
        ("@book{a, title = {A}\n@book{b, title = {B}}\n", "refs.bib:2: WARNING: bibliography refs.bib: syntax error in line 2: '}' expected"),
    ],
    ids=["at-sign-in-a-value", "duplicate-key", "syntax-error"],
)
def test_a_file_pybtex_must_read_whole_is_read_whole_and_as_a_clean_build(tmp_path, bib, warned):
    edited_build_reads_as_a_clean_build(tmp_path, {"refs.bib": bib}, ("title = {B}", "title = {B, revised}"))
    built = build_project(tmp_path / "clean")
    assert {"a", "b"} <= set(built.app.env.domains["quote"].sources)
    assert [line.split("/")[-1] for line in built.warning_lines()] == ([f"{warned} [quotefig.bibliography]"] if warned else [])


# -- with sphinxcontrib-bibtex -----------------------------------------------------


def body(built, docname):
    return built.html(docname).find(attrs={"role": "main"}) or built.html(docname).body


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "parallel"])
def test_with_sphinxcontrib_bibtex_its_bibfiles_are_sources_and_both_build_with_W(tmp_path, parallel):
    pytest.importorskip("sphinxcontrib.bibtex")
    src = copy_root("bibtex", tmp_path / "src")
    built = build_project(src, parallel=parallel, warningiserror=True, verbosity=1)
    assert built.warning_lines() == []
    # Named in both bibtex_bibfiles and quotefig_bibliography: read once.
    assert built.status.count("quotefig: bibliography refs.bib parsed") == 1
    sources = built.app.env.domains["quote"].sources
    assert sources["mill-1859"].authors == "Mill, John Stuart"
    assert sources["strunk-1918"].author == "William Strunk Jr."
    figure = built.html("liberty").find("figure", class_="quote")
    assert "On Liberty" in figure.get_text()
    # sphinxcontrib-bibtex's own output is there, as it always is.
    assert "Mill" in body(built, "references").get_text()


def test_sphinxcontrib_bibtex_output_is_the_same_without_sphinx_quotefig(tmp_path):
    pytest.importorskip("sphinxcontrib.bibtex")
    with_both = build_project(copy_root("bibtex", tmp_path / "both"))
    alone_src = copy_root("bibtex", tmp_path / "alone")
    conf = alone_src / "conf.py"
    conf.write_text(conf.read_text().replace(', "sphinx_quotefig"]', "]"))
    alone = build_project(alone_src)
    assert str(body(with_both, "references")) == str(body(alone, "references"))
    # The {cite} references in the text, too.
    cited = [str(p) for p in body(with_both, "liberty").find_all("p") if "Mill" in p.get_text()]
    assert cited and cited == [str(p) for p in body(alone, "liberty").find_all("p") if "Mill" in p.get_text()]


def test_without_pybtex_a_bib_file_gives_one_warning_naming_the_extra(project):
    """A Python where pybtex cannot be imported (as without the extra)."""
    import subprocess
    import sys

    src = bib_project(
        project,
        {
                "refs.bib": "@book{a, title = {A}}\n",
                "more.bib": "@book{b, title = {B}}\n",
                "library.json": '[{"id": "c", "title": "C"}]',
        },
        index="Home\n====\n\n.. quote-source:: c\n",
    )
    script = (
        "import sys; sys.modules['pybtex'] = None\n"  # import pybtex fails, as when it is not installed
        "from sphinx.cmd.build import main\n"
        f"sys.exit(main(['-q', '-b', 'html', {str(src)!r}, {str(src / '_build')!r}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 1, warnings
    assert 'pip install "sphinx-quotefig[bibtex]"' in warnings[0] and "[quotefig.bibliography]" in warnings[0]
    # The CSL-JSON file is still read.
    page = BeautifulSoup((src / "_build" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("p", id="source-c").find("cite").get_text() == "C"


# -- real exports (tests/material/bibliographies, see its README) -------------------

MATERIAL = Path(__file__).parent / "material" / "bibliographies"


@pytest.fixture(scope="module")
def real_exports(tmp_path_factory):
    files = sorted(path.name for path in MATERIAL.iterdir() if path.suffix in (".bib", ".json"))
    src = tmp_path_factory.mktemp("material") / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        f"extensions = ['sphinx_quotefig']\nexclude_patterns = ['material']\nquotefig_bibliography = {['material/' + name for name in files]!r}\n", encoding="utf-8"
    )
    (src / "index.rst").write_text("Home\n====\n", encoding="utf-8")
    (src / "material").symlink_to(MATERIAL)
    return build_project(src)


def real(built, key):
    return built.app.env.domains["quote"].sources[key]


def test_real_biblatex_export_accents_emphasis_editors_crossref(real_exports):
    aksin = real(real_exports, "aksin")
    assert aksin.authors.startswith("Aksın, Özge and Türkmen, Hayati and")
    moraux = real(real_exports, "moraux")
    assert (moraux.title, moraux.title_emphasis) == ("Le De Anima dans la tradition grècque", "3:11")
    assert moraux.editors == "Lloyd, G. E. R. and Owen, G. E. L."
    space = real(real_exports, "westfahl:space")  # crossref to westfahl:frontier
    assert (space.type, space.container, space.publisher, space.year) == ("chapter", "Space and Beyond", "Greenwood", "2000")
    assert real(real_exports, "kant:kpv").type == "chapter"
    assert real(real_exports, "angenendt").pages == "431–456, 791–823"
    assert real(real_exports, "pines").publisher == "Harvard University Press"  # an @string macro


def test_real_better_bibtex_exports_names_and_identifiers(real_exports):
    assert real(real_exports, "nationalaeronauticsandspaceadministration").authors == "{National Aeronautics and Space Administration}"
    assert real(real_exports, "degaulle").author == "Charles de Gaulle"
    assert real(real_exports, "king").authors == "King Jr., Martin Luther"
    bunge = real(real_exports, "Bunge-2003-Considerationsdunphilosophe")
    assert bunge.title.startswith("Considérations d'un philosophe sur l'économique")
    assert real(real_exports, "Agassi-1982-Scientificphilosophytoday").editor == "Joseph Agassi and R. S. Cohen"
    assert "&tbm=bks" in real(real_exports, "--__theorytruthinauthor").url


def test_real_zotero_csl_json_exports(real_exports):
    duncan = real(real_exports, "duncan2002")
    assert (duncan.type, duncan.container, duncan.editor, duncan.pages, duncan.isbn) == (
        "chapter", "MediaSport", "Lawrence Wenner", "170–185", "978-0-203-01405-9"
    )
    assert real(real_exports, "iaaf2019").authors == "{IAAF}"
    blair = real(real_exports, "Blair2004")
    assert (blair.title, blair.title_emphasis) == ("Frithuswith (d. 727)", "13:15")
    assert real(real_exports, "Berndt1994").title_emphasis == "43:52 57:69"
    assert real(real_exports, "Adams2001").year == "2014-12-31"  # a date range: its start


def test_real_exports_warn_but_every_file_is_read(real_exports):
    lines = real_exports.warning_lines()
    # biblatex's extended name format, which pybtex cannot read: warned, entry kept.
    assert any("bbt-name-particles.bib" in line and "family=Hakim" in line and "[quotefig.bibliography]" in line for line in lines)
    assert "al-hakim" in real_exports.app.env.domains["quote"].sources
    # At the line of its entry, as every warning about an entry.
    assert any(re.search(r"bbt-name-particles\.bib:1: .*family=Hakim", line) for line in lines), lines
    assert any(re.search(r"bbt-name-particles\.bib:6: .*family=Beauvoir", line) for line in lines), lines
    assert any(re.search(r"bbt-creator-types\.csl\.json:\d+: .*'emptybook' has no title", line) for line in lines)
    assert not [line for line in lines if "unknown type" in line]


def test_bibliography_entries_nobody_uses_are_not_listed(bibliography):
    index = bibliography.html("quote-index")
    ids = {tag.get("id") for tag in index.find_all(id=True)}
    assert any("mueller-2001-ch2" in (i or "") for i in ids)
    # Its crossref parent is quoted nowhere: a library entry, not listed.
    assert not any(i and i.endswith("mueller-2001") for i in ids)
    assert "mueller-2001" not in {source["key"] for source in json.loads(bibliography.text("quotes.json"))["sources"]}


def test_an_entry_with_nothing_readable_is_still_a_source_showing_its_key(project):
    src = bib_project(
        project,
        {
                "refs.bib": "@misc{bare, note = {Only a note}}\n",
        },
        index="Home\n====\n\n.. quote::\n   :source: bare\n\n   Words.\n",
    )
    built = build_project(src)
    lines = built.warning_lines()
    assert len(lines) == 1 and "'bare' has no title" in lines[0], lines
    assert "bare" in built.html("index").find("figure", class_="quote").get_text()

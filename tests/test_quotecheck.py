"""The quotecheck builder: every status, every matching rule, bad files,
reports, the cache, and the same check in HTML builds."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from pdf_factory import Page, make_pdf
from pypdf import PdfWriter
from reportlab.pdfgen import canvas

from conftest import build_project
from sphinx_quotefig.extract import extract

PDFS = Path(__file__).parent / "pdfs"

BODY = [
    # page i, ii: front matter
    Page([["Preface", "This report was written for the council of the town."]], number="i"),
    Page([["Contents", "A roman page holds the summary of findings."]], number="ii"),
    # page 1: two columns, hyphenation, a ligature, a footnote marker
    Page(
        [
            ["The council decided, after long de-", "bate, that the \ufb01nal plan was the best.3 It"],
            ["was well known to all who at-", "tended the meeting in the \u201cold\u201d hall that didn\u2019t close."],
        ],
        head="Annual report",
        number="1",
    ),
    # page 2: a quote runs onto it from page 1; a dash; a composed letter
    Page([["and then the meeting ended\u2014late\u2014in the caf\u00e9 on the square at 9 sharp.", "Nothing else was said."]],
         head="Annual report", number="2"),
]

CONF = """
extensions = ["myst_parser", "sphinx_quotefig"]
quotefig_sources = {
    "report": {"title": "Annual report", "file": "report.pdf"},
    "notes": {"title": "Notes", "file": "notes.txt"},
    "web": {"title": "Web page", "file": "page.html"},
    "book": {"title": "A book", "file": "book.epub"},
    "nofile": {"title": "No file"},
    "scanned": {"title": "Scanned", "file": "scanned.pdf"},
    "notpdf": {"title": "Not a PDF", "file": "notpdf.pdf"},
    "encrypted": {"title": "Encrypted", "file": "encrypted.pdf"},
    "empty": {"title": "Empty", "file": "empty.pdf"},
    "truncated": {"title": "Truncated", "file": "truncated.pdf"},
    "folder": {"title": "A directory", "file": "folder"},
    "missing": {"title": "Missing", "file": "missing.pdf"},
}
"""

#: (label, :page:, text, expected status)
QUOTES = [
    ("verified", "1", "The council decided, after long debate, that the final plan was the best.", "verified"),
    ("hyphen-and-ligature", "1", "long debate, that the \ufb01nal plan", "verified"),
    ("footnote-marker", "1", "was the best. It was well known", "verified"),
    ("second-column", "1", "It was well known to all who attended the meeting", "verified"),
    ("typographic", "1", "in the \"old\" hall that didn't close", "verified"),
    ("first-letter", "1", "the council decided", "verified"),
    ("ellipsis-unicode", "1", "The council decided \u2026 that the final plan", "verified"),
    ("ellipsis-dots", "1", "The council decided ... that the final plan", "verified"),
    ("ellipsis-bracketed", "1", "The council decided [\u2026] that the final plan", "verified"),
    ("ellipsis-parenthesised", "1", "The council decided (...) that the final plan", "verified"),
    ("ellipsis-spaced", "1", "The council decided . . . that the final plan", "verified"),
    ("insertion", "1", "[The plan] was the best", "verified"),
    ("sic", "1", "the final plan [sic] was the best", "verified"),
    ("changed-letter", "1", "[t]he final plan was the best", "verified"),
    ("next-page", "1", "in the old hall that didn't close and then the meeting ended", "verified"),
    ("dash-and-unicode", "2", "the meeting ended -- late -- in the cafe\u0301 on the square", "verified"),
    ("roman-page", "ii", "A roman page holds the summary of findings.", "verified"),
    ("wrong-page", "2", "The council decided, after long debate", "wrong page"),
    ("misquoted", "1", "The council decided, after a short debate, that the final plan was the best.", "misquoted"),
    ("not-found", "1", "Completely different words appear nowhere in this source at all.", "not found"),
    ("pieces-out-of-order", "1", "that the final plan \u2026 The council decided", "misquoted"),
    ("number-is-not-a-marker", "2", "in the caf\u00e9 on the square at sharp", "misquoted"),
]


def scanned_pdf(path: Path) -> None:
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 300, 500, fill=1)
    pdf.showPage()
    pdf.save()


def write_sources(srcdir: Path) -> None:
    make_pdf(srcdir / "report.pdf", BODY, front_matter=2)
    (srcdir / "notes.txt").write_text("First page of notes.\fSecond page: a con\u00adsidered view.\nThe \ufb02oor was \ufb01ne  and\n  wide. The clerk2 wrote it down\u00b3 twice.\n", encoding="utf-8")
    (srcdir / "page.html").write_text(
        "<html><head><title>T</title><script>var hidden = 1;</script></head>"
        "<body><p>Words on the <em>web</em> page.</p></body></html>",
        encoding="utf-8",
    )
    with zipfile.ZipFile(srcdir / "book.epub", "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr(
            "META-INF/container.xml",
            '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf"/></rootfiles></container>',
        )
        book.writestr(
            "OEBPS/content.opf",
            '<package xmlns="http://www.idpf.org/2007/opf"><manifest>'
            '<item id="c1" href="one.xhtml"/><item id="c2" href="two.xhtml"/></manifest>'
            '<spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>',
        )
        book.writestr("OEBPS/one.xhtml", "<html><body><p>Chapter one of the book.</p></body></html>")
        book.writestr("OEBPS/two.xhtml", "<html><body><p>Chapter two ends it.</p></body></html>")
    scanned_pdf(srcdir / "scanned.pdf")
    (srcdir / "notpdf.pdf").write_text("just some text, not a PDF", encoding="utf-8")
    writer = PdfWriter(clone_from=str(srcdir / "report.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(srcdir / "encrypted.pdf", "wb") as stream:
        writer.write(stream)
    (srcdir / "empty.pdf").write_bytes(b"")
    data = (srcdir / "report.pdf").read_bytes()
    (srcdir / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (srcdir / "folder").mkdir()


def quote_block(name: str, page: str, text: str, source: str = "report") -> str:
    return f"```{{quote}}\n:source: {source}\n:page: {page}\n:name: {name}\n\n{text}\n```\n\n"


def index_page() -> str:
    out = ["# Checked\n\n"]
    out += [quote_block(name, page, text) for name, page, text, _ in QUOTES]
    out.append(quote_block("text-second-page", "2", "a considered view", "notes"))
    out.append(quote_block("text-wrong-page", "1", "a considered view", "notes"))
    out.append(quote_block("text-ligatures-whitespace", "2", "The floor was fine and wide.", "notes"))
    out.append(quote_block("text-footnote-markers", "2", "The clerk wrote it down twice.", "notes"))
    out.append("```{quote}\n:source: report\n:locator: the preface\n\nThis report was written for the council\n```\n\n")
    out.append("An inline one: {q}`the final plan was the best <report, 1>` and {q}`Words on the web page <web>` "
               "and {q}`Chapter one of the book. Chapter two <book>` and {q}`no file here <nofile>`.\n\n")
    for key in ("scanned", "notpdf", "encrypted", "empty", "truncated", "folder", "missing"):
        out.append(quote_block(f"bad-{key}", "1", "Any words at all.", key))
    out.append(quote_block("scanned-again", "1", "More words.", "scanned"))
    return "".join(out)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    srcdir = tmp_path_factory.mktemp("quotecheck")
    (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
    (srcdir / "index.md").write_text(index_page(), encoding="utf-8")
    write_sources(srcdir)
    built = build_project(srcdir, "quotecheck")
    records = [json.loads(line) for line in (built.outdir / "output.json").read_text(encoding="utf-8").splitlines()]
    return built, records


def status_of(records, text: str) -> dict:
    return next(r for r in records if r["text"] == text)


@pytest.mark.parametrize(("name", "page", "text", "expected"), QUOTES, ids=[q[0] for q in QUOTES])
def test_each_matching_rule_gives_its_status(checked, name, page, text, expected):
    _, records = checked
    assert status_of(records, text)["status"] == expected


def test_wrong_page_says_where_it_is_in_the_sources_labels(checked):
    built, records = checked
    record = status_of(records, "The council decided, after long debate")
    assert record["found_at"] == "1"
    assert record["locator"] == "2"
    assert "on page 1, not on the cited page 2 [quotefig.wrong_page]" in built.warnings


def test_misquoted_gives_closest_passage_similarity_and_word_difference(checked):
    built, records = checked
    record = status_of(records, QUOTES[18][2])
    assert 0.6 <= record["similarity"] < 1
    assert "[-a short-]" in record["difference"] and "{+long+}" in record["difference"]
    assert "[quotefig.misquote]" in built.warnings


def test_not_found_warns_at_the_quotes_line(checked):
    built, _ = checked
    line = next(line for line in built.warning_lines() if "quotefig.not_found" in line)
    assert "index.md:" in line and "quotation not found in 'report'" in line


def test_plain_text_pages_are_separated_by_form_feeds(checked):
    _, records = checked
    assert [r["status"] for r in records if r["text"] == "a considered view"] == ["verified", "wrong page"]
    # ligatures in the source, and any whitespace (two spaces, a line break)
    assert status_of(records, "The floor was fine and wide.")["status"] == "verified"
    # footnote markers stuck to a word, and superscript
    assert status_of(records, "The clerk wrote it down twice.")["status"] == "verified"


def test_a_free_locator_is_not_a_page_any_page_will_do(checked):
    _, records = checked
    record = status_of(records, "This report was written for the council")
    assert (record["status"], record["found_at"], record["locator"]) == ("verified", "i", "the preface")


def test_inline_quotes_html_and_epub_sources(checked):
    _, records = checked
    inline = {r["text"]: r["status"] for r in records if r["kind"] == "inline"}
    assert inline == {
        "the final plan was the best": "verified",
        "Words on the web page": "verified",
        "Chapter one of the book. Chapter two": "verified",
        "no file here": "unchecked",
    }


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("scanned", "has no text layer"),
        ("notpdf", "is not a PDF"),
        ("encrypted", "is encrypted"),
        ("empty", "is empty"),
        ("truncated", "is not a readable PDF"),
        ("folder", "is a directory"),
        ("missing", "does not exist"),
    ],
)
def test_bad_files_warn_once_per_source_and_the_build_goes_on(checked, key, reason):
    built, records = checked
    lines = [line for line in built.warning_lines() if f"quotations of {key!r}" in line]
    assert len(lines) == 1, lines
    assert reason in lines[0] and "[quotefig.no_text]" in lines[0] and "conf.py:" in lines[0]
    assert {r["status"] for r in records if r["source"] == key} == {"no text"}


def test_reports_and_summary(checked):
    built, records = checked
    assert len(records) == len(QUOTES) + 5 + 4 + 8
    text = built.text("output.txt").splitlines()
    assert len(text) == len(records)
    assert any(line.startswith("index.md:") and "[wrong page] report, 2: quotation found" in line for line in text)
    assert "quotecheck: 24 verified, 2 wrong page, 3 misquoted, 1 not found, 8 no text, 1 unchecked" in built.status
    assert "reading quoted sources" in built.status


def test_extracted_text_is_cached_by_digest_and_a_rerun_is_identical(checked):
    built, records = checked
    digest = hashlib.sha256((built.srcdir / "report.pdf").read_bytes()).hexdigest()
    cache = Path(built.app.doctreedir) / "quotefig-text"
    assert any(path.name.startswith(digest) and path.name.endswith("-3.pickle") for path in cache.iterdir())
    # and what was found of each quotation, for the next run
    assert any(path.name.startswith(digest) and path.name.endswith(".found.pickle") for path in cache.iterdir())
    again = build_project(built.srcdir, "quotecheck", freshenv=False)
    assert (again.outdir / "output.json").read_text(encoding="utf-8").splitlines() == [
        json.dumps(r, ensure_ascii=False) for r in records
    ]


def test_source_file_is_a_dependency_and_never_copied(tmp_path):
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
    (srcdir / "index.md").write_text(quote_block("q", "2", "The council decided", "report"), encoding="utf-8")
    make_pdf(srcdir / "report.pdf", BODY, front_matter=2)
    built = build_project(srcdir, "html", {"quotefig_check_in_html": True})
    assert str(srcdir / "report.pdf") in {str(d) for d in built.app.env.dependencies["index"]}
    assert not list(built.outdir.rglob("*.pdf"))
    assert "quotation found in 'report' on page 1, not on the cited page 2" in built.warnings
    unchanged = build_project(srcdir, "html", {"quotefig_check_in_html": True}, freshenv=False)
    assert "0 added, 0 changed, 0 removed" in unchanged.status
    # A new copy of the source: the page quoting it is read and checked again.
    make_pdf(srcdir / "report.pdf", [BODY[2], BODY[2], BODY[3]])
    changed = build_project(srcdir, "html", {"quotefig_check_in_html": True}, freshenv=False)
    assert "0 added, 1 changed, 0 removed" in changed.status
    assert "quotation found in 'report' on page 1, 2, not on the cited page 2" not in changed.warnings
    assert "quotefig.wrong_page" not in changed.warnings
    quiet = build_project(srcdir, "html")
    assert "quotefig.wrong_page" not in quiet.warnings


@pytest.mark.parametrize(
    ("pdf", "labels", "page", "text", "expected", "found"),
    [
        ("libtasn1.pdf", ["T-1", "T-2", "i", "1", "2"], "3", "This version doesn't handle the REAL type.", "verified", "3"),
        ("libtasn1.pdf", ["T-1", "T-2", "i", "1", "2"], "2", "This version doesn't handle the REAL type.", "wrong page", "3"),
        ("shishi.pdf", ["T-1", "T-2", "i", "ii", "iii"], "xi",
         "The protocol do not include any way to negotiate which checksum mechanisms to use", "verified", "xi"),
    ],
)
def test_real_pdfs_with_page_labels(tmp_path, pdf, labels, page, text, expected, found):
    if not (PDFS / pdf).exists():
        pytest.skip(f"{pdf} is not in tests/pdfs (see tests/pdfs/README.md)")
    assert list(extract(PDFS / pdf).labels[:5]) == labels
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    shutil.copyfile(PDFS / pdf, srcdir / pdf)
    (srcdir / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_quotefig"]\n'
        f'quotefig_sources = {{"manual": {{"title": "Manual", "file": "{pdf}"}}}}\n',
        encoding="utf-8",
    )
    (srcdir / "index.md").write_text(quote_block("q", page, text, "manual"), encoding="utf-8")
    built = build_project(srcdir, "quotecheck")
    record = json.loads((built.outdir / "output.json").read_text(encoding="utf-8"))
    assert (record["status"], record["found_at"]) == (expected, found)


DOCS_EXAMPLES = Path(__file__).parents[1] / "docs" / "examples"


def test_docs_example_the_seed_quotations_against_the_stand_in(tmp_path):
    """The docs' live example: the eight seed quotations verified against
    the stand-in report, and one cited on a wrong page; the report shown in
    the docs is this run's."""
    srcdir = tmp_path / "src"
    (srcdir / "examples").mkdir(parents=True)
    for name in ("seed.md", "checking.md", "report-standin.pdf", "quotecheck-output.txt"):
        shutil.copyfile(DOCS_EXAMPLES / name, srcdir / "examples" / name)
    shutil.copyfile(DOCS_EXAMPLES.parent / "references.bib", srcdir / "references.bib")
    (srcdir / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_quotefig"]\nquotefig_bibliography = ["references.bib"]\n', encoding="utf-8"
    )
    (srcdir / "index.md").write_text(
        "# Index\n\n```{toctree}\nexamples/seed\nexamples/checking\nchecking-quotations\n```\n", encoding="utf-8"
    )
    (srcdir / "checking-quotations.md").write_text("# Checking quotations\n", encoding="utf-8")
    built = build_project(srcdir, "quotecheck")
    assert built.text("output.txt") == (DOCS_EXAMPLES / "quotecheck-output.txt").read_text(encoding="utf-8")
    assert [line.split(": ", 1)[1] for line in built.warning_lines()] == [
        "WARNING: quotation found in 'mysociety-2015' on page 6, not on the cited page 5 [quotefig.wrong_page]"
    ]
    # the console lines the page shows
    assert "reading quoted sources... [100%] examples/report-standin.pdf" in built.status
    assert "quotecheck: 8 verified, 1 wrong page, 0 misquoted, 0 not found, 0 no text, 0 unchecked" in built.status
    shown = (DOCS_EXAMPLES / "checking.md").read_text(encoding="utf-8")
    assert built.warning_lines()[0].replace(str(srcdir), "docs").split(": ", 1)[0] + ":" in shown
    html = build_project(srcdir, "html")
    assert html.warning_lines() == []


def test_docs_stand_in_report_is_what_its_script_makes(tmp_path):
    script = Path(__file__).parents[1] / "scripts" / "make_report_standin.py"
    spec = importlib.util.spec_from_file_location("make_report_standin", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path / "report.pdf")
    made, shipped = extract(tmp_path / "report.pdf"), extract(DOCS_EXAMPLES / "report-standin.pdf")
    assert made == shipped
    assert made.labels[:6] == ("i", "ii", "iii", "iv", "1", "2")


def test_parallel_reading_checks_and_tracks_the_same(tmp_path):
    """Read in parallel, the pages' quoted sources are merged: the same
    report, and every page depends on the file it quotes."""
    outputs = []
    for parallel in (0, 2):
        srcdir = tmp_path / f"src{parallel}"
        srcdir.mkdir()
        (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
        make_pdf(srcdir / "report.pdf", BODY, front_matter=2)
        pages = [f"p{n}" for n in range(8)]
        (srcdir / "index.md").write_text("# Index\n\n```{toctree}\n" + "\n".join(pages) + "\n```\n", encoding="utf-8")
        for n, page in enumerate(pages):
            text, cited = (QUOTES[n][2], QUOTES[n][1]) if n % 2 else ("The council decided", "2")
            (srcdir / f"{page}.md").write_text(f"# {page}\n\n" + quote_block("q", cited, text), encoding="utf-8")
        built = build_project(srcdir, "quotecheck", parallel=parallel)
        outputs.append(built.text("output.txt"))
        assert {
            page for page, files in built.app.env.dependencies.items() if str(srcdir / "report.pdf") in map(str, files)
        } == set(pages)
    assert outputs[0] == outputs[1]
    assert outputs[0].count("[wrong page]") == 4

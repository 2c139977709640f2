"""The PDF, compiled: every quotation, citation, reference and index entry is
set, and every page number in the citation index is the page its quotation
is on.

The project (tests/roots/print) has block and inline quotations (one in a
section title), sources
declared in conf.py (one quoted inline first, one with an accented title),
in a document and by a hidden ``quote-source``, quotations without a source,
and ``{ref}``/``{numref}`` across documents and to quotes in included files
(MyST and rST). It is built with the LaTeX builder and compiled with latexmk
and pdflatex, Sphinx's default engine, as ``make latexpdf`` does; the docs
are compiled with XeLaTeX (``make docs-pdf``).

Needs TeX Live (Debian: texlive-latex-recommended, texlive-latex-extra,
texlive-fonts-recommended, tex-gyre, latexmk) and poppler-utils; skipped with
the reason when they are missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, build_project, copy_root, squash

TOOLS = {
    "latexmk": "latexmk",
    "pdflatex": "texlive-latex-recommended",
    "kpsewhich": "texlive-base",
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
}


def missing_tools() -> str:
    """Why the PDF cannot be made here, or ''."""
    missing = [f"{tool} (Debian: {package})" for tool, package in TOOLS.items() if shutil.which(tool) is None]
    if missing:
        return "needs " + ", ".join(missing)
    # pdflatex with Sphinx's default fonts (TeX Gyre Termes and Heros).
    found = subprocess.run(["kpsewhich", "tgtermes.sty"], capture_output=True, text=True).stdout.strip()
    return "" if found else "needs the TeX Gyre fonts (Debian: tex-gyre)"


#: ``make check-print`` (CI) requires the tools: there a missing one fails.
REQUIRED = os.environ.get("QUOTEFIG_PRINT_TOOLS") == "required"
pytestmark = pytest.mark.skipif(
    bool(missing_tools()) and not REQUIRED, reason=missing_tools() or "TeX is installed"
)


@dataclass
class Pdf:
    pages: list[str]  # the text of each page, as pdftotext reads it
    index_rows: list[tuple[str, str]]  # (entry text, page reference) of the citation index
    log: str
    log_check: subprocess.CompletedProcess

    def printed(self, number: str) -> str:
        """The text of the page printed with *number* (arabic numbering
        starts on the first chapter's first page)."""
        first = next(i for i, text in enumerate(self.pages) if re.search(r"CHAPTER\s+ONE", text))
        return self.pages[first + int(number) - 1]

    def body(self) -> str:
        return squash(" ".join(self.pages))


#: The last line of a row of the index as pdftotext lays it out: its text,
#: leaders (if there is room for them), the page reference set apart.
_ROW_END = re.compile(r"^(?P<text>.*?)(?:(?:\s\.)+\s+|\s{2,})(?P<page>\d+|\?\?)$")


def index_rows(pdf: Path, page: int, width: float, height: float) -> list[tuple[str, str]]:
    """The rows of the two-column index page, each column read on its own."""
    rows: list[tuple[str, str]] = []
    for left in (0, width / 2):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-x", str(int(left)), "-y", "0",
             "-W", str(int(width / 2)), "-H", str(int(height)), str(pdf), "-"],
            capture_output=True, text=True, check=True,
        ).stdout
        pending = ""
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            match = _ROW_END.match(line)
            if match:
                rows.append((squash(f"{pending} {match['text']}"), match["page"]))
                pending = ""
            elif len(line) > 1 and line != "CITATION INDEX":  # not a letter heading or the folio
                pending = f"{pending} {line}"
    return rows


def compile_pdf(root: str, destination: Path) -> tuple[Path, str, subprocess.CompletedProcess]:
    """*root* built with the LaTeX builder and compiled as ``make latexpdf``
    compiles it: the PDF, the LaTeX log, and what check_latex_log.py says."""
    if missing := missing_tools():
        pytest.fail(missing)
    result = build_project(copy_root(root, destination), "latex")
    assert result.warning_lines() == []
    outdir = result.outdir
    tex = next(outdir.glob("*.tex"))
    compiled = subprocess.run(
        ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=outdir, capture_output=True, text=True,
    )
    log_file = tex.with_suffix(".log")
    log = log_file.read_text(encoding="utf-8", errors="replace")
    assert compiled.returncode == 0, log[-3000:]
    log_check = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "check_latex_log.py"), str(log_file)], capture_output=True, text=True
    )
    return tex.with_suffix(".pdf"), log, log_check


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Pdf:
    document, log, log_check = compile_pdf("print", tmp_path_factory.mktemp("print"))
    text = subprocess.run(["pdftotext", str(document), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    info = subprocess.run(["pdfinfo", str(document)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    index_page = next(i for i, page in enumerate(pages) if "CITATION INDEX" in page) + 1
    return Pdf(pages, index_rows(document, index_page, width, height), log, log_check)


def test_latex_log_has_no_undefined_reference_and_no_missing_character(pdf):
    assert pdf.log_check.returncode == 0, pdf.log_check.stdout
    assert "undefined references" not in pdf.log
    assert "Missing character" not in pdf.log


QUOTES = [
    ("There is grandeur in this view of life.", "\u2014 pg 490"),
    ("I went to the woods because I wished to live deliberately.", "\u2014 Walden, pg 90"),
    ("Je pense, donc je suis.", "\u2014 Discours de la m\u00e9thode, 4e partie"),
    ("Whenever I find myself growing grim about the mouth.", "\u2014 Moby-Dick, pg 3"),
    ("Our life is frittered away by detail.", "\u2014 Walden, pg 91"),
    ("No source at all for this one.", ""),
    ("Trust thyself: every heart vibrates to that iron string.", "\u2014 pg 12"),
    ("A foolish consistency is the hobgoblin of little minds.", "\u2014 pg 15"),
]
INLINE = [
    "\u201cendless forms most beautiful\u201d (pg 490)",
    "\u201cCall me Ishmael\u201d (Moby-Dick, pg 1)",
    "\u201ca phrase of nobody\u201d, uncited.",
    "Coda on \u201ca grim mouth\u201d (Moby-Dick, pg 4)",
]


def test_every_quotation_is_set_with_its_citation(pdf):
    body = pdf.body()
    for quote, citation in QUOTES:
        assert squash(f"{quote} {citation}") in body
    for inline in INLINE:
        assert inline in body


def test_references_across_documents_and_into_included_files_print_their_numbers(pdf):
    body = pdf.body()
    assert "??" not in body
    # chapter 1 refers to quotes of chapter 2, one of them in an included file
    assert "Across documents: Quote 2.1 and Whenever I find myself growing grim about the" in body
    assert "From an included file: Quote 2.2 and Our life is frittered away by detail." in body
    assert "In the same file: Quote 2.2 and Our life is frittered away by detail." in body
    assert "Back in There is grandeur in this view of life. (Quote 1.1)" in body
    # rST, included with the include directive
    assert "See Quote 3.2 and A foolish consistency is the hobgoblin of little" in body


#: Each entry of the citation index and the text on the page it refers to.
INDEX = [
    ("Discours de la m\u00e9thode, Ren\u00e9 Descartes, 1637", "Je pense, donc je suis."),
    ("4e partie \u201cJe pense, donc je suis.\u201d", "Je pense, donc je suis."),
    # declared in conf.py, quoted inline first
    ("Moby-Dick, Herman Melville, 1851", "\u201cCall me Ishmael\u201d"),
    ("pg 1 \u201cCall me Ishmael\u201d", "\u201cCall me Ishmael\u201d"),
    ("pg 3 \u201cWhenever I find myself growing grim about the mouth.\u201d", "growing grim about the mouth."),
    # in a section title
    ("pg 4 \u201ca grim mouth\u201d", "Coda on \u201ca grim mouth\u201d (Moby-Dick, pg 4)"),
    # declared in a document: its reference line
    ("On the Origin of Species, Charles Darwin, 1859", "Charles Darwin, On the Origin of Species (1859)"),
    ("pg 490 \u201cThere is grandeur in this view of life.\u201d", "There is grandeur in this view of life."),
    ("pg 490 \u201cendless forms most beautiful\u201d", "endless forms most beautiful"),
    # declared by a hidden quote-source: where it stands
    ("Self-Reliance, Ralph Waldo Emerson, 1841", "Trust thyself"),
    ("pg 12 \u201cTrust thyself: every heart vibrates to that iron string.\u201d", "Trust thyself"),
    ("pg 15 \u201cA foolish consistency is the hobgoblin of little minds.\u201d", "A foolish consistency"),
    ("Walden, Henry David Thoreau, 1854", "I went to the woods"),
    ("pg 90 \u201cI went to the woods because I wished to live deliberately.\u201d", "I went to the woods"),
    ("pg 91 \u201cOur life is frittered away by detail.\u201d", "Our life is frittered away by detail."),
    ("Quotations without a source", "No source at all for this one."),
    ("quotation \u201cNo source at all for this one.\u201d", "No source at all for this one."),
]


def test_citation_index_lists_every_entry_with_the_page_it_is_on(pdf):
    assert [text for text, _page in pdf.index_rows] == [text for text, _on_page in INDEX]
    for (text, page), (_entry, on_page) in zip(pdf.index_rows, INDEX):
        assert page.isdigit(), f"{text}: page {page}"
        assert on_page in squash(pdf.printed(page)), f"{text}: not on page {page}"


@pytest.mark.parametrize("root", ["markup", "index", "seed", "headings", "bibtex"])
def test_other_test_projects_compile_without_undefined_references(root, tmp_path):
    _document, log, log_check = compile_pdf(root, tmp_path)
    assert log_check.returncode == 0, log_check.stdout
    assert "undefined references" not in log

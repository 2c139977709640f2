"""``sphinx-quotefig highlights``: quotes from a PDF's marked passages."""

from __future__ import annotations

import json

import pytest
from pdf_factory import Page, add_highlights, make_pdf

from conftest import build_project
from sphinx_quotefig.cli import main

PAGES = [
    Page([["Foreword", "Front matter on a roman page."]], number="i"),
    Page(
        [
            ["The council decided, after long de-", "bate, that the \ufb01nal plan was best."],
            ["In the second column the clerk", "wrote that the town would grow and"],
        ],
        number="1",
    ),
    Page([["prosper for many years to come.", "Nothing else."]], number="2"),
]


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    srcdir = tmp_path_factory.mktemp("highlights")
    pdf = srcdir / "report.pdf"
    layout = make_pdf(pdf, PAGES, front_matter=1, title="Town report", author="The Clerk")
    add_highlights(pdf, [
        # second column first in the file: reading order must still put it after the first
        (1, [layout.quad(1, "wrote that the town would grow and")], "Underline", ""),
        (1, [layout.quad(1, "after long de-"), layout.quad(1, "bate, that the")], "Highlight", "Why *so* long?"),
        (2, [layout.quad(2, "prosper for many years to come.")], "Squiggly", ""),
        (0, [layout.quad(0, "on a roman page.")], "Highlight", ""),
        (0, [[400, 300, 450, 300, 400, 290, 450, 290]], "Highlight", "nothing under me"),
    ])
    return srcdir


def run(srcdir, capsys, *extra):
    assert main(["highlights", str(srcdir / "report.pdf"), "--source-key", "town",
                 "-o", str(srcdir / "notes.md"), *extra]) == 0
    return (srcdir / "notes.md").read_text(encoding="utf-8"), capsys.readouterr().err


def test_quotes_in_reading_order_with_labels_comments_and_ranges(marked, capsys):
    page, err = run(marked, capsys)
    assert "```{quote-source} town\n:title: Town report\n:author: The Clerk\n:file: report.pdf\n```" in page
    quotes = page.split("```{quote}\n")[1:]
    assert [q.split("\n")[0] for q in quotes] == [":page: i", ":page: 1", ":page: 1-2"]
    assert "\nafter long debate, that the\n```\n\nWhy \\*so\\* long?\n" in quotes[1]
    assert "wrote that the town would grow and prosper for many years to come." in quotes[2]
    assert "page i: highlight with no text under it" in err
    assert "% page i: highlight with no text under it" in page


def test_rst_format(marked, capsys):
    page, _ = run(marked, capsys, "--format", "rst", "--title", "Given title", "--file", "sources/report.pdf")
    assert page.startswith("Given title\n===========\n\n.. quote-source:: town\n   :title: Given title\n")
    assert "   :file: sources/report.pdf\n" in page
    assert ".. quote::\n   :page: 1-2\n\n   wrote that the town" in page


def test_the_page_it_writes_passes_quotecheck(marked, capsys):
    run(marked, capsys)
    (marked / "conf.py").write_text('extensions = ["myst_parser", "sphinx_quotefig"]\n', encoding="utf-8")
    (marked / "index.md").write_text("# Index\n\n```{toctree}\nnotes\n```\n", encoding="utf-8")
    built = build_project(marked, "quotecheck")
    records = [json.loads(line) for line in (built.outdir / "output.json").read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in records] == ["verified"] * 3
    assert "WARNING" not in built.warnings


@pytest.mark.parametrize("content", [None, b"not a PDF at all", b"%PDF-1.4\n1 0 obj"])
def test_a_file_that_is_not_a_readable_pdf_is_an_error_not_a_traceback(tmp_path, capsys, content):
    pdf = tmp_path / "report.pdf"
    if content is not None:
        pdf.write_bytes(content)
    assert main(["highlights", str(pdf), "--source-key", "k"]) == 1
    assert f"cannot read {pdf}" in capsys.readouterr().err

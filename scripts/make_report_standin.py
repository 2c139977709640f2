"""Write docs/examples/report-standin.pdf: a stand-in for the report the
reference design quotes, made from the eight quotations of
docs/examples/seed.md.

Front matter i–iv, then body pages 1–40 with each quoted passage on the page
it is cited from (5, 6, 27, 33, 35, 36 and 38), its left-out words (each
ellipsis) filled with a sentence of the stand-in's own, long words hyphenated
at line ends and "fi"/"fl" set as ligatures, as a typeset report would be.
PDF page labels give the roman and arabic numbers. Needs the ``test`` extra
(ReportLab)::

    .venv/bin/python scripts/make_report_standin.py
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

DOCS = Path(__file__).parents[1] / "docs" / "examples"
SEED_PAGE = DOCS / "seed.md"
OUTPUT = DOCS / "report-standin.pdf"
TITLE = "The Third Sector and Online Citizen Empowerment: the Case of mySociety"
FRONT_MATTER = ["Title page", "Contents", "Foreword", "Executive summary"]
BODY_PAGES = 40
FONT = "Vera"
WIDTH, HEIGHT = 595, 842
_QUOTE = re.compile(r"```\{quote\}\n:page: (\S+)\n\n(.*?)\n```", re.DOTALL)
_ELLIPSIS = re.compile(r"\s*(?:\(\.\.\.\)|…)\s*")
FILLER = "[words the notes left out of the quotation stand here in the report]"


def seed_passages() -> dict[int, list[str]]:
    """Body page -> its paragraphs, every ellipsis filled."""
    pages: dict[int, list[str]] = {}
    for page, body in _QUOTE.findall(SEED_PAGE.read_text(encoding="utf-8")):
        for paragraph in body.split("\n\n"):
            text = _ELLIPSIS.sub(f" {FILLER} ", paragraph.strip())
            pages.setdefault(int(page), []).append(text)
    return pages


def typeset(paragraph: str, width: int = 82) -> list[str]:
    """Lines of a paragraph: a long word that would start a line is broken
    with a hyphen instead; "fi" and "fl" become ligatures."""
    lines: list[str] = []
    for line in textwrap.wrap(paragraph, width):
        if lines and len(lines[-1]) < width - 6:
            word = line.split(" ", 1)[0]
            room = width - len(lines[-1]) - 2
            if len(word) >= 9 and word.isalpha() and room >= 4:
                cut = min(room, len(word) - 3)
                lines[-1] += f" {word[:cut]}-"
                line = word[cut:] + line[len(word):]
        lines.append(line)
    return [line.replace("fi", "\ufb01").replace("fl", "\ufb02") for line in lines]


def main(output: Path = OUTPUT) -> None:
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")))
    passages = seed_passages()
    pdf = canvas.Canvas(str(output), pagesize=(WIDTH, HEIGHT), invariant=1, pageCompression=1)
    pdf.setTitle(TITLE + " (stand-in)")
    pdf.setAuthor("sphinx-quotefig documentation")
    pdf.addPageLabel(0, style="ROMAN_LOWER", start=1)
    pdf.addPageLabel(len(FRONT_MATTER), style="ARABIC", start=1)
    numerals = ["i", "ii", "iii", "iv"]
    sheets = [(numerals[n], [FRONT_MATTER[n]]) for n in range(len(FRONT_MATTER))]
    for number in range(1, BODY_PAGES + 1):
        paragraphs = passages.get(number, [f"Page {number} of the stand-in report quotes nothing here."])
        sheets.append((str(number), paragraphs))
    for label, paragraphs in sheets:
        pdf.setFont(FONT, 8)
        pdf.drawString(60, HEIGHT - 50, TITLE)
        pdf.drawCentredString(WIDTH / 2, 40, label)
        pdf.setFont(FONT, 9.5)
        y = HEIGHT - 90
        for paragraph in paragraphs:
            for line in typeset(paragraph):
                pdf.drawString(60, y, line)
                y -= 13
            y -= 9
        pdf.showPage()
    pdf.save()
    print(f"wrote {output}")


if __name__ == "__main__":
    main()

"""PDFs made for the tests with ReportLab: pages of given lines, in one or
two columns, with page labels (roman front matter, arabic body) and, added
with pypdf, highlight annotations over chosen words.

Lines are drawn exactly as given, so a test decides where a word is
hyphenated at a line end; the text uses Bitstream Vera (shipped with
ReportLab), which has the "ﬁ" ligature glyph, so a ligature reaches the
PDF's text layer as U+FB01 as it does in typeset documents.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import reportlab
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Highlight
from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "Vera"
pdfmetrics.registerFont(TTFont(FONT, os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")))

WIDTH, HEIGHT = 595, 842  # A4 in points
SIZE = 10
LEADING = 14
MARGIN = 60
TOP = HEIGHT - 90


@dataclass
class Page:
    """A page: its columns, each a list of lines; a running head and a
    page number (its label) drawn in the margins."""

    columns: list[list[str]]
    head: str = ""
    number: str = ""


@dataclass
class Layout:
    """Where each line was drawn: (page index, x, baseline y, text)."""

    lines: list[tuple[int, float, float, str]] = field(default_factory=list)

    def quad(self, page: int, words: str) -> list[float]:
        """Quadpoints (x1,y1 top-left, x2,y2 top-right, x3,y3, x4,y4) over
        *words* where they stand on one line of *page*."""
        for index, x, y, text in self.lines:
            if index == page and words in text:
                start = x + pdfmetrics.stringWidth(text[: text.index(words)], FONT, SIZE)
                end = start + pdfmetrics.stringWidth(words, FONT, SIZE)
                top, bottom = y + SIZE * 0.8, y - SIZE * 0.25
                return [start, top, end, top, start, bottom, end, bottom]
        raise ValueError(f"{words!r} is not on one line of page {page}")


def roman(number: int) -> str:
    values = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, numeral in values:
        while number >= value:
            out += numeral
            number -= value
    return out


def make_pdf(
    path: Path,
    pages: list[Page],
    *,
    front_matter: int = 0,
    title: str = "",
    author: str = "",
) -> Layout:
    """Write *pages*; the first *front_matter* are labelled i, ii, …, the
    rest 1, 2, … (PDF page labels). Returns where each line stands."""
    layout = Layout()
    pdf = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT), pageCompression=1)
    if title:
        pdf.setTitle(title)
    if author:
        pdf.setAuthor(author)
    if front_matter:
        pdf.addPageLabel(0, style="ROMAN_LOWER", start=1)
    if front_matter < len(pages):
        pdf.addPageLabel(front_matter, style="ARABIC", start=1)
    column_width = (WIDTH - 2 * MARGIN) / 2
    for index, page in enumerate(pages):
        pdf.setFont(FONT, 8)
        if page.head:
            pdf.drawString(MARGIN, HEIGHT - 50, page.head)
        if page.number:
            pdf.drawCentredString(WIDTH / 2, 40, page.number)
        pdf.setFont(FONT, SIZE)
        for column, lines in enumerate(page.columns):
            x = MARGIN + column * (column_width + 10)
            y = TOP
            for line in lines:
                pdf.drawString(x, y, line)
                layout.lines.append((index, x, y, line))
                y -= LEADING
        pdf.showPage()
    pdf.save()
    return layout


def label_pages(count: int, front_matter: int) -> list[str]:
    return [roman(i + 1) for i in range(front_matter)] + [str(i + 1) for i in range(count - front_matter)]


def add_highlights(path: Path, marks: list[tuple[int, list[list[float]], str, str]]) -> None:
    """Add annotations: (page index, quadpoint lists, subtype, comment);
    subtype is Highlight, Underline or Squiggly."""
    reader = PdfReader(path)
    writer = PdfWriter(clone_from=reader)
    for page, quads, subtype, comment in marks:
        points = [value for quad in quads for value in quad]
        xs, ys = points[0::2], points[1::2]
        rect = (min(xs), min(ys), max(xs), max(ys))
        annotation = Highlight(rect=rect, quad_points=ArrayObject([FloatObject(v) for v in points]))
        annotation[NameObject("/Subtype")] = NameObject("/" + subtype)
        if comment:
            annotation[NameObject("/Contents")] = TextStringObject(comment)
        writer.add_annotation(page_number=page, annotation=annotation)
    with open(path, "wb") as stream:
        writer.write(stream)

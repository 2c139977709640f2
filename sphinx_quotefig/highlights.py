"""``sphinx-quotefig highlights REPORT.pdf --source-key KEY``: the passages
highlighted, underlined or squiggled in a PDF, as a page of quotes.

Each annotation's text is the text under its marked area (its quadpoints),
not its whole lines; its page is the page's label; its comment becomes a
paragraph after the quote. Annotations are taken in the page's reading
order. A passage marked to the end of one page and one marked from the start of
the next (running heads and page numbers aside), with no full stop between,
become one quote with a page range. An
annotation with no text under it is reported on standard error and left as
a comment in the page. Needs the ``pdf`` extra (pypdf and pypdfium2).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import NamedTuple

import pypdfium2 as pdfium
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .cli import PROG

MARKUPS = ("/Highlight", "/Underline", "/Squiggly")
#: PDFium's mark for a hyphen it takes for a line-end word break.
_BREAK_HYPHENS = ("\x02", "\ufffe", "\u00ad")
_SENTENCE_END = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*$")


class Passage(NamedTuple):
    first_page: int
    last_page: int
    order: int  # the character index where it starts, in reading order
    text: str
    comment: str
    #: Characters of its last page after it (a running foot, a page number).
    left_after: int = 0


def quad_boxes(points: list[float]) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of each quadrilateral."""
    boxes = []
    for start in range(0, len(points) - 7, 8):
        xs, ys = points[start : start + 8 : 2], points[start + 1 : start + 8 : 2]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def join_pieces(pieces: list[str]) -> str:
    """Lines of marked text as one: a line-end hyphen joins its word."""
    text = ""
    for piece in pieces:
        piece = piece.replace("\r\n", " ").replace("\n", " ").strip()
        if not piece:
            continue
        if text.endswith(_BREAK_HYPHENS):
            text = text[:-1] + piece
        elif text:
            text += " " + piece
        else:
            text = piece
    for mark in _BREAK_HYPHENS:
        text = text.replace(mark, "")
    return " ".join(text.split())


def read_passages(path: Path) -> tuple[list[Passage], list[str], list[str]]:
    """The marked passages in reading order, the page labels, and the
    problems found (annotations with no text)."""
    reader = PdfReader(path)
    document = pdfium.PdfDocument(str(path))
    labels = [document.get_page_label(i) or str(i + 1) for i in range(len(document))]
    passages: list[Passage] = []
    problems: list[str] = []
    for number, page in enumerate(reader.pages):
        annotations = page.get("/Annots")
        if not annotations:
            continue
        textpage = document[number].get_textpage()
        found = []
        for reference in annotations.get_object():
            annotation = reference.get_object()
            kind = annotation.get("/Subtype")
            if kind not in MARKUPS:
                continue
            boxes = quad_boxes([float(v) for v in annotation.get("/QuadPoints", [])])
            pieces = [textpage.get_text_bounded(*box) for box in boxes]
            text = join_pieces(pieces)
            comment = str(annotation.get("/Contents", "") or "").strip()
            if not text:
                problems.append(f"page {labels[number]}: {kind[1:].lower()} with no text under it")
                continue
            order = _char_at(textpage, boxes[0], 0.02)
            end = _char_at(textpage, boxes[-1], 0.98)
            left_after = textpage.count_chars() - end if end >= 0 else 1 << 30
            found.append(Passage(number, number, order if order >= 0 else 1 << 30, text, comment, left_after))
        passages.extend(sorted(found, key=lambda p: p.order))
        textpage.close()
    document.close()
    return merge_across_pages(passages), labels, problems


def _char_at(textpage: pdfium.PdfTextPage, box: tuple[float, float, float, float], across: float) -> int:
    """The index of the character at *across* (0 to 1) of the box's width."""
    left, bottom, right, top = box
    return textpage.get_index(left + (right - left) * across, (bottom + top) / 2, 3, (top - bottom) / 2 + 1)


#: A passage "ends its page" when at most this many characters follow it
#: (a page number, a running foot), and "starts its page" when at most this
#: many precede it (a running head).
PAGE_MARGIN_CHARS = 80


def merge_across_pages(passages: list[Passage]) -> list[Passage]:
    """A page's last passage that does not end a sentence, followed by the
    next page's first passage, is one passage."""
    merged: list[Passage] = []
    for passage in passages:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and passage.first_page == previous.last_page + 1
            and not _SENTENCE_END.search(previous.text)
            and previous.left_after <= PAGE_MARGIN_CHARS
            and passage.order <= PAGE_MARGIN_CHARS
            and passage is _first_on_page(passages, passage.first_page)
        ):
            comment = "\n\n".join(c for c in (previous.comment, passage.comment) if c)
            merged[-1] = Passage(
                previous.first_page, passage.last_page, previous.order,
                f"{previous.text} {passage.text}", comment, passage.left_after,
            )
        else:
            merged.append(passage)
    return merged


def _first_on_page(passages: list[Passage], page: int) -> Passage | None:
    return next((p for p in passages if p.first_page == page), None)


# -- writing -----------------------------------------------------------------

_MYST_SPECIAL = re.compile(r"([\\`*_\[\]<>{}#|~$!])")
_RST_SPECIAL = re.compile(r"([\\`*_|])")
_LIST_START = re.compile(r"^(\d+)([.)])|^([-+])(?=\s)")


def escape(text: str, syntax: str) -> str:
    text = (_MYST_SPECIAL if syntax == "myst" else _RST_SPECIAL).sub(r"\\\1", text)
    return _LIST_START.sub(lambda m: (m[1] + "\\" + m[2]) if m[1] else "\\" + m[3], text)


def page_locator(passage: Passage, labels: list[str]) -> str:
    first, last = labels[passage.first_page], labels[passage.last_page]
    return first if first == last else f"{first}-{last}"


def render(passages: list[Passage], labels: list[str], key: str, fields: dict[str, str], problems: list[str], syntax: str) -> str:
    title = fields.get("title") or key
    out: list[str] = []
    if syntax == "myst":
        out += [f"# {escape(title, syntax)}", "", f"```{{quote-source}} {key}"]
        out += [f":{name}: {value}" for name, value in fields.items() if value]
        out += ["```", ""]
        out += [f"% {problem}" for problem in problems]
        for passage in passages:
            out += ["```{quote}", f":page: {page_locator(passage, labels)}", "", escape(passage.text, syntax), "```", ""]
            if passage.comment:
                out += [escape(passage.comment, syntax), ""]
    else:
        heading = escape(title, syntax)
        out += [heading, "=" * max(len(heading), 3), "", f".. quote-source:: {key}"]
        out += [f"   :{name}: {value}" for name, value in fields.items() if value]
        out += [""]
        out += [f".. {problem}" for problem in problems]
        if problems:
            out += [""]
        for passage in passages:
            out += [".. quote::", f"   :page: {page_locator(passage, labels)}", "", "   " + escape(passage.text, syntax), ""]
            if passage.comment:
                out += [escape(passage.comment, syntax), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} highlights",
        description="Write a page of quotes from the highlighted, underlined and squiggled passages of a PDF.",
    )
    parser.add_argument("pdf", type=Path, help="the annotated PDF")
    parser.add_argument("--source-key", required=True, help="the key of the quote-source it declares")
    parser.add_argument("--title", help="the source's title (default: the PDF's)")
    parser.add_argument("--author", help="the source's author (default: the PDF's)")
    parser.add_argument("--year", help="the source's year")
    parser.add_argument("--file", dest="file_path", help="the :file: path, relative to the Sphinx source directory "
                        "(default: the PDF's path relative to the output file's directory)")
    parser.add_argument("-o", "--output", type=Path, help="write here (default: standard output)")
    parser.add_argument("--format", choices=("myst", "rst"), default="myst")
    args = parser.parse_args(argv[1:])
    try:
        passages, labels, problems = read_passages(args.pdf)
        metadata = PdfReader(args.pdf).metadata or {}
    except (OSError, pdfium.PdfiumError, PyPdfError, ValueError) as exc:
        print(f"{PROG} highlights: cannot read {args.pdf}: {exc}", file=sys.stderr)
        return 1
    file_path = args.file_path
    if file_path is None:
        base = args.output.parent if args.output else Path.cwd()
        file_path = os.path.relpath(args.pdf.resolve(), base.resolve())
    fields = {
        "title": args.title or str(metadata.get("/Title", "") or "").strip(),
        "author": args.author or str(metadata.get("/Author", "") or "").strip(),
        "year": args.year or "",
        "file": Path(file_path).as_posix(),
    }
    for problem in problems:
        print(f"{PROG} highlights: {args.pdf}: {problem}", file=sys.stderr)
    page = render(passages, labels, " ".join(args.source_key.split()), fields, problems, args.format)
    if args.output:
        args.output.write_text(page, encoding="utf-8")
    else:
        sys.stdout.write(page)
    print(f"{PROG} highlights: {len(passages)} quote(s) from {args.pdf}", file=sys.stderr)
    return 0

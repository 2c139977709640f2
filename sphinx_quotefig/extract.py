"""The text of a source's local copy, page by page, with the pages' labels.

One job: turn a file into :class:`SourceText`. PDF (through PDFium, the
``pdf`` extra), plain text (a form feed starts a new page) and HTML or EPUB
(one page: they have none). Anything that cannot be read raises
:class:`ExtractError` with a message a writer understands; a file whose
pages hold no text at all (a scanned PDF) is a :class:`SourceText` whose
:attr:`~SourceText.has_text` is false.
"""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from xml.etree import ElementTree

from .diagnostics import __

#: Bump when the extracted text of some file would change, so that cached
#: texts made by an older extractor are not used.
EXTRACTOR_VERSION = "1"

PDF_SUFFIXES = frozenset({".pdf"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
EPUB_SUFFIXES = frozenset({".epub"})


class ExtractError(Exception):
    """A file that cannot be read as a source's text (the message says why)."""


class MissingExtra(ExtractError):
    """The optional dependency that reads this kind of file is not installed."""


class SourceText(NamedTuple):
    """A source's pages: ``labels[i]`` is what a reader calls page ``i``
    (``iv``, ``27``), ``pages[i]`` its text, lines separated by ``\\n``."""

    labels: tuple[str, ...]
    pages: tuple[str, ...]

    @property
    def has_text(self) -> bool:
        return any(page.strip() for page in self.pages)


def extract(path: Path) -> SourceText:
    """The text of the file at *path*, by its kind (its suffix, and for a
    file that starts like a PDF, its content)."""
    data = read_bytes(path)
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES or data.startswith(b"%PDF-"):
        return extract_pdf(path, data)
    if suffix in EPUB_SUFFIXES:
        return extract_epub(path)
    if suffix in HTML_SUFFIXES:
        return one_page(html_text(decode(data, path)))
    return plain_text(decode(data, path))


def read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise ExtractError(__("file %s does not exist") % path)
    if path.is_dir():
        raise ExtractError(__("%s is a directory, not a file") % path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(__("cannot read %s: %s") % (path, exc.strerror or exc)) from exc
    if not data.strip():
        raise ExtractError(__("file %s is empty") % path)
    return data


def decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractError(__("%s is not UTF-8 text (byte %d)") % (path, exc.start)) from exc


def one_page(text: str) -> SourceText:
    return SourceText(("1",), (text,))


def plain_text(text: str) -> SourceText:
    """Form feeds separate pages, numbered from 1; none: one page."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = tuple(text.split("\f"))
    return SourceText(tuple(str(n) for n in range(1, len(pages) + 1)), pages)


# -- PDF -------------------------------------------------------------------

#: PDFium marks a hyphen it takes for a word broken at a line end with
#: U+FFFE (some versions U+0002); a soft hyphen says the same.
_PDFIUM_BREAK_HYPHEN = re.compile("[\ufffe\x02]")


def extract_pdf(path: Path, data: bytes) -> SourceText:
    """Each page's text in PDFium's reading order, and each page's label
    (``/PageLabels``; the page's number from 1 where the file has none)."""
    try:
        import pypdfium2 as pdfium
    except ModuleNotFoundError as exc:
        raise MissingExtra(
            __("reading PDF needs the 'pdf' extra: pip install 'sphinx-quotefig[pdf]' (missing: %s)") % exc.name
        ) from exc
    if not data.startswith(b"%PDF-"):
        raise ExtractError(__("%s is not a PDF (it does not start with %%PDF-)") % path)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise ExtractError(__("%s is encrypted (it needs a password)") % path) from exc
        raise ExtractError(__("%s is not a readable PDF (%s); is it truncated?") % (path, reason)) from exc
    labels: list[str] = []
    pages: list[str] = []
    try:
        for number in range(len(document)):
            page = document[number]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
            except pdfium.PdfiumError:
                text = ""
            finally:
                page.close()
            labels.append(document.get_page_label(number) or str(number + 1))
            pages.append(_PDFIUM_BREAK_HYPHEN.sub("\u00ad", text).replace("\r\n", "\n").replace("\r", "\n"))
    finally:
        document.close()
    if not pages:
        raise ExtractError(__("%s has no pages") % path)
    return SourceText(tuple(labels), tuple(pages))


# -- HTML and EPUB ---------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)
_SKIPPED_TAGS = frozenset({"script", "style", "template", "head", "title"})


class _TextCollector(HTMLParser):
    """The text a reader sees: no scripts or styles; blocks on lines of
    their own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(markup: str) -> str:
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    return "".join(collector.parts)


_CONTAINER = "META-INF/container.xml"


def extract_epub(path: Path) -> SourceText:
    """The text of an EPUB's documents in spine order, as one page."""
    try:
        with zipfile.ZipFile(path) as book:
            package_path = _package_path(book)
            package = ElementTree.fromstring(book.read(package_path))
            base = PurePosixPath(package_path).parent
            manifest = {
                item.get("id"): item.get("href", "")
                for item in package.iter()
                if item.tag.endswith("}item") or item.tag == "item"
            }
            spine = [
                ref.get("idref")
                for ref in package.iter()
                if ref.tag.endswith("}itemref") or ref.tag == "itemref"
            ]
            texts = []
            for idref in spine:
                href = manifest.get(idref)
                if href:
                    member = str(base / href) if str(base) != "." else href
                    texts.append(html_text(book.read(member).decode("utf-8", "replace")))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as exc:
        raise ExtractError(__("%s is not a readable EPUB (%s)") % (path, exc)) from exc
    return one_page("\n".join(texts))


def _package_path(book: zipfile.ZipFile) -> str:
    container = ElementTree.fromstring(book.read(_CONTAINER))
    for element in container.iter():
        if element.tag.endswith("rootfile") and element.get("full-path"):
            return element.get("full-path", "")
    raise KeyError("rootfile")

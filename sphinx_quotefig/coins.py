"""A source as a COinS span: an OpenURL 1.0 ContextObject (ANSI/NISO
Z39.88-2004) in KEV form, in the ``title`` of an empty
``<span class="Z3988">``, which reference managers' browser connectors
(Zotero's among them) detect on a page and offer to save.

The metadata format follows the source's CSL type (``type``):

- journal, magazine and newspaper articles: ``info:ofi/fmt:kev:mtx:journal``
  (``atitle``, ``jtitle``, ``volume``, ``issue``, ``spage``, ``epage``);
- books, chapters, conference papers and reports: ``info:ofi/fmt:kev:mtx:book``
  (``btitle``; a chapter or paper also ``atitle``; ``isbn``, ``pub``,
  ``place``, ``edition``);
- theses: ``info:ofi/fmt:kev:mtx:dissertation``;
- anything else: Dublin Core, ``info:ofi/fmt:kev:mtx:dc``.

The first author also as ``aulast``/``aufirst`` (or ``aucorp``), every
author as ``au``; the DOI and the URL as ``rft_id``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote, urlencode

from docutils.writers._html_base import HTMLTranslator

from .references import DEFAULT_TYPE, Name, authors_of

CTX_VER = "Z39.88-2004"
_FORMAT = "info:ofi/fmt:kev:mtx:"
#: CSL type -> (metadata format, genre).
_JOURNAL = {"article-journal": "article", "article-magazine": "article", "article-newspaper": "article", "review": "article"}
_BOOK = {"book": "book", "chapter": "bookitem", "entry-encyclopedia": "bookitem", "entry-dictionary": "bookitem",
         "paper-conference": "proceeding", "report": "report"}  # fmt: skip
#: Book genres whose title is the part's (``atitle``) and whose container is the book's.
_PARTS = frozenset({"bookitem", "proceeding"})
_PAGE_RANGE = re.compile(r"\s*(\w+)\s*(?:[-\u2013\u2014]+\s*(\w+))?\s*")

_HTML_SPECIAL = HTMLTranslator.special_characters


def page_range(pages: str) -> tuple[str, str]:
    """``12-34`` (or ``12–34``) as ``("12", "34")``; ``12`` as ``("12", "")``;
    anything else (``12, 15``) as ``("", "")``."""
    match = _PAGE_RANGE.fullmatch(pages)
    return (match[1], match[2] or "") if match else ("", "")


def _authors(fields: Mapping[str, str], pairs: list[tuple[str, str]]) -> None:
    names = authors_of(fields)
    structured = bool(fields.get("authors"))
    for position, name in enumerate(names):
        if position == 0:
            if name.literal and structured:
                pairs.append(("rft.aucorp", name.family))
            elif not name.literal:
                pairs.append(("rft.aulast", name.family))
                if name.given:
                    pairs.append(("rft.aufirst", name.given))
        pairs.append(("rft.au", _shown(name)))


def _shown(name: Name) -> str:
    return name.inverted() if not name.literal else name.family


def kev(fields: Mapping[str, str]) -> str:
    """A source's fields as an OpenURL ContextObject in KEV form."""
    kind = fields.get("type") or DEFAULT_TYPE
    title, container = fields.get("title", ""), fields.get("container", "")
    pairs: list[tuple[str, str]] = [("ctx_ver", CTX_VER)]
    if kind in _JOURNAL:
        pairs += [("rft_val_fmt", _FORMAT + "journal"), ("rft.genre", _JOURNAL[kind]), ("rft.atitle", title)]
        pairs += [("rft.jtitle", container)] if container else []
    elif kind in _BOOK:
        genre = _BOOK[kind]
        pairs += [("rft_val_fmt", _FORMAT + "book"), ("rft.genre", genre)]
        if genre in _PARTS:
            pairs += [("rft.atitle", title)] + ([("rft.btitle", container)] if container else [])
        else:
            pairs += [("rft.btitle", title)]
    elif kind == "thesis":
        pairs += [("rft_val_fmt", _FORMAT + "dissertation"), ("rft.title", title)]
    else:
        pairs += [("rft_val_fmt", _FORMAT + "dc"), ("rft.type", kind), ("rft.title", title)]
    dublin_core = pairs[1][1].endswith(":dc")
    if dublin_core:
        pairs += [("rft.creator", _shown(name)) for name in authors_of(fields)]
        pairs += [("rft.publisher", fields["publisher"])] if fields.get("publisher") else []
    else:
        _authors(fields, pairs)
    if fields.get("year"):
        pairs.append(("rft.date", fields["year"]))
    if kind in _JOURNAL or kind in _BOOK:
        for field, key in (("volume", "rft.volume"), ("issue", "rft.issue"), ("edition", "rft.edition")):
            if fields.get(field):
                pairs.append((key, fields[field]))
        if fields.get("pages"):
            start, end = page_range(fields["pages"])
            pairs += [("rft.pages", fields["pages"])]
            pairs += [("rft.spage", start)] if start else []
            pairs += [("rft.epage", end)] if end else []
    if not dublin_core:
        for field, key in (("publisher", "rft.pub" if kind != "thesis" else "rft.inst"), ("place", "rft.place"), ("isbn", "rft.isbn")):
            if fields.get(field):
                pairs.append((key, fields[field]))
    if fields.get("doi"):
        pairs.append(("rft_id", "info:doi/" + fields["doi"]))
    if fields.get("url"):
        pairs.append(("rft_id", fields["url"]))
    return urlencode([(key, value) for key, value in pairs if value], quote_via=quote)


def span(fields: Mapping[str, str]) -> str:
    """The empty COinS span of a source (HTML), on a line of its own."""
    return f'<span class="Z3988" title="{kev(fields).translate(_HTML_SPECIAL)}"></span>\n'

"""What is recorded of each quotation while a document is read.

A :class:`QuoteRecord` is one quotation as the citation index and
``quotes.json`` show it: plain values only. A document's records are stored
packed (:func:`pack`, one pickled flat tuple per document), and summarised
per source (:class:`SourcePart`): the listing knows how many quotations
each document contributes to each source, and whether they changed, without
unpacking any record.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.ext.ifconfig import ifconfig

from . import nodes as qnodes
from .locators import LocatorSummary, format_locator, sort_key

if TYPE_CHECKING:
    from docutils.nodes import Element


class QuoteRecord(NamedTuple):
    """One quotation, block or inline, with a citation."""

    docname: str
    anchor: str
    kind: str  # "block" or "inline"
    source: str | None
    #: Its locator: "page", "free", or None without one; as written; whether
    #: it spans pages (locators.LocatorSummary).
    locator_kind: str | None
    locator_text: str
    locator_range: bool
    #: Where the locator sorts (locators.sort_key, flattened).
    order_group: int
    order_first: int
    order_last: int
    order_text: str
    #: The quoted text as a reader sees it; sources named in it by a
    #: ``{quote-source}`` link are marked (nodes.SOURCE_MARK).
    text: str
    lineno: int | None
    author: str = ""
    url: str = ""
    #: Whether the anchor is the author's ``:name:`` (kept as it is in every
    #: builder) rather than an automatic id.
    named: bool = False
    #: Position in its document: document order survives sorting.
    serial: int = 0
    #: The ``only`` and ``ifconfig`` expressions around it, outermost first,
    #: as ``("only", expr)`` / ``("ifconfig", expr)``: whether a builder
    #: shows it is decided when the builder lists it (see listing.py).
    conditions: tuple[tuple[str, str], ...] = ()

    @property
    def locator(self) -> LocatorSummary | None:
        if self.locator_kind is None:
            return None
        return (self.locator_kind, self.locator_text, self.locator_range)

    def locator_label(self, config: Any) -> str | None:
        """The locator as a reader sees it (``pg 5``), if there is one."""
        locator = self.locator
        if locator is None:
            return None
        return format_locator(locator, config.quotefig_page_label, config.quotefig_pages_label)


class SourcePart(NamedTuple):
    """A document's quotations of one source, summarised: a digest of their
    records, how many there are, and the sources their texts name."""

    digest: str
    count: int
    named: tuple[str, ...] = ()
    #: Whether any of them stands under ``only`` or ``ifconfig``: then what a
    #: builder lists depends on the builder, and their records are read.
    conditional: bool = False


_WIDTH = len(QuoteRecord._fields)


def pack(records: list[QuoteRecord]) -> bytes:
    """A document's records as stored: their fields in one flat tuple,
    pickled. Sphinx loads and saves the environment on every build; bytes
    cost nothing there, and only the documents a build lists are unpacked."""
    return pickle.dumps(tuple(field for record in records for field in record), protocol=pickle.HIGHEST_PROTOCOL)


def unpack(stored: bytes | None) -> list[QuoteRecord]:
    """The records :func:`pack` stored, in document order."""
    if not stored:
        return []
    fields = pickle.loads(stored)
    make = tuple.__new__
    return [make(QuoteRecord, fields[start : start + _WIDTH]) for start in range(0, len(fields), _WIDTH)]


def parts_of(records: Iterable[QuoteRecord]) -> dict[str | None, SourcePart]:
    """Source key (None: no source) -> the summary of those records."""
    by_source: dict[str | None, list[QuoteRecord]] = {}
    for record in records:
        by_source.setdefault(record.source, []).append(record)
    return {
        # repr, not pickle: pickle's bytes depend on object identity (memo).
        key: SourcePart(
            hashlib.sha256(repr(quoted).encode("utf-8")).hexdigest()[:32],
            len(quoted),
            tuple(sorted({name for record in quoted for name in qnodes.marked_sources(record.text)})),
            any(record.conditions for record in quoted),
        )
        for key, quoted in by_source.items()
    }


def is_recorded(node: nodes.Node) -> bool:
    """Quote figures, cited inline quotes and source lines are recorded,
    except inside a substitution definition: what is shown is each use of
    the substitution, a copy of its own."""
    if isinstance(node, (qnodes.source_line, qnodes.quote_figure)) or (
        isinstance(node, qnodes.inline_quote) and node.get("cited", False)
    ):
        return not qnodes.in_substitution_definition(node)
    return False


def conditions_of(node: nodes.Node) -> tuple[tuple[str, str], ...]:
    """The ``only`` and ``ifconfig`` expressions *node* stands under."""
    found = []
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.only):
            found.append(("only", parent["expr"]))
        elif isinstance(parent, ifconfig):
            found.append(("ifconfig", parent["expr"]))
        parent = parent.parent
    return tuple(reversed(found))


def record_of(node: Element, docname: str, serial: int) -> QuoteRecord:
    """The record of a quote figure or a cited inline quote."""
    block = isinstance(node, qnodes.quote_figure)
    body = qnodes.part_of(node, qnodes.quote_body) if block else node
    locator = node.get("locator")
    locator_kind, locator_text, locator_range = locator.summary() if locator is not None else (None, "", False)
    order_group, order_first, order_last, order_text = sort_key(locator)
    return QuoteRecord(
        docname=docname,
        anchor=node["ids"][0] if node["ids"] else "",
        kind="block" if block else "inline",
        source=node.get("source_key"),
        locator_kind=locator_kind,
        locator_text=locator_text,
        locator_range=locator_range,
        order_group=order_group,
        order_first=order_first,
        order_last=order_last,
        order_text=order_text,
        text=plain_text(body) if body is not None else "",
        lineno=node.line,
        author=node.get("author", ""),
        url=node.get("url", ""),
        named=bool(node.get("names")),
        serial=serial,
        conditions=conditions_of(node),
    )


def plain_text(node: Element) -> str:
    """The quoted text as a reader sees it, paragraphs separated by blank
    lines (no comments, footnotes or markup error reports)."""
    paragraphs = qnodes.visible_paragraphs(node)
    if paragraphs:
        return "\n\n".join(paragraphs)
    return " ".join(qnodes.visible_text(node).split())

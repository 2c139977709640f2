"""The citation index as standard docutils nodes, which every builder
renders: the ``quote-index`` directive's embedded listing, in any builder."""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING

from docutils import nodes

from . import coins, describe
from .anchors import source_anchor
from .citations import bibliography_marker
from .diagnostics import _
from .reference_style import run_nodes

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from .listing import Listing, SourceEntry
    from .records import QuoteRecord


def index_nodes(
    listing: Listing, entries: list[SourceEntry], fromdocname: str, standalone: bool = False
) -> list[nodes.Node]:
    """*entries* with their quotations. On the standalone page each source
    carries the id that ``{quote-source}`` links point at; an embedded
    listing carries none, so it cannot clash with the ids of its page."""
    root = nodes.container(classes=["quote-index"])
    if not entries:
        root += nodes.paragraph("", _("No quotations yet."), classes=["quote-index-empty"])
        return [root]
    if standalone and sum(e.key is not None for e in entries) >= describe.LETTER_BAR_MIN_SOURCES:
        root += _letter_bar(entries)
    for letter, letter_entries in groupby(entries, key=lambda e: e.letter):
        section = nodes.container(classes=["quote-index-letter"])
        if standalone:
            section["ids"].append(describe.letter_anchor(letter))
        for entry in letter_entries:
            section += _source(listing, entry, fromdocname, standalone)
        root += section
    return [root]


def _letter_bar(entries: list[SourceEntry]) -> nodes.paragraph:
    bar = nodes.paragraph(classes=["quote-index-letters"])
    for position, letter in enumerate(dict.fromkeys(e.letter for e in entries)):
        if position:
            bar += nodes.Text(" | ")
        bar += nodes.reference(letter, letter, refid=describe.letter_anchor(letter), internal=True)
    return bar


def _link(link: describe.Link) -> nodes.Node:
    if link.uri is None:
        return nodes.inline(link.text, link.text)
    classes = ["reference", "external" if link.external else "internal"]
    return nodes.reference(link.text, link.text, refuri=link.uri, internal=not link.external, classes=classes)


def _source(listing: Listing, entry: SourceEntry, fromdocname: str, standalone: bool) -> nodes.container:
    builder: Builder = listing.builder
    head = describe.heading(entry, listing.domain, builder, fromdocname)
    container = nodes.container(classes=["quote-index-source"])
    if standalone:
        container["ids"].append(source_anchor(entry.key))
    paragraph = nodes.paragraph(classes=["quote-index-heading"])
    paragraph += nodes.strong("", "", *run_nodes(head.lead))
    paragraph.extend(run_nodes(head.rest))
    if head.bibliography:
        paragraph += [nodes.Text(" "), bibliography_marker(head.bibliography, builder.format == "latex")]
    paragraph += nodes.Text(" ")
    paragraph += nodes.inline("", f"({head.count})", classes=["quote-index-count"])
    for position, link in enumerate(head.links):
        paragraph += nodes.Text(" \u00b7 ")
        paragraph += _link(link)
    container += paragraph
    if entry.source is not None:
        # For reference managers' browser connectors; writers other than
        # HTML skip it.
        container += nodes.raw("", coins.span(entry.source.fields()), format="html")
    if entry.count:
        items = nodes.bullet_list(classes=["quote-index-quotes"])
        for record in listing.quotes(entry):
            items += _item(listing, record, fromdocname)
        container += items
    return container


def _item(listing: Listing, record: QuoteRecord, fromdocname: str) -> nodes.list_item:
    item = describe.item(record, listing.domain, listing.builder, fromdocname)
    paragraph = nodes.paragraph(classes=["quote-index-quote"])
    paragraph += _link(item.where)
    paragraph += nodes.Text(" \u2014 " + item.excerpt + " ")
    paragraph += nodes.emphasis("", item.page, classes=["quote-index-page"])
    return nodes.list_item("", paragraph)

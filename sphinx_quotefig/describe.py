"""What the citation index shows of a source and of a quotation, as plain
values: every renderer (doctree nodes, the page's HTML, the general index)
draws from these, so all outputs say the same."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from . import nodes as qnodes
from .anchors import target_uri
from .citations import Cited, cited, quote_marks
from .diagnostics import _, ngettext
from .reference_style import Run, author_date, short_details

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from .domain import QuoteDomain
    from .listing import SourceEntry
    from .records import QuoteRecord
    from .sources import Source

#: With more sources than this, the standalone page gets a letter bar.
LETTER_BAR_MIN_SOURCES = 10


class Link(NamedTuple):
    text: str
    uri: str | None
    external: bool = False


class Heading(NamedTuple):
    """A source's heading: what it is filed under (set in bold), the rest of
    its reference, the count, links. Italic runs are titles of works (set
    in ``<cite>``)."""

    lead: list[Run]
    rest: list[Run]
    count: str
    links: list[Link]
    #: The source's entry in a bibliography (shown after the reference).
    bibliography: Cited | None = None


class Item(NamedTuple):
    """A listed quotation: its locator linking to it, an excerpt in the
    language's quotation marks, its page."""

    where: Link
    excerpt: str
    page: str


def reference(entry: SourceEntry, style: str) -> tuple[list[Run], list[Run]]:
    """A source's reference in the index: the full reference (its lead
    in bold), or in the ``short`` style ``*Title* — Author, Year``."""
    source = entry.source
    if style == "short" or source is None:
        details = short_details(source)
        return [Run(entry.title, italic=entry.key is not None)], [Run(details)] if details else []
    return author_date(source)


def count_label(count: int) -> str:
    return ngettext("%d quotation", "%d quotations", count) % count


def excerpt(text: str, words: int) -> str:
    """The opening *words* words of a quotation, with one ellipsis where it
    is cut (no stop or comma before it)."""
    tokens = text.split()
    cut = " ".join(tokens[:words])
    return cut.rstrip(" .,;:\u2026") + "\u2026" if len(tokens) > words else cut


def letter_anchor(letter: str) -> str:
    return f"letter-{letter if letter != '#' else 'other'}"


def heading(entry: SourceEntry, domain: QuoteDomain, builder: Builder, fromdocname: str) -> Heading:
    source = entry.source
    links: list[Link] = []
    if source is not None and source.url:
        links.append(Link(_("source"), source.url, True))
    if source is not None and source.home is not None:
        docname, anchor = source.home
        uri = target_uri(builder, fromdocname, docname, anchor)
        if uri is not None:
            links.append(Link(_("declared in %s") % domain.doc_title(docname), uri))
    lead, rest = reference(entry, builder.config.quotefig_reference_style)
    return Heading(lead, rest, count_label(entry.count), links, cited(domain, builder, fromdocname, entry.key))


def item(record: QuoteRecord, domain: QuoteDomain, builder: Builder, fromdocname: str) -> Item:
    where = record.locator_label(builder.config) or _("quotation")
    uri = target_uri(builder, fromdocname, record.docname, record.anchor, record.named)
    text = qnodes.with_source_titles(record.text, domain.sources)
    opening, closing = quote_marks(builder.config.language)
    quoted = opening + excerpt(text, builder.config.quotefig_excerpt_words) + closing
    return Item(Link(where, uri), quoted, domain.doc_title(record.docname))

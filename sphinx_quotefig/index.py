"""The citation index in Sphinx: a domain index, entries in the general
index, the ``quote-index`` directive's listings, links to the page.

- :class:`QuoteIndex` is the page ``quote-index``; HTML builders render it
  themselves (index_page.py), LaTeX and Texinfo from its entries.
- Each quoted source is an entry of ``genindex`` pointing at the page.
- A ``quote-index`` directive's placeholder is filled when its page is
  written (pages.py rewrites such pages when their listing changes).
- Where a builder writes no index page, links to it are plain text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.domains import Index, IndexEntry
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import describe
from . import nodes as qnodes
from ._compat import current_builder, env_builder
from .anchors import INDEX_DOCNAME, index_written, single_page, source_anchor
from .diagnostics import Subtype, _, __, warn
from .listing import listing_for
from .reference_style import plain
from .render_nodes import index_nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from .domain import QuoteDomain


class QuoteIndex(Index):
    """``quote-index``: the generated "Citation index" page."""

    name = "index"
    localname = _("Citation index")
    shortname = _("citations")

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        domain: QuoteDomain = self.domain  # type: ignore[assignment]
        if env_builder(domain.env).format == "latex":
            # Set by writers/latex.py from content(), in the index style of
            # sphinxquotefig.sty: Sphinx's generic domain index would drop
            # the levels and excerpts.
            return [], False
        return self.content(docnames)

    def content(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        """The index's entries (see Index.generate): each source (subtype 0
        or 1) followed by its quotations (subtype 2); a source a
        bibliography lists ends in its label there (``[Mil59]``), as the
        text builder shows it."""
        listed, collapsed = self.listed(docnames)
        return [(letter, [_labelled(entry, head) for entry, head in entries]) for letter, entries in listed], collapsed

    def listed(
        self, docnames: Iterable[str] | None = None
    ) -> tuple[list[tuple[str, list[tuple[IndexEntry, describe.Heading | None]]]], bool]:
        """:meth:`content`, each source's entry with its heading (what LaTeX
        sets in its own style), each quotation's with None.

        A source's entry names it by its title and says ``Author, Year``
        (the ``short`` style), or by its whole reference (the others)."""
        domain: QuoteDomain = self.domain  # type: ignore[assignment]
        builder = env_builder(domain.env)
        if not domain.env.config.quotefig_index:
            return [], False
        if builder.format == "html":
            # Rendered by index_page.py; Sphinx only needs a non-empty index
            # to write the page, also when nothing is quoted yet.
            return [("", [])], False
        wanted = set(docnames) if docnames is not None else None
        listing = listing_for(domain, builder)
        content: dict[str, list[tuple[IndexEntry, describe.Heading | None]]] = {}
        short = builder.config.quotefig_reference_style == "short"
        for entry in listing.entries:
            quotes = listing.quotes(entry, None if wanted is None else wanted & entry.contributors.keys())
            # A source with no reference line on any page points at its first
            # listed quotation: LaTeX and Texinfo leave out an entry that
            # points nowhere.
            if entry.source is not None and entry.source.home is not None:
                home_doc, home_anchor = entry.source.home
            elif quotes:
                home_doc, home_anchor = quotes[0].docname, quotes[0].anchor
            else:
                home_doc, home_anchor = "", ""
            head = describe.heading(entry, domain, builder, INDEX_DOCNAME)
            if short or entry.source is None:
                name, extra = entry.title, plain(head.rest).removeprefix(" \u2014 ")
            else:
                name, extra = plain(head.lead + head.rest), ""
            count = describe.count_label(len(quotes))
            listed = content.setdefault(entry.letter, [])
            listed.append((IndexEntry(name, 1 if quotes else 0, home_doc, home_anchor, extra, "", count), head))
            for record in quotes:
                item = describe.item(record, domain, builder, INDEX_DOCNAME)
                listed.append((IndexEntry(item.where.text, 2, record.docname, record.anchor, "", "", item.excerpt), None))
        return sorted(content.items(), key=lambda item: (item[0] == "#", item[0])), False


def _labelled(entry: IndexEntry, head: describe.Heading | None) -> IndexEntry:
    if head is None or head.bibliography is None:
        return entry
    return entry._replace(name=f"{entry.name} [{head.bibliography.label}]")


class FillIndexListings(SphinxPostTransform):
    """The listings of a page's ``quote-index`` directives, when it is written."""

    default_priority = 20  # as the quotes' citations (citations.ResolveQuotes)

    def run(self, **kwargs: Any) -> None:
        if any(True for _ in self.document.findall(qnodes.quote_index_placeholder)):
            fill_index_placeholders(self.document, self.env.domains["quote"], current_builder(self), self.env.docname)


def fill_index_placeholders(document: nodes.document, domain: QuoteDomain, builder: Builder, docname: str) -> None:
    listing = listing_for(domain, builder)
    for placeholder in list(document.findall(qnodes.quote_index_placeholder)):
        only = placeholder["only"]
        if only is not None and only not in domain.sources:
            warn(__("quote-index: unknown source %r") % only, Subtype.UNKNOWN_SOURCE, placeholder)
        entries = listing.entries if only is None else listing.only(only)
        placeholder.replace_self(index_nodes(listing, entries, docname))


def index_turned_off(builder: Builder) -> bool:
    """Whether the writer turned the index page off for *builder*."""
    if not builder.config.quotefig_index:
        return True
    return builder.format == "html" and not single_page(builder) and not index_written(builder)


def warn_no_index(builder: Builder, node: nodes.Element, docname: str) -> None:
    """Once per document: a link to the index page is plain text."""
    warned = builder.__dict__.setdefault("_quotefig_no_index_warned", set())
    if docname in warned:
        return
    warned.add(docname)
    warn(
        __("the citation index page is turned off (quotefig_index, html_domain_indices); links to it are plain text"),
        Subtype.NO_INDEX,
        node,
    )


def missing_index_reference(app: Sphinx, env: BuildEnvironment, node: Any, contnode: nodes.Element) -> nodes.Node | None:
    """``{ref}`quote-index``` where no index page is written: plain text,
    with a warning where the writer turned the page off (the single page
    holds no index: nothing to warn about)."""
    if node.get("reftarget") != INDEX_DOCNAME or node.get("refdomain") != "std":
        return None
    if index_turned_off(app.builder):
        warn_no_index(app.builder, node, node.get("refdoc", ""))
        return contnode
    return contnode if single_page(app.builder) else None


def drop_dangling_label(app: Sphinx) -> None:
    """Sphinx gives every domain index a ``std`` label; where the builder
    writes no index page it would dangle, so take it back."""
    builder = app.builder
    if not app.config.quotefig_index or (builder.format == "html" and not index_written(builder)):
        std = app.env.domains["std"]
        std.labels.pop(INDEX_DOCNAME, None)
        std.anonlabels.pop(INDEX_DOCNAME, None)


def _filable(text: str) -> bool:
    # Sphinx files an entry under its first character once whitespace and a
    # right-to-left mark are stripped: with none left, the build crashes.
    return bool(text.strip().removeprefix("\u200f").strip())


def _genindex_text(title: str, key: str) -> str | None:
    """A source's entry in ``genindex``: its title, or its key if the title
    leaves Sphinx nothing to file it under; None if neither does."""
    for text in (title, key):
        if _filable(text.split(";", 1)[0]):
            return text
    return None


def general_index_entries(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: each quoted source in ``genindex``, pointing at its
    entry on the index page; filed under the page's name and made again
    on every build, so they cannot go stale."""
    entries = env.domains["index"].entries
    entries.pop(INDEX_DOCNAME, None)
    if index_written(app.builder):
        listing = listing_for(env.domains["quote"], app.builder)
        entries[INDEX_DOCNAME] = [
            ("single", text, source_anchor(entry.key), "", None)
            for entry in listing.entries
            if entry.key is not None and entry.count and (text := _genindex_text(entry.title, entry.key))
        ]
    return []


def setup_index(app: Sphinx) -> None:
    app.add_index_to_domain("quote", QuoteIndex)
    app.add_post_transform(FillIndexListings)
    app.connect("env-updated", general_index_entries)
    app.connect("builder-inited", drop_dangling_label)
    app.connect("missing-reference", missing_index_reference)

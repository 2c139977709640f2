"""The ``quote`` domain: what every document quotes, and from which sources.

While reading, each document's quotations and ``quote-source`` directives are
recorded under its docname (:meth:`QuoteDomain.process_doc`). That is the
only state kept. Everything derived from it — the resolved sources, the
citation index, ``quotes.json`` — is computed from these records when it is
needed, so an incremental build can never serve stale derived data, and a
parallel build merges nothing but the records of the documents a worker read.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType

from . import nodes as qnodes
from .anchors import single_page, target_uri
from .config import config_declarations
from .diagnostics import _
from .index import (
    INDEX_DOCNAME,
    PART_DIGEST,
    QuoteIndex,
    index_enabled,
    index_listings,
    source_anchor,
)
from .labels import linked_labels, linked_sources
from .locators import LocatorSummary, format_locator, sort_key
from .sources import (
    Source,
    SourceConflict,
    SourceDeclaration,
    resolve_sources,
    source_fingerprint,
)

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


class QuoteRecord(NamedTuple):
    """One quotation as the index and ``quotes.json`` see it.

    One flat tuple of plain values: the environment holds one per quotation
    (10^4 and more), and Sphinx unpickles them on every incremental build;
    nested objects would cost several allocations each, and the garbage
    collector's time.
    """

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
    text: str
    lineno: int | None
    author: str = ""
    url: str = ""
    #: Whether the anchor is the author's ``:name:`` (kept as it is in every
    #: builder) rather than an automatic id.
    named: bool = False
    #: Position in its document, so that document order survives sorting.
    serial: int = 0

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


_WIDTH = len(QuoteRecord._fields)


def _records(stored: bytes | None) -> Iterator[QuoteRecord]:
    """The records a document keeps in *stored* (see
    :attr:`QuoteDomain.quotes_by_doc`)."""
    if not stored:
        return
    fields = pickle.loads(stored)
    make, width = tuple.__new__, _WIDTH
    for start in range(0, len(fields), width):
        yield make(QuoteRecord, fields[start : start + width])


class QuoteDomain(Domain):
    """Collects quotations and sources; resolves ``quote-source`` links."""

    name = "quote"
    label = "Quotations"
    object_types = {"source": ObjType(_("source"), "source")}
    initial_data: dict[str, Any] = {
        # docname -> [QuoteRecord as a plain tuple, ...] in document order
        "quotes": {},
        # docname -> [SourceDeclaration, ...] in document order
        "sources": {},
        # docname -> [source key or None, ...]: its quote-index directives
        "index_pages": {},
        # docname -> digest of what its quote-index directives listed when
        # it was last written (bookkeeping, see index.outdated_index_pages)
        "index_digests": {},
        # docname -> sorted source keys whose data its output shows
        "source_uses": {},
        # docname -> digest of those sources when it was last written
        # (bookkeeping, see outdated_source_pages)
        "source_digests": {},
        # docname -> {label: (id, title with marked source keys)} of its
        # quotes whose opening words link a source (see labels.py)
        "label_titles": {},
        # docname -> sorted labels its {ref} and {numref} links name
        "label_refs": {},
        # docname -> {source key or None: its quotes of that source, as a
        # digest of their records (32 hex digits) and their count}: which
        # parts of the citation index it changes (see splice.py). Strings,
        # not tuples: nothing for the garbage collector to count.
        "quote_parts": {},
        # docname -> {source key or None: the keys, NUL-separated, of the
        # sources named in the texts of its quotes of that source}
        "quote_named": {},
        # docname -> its title as the citation index shows it, for each
        # document with quotes (see record_title)
        "quote_titles": {},
    }
    #: Bump when the shape of the records above changes.
    data_version = 9
    indices = [QuoteIndex]

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self._resolved: tuple[dict[str, Source], list[SourceConflict]] | None = None
        #: Views computed from the records (the index's groups), dropped
        #: whenever a record changes.
        self.derived: dict[str, Any] = {}
        #: quotefig_sources as declarations: the configuration is fixed for
        #: the life of a domain (one build).
        self._from_config: list[SourceDeclaration] | None = None

    # -- records ---------------------------------------------------------

    @property
    def quotes_by_doc(self) -> dict[str, bytes]:
        """docname -> its quotations' records: their fields one after the
        other in one flat tuple, pickled (:func:`_records` reads them).

        Bytes, not objects: Sphinx loads and saves the environment on every
        build, and an incremental build reads the records of a few
        documents only. Loading 10^4 records as objects took longer than
        everything the extension does with them.
        """
        return self.data["quotes"]

    @property
    def declarations_by_doc(self) -> dict[str, list[SourceDeclaration]]:
        return self.data["sources"]

    def all_quotes(self) -> list[QuoteRecord]:
        """Every quotation, by document name, then in document order."""
        records = self.derived.get("records")
        if records is None:
            by_doc = self.quotes_by_doc
            records = self.derived["records"] = [record for docname in sorted(by_doc) for record in _records(by_doc[docname])]
        return records

    def all_declarations(self) -> Iterator[SourceDeclaration]:
        if self._from_config is None:
            self._from_config = config_declarations(self.env.config.quotefig_sources)[0]
        yield from self._from_config
        for docname in sorted(self.declarations_by_doc):
            yield from self.declarations_by_doc[docname]

    def _changed(self) -> None:
        self._resolved = None
        self.derived.clear()

    def clear_doc(self, docname: str) -> None:
        for key in self.initial_data:
            self.data[key].pop(docname, None)
        self._changed()

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        # A parallel worker's data holds every document it knows of; take
        # exactly the ones it read.
        for docname in docnames:
            for key in (
                "quotes",
                "sources",
                "index_pages",
                "source_uses",
                "label_refs",
                "quote_parts",
                "quote_named",
                "quote_titles",
            ):
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]
        self._changed()

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        quotes: list[QuoteRecord] = []
        declarations: list[SourceDeclaration] = []
        for node in document.findall(_is_recorded):
            if isinstance(node, qnodes.source_line):
                declarations.append(
                    SourceDeclaration(
                        key=node["key"],
                        fields=node["fields"],
                        docname=docname,
                        lineno=node.line,
                        anchor=node["ids"][0] if node["ids"] else "",
                    )
                )
            else:
                quotes.append(_record(node, docname, serial=len(quotes)))
        if listings := index_listings(document):
            self.data["index_pages"][docname] = listings
        xrefs = list(document.findall(addnodes.pending_xref))
        if uses := used_sources(xrefs, quotes, declarations):
            self.data["source_uses"][docname] = uses
        if refs := linked_labels(xrefs):
            self.data["label_refs"][docname] = refs
        if quotes:
            self.set_quotes(docname, quotes)
        if declarations:
            self.declarations_by_doc[docname] = declarations
        self._changed()

    def set_quotes(self, docname: str, quotes: list[QuoteRecord]) -> None:
        """Record *docname*'s quotations (in document order)."""
        fields = tuple(field for record in quotes for field in record)
        self.quotes_by_doc[docname] = pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)
        by_source: dict[str | None, list[QuoteRecord]] = {}
        for record in quotes:
            by_source.setdefault(record.source, []).append(record)
        # repr, not pickle: pickle's bytes depend on object identity (memo).
        self.data["quote_parts"][docname] = {
            key: hashlib.sha256(repr(records).encode("utf-8")).hexdigest()[:PART_DIGEST] + str(len(records))
            for key, records in by_source.items()
        }
        named = {
            key: "\x00".join(sorted({name for record in records for name in qnodes.marked_sources(record.text)}))
            for key, records in by_source.items()
        }
        if named := {key: names for key, names in named.items() if names}:
            self.data["quote_named"][docname] = named

    def quotes_in(self, docnames: Iterable[str]) -> Iterator[QuoteRecord]:
        """The quotations of *docnames*, in the order given, then in
        document order."""
        by_doc = self.quotes_by_doc
        for docname in docnames:
            yield from _records(by_doc.get(docname))

    def quotes_of(self, docnames: Iterable[str], key: str | None) -> list[QuoteRecord]:
        """The quotations of *key* (None: without a source) in *docnames*,
        in the order of :meth:`all_quotes`."""
        # Each document read once a build however many sources it quotes.
        read = self.derived.setdefault("records_by_doc", {})
        by_doc = self.quotes_by_doc
        records = []
        for docname in sorted(docnames):
            of_doc = read.get(docname)
            if of_doc is None:
                of_doc = read[docname] = list(_records(by_doc.get(docname)))
            records += (record for record in of_doc if record.source == key)
        return records

    # -- derived data ----------------------------------------------------

    def _resolve(self) -> tuple[dict[str, Source], list[SourceConflict]]:
        if self._resolved is None:
            self._resolved = resolve_sources(self.all_declarations())
        return self._resolved

    @property
    def sources(self) -> dict[str, Source]:
        """Every declared source by key (computed, never stored)."""
        return self._resolve()[0]

    @property
    def conflicts(self) -> list[SourceConflict]:
        return self._resolve()[1]

    # -- references --------------------------------------------------------

    def source_target(self, builder: Builder, fromdocname: str, key: str) -> str | None:
        """URI of a source's entry: in the citation index when there is one,
        else where its reference line stands."""
        # The single-page builder writes no index page.
        if builder.format == "html" and index_enabled(self.env.config) and not single_page(builder):
            return target_uri(builder, fromdocname, INDEX_DOCNAME, source_anchor(key))
        source = self.sources.get(key)
        if source is None or source.home is None:
            return None
        return target_uri(builder, fromdocname, *source.home)

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: Element,
    ) -> Element | None:
        if typ != "source":
            return None
        from .diagnostics import __, warn

        source = self.sources.get(target)
        if source is None:
            warn(__("unknown source %r") % target, "unknown_source", node)
            return contnode
        if not node.get("refexplicit"):
            contnode = nodes.inline("", source.display_title, classes=contnode["classes"])
        uri = self.source_target(builder, fromdocname, target)
        if uri is None:
            return contnode
        ref = nodes.reference("", "", contnode, internal=True, refuri=uri)
        ref["reftitle"] = source.display_title
        return ref

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[tuple[str, Element]]:
        return []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for key, source in sorted(self.sources.items()):
            if source.home is not None:
                docname, anchor = source.home
                yield key, source.display_title, "source", docname, anchor, 1


def used_sources(
    xrefs: Iterable[addnodes.pending_xref], quotes: list[QuoteRecord], declarations: list[SourceDeclaration]
) -> list[str]:
    """The source keys whose title, author, year, URL or home a document's
    output shows: its quotes' sources, its reference lines, its
    ``{quote-source}`` links (among its cross-references, *xrefs*)."""
    keys = {q.source for q in quotes if q.source}
    keys.update(d.key for d in declarations)
    keys.update(node["reftarget"] for node in xrefs if node.get("refdomain") == "quote" and node.get("reftarget"))
    return sorted(keys)


def outdated_source_pages(app: Any, env: BuildEnvironment) -> list[str]:
    """Pages to write again, though not re-read, because a source they show
    was declared, changed or removed on another page.

    A citation names its source's title and links its URL; both come from
    wherever the source is declared. The digest of the sources each page
    shows is remembered; a page is rewritten exactly when it changes.
    """
    domain: QuoteDomain = env.domains["quote"]
    sources = domain.sources
    digests = domain.data["source_digests"]
    uses = {docname: set(keys) for docname, keys in domain.data["source_uses"].items()}
    # The text of a {ref} to a quote shows the sources its opening links.
    for docname, keys in linked_sources(domain).items():
        uses.setdefault(docname, set()).update(keys)
    outdated = []
    # Each source's part of the digests made once (repr of the list of them).
    shown = {key: repr(source_fingerprint(sources.get(key))) for key in set().union(*uses.values())}
    for docname, keys in sorted(uses.items()):
        payload = "[" + ", ".join(shown[key] for key in sorted(keys)) + "]"
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        if digests.get(docname) != digest:
            digests[docname] = digest
            outdated.append(docname)
    return outdated


def _is_recorded(node: nodes.Node) -> bool:
    if isinstance(node, qnodes.source_line):
        return True
    if isinstance(node, qnodes.quote_figure):
        return True
    return isinstance(node, qnodes.inline_quote) and node.get("cited", False)


def record_title(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, after Sphinx's title collector: the title of a
    document with quotes, as the citation index shows it; known without
    walking 10^3 title nodes on every build (see splice.py)."""
    from .index import _doc_title

    env = app.env
    domain: QuoteDomain = env.domains["quote"]
    if env.docname in domain.quotes_by_doc:
        domain.data["quote_titles"][env.docname] = _doc_title(env, env.docname)


def release_derived(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, last: drop the views of the records.

    The next build computes them again from the records; kept past the end,
    their 10^4 record objects would only give the garbage collector more
    to walk when the process exits.
    """
    app.env.domains["quote"].derived.clear()


def _record(node: Element, docname: str, serial: int) -> QuoteRecord:
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
    )


def plain_text(node: Element) -> str:
    """The quoted text as a reader sees it, paragraphs separated by blank
    lines (no comments, footnotes or markup error reports)."""
    paragraphs = qnodes.visible_paragraphs(node)
    if paragraphs:
        return "\n\n".join(paragraphs)
    return " ".join(qnodes.visible_text(node).split())


__all__ = ["QuoteDomain", "QuoteRecord", "outdated_source_pages", "plain_text"]

"""The ``quote`` domain: what each document quotes, and which sources it declares.

While a document is read, its quotations and ``quote-source`` directives are
recorded under its docname (:meth:`QuoteDomain.process_doc`). That is the
only state kept: the resolved sources, the citation index and
``quotes.json`` are computed from it when needed, so an incremental build
cannot serve stale derived data, and a parallel build merges nothing but
the data of the documents a worker read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType

from . import nodes as qnodes
from .anchors import INDEX_DOCNAME, index_written, source_anchor, target_uri
from .bibliography import Library, read_bibliographies
from .config import bibliography_files, config_declarations
from .diagnostics import Subtype, _, __, warn
from .records import QuoteRecord, SourcePart, conditions_of, is_recorded, pack, parts_of, record_of, unpack
from .sources import SourceConflict, SourceDeclaration, Sources, resolve_sources

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

#: Standard-domain roles whose link text may be a label's title.
TITLED_ROLES = ("ref", "numref")


class BibliographyEntry(NamedTuple):
    """Where a ``{bibliography}`` of sphinxcontrib-bibtex lists a source:
    its document, the entry's id there, the label it shows (``Mil59``)."""

    docname: str
    id: str
    label: str


class QuoteDomain(Domain):
    """Collects quotations and sources; resolves ``quote-source`` links."""

    name = "quote"
    label = "Quotations"
    object_types = {"source": ObjType(_("source"), "source")}
    #: Each value maps a docname to what that document holds.
    initial_data: dict[str, Any] = {
        # its quotations' records, packed (records.pack)
        "quotes": {},
        # {source key or None: SourcePart}: its quotations of each source
        "parts": {},
        # its title as the citation index shows it (documents with quotes)
        "titles": {},
        # [SourceDeclaration, ...] in document order
        "sources": {},
        # [source key or None, ...]: what its quote-index directives list
        "index_pages": {},
        # sorted source keys whose data its output shows
        "source_uses": {},
        # sorted labels its {ref} and {numref} links name
        "label_refs": {},
        # {label: (id, title with marked source keys)} of its quotes whose
        # opening words link a source (labels.py)
        "label_titles": {},
        # digests of what it showed when last written (pages.py)
        "index_digests": {},
        "source_digests": {},
    }
    #: What a parallel worker read, merged per document.
    _READ_KEYS = ("quotes", "parts", "titles", "sources", "index_pages", "source_uses", "label_refs")
    #: Bump when the shape of the data above changes.
    data_version = 11

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self._resolved: tuple[Sources, list[SourceConflict]] | None = None
        self._from_config: list[SourceDeclaration] | None = None
        #: Read from the bibliography files at the start of each build
        #: (load_bibliographies), never stored in the environment.
        self.bibliography = Library()
        #: Source key -> its entry in sphinxcontrib-bibtex's bibliographies,
        #: taken once its citations are known (note_bibliography_entries).
        self.bibliography_entries: dict[str, BibliographyEntry] = {}
        #: Counts the changes to the data: what is derived from it is made
        #: again when it changed (listing.listing_for).
        self.generation = 0

    def _changed(self) -> None:
        self._resolved = None
        self.generation += 1

    # -- per-document data -------------------------------------------------

    @property
    def parts(self) -> dict[str, dict[str | None, SourcePart]]:
        """docname -> {source key: its quotations of that source, summarised}."""
        return self.data["parts"]

    def quotes_of_doc(self, docname: str) -> list[QuoteRecord]:
        """A document's quotations, in document order."""
        return unpack(self.data["quotes"].get(docname))

    def doc_title(self, docname: str) -> str:
        """A document's title as the index shows it (recorded when read)."""
        title = self.data["titles"].get(docname)
        if title is None:
            node = self.env.titles.get(docname)
            title = node.astext() if node is not None else docname
        return title

    def declarations(self) -> Iterator[SourceDeclaration]:
        """``quotefig_sources`` first, then documents by name (the
        bibliographies' entries: see _resolve)."""
        if self._from_config is None:  # the configuration is fixed for a build
            self._from_config = config_declarations(self.env.config.quotefig_sources)[0]
        yield from self._from_config
        for docname in sorted(self.data["sources"]):
            yield from self.data["sources"][docname]

    def clear_doc(self, docname: str) -> None:
        for key in self.initial_data:
            self.data[key].pop(docname, None)
        self._changed()

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        # A parallel worker's data holds every document it knows of; take
        # exactly the ones it read.
        for docname in docnames:
            for key in self._READ_KEYS:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]
        self._changed()

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        quotes: list[QuoteRecord] = []
        declarations: list[SourceDeclaration] = []
        for node in document.findall(is_recorded):
            if isinstance(node, qnodes.source_line):
                anchor = node["ids"][0] if node["ids"] else ""
                conditional = bool(conditions_of(node))
                declarations.append(SourceDeclaration(node["key"], node["fields"], docname, node.line, anchor, conditional))
            else:
                quotes.append(record_of(node, docname, serial=len(quotes)))
        if listings := [node["only"] for node in document.findall(qnodes.quote_index_placeholder)]:
            self.data["index_pages"][docname] = listings
        xrefs = list(document.findall(addnodes.pending_xref))
        if uses := used_sources(xrefs, quotes, declarations):
            self.data["source_uses"][docname] = uses
        if refs := linked_labels(xrefs):
            self.data["label_refs"][docname] = refs
        if quotes:
            self.data["quotes"][docname] = pack(quotes)
            self.data["parts"][docname] = parts_of(quotes)
        if declarations:
            self.data["sources"][docname] = declarations
        self._changed()

    # -- sources -------------------------------------------------------------

    def _resolve(self) -> tuple[Sources, list[SourceConflict]]:
        if self._resolved is None:
            declared = list(self.declarations())
            library = self.bibliography
            # Entries that may merge or conflict with another declaration
            # are resolved with them; the rest are made sources when looked up.
            keys = sorted(({d.key for d in declared} | library.shared) & library.keys())
            entries = [d for key in keys for d in library.declarations(key)]
            sources, conflicts = resolve_sources([*declared, *entries])
            self._resolved = (Sources(sources, library), conflicts)
        return self._resolved

    @property
    def sources(self) -> Sources:
        """Every declared source by key (computed, never stored)."""
        return self._resolve()[0]

    @property
    def conflicts(self) -> list[SourceConflict]:
        return self._resolve()[1]

    # -- references ------------------------------------------------------------

    def source_target(self, builder: Builder, fromdocname: str, key: str) -> str | None:
        """URI of a source's entry: in the citation index when the builder
        writes it, else where its reference line stands."""
        if index_written(builder):
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
        source = self.sources.get(target)
        if source is None:
            warn(__("unknown source %r") % target, Subtype.UNKNOWN_SOURCE, node)
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
        # A source only a bibliography declares has no home.
        for key, source in sorted(self.sources.resolved.items()):
            if source.home is not None:
                docname, anchor = source.home
                yield key, source.display_title, "source", docname, anchor, 1


def load_bibliographies(app: Sphinx) -> None:
    """``builder-inited``: read the bibliography files (their cache is kept
    beside the doctrees) before any document is read, so parallel readers
    start with them."""
    domain: QuoteDomain = app.env.domains["quote"]
    store = Path(app.doctreedir) / "quotefig" / "bibliography.pickle"
    domain.bibliography = read_bibliographies(bibliography_files(app), store)
    domain._changed()


def note_bibliography_entries(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``, after sphinxcontrib-bibtex's handler has placed each
    cited entry in a ``{bibliography}``: where each key is listed."""
    env.domains["quote"].bibliography_entries = bibliography_entries(env)


def bibliography_entries(env: BuildEnvironment) -> dict[str, BibliographyEntry]:
    """Each key's entry in a ``{bibliography}`` that ``{cite}`` links to
    (a citation list). A key listed by several (which sphinxcontrib-bibtex
    warns about) takes the first by document name and line: the choice
    depends on nothing the order of reading changes, so parallel and
    incremental builds make the same."""
    cite = env.domains.get("cite")
    if cite is None:  # sphinxcontrib-bibtex is not loaded
        return {}
    bibliographies = cite.data.get("bibliographies", {})
    found: dict[str, tuple[tuple[str, int], BibliographyEntry]] = {}
    for citation in cite.data.get("citations", []):
        where = citation.bibliography_key
        bibliography = bibliographies.get(where)
        if bibliography is None or bibliography.list_ != "citation":
            continue
        order = (where.docname, bibliography.line)
        if citation.key not in found or order < found[citation.key][0]:
            entry = BibliographyEntry(where.docname, citation.citation_id, citation.formatted_entry.label)
            found[citation.key] = (order, entry)
    return {key: entry for key, (_order, entry) in found.items()}


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


def linked_labels(xrefs: Iterable[addnodes.pending_xref]) -> list[str]:
    """The labels a document's cross-references (*xrefs*) link to with
    ``{ref}`` or ``{numref}``."""
    return sorted(
        {
            node["reftarget"]
            for node in xrefs
            if node.get("refdomain") == "std" and node.get("reftype") in TITLED_ROLES and node.get("reftarget")
        }
    )


def record_title(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, after Sphinx's title collector: the title of a
    document with quotes, as the citation index shows it."""
    env = app.env
    domain: QuoteDomain = env.domains["quote"]
    if env.docname in domain.data["quotes"]:
        domain.data["titles"][env.docname] = domain.doc_title(env.docname)

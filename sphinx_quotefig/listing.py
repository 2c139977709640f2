"""The citation index as a builder lists it: one model for every output.

A :class:`Listing` holds every source in the index's order, each with how
many quotations it has and which documents they come from
(:class:`SourceEntry`); it is made from the documents' summaries
(``SourcePart``), so listing every source reads no record. A source's
quotations are read, sorted, when asked for (:meth:`Listing.quotes`); a
document's records are let go once every source it quotes has been listed.

Sources are sorted (``quotefig_index_sort``) by their first author's family
name (first editor's, without an author), then year, then title — a source
with neither sorts by its title among them — or (``"title"``) by title
alone; without case, names and titles also without accents (by title alone, as
before: accented letters file under their own letter), titles without a
leading article of the project's language. They are filed under the first letter
of what they sort by, those without a letter last, quotations without a
source after those; a source's quotations by
locator (front matter, pages in numeric order, other locators), then in
reading order. A quotation under ``only`` or ``ifconfig`` is listed by the
builders that show it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple
from weakref import WeakKeyDictionary

from .diagnostics import _
from .records import QuoteRecord, SourcePart
from .references import sort_family
from .sources import Source, source_fingerprint

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from .domain import QuoteDomain

#: Leading articles ignored when titles are sorted, by language (the part of
#: ``language`` before "_" or "-"); a language not listed ignores none.
LEADING_ARTICLES = {
    "en": ("the", "a", "an"),
    "de": ("der", "die", "das", "ein", "eine"),
    "fr": ("le", "la", "les", "un", "une", "l'", "l\u2019"),
    "es": ("el", "la", "los", "las", "un", "una"),
    "it": ("il", "lo", "la", "i", "gli", "le", "un", "uno", "una", "l'", "l\u2019"),
    "nl": ("de", "het", "een"),
    "pt": ("o", "a", "os", "as", "um", "uma"),
}


def _article_pattern(language: str | None) -> re.Pattern[str] | None:
    base = re.split(r"[_-]", language or "en")[0].lower()
    articles = LEADING_ARTICLES.get(base)
    if not articles:
        return None
    # An elided article ("l'") joins the next word; the others stand alone.
    words = [re.escape(a) + ("" if a[-1] in "'\u2019" else r"\s+") for a in articles]
    return re.compile(rf"^(?:{'|'.join(words)})", re.IGNORECASE)


def title_sort_key(title: str, language: str | None = None) -> str:
    """What a title sorts by: without case and a leading article."""
    pattern = _article_pattern(language)
    title = title.strip()
    return (pattern.sub("", title) if pattern else title).casefold()


def fold(text: str) -> str:
    """*text* as it sorts: without case and accents (``Ångström`` with the A's)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def sort_key(source: Source | None, title: str, by: str, language: str | None) -> tuple[str, str, str]:
    """What a source sorts by (see the module): (family name or title,
    year, title); by title: (title, "", "")."""
    if by == "title" or source is None:
        return (title_sort_key(title, language), "", "")
    by_title = fold(title_sort_key(title, language))
    family = fold(sort_family(source.fields()).strip())
    return (family or by_title, source.year, by_title)


class SourceEntry(NamedTuple):
    """One source of the index, without its quotations."""

    key: str | None  # None: quotations without a source
    source: Source | None
    title: str
    letter: str  # "#": no letter
    #: How many quotations the builder lists.
    count: int
    #: docname -> its quotations of the source, summarised.
    contributors: dict[str, SourcePart]
    #: Sources named in the texts of those quotations.
    named: frozenset[str]


def entry_title(key: str | None, source: Source | None) -> str:
    if key is None:
        return _("Quotations without a source")
    return source.display_title if source else key


#: A source's quotations are sorted by these fields, the most significant
#: last, after reading order (sorting is stable).
_LOCATOR_ORDER = [attrgetter(field) for field in ("order_text", "order_last", "order_first", "order_group")]


def sort_quotes(records: list[QuoteRecord]) -> list[QuoteRecord]:
    """*records*, in reading order, sorted by locator (in place)."""
    # Field by field: no key tuple per quotation.
    for key in _LOCATOR_ORDER:
        records.sort(key=key)
    return records


class Listing:
    """What the citation index lists for one builder (see the module)."""

    def __init__(self, domain: QuoteDomain, builder: Builder) -> None:
        self.domain = domain
        self.builder = builder
        #: docname -> its records, unpacked; dropped once every entry that
        #: lists them has been listed (see quotes()).
        self._records: dict[str, list[QuoteRecord]] = {}
        #: docname -> how many of its entries are still to be listed in
        #: this pass before its records are dropped.
        self._unlisted: dict[str, int] = {}
        self._digests: dict[str | None, str] = {}
        #: What ``ifconfig`` expressions see; made when first needed.
        self._namespace: dict[str, Any] | None = None
        #: (docname, key) -> the serials of the quotations this builder
        #: shows, for documents with conditional quotations.
        self.shown: dict[tuple[str, str | None], tuple[int, ...]] = {}
        self.entries = self._entries()
        self.by_key = {entry.key: entry for entry in self.entries}
        #: docname -> how many entries list its quotations.
        self._entry_count = Counter(docname for entry in self.entries for docname in entry.contributors)

    def _entries(self) -> list[SourceEntry]:
        contributors: dict[str | None, dict[str, SourcePart]] = {}
        counts: dict[str | None, int] = {}
        for docname, parts in self.domain.parts.items():
            for key, part in parts.items():
                count = part.count
                if part.conditional:
                    shown = tuple(r.serial for r in self._doc_records(docname) if r.source == key and self._shows(r))
                    self.shown[docname, key] = shown
                    count = len(shown)
                contributors.setdefault(key, {})[docname] = part
                counts[key] = counts.get(key, 0) + count
        named: dict[str | None, set[str]] = {}
        for key, parts in contributors.items():
            named[key] = {name for part in parts.values() for name in part.named}
        sources = self.domain.sources
        language = self.builder.config.language
        by = self.builder.config.quotefig_index_sort
        entries = []
        keys: dict[str | None, tuple[str, str, str]] = {}
        # A bibliography is a library: its entries are listed only where the
        # project uses them (quotes, reference lines, links).
        used = set().union(*self.domain.data["source_uses"].values())
        for key in contributors.keys() | sources.keys():
            if key not in contributors and key not in used and sources.from_library(key):
                continue  # a bibliography entry the project never uses
            source = sources.get(key) if key is not None else None
            if source is None and not counts.get(key):
                continue  # quoted only where this builder shows nothing
            title = entry_title(key, source)
            keys[key] = sort_key(source, title, by, language)
            first = keys[key][0][:1].upper() if key is not None else ""
            entries.append(
                SourceEntry(
                    key,
                    source,
                    title,
                    first if first.isalpha() else "#",
                    counts.get(key, 0),
                    contributors.get(key, {}),
                    frozenset(named.get(key, ())),
                )
            )
        entries.sort(key=lambda e: (e.letter == "#", e.letter, e.key is None, keys[e.key], e.key or ""))
        return entries

    def _doc_records(self, docname: str) -> list[QuoteRecord]:
        records = self._records.get(docname)
        if records is None:
            records = self._records[docname] = self.domain.quotes_of_doc(docname)
        return records

    def _shows(self, record: QuoteRecord) -> bool:
        return all(self._holds(kind, expr) for kind, expr in record.conditions)

    def _holds(self, kind: str, expr: str) -> bool:
        """Whether this builder shows what ``only``/``ifconfig`` *expr*
        guards: as Sphinx decides, an expression it cannot evaluate shows
        its content (``only``) or replaces it with an error (``ifconfig``)."""
        if kind == "only":
            try:
                return bool(self.builder.tags.eval_condition(expr))
            except Exception:
                return True
        if self._namespace is None:
            config = self.builder.config
            self._namespace = {confval.name: confval.value for confval in config}
            self._namespace.update(config.__dict__)
            self._namespace["builder"] = self.builder.name
        try:
            # One namespace for every expression, as sphinx.ext.ifconfig
            # evaluates a document's.
            return bool(eval(expr, self._namespace))  # noqa: S307 - as sphinx.ext.ifconfig does
        except Exception:
            return False

    def only(self, key: str | None) -> list[SourceEntry]:
        """The entries of one source (a ``quote-index`` with ``:source:``)."""
        entry = self.by_key.get(key)
        return [entry] if entry is not None else []

    def quotes(self, entry: SourceEntry, docnames: Iterable[str] | None = None) -> list[QuoteRecord]:
        """The quotations *entry* lists (of *docnames* only, if given), sorted.

        A document's records are unpacked when first asked for and dropped
        once each source it quotes has been listed: a pass over every source
        (a page, ``quotes.json``) unpacks each document once and never holds
        every record at once."""
        records = []
        for docname in sorted(entry.contributors if docnames is None else docnames):
            shown = self.shown.get((docname, entry.key))
            records += (
                r
                for r in self._doc_records(docname)
                if r.source == entry.key and (shown is None or r.serial in shown)
            )
            unlisted = self._unlisted.get(docname, self._entry_count[docname]) - 1
            if unlisted > 0:
                self._unlisted[docname] = unlisted
            else:
                self._unlisted.pop(docname, None)
                self._records.pop(docname, None)
        return sort_quotes(records)

    def digest(self, entries: list[SourceEntry]) -> str:
        """A digest of everything *entries* show, read from the documents'
        summaries: sources, quotations, page titles, named sources; and
        where a bibliography lists each source. Several entries: a digest
        of each one's digest, each made once."""
        if len(entries) != 1:
            return _sha256([self.digest([entry]) for entry in entries])
        known = self._digests.get(entries[0].key)
        if known is None:
            known = self._digests[entries[0].key] = self._digest(entries[0])
        return known

    def _digest(self, entry: SourceEntry) -> str:
        domain = self.domain
        return _sha256(
            (
                entry.key,
                source_fingerprint(entry.source),
                domain.bibliography_entries.get(entry.key) if entry.key else None,
                # Plain tuples: a named tuple's repr is written in Python.
                sorted((docname, tuple(part)) for docname, part in entry.contributors.items()),
                sorted((docname, domain.doc_title(docname)) for docname in entry.contributors),
                domain.doc_title(entry.source.home[0]) if entry.source and entry.source.home else None,
                sorted((name, source_fingerprint(domain.sources.get(name))) for name in entry.named),
                sorted(item for item in self.shown.items() if item[0][1] == entry.key),
            )
        )


def _sha256(payload: Any) -> str:
    return hashlib.sha256(repr(payload).encode("utf-8")).hexdigest()


_LISTINGS: WeakKeyDictionary[Any, tuple[int, Listing]] = WeakKeyDictionary()


def listing_for(domain: QuoteDomain, builder: Builder) -> Listing:
    """The listing of *builder*, made once per state of the domain's data."""
    held = _LISTINGS.get(builder)
    if held is None or held[0] != domain.generation:
        held = _LISTINGS[builder] = (domain.generation, Listing(domain, builder))
    return held[1]


def forget_listing(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the listing's records are not kept past the build."""
    _LISTINGS.pop(app.builder, None)

"""Rendered entries of the citation index page and ``quotes.json``, kept
between builds.

Both files list every quotation of the project and are written whole on
every build that changes any of them. Rendering 10^4 entries again would
cost an incremental build more than everything else it does, so the HTML of
each quotation's entry on the index page and its ``quotes.json`` entry are
kept beside the environment (per builder) and rendered again only when what
they show may have changed:

- the quotations of its document (the digest of the document's records,
  ``quote_digests`` in the domain data),
- the title of its document,
- the titles of sources its text links (``{quote-source}``),
- anything of the builder or configuration that shapes them (the files'
  key: language, labels, excerpt length, the form of links).

The entries are kept in sixteen files (shards, by document name) so that
an incremental build rewrites only the shards of the documents it changed,
not every entry of the project. Entries of quotations that are gone are dropped
when their shard is saved. A missing, unreadable or differently keyed shard
is simply rendered anew.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .nodes import SOURCE_MARK, marked_sources

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from .domain import QuoteDomain, QuoteRecord

#: Bump when the rendering of an entry changes.
CACHE_VERSION = 3
#: How many files a builder's entries are kept in.
SHARDS = 16
_ATTRIBUTE = "_quotefig_rendered"

#: docname -> (its stamp: the digest of its records and its title,
#:             {kind: [the entry of each of its quotations, by serial]},
#:             {serial: titles of the sources a quotation's text names}).
#: Per document rather than per quotation: a few objects for the garbage
#: collector to walk instead of several per quotation.
Document = tuple[tuple, dict[str, list[str | None]], dict[int, tuple]]
Entries = dict[str, Document]


class RenderedQuotes:
    """The rendered entries of one builder's quotations, for one build."""

    def __init__(self, domain: QuoteDomain, path: Path, key: str) -> None:
        self.domain = domain
        #: The directory of the shards.
        self.path = path
        self.key = key
        self.kept: Entries = _load(path, key)
        self.used: Entries = {}
        #: Documents with an entry rendered in this build.
        self.dirty: set[str] = set()
        #: kind -> docname -> (this build's listing, the kept one if still valid)
        self._listings: dict[str, dict[str, tuple[list[str | None], list[str | None] | None]]] = {}

    def entries(self, records: Iterable[QuoteRecord], kind: str, render: Callable[[QuoteRecord], str]) -> list[str]:
        """The *kind* entry of each of *records*: kept, or made by *render*."""
        # The loop runs once per quotation and kind (2 x 10^4 times at 10^4
        # quotations): whether a document's kept entries are still valid is
        # decided once per document, in _listing.
        listings = self._listings.setdefault(kind, {})
        texts = []
        for record in records:
            docname = record.docname
            pair = listings.get(docname)
            if pair is None:
                pair = listings[docname] = self._listing(docname, kind)
            listing, old = pair
            serial = record.serial
            text = old[serial] if old is not None else None
            if text is None:
                text = render(record)
                self.dirty.add(docname)
            listing[serial] = text
            texts.append(text)
        return texts

    def _listing(self, docname: str, kind: str) -> tuple[list[str | None], list[str | None] | None]:
        """A new listing of *docname*'s *kind* entries, and the kept one if
        nothing it shows has changed since."""
        used = self.used.get(docname)
        if used is None:
            used = self.used[docname] = (self._stamp(docname), {}, self._named(docname))
        stamp, entries, named = used
        count = len(self.domain.quotes_by_doc.get(docname, ()))
        listing = entries[kind] = [None] * count
        kept = self.kept.get(docname)
        if kept is None or kept[0] != stamp:
            return listing, None
        old = kept[1].get(kind)
        if old is None or len(old) != count:
            return listing, None
        kept_named = kept[2]
        if kept_named != named:  # a quotation's text names a source retitled since
            old = list(old)
            for serial in kept_named.keys() | named.keys():
                if kept_named.get(serial) != named.get(serial):
                    old[serial] = None
        return listing, old

    def _named(self, docname: str) -> dict[int, tuple]:
        """The titles of the sources each quotation's text names, by serial."""
        from .domain import QuoteRecord  # the domain renders through this module

        text_at = QuoteRecord._fields.index("text")
        return {
            serial: self._named_titles(row[text_at])
            for serial, row in enumerate(self.domain.quotes_by_doc.get(docname, ()))
            if SOURCE_MARK in row[text_at]
        }

    def _named_titles(self, text: str) -> tuple:
        sources = self.domain.sources
        return tuple(sources[key].display_title if key in sources else None for key in marked_sources(text))

    def _stamp(self, docname: str) -> tuple:
        from .index import _doc_title  # the index renders through this module

        return (self.domain.data["quote_digests"].get(docname), _doc_title(self.domain.env, docname))

    def save(self) -> None:
        """Keep this build's entries for the next one: rewrite the shards
        of documents with entries rendered, added or gone."""
        keep = self._merged()
        changed = {_shard(docname) for docname in self.dirty | (self.kept.keys() ^ keep.keys())}
        if not changed:
            return
        shards: dict[int, Entries] = {number: {} for number in changed}
        for docname, document in keep.items():
            shard = shards.get(_shard(docname))
            if shard is not None:
                shard[docname] = document
        self.path.mkdir(parents=True, exist_ok=True)
        for number, documents in shards.items():
            path = self.path / f"{number:02d}.pickle"
            partial = path.with_name(f".{path.name}.tmp")
            with partial.open("wb") as stream:
                pickle.dump((self.key, documents), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, path)

    def _merged(self) -> Entries:
        """This build's entries, and the kept ones of documents that still
        exist that this build did not ask for: a build need not write both
        files (Sphinx 8 writes no index page when nothing changed), and what
        it did not write must still be there for the next one. A kept entry
        is only ever used when its stamp still matches, so none goes stale."""
        merged: Entries = {}
        for docname in self.domain.quotes_by_doc:
            used, kept = self.used.get(docname), self.kept.get(docname)
            if used is None:
                if kept is not None:
                    merged[docname] = kept
            elif kept is None or kept[0] != used[0] or kept[2] != used[2]:
                merged[docname] = used
            else:
                merged[docname] = (used[0], {**kept[1], **used[1]}, used[2])
        return merged


def rendered_quotes(builder: Builder, domain: QuoteDomain, key: Callable[[], Any]) -> RenderedQuotes:
    """This build's :class:`RenderedQuotes` of *builder* (*key*: what,
    besides a quotation, shapes its entries)."""
    rendered = getattr(builder, _ATTRIBUTE, None)
    if rendered is None:
        from . import ENV_VERSION, __version__

        path = Path(builder.doctreedir) / "quotefig" / f"rendered-{builder.name}"
        full_key = repr((CACHE_VERSION, __version__, ENV_VERSION, builder.name, key()))
        rendered = RenderedQuotes(domain, path, full_key)
        setattr(builder, _ATTRIBUTE, rendered)
    return rendered


def save_rendered_quotes(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write what was rendered, for the next build."""
    rendered = getattr(app.builder, _ATTRIBUTE, None)
    if rendered is None:
        return
    delattr(app.builder, _ATTRIBUTE)
    if exception is None:
        rendered.save()


def _shard(docname: str) -> int:
    return zlib.crc32(docname.encode("utf-8", "surrogatepass")) % SHARDS


def _load(path: Path, key: str) -> Entries:
    entries: Entries = {}
    for number in range(SHARDS):
        try:
            with (path / f"{number:02d}.pickle").open("rb") as stream:
                stored_key, documents = pickle.load(stream)
        except Exception:  # missing, truncated, from another version: start anew
            continue
        if stored_key == key:
            entries.update(documents)
    return entries

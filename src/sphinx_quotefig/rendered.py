"""Rendered entries of the citation index page and ``quotes.json``, kept
between builds.

Both files list every quotation of the project and are written whole on
every build that changes any of them. Rendering 10^4 entries again would
cost an incremental build more than everything else it does, so the HTML of
each quotation's entry on the index page and its ``quotes.json`` entry are
kept in a file beside the environment (one per builder) and rendered again
only when what they show may have changed:

- the quotations of its document (the digest of the document's records,
  ``quote_digests`` in the domain data),
- the title of its document,
- the titles of sources its text links (``{quote-source}``),
- anything of the builder or configuration that shapes them (the file's
  key: language, labels, excerpt length, the form of links).

Entries of quotations that are gone are dropped when the file is saved. A
missing, unreadable or differently keyed file is simply rendered anew.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .nodes import SOURCE_MARK, marked_sources

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from .domain import QuoteDomain, QuoteRecord

#: Bump when the rendering of an entry changes.
CACHE_VERSION = 2
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
        self.path = path
        self.key = key
        self.kept: Entries = _load(path, key)
        self.used: Entries = {}
        self.rendered = 0

    def entries(self, records: Iterable[QuoteRecord], kind: str, render: Callable[[QuoteRecord], str]) -> list[str]:
        """The *kind* entry of each of *records*: kept, or made by *render*."""
        texts = []
        for record in records:
            docname, serial = record.docname, record.serial
            used = self.used.get(docname)
            if used is None:
                used = self.used[docname] = (self._stamp(docname), {}, {})
            stamp, entries, named = used
            if SOURCE_MARK in record.text and serial not in named:
                named[serial] = self._named_titles(record.text)
            listing = entries.get(kind)
            if listing is None:
                listing = entries[kind] = [None] * len(self.domain.quotes_by_doc.get(docname, ()))
            text = None
            kept = self.kept.get(docname)
            if kept is not None and kept[0] == stamp and kept[2].get(serial) == named.get(serial):
                old = kept[1].get(kind)
                if old is not None and serial < len(old):
                    text = old[serial]
            if text is None:
                text = render(record)
                self.rendered += 1
            listing[serial] = text
            texts.append(text)
        return texts

    def _named_titles(self, text: str) -> tuple:
        sources = self.domain.sources
        return tuple(sources[key].display_title if key in sources else None for key in marked_sources(text))

    def _stamp(self, docname: str) -> tuple:
        from .index import _doc_title  # index.py renders through this module

        return (self.domain.data["quote_digests"].get(docname), _doc_title(self.domain.env, docname))

    def save(self) -> None:
        """Keep this build's entries for the next one (only if they changed)."""
        keep = self._merged()
        if not self.rendered and keep == self.kept:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.tmp")
        with partial.open("wb") as stream:
            pickle.dump((self.key, keep), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.path)

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

        path = Path(builder.doctreedir) / "quotefig" / f"rendered-{builder.name}.pickle"
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


def _load(path: Path, key: str) -> Entries:
    try:
        with path.open("rb") as stream:
            stored_key, entries = pickle.load(stream)
    except Exception:  # missing, truncated, from another version: start anew
        return {}
    return entries if stored_key == key else {}

"""Unchanged parts of the citation index page and ``quotes.json``, copied
from the file the last build wrote.

Both files list every quotation of the project, source by source, and are
written whole on every build that changes any quotation. Rendering 10^4
entries again would cost an incremental build more than everything else it
does, so each file is written part by part (one part per source), and each
part is copied, as bytes, from the file written last whenever what it shows
is unchanged:

- a source's whole part, when the source, its quotations (the digest of
  each document's quotations of it, domain data ``quote_parts``), the
  titles of their documents and the titles of the sources their texts name
  are as they were;
- otherwise, each entry of a quotation whose document's quotations of the
  source, title and named sources are as they were; the rest is rendered.

What the last build wrote is remembered beside the environment, per builder
and file (``doctrees/quotefig/splice-<builder>-<file>.pickle``): where each
part and entry stands in the file and what it showed. It is used only when
the file is exactly as it was written (size and modification time) and the
builder and configuration shape entries the same way (the key); otherwise,
or when it cannot be read, everything is rendered anew.
"""

from __future__ import annotations

import mmap
import os
import pickle
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from .domain import QuoteDomain, QuoteRecord
    from .index import SourceHead

#: Bump when what a part holds, or how it is stored, changes.
STORE_VERSION = 1


class Part(NamedTuple):
    """Where one source's part stands in the file, and what it showed."""

    start: int
    end: int
    #: The source's own data (the heading shows it).
    stamp: str
    #: docname -> its quotations of the source, as in ``quote_parts``.
    contributors: dict[str, str]
    #: The document of each entry, in order, NUL-separated (a file name
    #: may hold a newline, never a NUL).
    docs: str
    #: The serial (place in its document) of each entry.
    serials: array
    #: The start and end of each entry, from the part's start.
    bounds: array


class Written(NamedTuple):
    """What a build wrote to one file."""

    key: str
    size: int
    mtime_ns: int
    #: docname -> its title, for every document with quotations.
    titles: dict[str, str]
    #: Source key -> its fingerprint, for every source a text names.
    named: dict[str, str]
    parts: dict[str | None, Part]


def store_path(builder: Builder, name: str) -> Path:
    return Path(builder.doctreedir) / "quotefig" / f"splice-{builder.name}-{name}.pickle"


def splice_key(builder: Builder, *extra: Any) -> str:
    """What, besides the quotations, shapes a file's parts."""
    from . import ENV_VERSION, __version__
    from .index import rendering_key

    return repr((STORE_VERSION, __version__, ENV_VERSION, builder.name, rendering_key(builder), *extra))


class SplicedWriter:
    """Writes a file to *stream*, part by part, copying unchanged parts and
    entries from *old* (the file the last build wrote, as remembered in
    *store*)."""

    def __init__(
        self,
        domain: QuoteDomain,
        stream: BinaryIO,
        store: Path,
        key: str,
        old: Path | None,
        encode: Callable[[str], bytes],
    ) -> None:
        self.domain = domain
        self.stream = stream
        self.store = store
        self.key = key
        self.encode = encode
        self.position = 0
        #: docname -> title, for every document with quotations.
        self.titles: dict[str, str] = domain.data["quote_titles"]
        self.named: dict[str, str] = {}
        self.parts: dict[str | None, Part] = {}
        #: Whether every byte written so far is where it was in the old file.
        self._same = True
        self._old: Written | None = None
        self._map: mmap.mmap | None = None
        #: The old file, sliced without copying.
        self._view: memoryview | None = None
        written = _load(store, key, old)
        if written is not None and old is not None:
            try:
                with old.open("rb") as file:
                    if written.size:
                        self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
                        self._view = memoryview(self._map)
            except (OSError, ValueError):
                return
            self._old = written
            old_titles = written.titles
            self._retitled = (
                set()
                if old_titles == self.titles
                else {docname for docname, title in self.titles.items() if old_titles.get(docname) != title}
            )

    def write(self, text: str) -> None:
        self._write(self.encode(text))

    def _write(self, data: bytes) -> None:
        if self._same:
            position = self.position
            self._same = self._map is not None and self._map[position : position + len(data)] == data
        self.stream.write(data)
        self.position += len(data)

    def _copy(self, start: int, end: int) -> None:
        if end > start:
            assert self._view is not None
            self.stream.write(self._view[start:end])
        self._same = self._same and start == self.position
        self.position += end - start

    @property
    def spliced(self) -> bool:
        """Whether the old file, as the last build wrote it, was at hand."""
        return self._old is not None

    @property
    def unchanged(self) -> bool:
        """Whether what was written is the old file, byte for byte."""
        return self._same and self._old is not None and self.position == self._old.size

    def _fingerprint(self, key: str) -> str:
        from .sources import source_fingerprint

        fingerprint = self.named.get(key)
        if fingerprint is None:
            fingerprint = self.named[key] = repr(source_fingerprint(self.domain.sources.get(key)))
        return fingerprint

    def _changed_names(self, names: frozenset[str] | set[str]) -> bool:
        assert self._old is not None
        old = self._old.named
        return any(old.get(name) != self._fingerprint(name) for name in names)

    def part(
        self,
        head: SourceHead,
        stamp: str,
        prefix: str,
        suffix: str,
        separator: str,
        entry: Callable[[QuoteRecord], str],
    ) -> None:
        """Write *head*'s part: *prefix*, the *entry* of each quotation
        (*separator* between them), *suffix*; copied where unchanged."""
        from .index import head_quotes

        for name in head.named:
            self._fingerprint(name)
        start = self.position
        old = self._old.parts.get(head.key) if self._old is not None else None
        if (
            old is not None
            and old.stamp == stamp
            and old.contributors == head.contributors
            and self._retitled.isdisjoint(head.contributors)
            and not self._changed_names(head.named)
        ):
            self._copy(old.start, old.end)
            self.parts[head.key] = old._replace(start=start, end=self.position)
            return
        kept = self._kept_entries(head, old) if old is not None else {}
        # Nothing to copy: every source's quotations are rendered.
        records = head_quotes(self.domain, head, every=self._old is None)
        serials = array("q", (record.serial for record in records))
        bounds = array("q")
        self.write(prefix)
        gap = self.encode(separator)
        for position, record in enumerate(records):
            if position and gap:
                self._write(gap)
            bounds.append(self.position - start)
            at = kept.get((record.docname, record.serial))
            if at is None:
                self.write(entry(record))
            else:
                self._copy(*at)
            bounds.append(self.position - start)
        self.write(suffix)
        docs = "\x00".join(record.docname for record in records)
        self.parts[head.key] = Part(start, self.position, stamp, head.contributors, docs, serials, bounds)

    def _kept_entries(self, head: SourceHead, old: Part) -> dict[tuple[str, int], tuple[int, int]]:
        """(docname, serial) -> where its entry stands in the old file, for
        each document whose entries of this source are unchanged."""
        named = self.domain.data["quote_named"]
        valid = {
            docname
            for docname, part in head.contributors.items()
            if old.contributors.get(docname) == part
            and docname not in self._retitled
            and not (
                head.key in named.get(docname, {})
                and self._changed_names(set(named[docname][head.key].split("\x00")))
            )
        }
        if not valid or not old.docs:
            return {}
        kept = {}
        bounds, base = old.bounds, old.start
        for index, (docname, serial) in enumerate(zip(old.docs.split("\x00"), old.serials)):
            if docname in valid:
                kept[docname, serial] = (base + bounds[2 * index], base + bounds[2 * index + 1])
        return kept

    def close(self) -> None:
        if self._view is not None:
            self._view.release()
            self._view = None
        if self._map is not None:
            self._map.close()
            self._map = None

    def save(self, path: Path) -> None:
        """Remember what was written, now that *path* holds it."""
        self.close()
        stat = path.stat()
        written = Written(self.key, stat.st_size, stat.st_mtime_ns, self.titles, self.named, self.parts)
        self.store.parent.mkdir(parents=True, exist_ok=True)
        partial = self.store.with_name(f".{self.store.name}.tmp")
        with partial.open("wb") as stream:
            pickle.dump(written, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.store)


def forget(store: Path) -> None:
    """The file was written some other way: nothing of it can be copied."""
    store.unlink(missing_ok=True)


def _load(store: Path, key: str, old: Path | None) -> Written | None:
    if old is None:
        return None
    try:
        with store.open("rb") as stream:
            written = pickle.load(stream)
        stat = old.stat()
    except Exception:  # missing, truncated, from another version: render anew
        return None
    if not isinstance(written, Written) or written.key != key:
        return None
    if (written.size, written.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
        return None  # changed since, by someone else
    return written

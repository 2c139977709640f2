"""Rendered fragments of the citation index page and ``quotes.json``, kept
between builds.

Both files list every quotation of the project, source by source, and both
are written again whenever any quotation changes. Each source's part is
kept as a fragment, keyed by a digest of everything it shows — the source
and where a bibliography lists it,
each contributing document's summary of its quotations, those documents'
titles, the sources their texts name, what the builder shows of quotations
under ``only``/``ifconfig`` — together with the render settings and the
package's own code (:data:`CODE_DIGEST`). Within a source that changed, each
document's entries are fragments too, keyed the same way by that
document's part. ``quotes.json``'s entry of each source in its list of
sources is a fragment too, keyed like the source's part. A build renders
only what no fragment holds, and keeps exactly the fragments it used.

The fragments of one file and builder are stored in one file under the
doctree directory (``quotefig/fragments-<builder>-<file>.pickle``): what the
build wrote, the store's version, then one pickle per fragment. A build
writes each source's fragment to a temporary file as soon as it is
rendered, and lets go of each old one once used, so it never holds the
whole file's fragments. They are never in the environment and never read
back from the output. A store that
cannot be read is ignored; a build with a fresh environment (``-E``, a
first build) or that writes every document (``-a``) starts with none.
"""

from __future__ import annotations

import hashlib
import os
from array import array
import pickle
import shutil
import tempfile
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from sphinx.util import logging

from .diagnostics import Subtype, __
from .sources import source_fingerprint

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from .listing import Listing, SourceEntry
    from .records import QuoteRecord

logger = logging.getLogger(__name__)

#: Bump when what the store holds changes shape.
STORE_VERSION = 6


def digest(*parts: Any) -> str:
    # repr, not pickle: pickle's bytes depend on object identity (memo).
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _code_digest() -> str:
    # Each module's size and modification time (what Python checks before
    # it runs a module's cached bytecode) and its change time, which the
    # system sets on every write and every change of the other two: any
    # edit changes the digest, and no module is read (reading and hashing
    # them all cost more than the rest of an incremental build's digests).
    try:
        with os.scandir(Path(__file__).parent) as found:
            modules = [(entry.name, entry.stat()) for entry in found if entry.name.endswith(".py")]
    except OSError:  # not a folder (a zip archive): as found, no module
        modules = []
    return digest(sorted((name, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns) for name, stat in modules))


#: The package's own code (its top-level modules: every renderer is one): a
#: fragment rendered by other code is not used.
CODE_DIGEST = _code_digest()


class SourceFragment(NamedTuple):
    """A source's part of a file, as rendered."""

    #: The digest of everything the part shows (see write_listing).
    key: str
    #: The part as written (encoded).
    data: bytes
    #: docname -> the digest of what its entries show.
    doc_keys: dict[str, str]
    #: Each entry's document (NUL-separated: a file name may hold a
    #: newline, never a NUL), its serial, and where it stands in *text*
    #: (start and end, in *data*): a few objects per source, quick to store
    #: and load.
    docs: str
    serials: array
    bounds: array

    def kept_entries(self, doc_keys: dict[str, str]) -> dict[tuple[str, int], bytes]:
        """(docname, serial) -> entry, for the documents whose key is unchanged."""
        kept = {}
        for index, (docname, serial) in enumerate(zip(self.docs.split("\x00"), self.serials)):
            if self.doc_keys.get(docname) == doc_keys.get(docname):
                kept[docname, serial] = self.data[self.bounds[2 * index] : self.bounds[2 * index + 1]]
        return kept


class Written(NamedTuple):
    """What a build wrote to a file: what it showed, and the file's stat."""

    inputs: str
    size: int
    mtime_ns: int


class Fragments:
    """The fragments of one output file of one builder."""

    def __init__(self, builder: Builder, name: str, start_afresh: bool) -> None:
        self.path = Path(builder.doctreedir) / "quotefig" / f"fragments-{builder.name}-{name}.pickle"
        self._afresh = start_afresh
        #: Loaded when first asked for: a file left as it was needs none.
        #: Each is dropped once taken (a source is asked for once).
        self._old: dict[Hashable, SourceFragment] | None = None
        #: The fragments this build used, pickled one by one as kept, in a
        #: temporary file beside the store; or why that failed.
        self._new: BinaryIO | None = None
        self._failed: OSError | None = None
        #: How many sources and quotations were rendered, not taken from a
        #: fragment.
        self.rendered_sources = 0
        self.rendered_quotes = 0

    def written(self) -> Written | None:
        """What the last build wrote to the file, if the store says."""
        if self._afresh:
            return None
        try:
            with self.path.open("rb") as stream:
                written = pickle.load(stream)
        except Exception:  # missing, truncated, another version: none
            return None
        return written if isinstance(written, Written) else None

    def _load(self) -> dict[Hashable, SourceFragment]:
        fragments: dict[Hashable, SourceFragment] = {}
        try:
            with self.path.open("rb") as stream:
                pickle.load(stream)  # Written
                if pickle.load(stream) != STORE_VERSION:
                    return {}
                while stream.peek(1):
                    key, fragment = pickle.load(stream)
                    fragments[key] = fragment
        except Exception:  # missing, truncated, another version: render anew
            return {}
        return fragments

    def source(self, key: Hashable) -> SourceFragment | None:
        """What the last build rendered of *key* (a source's key, or a
        name of another part of the file), if kept."""
        if self._old is None:
            self._old = {} if self._afresh else self._load()
        return self._old.pop(key, None)

    def keep(self, key: Hashable, fragment: SourceFragment) -> None:
        if self._failed is not None:
            return
        try:
            if self._new is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._new = tempfile.TemporaryFile(dir=self.path.parent)
            pickle.dump((key, fragment), self._new, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as exc:  # told at save(); the store is left alone
            self._failed = exc

    def report(self, what: str, sources: int) -> None:
        """Say (with ``-v``) how much of *what* was rendered, not kept."""
        logger.verbose(
            __("%s: %d of %d sources rendered (%d quotations)"), what, self.rendered_sources, sources, self.rendered_quotes
        )

    def save(self, written: Written) -> None:
        """Keep the fragments this build used, and what it wrote. A store
        that cannot be written is a warning: the next build renders anew."""
        new, self._new = self._new, None
        try:
            if self._failed is not None:
                raise self._failed
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_file(self.path) as stream:
                pickle.dump(written, stream, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(STORE_VERSION, stream, protocol=pickle.HIGHEST_PROTOCOL)
                if new is not None:
                    new.seek(0)
                    shutil.copyfileobj(new, stream)
        except OSError as exc:
            logger.warning(
                __("could not keep the rendered citation index in %s: %s"),
                self.path,
                exc.strerror or exc,
                type="quotefig",
                subtype=Subtype.CACHE.value,
            )
        finally:
            if new is not None:
                new.close()


#: Files are made as ``open()`` would make them, under the process's umask.
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextmanager
def atomic_file(path: str | Path) -> Iterator[BinaryIO]:
    """A file written under a name of its own in *path*'s folder, then
    renamed to *path*: readers never see half of it, and two builds at once
    never write the same temporary file. A symbolic link at *path* is
    written through, as Sphinx writes its pages."""
    target = Path(os.path.realpath(path))
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.chmod(name, 0o666 & ~_UMASK)
        os.replace(name, target)
    finally:
        Path(name).unlink(missing_ok=True)


def stat_of(path: str | Path) -> tuple[int, int] | None:
    """A file's size and modification time; None: no such file."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def render_settings(builder: Builder, sample_uri: str, *extra: Any) -> str:
    """What, besides the listing, shapes a file's fragments: the code, the
    builder, the language, the labels, the excerpt length, the reference
    style and the index's order, the form of links (*sample_uri*)."""
    config = builder.config
    return digest(
        STORE_VERSION,
        CODE_DIGEST,
        builder.name,
        config.language,
        config.quotefig_page_label,
        config.quotefig_pages_label,
        config.quotefig_excerpt_words,
        config.quotefig_reference_style,
        config.quotefig_index_sort,
        sample_uri,
        *extra,
    )


def start_afresh(app: Sphinx) -> bool:
    """Whether this build uses no fragment of an earlier one."""
    return bool(app.fresh_env_used) or getattr(app.builder, "_quotefig_wrote_all", False)


def note_written_documents(app: Sphinx, doctree: Any, docname: str) -> None:
    """``doctree-resolved``: tell whether this build writes every document."""
    builder = app.builder
    written = builder.__dict__.setdefault("_quotefig_written", set())
    written.add(docname)
    builder._quotefig_wrote_all = written >= app.env.found_docs


def write_fragment(
    fragments: Fragments, name: Hashable, key: str, render: Callable[[], bytes], write: Callable[[bytes], Any]
) -> None:
    """*write* what *render* makes, or what the fragment *name* holds if
    it was made under the same *key* (the digest of everything it shows)."""
    old = fragments.source(name)
    if old is None or old.key != key:
        old = SourceFragment(key, render(), {}, "", array("q"), array("q"))
    fragments.keep(name, old)
    write(old.data)


def write_listing(
    listing: Listing,
    fragments: Fragments,
    settings: str,
    write: Callable[[bytes], Any],
    encode: Callable[[str], bytes],
    entry: SourceEntry,
    around: Callable[[], tuple[str, str]],
    render: Callable[[QuoteRecord], str],
    separator: str = "",
) -> None:
    """*write* one source's part, *encode*d: the prefix *around* makes, each
    quotation as *render* makes it (*separator* between them), the suffix;
    from the fragments where they hold it. What *around* makes of the
    source must depend on nothing but the listing's digest of it and
    *settings*: it is called only where no fragment holds the part."""
    key = digest(settings, "part", listing.digest([entry]))
    old = fragments.source(entry.key)
    if old is not None and old.key == key:
        fragments.keep(entry.key, old)
        write(old.data)
        return
    fragments.rendered_sources += 1
    prefix, suffix = around()
    domain = listing.domain
    doc_keys = {
        docname: digest(
            settings,
            entry.key,
            tuple(summary),
            domain.doc_title(docname),
            [(name, source_fingerprint(domain.sources.get(name))) for name in summary.named],
            listing.shown.get((docname, entry.key)),
        )
        for docname, summary in entry.contributors.items()
    }
    kept = old.kept_entries(doc_keys) if old is not None and old.docs else {}
    records = listing.quotes(entry)
    gap = encode(separator)
    pieces = [encode(prefix)]
    position = len(pieces[0])
    bounds = array("q")
    for index, record in enumerate(records):
        data = kept.get((record.docname, record.serial))
        if data is None:
            fragments.rendered_quotes += 1
            data = encode(render(record))
        if index and gap:
            pieces.append(gap)
            position += len(gap)
        pieces.append(data)
        bounds += array("q", (position, position + len(data)))
        position += len(data)
    pieces.append(encode(suffix))
    part = b"".join(pieces)
    docs = "\x00".join(record.docname for record in records)
    serials = array("q", (record.serial for record in records))
    fragments.keep(entry.key, SourceFragment(key, part, doc_keys, docs, serials, bounds))
    write(part)

"""Each source file's indexed text, and what was found of each quotation
in it, cached under the doctree directory.

A cache entry is named by the file's SHA-256 digest and the versions of the
extractor and the matcher, so a changed file, a new extractor or a new index
shape each make a new entry and a stale one is never read. Entries hold the
extracted text's index (:class:`~sphinx_quotefig.matching.SourceIndex`), or
nothing more than the extraction error, so a second run opens no PDF.

Beside each index, :class:`FoundStore` keeps where each quotation text was
found (or the passage closest to it): the text alone decides that, so a
re-run matches only the quotations that are new or changed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from .extract import EXTRACTOR_VERSION, ExtractError, MissingExtra, extract, read_bytes
from .matching import MATCHER_VERSION, SourceIndex

CACHE_DIRNAME = "quotefig-text"


def file_digest(path: Path) -> str:
    return hashlib.sha256(read_bytes(path)).hexdigest()


def cache_path(cache_dir: Path, digest: str) -> Path:
    return cache_dir / f"{digest}-{EXTRACTOR_VERSION}-{MATCHER_VERSION}.pickle"


def load_index(path: Path, cache_dir: Path) -> SourceIndex:
    """The indexed text of *path*, from the cache when it holds it.

    Raises :class:`ExtractError` (also when the cache remembers one).
    """
    digest = file_digest(path)
    entry = cache_path(cache_dir, digest)
    try:
        cached = pickle.loads(entry.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        cached = None
    if isinstance(cached, SourceIndex):
        cached.digest = digest
        return cached
    if isinstance(cached, str):
        raise ExtractError(cached.replace("\x00", str(path)))
    try:
        result: SourceIndex | str = SourceIndex(extract(path))
    except MissingExtra:
        raise
    except ExtractError as exc:
        # Remembered without the path (the same bytes may sit elsewhere).
        result = str(exc).replace(str(path), "\x00")
    _store(entry, result)
    if isinstance(result, str):
        raise ExtractError(result.replace("\x00", str(path)))
    result.digest = digest
    return result


class FoundStore:
    """Per source file (by digest): quotation text -> what was found."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._loaded: dict[str, dict[str, Any]] = {}
        self._used: dict[str, dict[str, Any]] = {}

    def _entry(self, digest: str) -> Path:
        return cache_path(self.cache_dir, digest).with_suffix(".found.pickle")

    def get(self, digest: str, text: str) -> Any | None:
        if digest not in self._loaded:
            try:
                loaded = pickle.loads(self._entry(digest).read_bytes())
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
                loaded = None
            self._loaded[digest] = loaded if isinstance(loaded, dict) else {}
        found = self._loaded[digest].get(text)
        if found is not None:
            self._used.setdefault(digest, {})[text] = found
        return found

    def put(self, digest: str, text: str, found: Any) -> None:
        self._used.setdefault(digest, {})[text] = found

    def save(self) -> None:
        """Keep what this run used (so the store never grows stale)."""
        for digest, used in self._used.items():
            if used != self._loaded.get(digest):
                _store(self._entry(digest), used)


def _store(entry: Path, value: object) -> None:
    """Write atomically: parallel processes may write the same entry."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
    except OSError:
        pass  # a cache that cannot be written costs time, not correctness

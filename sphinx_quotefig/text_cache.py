"""Each source file's indexed text, cached under the doctree directory.

A cache entry is named by the file's SHA-256 digest and the versions of the
extractor and the matcher, so a changed file, a new extractor or a new index
shape each make a new entry and a stale one is never read. Entries hold the
extracted text's index (:class:`~sphinx_quotefig.matching.SourceIndex`), or
nothing more than the extraction error, so a second run opens no PDF.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

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
    return result


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

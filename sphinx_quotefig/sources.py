"""Sources: the works that quotations come from.

A source is declared in ``conf.py`` (``quotefig_sources``) or by a
``quote-source`` directive with options. Every ``quote-source`` directive is
recorded as a :class:`SourceDeclaration`; the sources of a project are
derived from those records and the configuration whenever they are needed
(:func:`resolve_sources`), never stored, so that incremental and parallel
builds cannot leave them stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

#: What ``quotefig_sources`` and ``quote-source`` accept: the short
#: reference (title, author, year, url), a local copy (``file``), and the
#: rest of a full reference (see references.py for the meaning of each).
SOURCE_FIELDS = (
    "title", "author", "year", "url", "file",
    "type", "editor", "container", "publisher", "place", "volume", "issue", "pages", "edition", "doi", "isbn",
)  # fmt: skip
#: Fields only bibliography readers write (references.py).
READER_FIELDS = ("authors", "editors", "title_emphasis")
#: Every field a source may have.
ALL_FIELDS = SOURCE_FIELDS + READER_FIELDS


class SourceDeclaration(NamedTuple):
    """One ``quote-source`` directive, ``quotefig_sources`` entry or
    bibliography entry (``origin``: the file, ``lineno``: its line).

    ``fields`` holds only the options that were given; a directive without
    options merely makes a source current and renders its line.
    """

    key: str
    fields: tuple[tuple[str, str], ...]
    docname: str | None  # None: conf.py
    lineno: int | None = None
    anchor: str = ""
    #: Under ``only`` or ``ifconfig``: its line may not be shown, so it is
    #: never the source's home.
    conditional: bool = False
    #: A bibliography entry's file, as configured (docname None).
    origin: str = ""

    @property
    def declares(self) -> bool:
        # A bibliography entry declares its source even when nothing of it
        # was read (the source shows its key).
        return bool(self.fields or self.origin)

    @property
    def place(self) -> str:
        if self.origin:
            return f"{self.origin}:{self.lineno}" if self.lineno else self.origin
        if self.docname is None:
            return "conf.py (quotefig_sources)"
        return f"{self.docname}:{self.lineno}" if self.lineno else self.docname

    def order(self) -> tuple:
        """conf.py first, then bibliographies (in the order given: the sort
        is stable), then documents by name and line: deterministic in
        parallel builds, where documents are read in no fixed order."""
        if self.origin:
            return (1, "", 0)
        if self.docname is None:
            return (0, "", 0)
        return (2, self.docname, self.lineno or 0)


class Source(NamedTuple):
    """A resolved source, as the output shows it."""

    key: str
    title: str = ""
    author: str = ""
    year: str = ""
    url: str = ""
    #: A local copy of the work, relative to the source directory: what
    #: ``quotecheck`` reads (never shown, never copied into the output).
    file: str = ""
    #: The rest of a full reference (references.py).
    type: str = ""
    editor: str = ""
    container: str = ""
    publisher: str = ""
    place: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    edition: str = ""
    doi: str = ""
    isbn: str = ""
    authors: str = ""
    editors: str = ""
    title_emphasis: str = ""
    #: Where its reference line first stands (docname, anchor), if anywhere.
    home: tuple[str, str] | None = None
    #: Not part of what the output shows (see source_fingerprint).
    declared_in: SourceDeclaration | None = None

    @property
    def display_title(self) -> str:
        return self.title or self.key

    def fields(self) -> dict[str, str]:
        """Its reference's fields that are set (not ``file``)."""
        return {name: value for name in ALL_FIELDS if name != "file" and (value := getattr(self, name))}


class SourceConflict(NamedTuple):
    """The same key declared twice with different data."""

    key: str
    kept: SourceDeclaration
    other: SourceDeclaration


def source_fingerprint(source: Source | None) -> tuple | None:
    """What the output shows of a source (not where it was declared)."""
    if source is None:
        return None
    return (source.key, tuple(sorted(source.fields().items())), source.home)


def resolve_sources(
    declarations: Iterable[SourceDeclaration],
) -> tuple[dict[str, Source], list[SourceConflict]]:
    """Merge declarations into sources; the first in :meth:`order` wins."""
    by_key: dict[str, list[SourceDeclaration]] = {}
    for decl in sorted(declarations, key=SourceDeclaration.order):
        by_key.setdefault(decl.key, []).append(decl)

    sources: dict[str, Source] = {}
    conflicts: list[SourceConflict] = []
    for key, decls in by_key.items():
        declaring = [d for d in decls if d.declares]
        if not declaring:
            continue  # only referenced: an unknown source, reported elsewhere
        # ``file`` names a local copy, no part of the reference (a
        # bibliography never gives one): a declaration may give the
        # reference, the copy, or both, and they conflict only where both
        # give one and it differs.
        describing = [d for d in declaring if _reference(d)] or declaring
        kept = describing[0]
        copy = next((dict(d.fields)["file"] for d in declaring if dict(d.fields).get("file")), "")
        for other in declaring:
            if other is kept:
                continue
            reference = _reference(other)
            other_copy = dict(other.fields).get("file", "")
            if reference and reference != _reference(kept):
                conflicts.append(SourceConflict(key, kept, other))
            elif other_copy and other_copy != copy:
                first = next(d for d in declaring if dict(d.fields).get("file") == copy)
                conflicts.append(SourceConflict(key, first, other))
        fields = dict(_reference(kept))
        if copy:
            fields["file"] = copy
        home = next(((d.docname, d.anchor) for d in decls if d.docname and not d.conditional), None)
        sources[key] = Source(key=key, home=home, declared_in=kept, **fields)
    return sources, conflicts


class Sources(Mapping[str, Source]):
    """Sources by key: those *resolved* from declarations, then the rest
    of a *library* (a bibliography: key -> its declaration), each made a
    source when first looked up: a library holds mostly works a project
    never quotes, and what is never looked up is never made."""

    def __init__(self, resolved: dict[str, Source], library: Mapping[str, SourceDeclaration]) -> None:
        self.resolved = resolved
        self.library = library
        self._made: dict[str, Source] = {}

    def __getitem__(self, key: str) -> Source:
        if key in self.resolved:
            return self.resolved[key]
        if key not in self._made:
            self._made[key] = resolve_sources([self.library[key]])[0][key]
        return self._made[key]

    def __contains__(self, key: object) -> bool:
        return key in self.resolved or key in self.library

    def __iter__(self) -> Iterator[str]:
        yield from self.resolved
        yield from (key for key in self.library if key not in self.resolved)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def from_library(self, key: str) -> bool:
        """Whether *key*'s source is described by a bibliography entry."""
        source = self.resolved.get(key)
        if source is None:
            return key in self.library
        return source.declared_in is not None and bool(source.declared_in.origin)


def _reference(declaration: SourceDeclaration) -> tuple[tuple[str, str], ...]:
    """What a declaration says of the work: its fields but ``file``, which
    names a local copy. Two declarations that differ only in ``file`` (or
    where one gives only a ``file``) do not conflict."""
    return tuple(pair for pair in declaration.fields if pair[0] != "file")


def normalise_fields(options: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """The declared fields in a canonical order, whitespace folded."""
    pairs = []
    for name in ALL_FIELDS:
        value = options.get(name)
        if value is None:
            continue
        text = " ".join(str(value).split())
        if text:
            pairs.append((name, text))
    return tuple(pairs)

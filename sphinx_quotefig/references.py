"""The parts of a full reference as plain values: names, styled titles, and
a source as CSL-JSON.

A source's fields are strings (``sources.SOURCE_FIELDS``), wherever the
source was declared: ``conf.py``, a ``quote-source`` directive or a
bibliography file. ``author`` and ``editor`` are free text, shown as
written (``Edith Carr, lock keeper``). Bibliography readers also write
fields that only they know, in one canonical spelling that
:func:`parse_names` and :func:`styled` read back:

``authors``, ``editors``
    the names, joined by `` and ``; each ``Family, Given``, or ``{Name}``
    for a name that is never split (a corporate author: ``{mySociety}``).
    A name without a comma (``Mary Beard``) is read as given names, then a
    family name: the last word.
``title_emphasis``
    the spans of ``title`` set in emphasis (from ``\\emph{}`` in BibTeX or
    ``<i>`` in CSL-JSON), as ``start:end`` character offsets, space
    separated.

A source declared with a free-text ``author`` has no structured names:
:func:`authors_of` reads it as one literal name, and :func:`sort_family`
takes its last word before any comma as the family name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

#: CSL item types a source may have (``type``); a source without one is a
#: ``document``. Bibliography readers map their own types onto these.
CSL_TYPES = frozenset({
    "article", "article-journal", "article-magazine", "article-newspaper", "book", "chapter",
    "dataset", "document", "entry-encyclopedia", "interview", "legal_case", "legislation",
    "manuscript", "map", "motion_picture", "paper-conference", "patent", "personal_communication",
    "post", "post-weblog", "report", "review", "software", "song", "speech", "thesis", "webpage",
    # CSL 1.0.2's further types (Zotero writes them)
    "broadcast", "classic", "collection", "event", "figure", "graphic", "hearing", "musical_score",
    "pamphlet", "performance", "periodical", "regulation", "review-book", "standard", "treaty",
})  # fmt: skip
DEFAULT_TYPE = "document"

#: Words after a family name in a free-text name, never the family name.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

#: Source fields and the CSL-JSON variables they become.
CSL_VARIABLES = {
    "title": "title",
    "container": "container-title",
    "publisher": "publisher",
    "place": "publisher-place",
    "volume": "volume",
    "issue": "issue",
    "pages": "page",
    "edition": "edition",
    "doi": "DOI",
    "isbn": "ISBN",
    "url": "URL",
}


class Name(NamedTuple):
    """One author or editor."""

    family: str
    given: str = ""
    #: A name never split into parts (a corporate author).
    literal: bool = False

    def display(self) -> str:
        """``Given Family`` (or the literal name)."""
        return " ".join(part for part in (self.given, self.family) if part)

    def inverted(self) -> str:
        """``Family, Given`` (or the literal name)."""
        return ", ".join(part for part in (self.family, self.given) if part)

    def spelled(self) -> str:
        """The canonical spelling (see the module)."""
        if self.literal:
            return "{" + self.family + "}"
        return self.inverted()

    def csl(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.family}
        return {"family": self.family, "given": self.given} if self.given else {"family": self.family}


def _split_and(text: str) -> Iterator[str]:
    """*text* split at `` and `` outside braces."""
    depth = 0
    start = 0
    for match in re.finditer(r"[{}]|\s+and\s+", text):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            yield text[start : match.start()]
            start = match.end()
    yield text[start:]


def parse_names(text: str) -> tuple[Name, ...]:
    """The names of an ``author`` or ``editor`` field (see the module)."""
    names = []
    for part in _split_and(text):
        part = " ".join(part.split())
        if not part:
            continue
        if part.startswith("{") and part.endswith("}") and "}" not in part[1:-1]:
            names.append(Name(part[1:-1].strip(), literal=True))
        elif "," in part:
            family, given = part.split(",", 1)
            names.append(Name(family.strip(), given.strip()))
        elif " " in part:
            given, family = part.rsplit(" ", 1)
            names.append(Name(family, given))
        else:
            names.append(Name(part))
    return tuple(names)


def spell_names(names: Iterable[Name]) -> str:
    """The canonical spelling of *names*: :func:`parse_names` reads it back."""
    return " and ".join(name.spelled() for name in names)


def join_names(names: Iterable[Name]) -> str:
    """``A``, ``A and B``, ``A, B and C``: names as a reader reads them (the
    free-text ``author`` a bibliography reader writes beside ``authors``)."""
    shown = [name.display() for name in names]
    return " and ".join(shown) if len(shown) < 3 else ", ".join(shown[:-1]) + " and " + shown[-1]


def authors_of(fields: Mapping[str, str], role: str = "author") -> tuple[Name, ...]:
    """The authors (or, *role* ``"editor"``, editors) of a source's fields:
    structured when a reader wrote them, else the free text as one name."""
    if fields.get(role + "s"):
        return parse_names(fields[role + "s"])
    text = fields.get(role, "")
    return (Name(text, literal=True),) if text else ()


def sort_family(fields: Mapping[str, str]) -> str:
    """The family name a source sorts under: its first author's (first
    editor's, when it has no author); "" without either."""
    for role in ("author", "editor"):
        if fields.get(role + "s"):
            return parse_names(fields[role + "s"])[0].family
        if text := fields.get(role, "").strip():
            words = text.split(",", 1)[0].split()
            # "William Strunk Jr.": the family name is the word before a suffix.
            while len(words) > 1 and words[-1].rstrip(".").casefold() in NAME_SUFFIXES:
                words.pop()
            return words[-1] if words else text
    return ""


def parse_spans(text: str) -> tuple[tuple[int, int], ...]:
    """``title_emphasis`` as ``(start, end)`` pairs; malformed pairs are dropped."""
    spans = []
    for pair in text.split():
        start, _, end = pair.partition(":")
        if start.isdigit() and end.isdigit() and int(start) < int(end):
            spans.append((int(start), int(end)))
    return tuple(sorted(spans))


def spell_spans(spans: Iterable[tuple[int, int]]) -> str:
    return " ".join(f"{start}:{end}" for start, end in spans)


def styled(text: str, spans: str) -> list[tuple[str, bool]]:
    """*text* in runs of ``(text, emphasised)``, by the ``title_emphasis``
    spelling *spans*; overlapping or out-of-range spans are clipped."""
    runs: list[tuple[str, bool]] = []
    position = 0
    for start, end in parse_spans(spans):
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        if start > position:
            runs.append((text[position:start], False))
        runs.append((text[start:end], True))
        position = end
    if position < len(text) or not runs:
        runs.append((text[position:], False))
    return runs


def issued(year: str) -> dict[str, Any] | None:
    """A ``year`` field (``2015``, ``2015-05``, ``2015-05-02``) as a CSL date."""
    parts = re.fullmatch(r"(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", year.strip())
    if parts is None:
        return {"literal": year} if year.strip() else None
    return {"date-parts": [[int(part) for part in parts.groups() if part is not None]]}


def csl_item(key: str, fields: Mapping[str, str]) -> dict[str, Any]:
    """A source as one CSL-JSON item (what reference managers import)."""
    item: dict[str, Any] = {"id": key, "type": fields.get("type") or DEFAULT_TYPE}
    for role in ("author", "editor"):
        if names := authors_of(fields, role):
            item[role] = [name.csl() for name in names]
    if fields.get("year") and (date := issued(fields["year"])):
        item["issued"] = date
    for field, variable in CSL_VARIABLES.items():
        if fields.get(field):
            item[variable] = fields[field]
    return item

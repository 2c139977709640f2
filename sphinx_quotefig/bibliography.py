"""Sources read from bibliography files: BibTeX/BibLaTeX (``.bib``, through
pybtex, the parser sphinxcontrib-bibtex uses) and CSL-JSON (``.json``, what
Zotero and Better BibTeX export).

Each entry is read as an :class:`Entry` (its fields as written) and
checked; it becomes a :class:`~.sources.SourceDeclaration` keyed by its
citation key only when a build asks for that key (:class:`Library`): a
library holds mostly works a project never quotes. A declaration has the
fields of a full reference (``references.py``):
``authors``/``editors`` in their canonical spelling beside the display text
``author``/``editor``, the title decoded to Unicode with its emphasised
spans in ``title_emphasis``, and the entry type mapped to a CSL type.
Nothing else of an entry is read: a ``file`` field (a reference manager's
attachment) never becomes the local copy ``quotecheck`` reads.

A file's entries and problems are kept under the digest of its bytes in
``<doctreedir>/quotefig/bibliography.pickle`` (with a digest of this
reader's code), so a build in which no bibliography changed parses none.
Every problem is a warning with the file and, where known, the line; the
entry or file is skipped and the build goes on.
"""

from __future__ import annotations

import functools
import hashlib
import html.parser
import json
import os
import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from sphinx.util import logging

from .diagnostics import Subtype, __, warn
from .references import CSL_TYPES, CSL_VARIABLES, DEFAULT_TYPE, Name, join_names, spell_names, spell_spans
from .sources import SourceDeclaration, normalise_fields
from .urls import unsafe_scheme

logger = logging.getLogger(__name__)

#: Bump when what the cache holds changes shape.
STORE_VERSION = 3

#: BibTeX and BibLaTeX entry types and the CSL types they become
#: (``@online``/``@misc`` are ``webpage`` when they have a URL).
BIBTEX_TYPES = {
    "article": "article-journal",
    "book": "book", "mvbook": "book", "collection": "book", "mvcollection": "book",
    "proceedings": "book", "mvproceedings": "book", "bookinbook": "chapter",
    "inbook": "chapter", "incollection": "chapter", "suppbook": "chapter", "suppcollection": "chapter",
    "inproceedings": "paper-conference", "conference": "paper-conference",
    "techreport": "report", "report": "report",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "online": "webpage", "electronic": "webpage", "www": "webpage", "misc": "webpage",
    "manual": "document", "booklet": "document", "unpublished": "manuscript", "set": "document",
    "patent": "patent", "dataset": "dataset", "software": "software", "periodical": "document",
}  # fmt: skip
#: The ones that are ``webpage`` only with a URL.
URL_TYPES = frozenset({"online", "electronic", "www", "misc"})

#: BibTeX fields read, in order of preference, for each source field.
BIBTEX_FIELDS = {
    "container": ("journaltitle", "journal", "booktitle"),
    "publisher": ("publisher", "institution", "organization", "school"),
    "place": ("location", "address"),
    "volume": ("volume",),
    "issue": ("number", "issue"),
    "pages": ("pages",),
    "edition": ("edition",),
    "doi": ("doi",),
    "isbn": ("isbn",),
    "url": ("url",),
}
#: CSL-JSON variables read for each source field (the title is read on
#: its own, for its markup): the mapping CSL-JSON is written with.
CSL_FIELDS = {field: variable for field, variable in CSL_VARIABLES.items() if field != "title"}
#: What an entry keeps of a file (not abstracts, notes or attachments).
#: (A field's name is this one string in every entry: pickled once.)
BIBTEX_READ = {name: name for name in ("title", "author", "editor", "year", "date", *(name for names in BIBTEX_FIELDS.values() for name in names))}
CSL_READ = frozenset({"title", "author", "editor", "issued", *CSL_FIELDS.values()})

#: Emphasis in a title: what pybtex leaves of ``\\emph{x}`` is the command
#: at the end of a string, followed by the braced group.
_EMPHASIS = re.compile(r"\\(?:emph|textit|textsl|mkbibemph)\s*$")
_COMMAND = re.compile(r"\\[A-Za-z]+\s*$")
#: What only a LaTeX decoder reads right; a field without any is read as it
#: is, its dashes set (as latexcodec sets them).
_LATEX = re.compile(r"[\\{}~$%&^_#]|``|''|!`|\?`")
_DASHES = re.compile(r"---?")
_DASH = {"--": "\u2013", "---": "\u2014"}


class Problem(NamedTuple):
    """A warning to give, kept with a file's declarations."""

    message: str
    subtype: str
    location: str


class Entry(NamedTuple):
    """One entry as read: the fields a declaration is made of, as written."""

    key: str
    #: BibTeX: the fields named in BIBTEX_READ; CSL-JSON: the item's CSL_READ variables.
    fields: dict[str, Any]
    #: BibTeX: its ``crossref`` parent's fields.
    parent: dict[str, str] | None
    #: As written: a BibTeX entry type (lower case) or a CSL type.
    type: str
    bibtex: bool
    origin: str
    line: int | None


class Parsed(NamedTuple):
    """What one file gave."""

    digest: str
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    #: A ``.bib`` file's pieces as read (see _read_in_pieces).
    pieces: Mapping[str, tuple[RawEntry, ...]]


@functools.cache
def reader_digest() -> str:
    """This reader's own code (and pybtex's version): declarations read by
    other code are not used. Computed when a bibliography is first read, so
    a project without one pays nothing for it."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in ("bibliography.py", "references.py", "sources.py"):
        digest.update((here / name).read_bytes())
    try:
        import pybtex  # optional: the bibtex extra
    except ImportError:  # .bib files are not read at all
        pass
    else:
        digest.update(pybtex.__version__.encode())
    return digest.hexdigest()


# -- LaTeX ---------------------------------------------------------------------


def _runs(parts: Iterable[Any], emphasised: bool = False) -> Iterator[tuple[str, bool]]:
    """pybtex rich text as runs of (text, emphasised)."""
    pending: str | None = None  # a command before a braced group: emph or not
    for part in parts:
        if isinstance(part, str) or hasattr(part, "value"):  # str, String
            text = str(part)
            if match := _EMPHASIS.search(text):
                text, pending = text[: match.start()], "emph"
            elif match := _COMMAND.search(text):
                text, pending = text[: match.start()], "other"
            else:
                pending = None
            if text:
                yield text, emphasised
            continue
        yield from _runs(part.parts, emphasised or pending == "emph")
        pending = None


@functools.lru_cache(maxsize=1 << 14)  # names and containers repeat
def latex_runs(value: str) -> tuple[tuple[str, bool], ...]:
    """A BibTeX field as Unicode runs of (text, emphasised): accents decoded
    (``{\\"o}``), ``--`` an en dash, braces dropped but their content kept as
    written, ``\\emph{}``/``\\textit{}`` emphasised, other commands dropped
    with their braced argument kept."""
    from pybtex.richtext import Text  # optional: the bibtex extra

    if not _LATEX.search(value):  # most fields: no markup to decode
        return ((_DASHES.sub(lambda match: _DASH[match.group()], value), False),)
    runs: list[tuple[str, bool]] = []
    for text, emphasised in _runs(Text.from_latex(value).parts):
        if runs and runs[-1][1] == emphasised:
            runs[-1] = (runs[-1][0] + text, emphasised)
        else:
            runs.append((text, emphasised))
    return tuple(runs)


def latex_text(value: str) -> str:
    return " ".join("".join(text for text, _ in latex_runs(value)).split())


def folded_runs(runs: Iterable[tuple[str, bool]]) -> tuple[str, str]:
    """Runs as the text (whitespace folded, as normalise_fields folds it)
    and its ``title_emphasis`` spans."""
    text = ""
    spans = []
    for run, emphasised in runs:
        run = re.sub(r"\s+", " ", run)
        if text.endswith(" ") or not text:
            run = run.lstrip()
        start = len(text)
        text += run
        if emphasised and run.strip():
            stripped = run.rstrip()
            spans.append((start, start + len(stripped)))
    stripped = text.rstrip()
    spans = [(start, min(end, len(stripped))) for start, end in spans if start < len(stripped)]
    return stripped, spell_spans(spans)


# -- BibTeX ----------------------------------------------------------------------


def _person_name(person: Any) -> Name:
    parts = [*person.first_names, *person.middle_names, *person.prelast_names, *person.last_names, *person.lineage_names]
    if len(parts) == 1 and parts[0].startswith("{") and parts[0].endswith("}"):
        return Name(latex_text(parts[0]), literal=True)
    family = latex_text(" ".join([*person.prelast_names, *person.last_names, *person.lineage_names]))
    given = latex_text(" ".join([*person.first_names, *person.middle_names]))
    return Name(family, given)


_ENTRY_START = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()]+)\s*,")
#: Where a BibTeX command may begin: an ``@`` first on its line.
_COMMAND_LINE = re.compile(r"^[ \t]*@", re.MULTILINE)
_MACRO = re.compile(r"@\s*string\s*[{(]", re.IGNORECASE)


class RawEntry(NamedTuple):
    """One entry as pybtex gave it, before its ``crossref`` is followed."""

    key: str
    type: str
    fields: dict[str, str]
    crossref: str


def entry_lines(text: str) -> dict[str, int]:
    """Each entry key's line, where ``@type{key,`` first stands (pybtex
    keeps no line per entry): locating, in one pass, not parsing."""
    lines: dict[str, int] = {}
    line, position = 1, 0
    for match in _ENTRY_START.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        lines.setdefault(match.group(1).lower(), line)
    return lines


def _pybtex_parse(text: str, macros: Mapping[str, str] | None = None) -> tuple[Any, list[Exception], dict[str, str]]:
    """pybtex's reading of *text*, its complaints, and the macros it ends
    with (*macros*: those defined before *text*)."""
    import pybtex.errors  # optional: the bibtex extra
    from pybtex.database import BibliographyData
    from pybtex.database.input.bibtex import Parser

    # Errors are collected rather than raised or printed: the parser goes on
    # after a syntax error with the next entry. Names are left as written:
    # read for the entries a build shows, checked for all (_persons).
    parser = Parser(person_fields=()) if macros is None else Parser(person_fields=(), macros=macros)
    with pybtex.errors.capture() as errors:
        try:
            data = parser.parse_string(text)
        except Exception as exc:  # what capture cannot hold
            errors.append(exc)
            data = BibliographyData()
    return data, list(errors), parser.macros


def _raw_entries(data: Any) -> tuple[RawEntry, ...]:
    return tuple(
        RawEntry(key, (getattr(entry, "original_type", None) or entry.type).lower(), _kept(entry.fields), entry.fields.get("crossref", ""))
        for key, entry in data.entries.items()
    )


def _read_in_pieces(text: str, known: Mapping[str, tuple[RawEntry, ...]]) -> tuple[list[RawEntry], dict[str, tuple[RawEntry, ...]]] | None:
    """The file's entries, pybtex reading only the pieces *known* lacks.

    The file is cut before every line that starts with ``@``; a piece is
    keyed by its text and every macro (``@string``) defined before it.
    pybtex reads whole commands, so a piece that is not whole (a cut inside
    a braced or quoted value) ends in a syntax error: None then, and on any
    error or a key in two pieces, so that the whole file is read at once
    and its warnings are pybtex's own."""
    starts = [match.start() for match in _COMMAND_LINE.finditer(text)]
    macros: dict[str, str] | None = None
    scope = hashlib.sha256()
    entries: list[RawEntry] = []
    pieces: dict[str, tuple[RawEntry, ...]] = {}
    for start, end in zip(starts, [*starts[1:], len(text)]):
        piece = text[start:end]
        defines = _MACRO.search(piece) is not None
        if defines:
            scope.update(piece.encode())
        key = hashlib.sha256(scope.digest() + piece.encode()).hexdigest()
        read = None if defines else known.get(key)
        if read is None:
            data, errors, after = _pybtex_parse(piece, macros)
            if errors:
                return None
            if defines:
                macros = after
            read = _raw_entries(data)
        pieces[key] = read
        entries.extend(read)
    if len({entry.key.lower() for entry in entries}) != len(entries):
        return None
    return entries, pieces


def read_bibtex(text: str, name: str, location: str, known: Mapping[str, tuple[RawEntry, ...]] | None = None) -> tuple[list[Entry], list[Problem], dict[str, tuple[RawEntry, ...]]]:
    """A ``.bib`` file's entries (*name*: as warnings name it, *location*:
    its path for warnings), its problems, and its pieces as read (for
    *known* the next time it changes)."""
    problems: list[Problem] = []
    in_pieces = _read_in_pieces(text, known or {})
    if in_pieces is None:
        data, errors, _ = _pybtex_parse(text)
        for error in errors:
            line = getattr(error, "lineno", None)
            problems.append(Problem(__("bibliography %s: %s") % (name, error), Subtype.BIBLIOGRAPHY, _at(location, line)))
        raw, pieces = list(_raw_entries(data)), {}
    else:
        raw, pieces = in_pieces
    by_key = {entry.key.lower(): entry for entry in raw}  # case-insensitive, as in BibTeX
    lines = entry_lines(text)
    entries = []
    for entry in raw:
        parent = by_key.get(entry.crossref.lower()) if entry.crossref else None
        entries.append(Entry(entry.key, entry.fields, parent.fields if parent else None, entry.type, True, name, lines.get(entry.key.lower())))
    return entries, problems, pieces


def _kept(fields: Mapping[str, str]) -> dict[str, str]:
    return {name: value for field, value in fields.items() if (name := BIBTEX_READ.get(field.lower()))}


def _field(entry: Entry, *names: str) -> str:
    """The first of *names* the entry has, else its ``crossref`` parent."""
    for fields in (entry.fields, entry.parent or {}):
        for each in names:
            if value := fields.get(each, "").strip():
                return value
    return ""


def _persons(value: str, only_commas: bool = False) -> tuple[list[Any], list[Exception]]:
    """A names field (``Doe, Jane and {mySociety}``) as pybtex reads it,
    and its complaints: with *only_commas*, only the names it can complain
    about, those with more than two commas (biblatex's extended name
    format, ``family=Doe, given=Jane``)."""
    import pybtex.errors  # optional: the bibtex extra
    from pybtex.bibtex.utils import split_name_list
    from pybtex.database import Person

    if not value or (only_commas and value.count(",") < 3):
        return [], []
    with pybtex.errors.capture() as errors:
        return [Person(name) for name in split_name_list(value) if not only_commas or name.count(",") >= 3], list(errors)


def bibtex_fields(entry: Entry) -> dict[str, str]:
    """One entry's source fields. A ``crossref`` parent gives the fields
    the entry lacks, its names, and (as in BibLaTeX) its title as the
    entry's container."""
    fields: dict[str, str] = {}
    if title := entry.fields.get("title", "").strip():
        fields["title"], fields["title_emphasis"] = folded_runs(latex_runs(title))
    for role in ("author", "editor"):
        if names := [_person_name(person) for person in _persons(_field(entry, role))[0]]:
            fields[role + "s"] = spell_names(names)
            fields[role] = join_names(names)
    year = _field(entry, "year")
    fields["year"] = latex_text(year) if year else _field(entry, "date").split("/")[0]
    for target, names in BIBTEX_FIELDS.items():
        if value := _field(entry, *names):
            fields[target] = latex_text(value) if target != "url" else value
    if not fields.get("container") and entry.parent and (parent_title := entry.parent.get("title", "").strip()):
        fields["container"] = latex_text(parent_title)
    return _typed(fields, entry)


# -- CSL-JSON ------------------------------------------------------------------------


class _Markup(html.parser.HTMLParser):
    """CSL-JSON rich text: ``<i>`` is emphasis, other tags are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[tuple[str, bool]] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.depth += tag == "i"

    def handle_endtag(self, tag: str) -> None:
        if tag == "i":
            self.depth = max(self.depth - 1, 0)

    def handle_data(self, data: str) -> None:
        self.runs.append((data, self.depth > 0))


def markup_runs(value: str) -> list[tuple[str, bool]]:
    parser = _Markup()
    parser.feed(value)
    parser.close()
    return parser.runs


def _csl_name(name: Mapping[str, Any]) -> Name | None:
    if literal := str(name.get("literal", "")).strip():
        return Name(literal, literal=True)
    family = " ".join(str(name.get(part, "")).strip() for part in ("non-dropping-particle", "family", "suffix")).strip()
    given = " ".join(str(name.get(part, "")).strip() for part in ("given", "dropping-particle")).strip()
    family, given = " ".join(family.split()), " ".join(given.split())
    if not family and given:
        return Name(given)
    return Name(family, given) if family else None


def _csl_date(value: Any) -> str:
    """A CSL date (``date-parts``, ``raw``, ``literal``) as a year or ISO date."""
    if isinstance(value, (str, int)):
        return str(value)
    if not isinstance(value, Mapping):
        return ""
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        numbers = [str(part) for part in parts[0][:3]]
        if all(number.lstrip("-").isdigit() for number in numbers):
            year, *rest = numbers
            return "-".join([year, *(number.zfill(2) for number in rest)])
    return str(value.get("raw") or value.get("literal") or "")


def _json_line(text: str, key: str) -> int | None:
    match = re.search(r'"id"\s*:\s*"?' + re.escape(key) + r'"?\s*[,}\n]', text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def read_csl_json(text: str, name: str, location: str) -> tuple[list[Entry], list[Problem]]:
    """A CSL-JSON file's items: a list of objects (or one object with
    ``items``, as some exports write it)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Problem(__("bibliography %s: not valid JSON: %s (column %d)") % (name, exc.msg, exc.colno), Subtype.BIBLIOGRAPHY, _at(location, exc.lineno))]
    if isinstance(data, Mapping) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        return [], [Problem(__("bibliography %s: CSL-JSON must be a list of items") % name, Subtype.BIBLIOGRAPHY, _at(location, None))]
    entries = []
    problems = []
    for index, item in enumerate(data):
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), (str, int)) or not str(item["id"]).strip():
            problems.append(Problem(__("bibliography %s: item %d is not an object with an id; skipped") % (name, index + 1), Subtype.BIBLIOGRAPHY, _at(location, None)))
            continue
        key = " ".join(str(item["id"]).split())
        line = _json_line(text, str(item["id"]))
        origin = name if line else f"{name} (item {index + 1})"
        read = {variable: value for variable, value in item.items() if variable in CSL_READ}
        entries.append(Entry(key, read, None, str(item.get("type") or DEFAULT_TYPE), False, origin, line))
    return entries, problems


def csl_fields(entry: Entry) -> dict[str, str]:
    item = entry.fields
    fields: dict[str, str] = {}
    if title := str(item.get("title") or "").strip():
        fields["title"], fields["title_emphasis"] = folded_runs(markup_runs(title))
    for role in ("author", "editor"):
        people = item.get(role)
        names = [found for person in people if isinstance(person, Mapping) and (found := _csl_name(person))] if isinstance(people, list) else []
        if names:
            fields[role + "s"] = spell_names(names)
            fields[role] = join_names(names)
    fields["year"] = _csl_date(item.get("issued"))
    for target, variable in CSL_FIELDS.items():
        value = item.get(variable)
        if isinstance(value, (str, int, float)) and str(value).strip():
            text = str(value)
            fields[target] = "".join(run for run, _ in markup_runs(text)) if target != "url" else text
    return _typed(fields, entry)


# -- both readers -------------------------------------------------------------------


def csl_type(entry: Entry, url: str) -> str | None:
    """An entry's CSL type; None for a type not known (read as a
    document). ``@online``/``@misc`` are ``webpage`` only with a URL."""
    if not entry.bibtex:
        return entry.type if entry.type in CSL_TYPES else None
    if entry.type in URL_TYPES and not url:
        return DEFAULT_TYPE
    return BIBTEX_TYPES.get(entry.type)


def _typed(fields: dict[str, str], entry: Entry) -> dict[str, str]:
    """The tail of both readers: the type set (a source without one is a
    document), an unsafe URL dropped."""
    if (found := csl_type(entry, fields.get("url", ""))) and found != DEFAULT_TYPE:
        fields["type"] = found
    if (url := fields.get("url", "").strip()) and unsafe_scheme(url):
        del fields["url"]  # warned about by entry_problems
    return fields


def _url(entry: Entry) -> str:
    if entry.bibtex:
        return _field(entry, "url")
    value = entry.fields.get(CSL_FIELDS["url"])
    return str(value).strip() if isinstance(value, (str, int, float)) else ""


def entry_problems(entry: Entry, name: str) -> Iterator[tuple[str, str]]:
    """What is wrong with an entry, found without making it a declaration:
    every entry of a file is checked, whether a build shows it or not."""
    key = entry.key
    if not str(entry.fields.get("title") or "").strip():
        yield __("bibliography %s: entry %r has no title; its key is shown instead") % (name, key), Subtype.BIBLIOGRAPHY
    if entry.bibtex:
        for role in ("author", "editor"):
            for error in _persons(entry.fields.get(role, ""), only_commas=True)[1]:
                yield __("bibliography %s: %s") % (name, error), Subtype.BIBLIOGRAPHY
    url = _url(entry)
    if csl_type(entry, url) is None:
        if entry.bibtex:
            message = __("bibliography %s: entry %r has the unknown type @%s; read as a document")
        else:
            message = __("bibliography %s: entry %r has the unknown type %r; read as a document")
        yield message % (name, key, entry.type), Subtype.BIBLIOGRAPHY
    if url and (scheme := unsafe_scheme(url)):
        message = __("bibliography %s: entry %r: URL scheme %r is not allowed (http, https, mailto or relative); URL dropped")
        yield message % (name, key, scheme), Subtype.UNSAFE_URL


def declaration(entry: Entry) -> SourceDeclaration:
    fields = bibtex_fields(entry) if entry.bibtex else csl_fields(entry)
    return SourceDeclaration(entry.key, normalise_fields(fields), None, entry.line, origin=entry.origin)


class Library(Mapping[str, SourceDeclaration]):
    """Every file's entries by key (key -> the first file's declaration),
    each made a declaration when first asked for."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._entries: dict[str, list[Entry]] = {}
        for entry in entries:
            self._entries.setdefault(entry.key, []).append(entry)
        self._made: dict[str, list[SourceDeclaration]] = {}
        #: Keys with more than one entry: their declarations may conflict.
        self.shared = frozenset(key for key, found in self._entries.items() if len(found) > 1)

    def declarations(self, key: str) -> list[SourceDeclaration]:
        """Every entry of *key*, in the order of the files."""
        if key not in self._made:
            self._made[key] = [declaration(entry) for entry in self._entries[key]]
        return self._made[key]

    def __getitem__(self, key: str) -> SourceDeclaration:
        return self.declarations(key)[0]

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


# -- files and the cache ---------------------------------------------------------------


def _at(location: str, line: int | None) -> str:
    # A location with a colon is printed as it is (Sphinx reads one without
    # as a document name).
    return f"{location}:{line}" if line else f"{location}:"


def pybtex_available() -> bool:
    try:
        import pybtex.database  # noqa: F401  (optional: the bibtex extra)
    except ImportError:
        return False
    return True


def parse_file(name: str, path: Path, data: bytes, before: Parsed | None = None) -> Parsed:
    """One file's declarations and problems (*data*: its bytes; *before*:
    what its previous version gave)."""
    digest = hashlib.sha256(data).hexdigest()
    location = str(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = Problem(__("bibliography %s is not UTF-8 (%s)") % (name, exc.reason), Subtype.BIBLIOGRAPHY, _at(location, None))
        return Parsed(digest, (), (problem,), {})
    if path.suffix.lower() == ".json":
        entries, problems = read_csl_json(text, name, location)
        pieces = {}
    else:
        entries, problems, pieces = read_bibtex(text, name, location, before.pieces if before else None)
    for entry in entries:
        problems.extend(Problem(message, subtype, _at(location, entry.line)) for message, subtype in entry_problems(entry, name))
    return Parsed(digest, tuple(entries), tuple(problems), pieces)


def _load_store(path: Path | None) -> dict[str, Parsed]:
    if path is None:
        return {}
    try:
        with path.open("rb") as stream:
            version, reader, parsed = pickle.load(stream)
    except Exception:  # missing or unreadable: every file is parsed
        return {}
    if version != STORE_VERSION or reader != reader_digest() or not isinstance(parsed, dict):
        return {}
    return parsed


def _save_store(path: Path, parsed: dict[str, Parsed]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((STORE_VERSION, reader_digest(), parsed), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)
    except OSError as exc:  # the next build parses again
        logger.warning(__("could not keep the parsed bibliographies in %s: %s"), path, exc.strerror or exc, type="quotefig", subtype=Subtype.CACHE.value)


def read_bibliographies(files: Iterable[tuple[str, Path]], store: Path | None) -> Library:
    """The entries of *files* (name as written, absolute path), in
    order; each file parsed only when its bytes differ from what *store*
    (the cache) holds. Problems are warned about on every build."""
    kept = _load_store(store)
    current: dict[str, Parsed] = {}
    entries: list[Entry] = []
    pybtex_warned = False
    for name, path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            warn(__("bibliography %s cannot be read: %s") % (name, exc.strerror or exc), Subtype.BIBLIOGRAPHY, _at(str(path), None))
            continue
        if path.suffix.lower() != ".json" and not pybtex_available():
            if not pybtex_warned:
                warn(
                    __('bibliography %s: reading .bib files needs pybtex: pip install "sphinx-quotefig[bibtex]"') % name,
                    Subtype.BIBLIOGRAPHY,
                    _at(str(path), None),
                )
                pybtex_warned = True
            continue
        cache_key = f"{name}\x00{path}"
        parsed = kept.get(cache_key)
        if parsed is not None and parsed.digest == hashlib.sha256(data).hexdigest():
            logger.verbose(__("quotefig: bibliography %s unchanged"), name)
        else:
            before, parsed = parsed, parse_file(name, path, data, parsed)
            known = before.pieces if before else {}
            fresh = sum(len(read) for key, read in parsed.pieces.items() if key not in known) if parsed.pieces else len(parsed.entries)
            logger.verbose(__("quotefig: bibliography %s parsed (%d entries, %d of them read anew)"), name, len(parsed.entries), fresh)
        current[cache_key] = parsed
        for problem in parsed.problems:
            warn(problem.message, problem.subtype, problem.location)
        entries.extend(parsed.entries)
    if store is not None and current != kept:
        _save_store(store, current)
    return Library(entries)

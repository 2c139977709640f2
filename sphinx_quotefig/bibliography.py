"""Sources read from bibliography files: BibTeX/BibLaTeX (``.bib``, through
pybtex, the parser sphinxcontrib-bibtex uses) and CSL-JSON (``.json``, what
Zotero and Better BibTeX export).

Each entry becomes a :class:`~.sources.SourceDeclaration` keyed by its
citation key, with the fields of a full reference (``references.py``):
``authors``/``editors`` in their canonical spelling beside the display text
``author``/``editor``, the title decoded to Unicode with its emphasised
spans in ``title_emphasis``, and the entry type mapped to a CSL type.
Nothing else of an entry is read: a ``file`` field (a reference manager's
attachment) never becomes the local copy ``quotecheck`` reads.

A file's declarations are kept under the digest of its bytes in
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
STORE_VERSION = 1

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


class Parsed(NamedTuple):
    """What one file gave."""

    digest: str
    declarations: tuple[SourceDeclaration, ...]
    problems: tuple[Problem, ...]


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


def read_bibtex(text: str, name: str, location: str) -> tuple[list[SourceDeclaration], list[Problem]]:
    """A ``.bib`` file's entries (*name*: as warnings name it, *location*:
    its path for warnings)."""
    import pybtex.errors  # optional: the bibtex extra
    from pybtex.database import BibliographyData
    from pybtex.database.input.bibtex import Parser

    problems: list[Problem] = []
    # Errors are collected rather than raised or printed: the parser goes on
    # after a syntax error with the next entry.
    with pybtex.errors.capture() as errors:
        try:
            data: BibliographyData = Parser().parse_string(text)
        except Exception as exc:  # what capture cannot hold
            errors.append(exc)
            data = BibliographyData()
    for error in errors:
        line = getattr(error, "lineno", None)
        problems.append(Problem(__("bibliography %s: %s") % (name, error), Subtype.BIBLIOGRAPHY, _at(location, line)))

    declarations = []
    lines = entry_lines(text)
    for key, entry in data.entries.items():
        line = lines.get(key.lower())
        at = _at(location, line)
        parent = _crossref(data, entry)
        fields, entry_problems = bibtex_fields(key, entry, parent, name)
        problems.extend(Problem(message, subtype, at) for message, subtype in entry_problems)
        declarations.append(SourceDeclaration(key, normalise_fields(fields), None, line, origin=name))
    return declarations, problems


def _crossref(data: Any, entry: Any) -> Any:
    target = entry.fields.get("crossref")
    if not target:
        return None
    try:
        return data.entries[target]  # case-insensitive, as in BibTeX
    except KeyError:
        return None


def bibtex_fields(key: str, entry: Any, parent: Any, name: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """One entry's source fields, and its problems. A ``crossref`` parent
    gives the fields the entry lacks, its names, and (as in BibLaTeX) its
    title as the entry's container."""
    problems: list[tuple[str, str]] = []

    def field(*names: str) -> str:
        for source in (entry, parent):
            if source is None:
                continue
            for each in names:
                if value := source.fields.get(each, "").strip():
                    return value
        return ""

    def persons(role: str) -> list[Name]:
        for source in (entry, parent):
            if source is not None and source.persons.get(role):
                return [_person_name(person) for person in source.persons[role]]
        return []

    fields: dict[str, str] = {}
    if title := entry.fields.get("title", "").strip():
        fields["title"], fields["title_emphasis"] = folded_runs(latex_runs(title))
    else:
        problems.append((__("bibliography %s: entry %r has no title; its key is shown instead") % (name, key), Subtype.BIBLIOGRAPHY))
    for role in ("author", "editor"):
        if names := persons(role):
            fields[role + "s"] = spell_names(names)
            fields[role] = join_names(names)
    year = field("year")
    date = field("date")
    fields["year"] = latex_text(year) if year else date.split("/")[0]
    entry_type = entry.original_type.lower() if getattr(entry, "original_type", None) else entry.type.lower()
    for target, names in BIBTEX_FIELDS.items():
        if value := field(*names):
            fields[target] = latex_text(value) if target != "url" else value
    if not fields.get("container") and parent is not None and (parent_title := parent.fields.get("title", "").strip()):
        fields["container"] = latex_text(parent_title)
    if entry_type in BIBTEX_TYPES:
        csl_type = BIBTEX_TYPES[entry_type]
        if entry_type in URL_TYPES and not fields.get("url"):
            csl_type = DEFAULT_TYPE
    else:
        problems.append((__("bibliography %s: entry %r has the unknown type @%s; read as a document") % (name, key, entry_type), Subtype.BIBLIOGRAPHY))
        csl_type = DEFAULT_TYPE
    if csl_type != DEFAULT_TYPE:  # a source without a type is a document
        fields["type"] = csl_type
    _drop_unsafe_url(fields, key, name, problems)
    return fields, problems


def _drop_unsafe_url(fields: dict[str, str], key: str, name: str, problems: list[tuple[str, str]]) -> None:
    if (url := fields.get("url", "").strip()) and (scheme := unsafe_scheme(url)):
        problems.append((
            __("bibliography %s: entry %r: URL scheme %r is not allowed (http, https, mailto or relative); URL dropped") % (name, key, scheme),
            Subtype.UNSAFE_URL,
        ))
        del fields["url"]


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


def read_csl_json(text: str, name: str, location: str) -> tuple[list[SourceDeclaration], list[Problem]]:
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
    declarations = []
    problems = []
    for index, item in enumerate(data):
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), (str, int)) or not str(item["id"]).strip():
            problems.append(Problem(__("bibliography %s: item %d is not an object with an id; skipped") % (name, index + 1), Subtype.BIBLIOGRAPHY, _at(location, None)))
            continue
        key = " ".join(str(item["id"]).split())
        line = _json_line(text, str(item["id"]))
        fields, item_problems = csl_fields(key, item, name)
        problems.extend(Problem(message, subtype, _at(location, line)) for message, subtype in item_problems)
        origin = name if line else f"{name} (item {index + 1})"
        declarations.append(SourceDeclaration(key, normalise_fields(fields), None, line, origin=origin))
    return declarations, problems


def csl_fields(key: str, item: Mapping[str, Any], name: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    fields: dict[str, str] = {}
    if title := str(item.get("title") or "").strip():
        fields["title"], fields["title_emphasis"] = folded_runs(markup_runs(title))
    else:
        problems.append((__("bibliography %s: entry %r has no title; its key is shown instead") % (name, key), Subtype.BIBLIOGRAPHY))
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
    csl_type = str(item.get("type") or DEFAULT_TYPE)
    if csl_type not in CSL_TYPES:
        problems.append((__("bibliography %s: entry %r has the unknown type %r; read as a document") % (name, key, csl_type), Subtype.BIBLIOGRAPHY))
        csl_type = DEFAULT_TYPE
    if csl_type != DEFAULT_TYPE:  # a source without a type is a document
        fields["type"] = csl_type
    _drop_unsafe_url(fields, key, name, problems)
    return fields, problems


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


def parse_file(name: str, path: Path, data: bytes) -> Parsed:
    """One file's declarations and problems (*data*: its bytes)."""
    digest = hashlib.sha256(data).hexdigest()
    location = str(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = Problem(__("bibliography %s is not UTF-8 (%s)") % (name, exc.reason), Subtype.BIBLIOGRAPHY, _at(location, None))
        return Parsed(digest, (), (problem,))
    if path.suffix.lower() == ".json":
        declarations, problems = read_csl_json(text, name, location)
    else:
        declarations, problems = read_bibtex(text, name, location)
    return Parsed(digest, tuple(declarations), tuple(problems))


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


def read_bibliographies(files: Iterable[tuple[str, Path]], store: Path | None) -> list[SourceDeclaration]:
    """The declarations of *files* (name as written, absolute path), in
    order; each file parsed only when its bytes differ from what *store*
    (the cache) holds. Problems are warned about on every build."""
    kept = _load_store(store)
    current: dict[str, Parsed] = {}
    declarations: list[SourceDeclaration] = []
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
            parsed = parse_file(name, path, data)
            logger.verbose(__("quotefig: bibliography %s parsed (%d entries)"), name, len(parsed.declarations))
        current[cache_key] = parsed
        for problem in parsed.problems:
            warn(problem.message, problem.subtype, problem.location)
        declarations.extend(parsed.declarations)
    if store is not None and current != kept:
        _save_store(store, current)
    return declarations

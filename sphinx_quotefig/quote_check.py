"""Checking quotations against their source's own text.

:func:`quotations_in` reads a document's quotations (block and cited inline)
from its doctree; a :class:`Checker` finds each in the indexed text of its
source's ``file`` and gives it a :class:`Result`. The ``quotecheck`` builder
and the HTML build's optional check (:mod:`.quotecheck_builder`) both use
these.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from docutils import nodes

from . import nodes as qnodes
from .diagnostics import __, warn
from .extract import ExtractError
from .locators import Locator
from .matching import MISQUOTE_SIMILARITY, Closest, Match, SourceIndex
from .text_cache import CACHE_DIRNAME, FoundStore, load_index

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .sources import Source

VERIFIED = "verified"
WRONG_PAGE = "wrong page"
MISQUOTED = "misquoted"
NOT_FOUND = "not found"
NO_TEXT = "no text"
UNCHECKED = "unchecked"
#: Every status, in the order the summary counts them.
STATUSES = (VERIFIED, WRONG_PAGE, MISQUOTED, NOT_FOUND, NO_TEXT, UNCHECKED)
#: The warning subtype of each status that is warned about (no_text is
#: warned once per source, not per quotation).
WARNING_SUBTYPES = {WRONG_PAGE: "wrong_page", MISQUOTED: "misquote", NOT_FOUND: "not_found"}


class Quotation(NamedTuple):
    docname: str
    lineno: int | None
    kind: str  # "block" or "inline"
    source: str | None
    locator: Locator | None
    text: str

    @property
    def location(self) -> tuple[str, int | None]:
        return (self.docname, self.lineno)


class Result(NamedTuple):
    quotation: Quotation
    status: str
    #: Where it was found, in the source's page labels ("27", "35–36").
    found_at: str = ""
    similarity: float | None = None
    #: Word by word: ``[-quoted-]`` and ``{+source+}``.
    difference: str = ""
    #: What is wrong, in a sentence (empty when verified or unchecked).
    message: str = ""


def quotations_in(doctree: nodes.Node, docname: str, sources: Mapping[str, Source]) -> list[Quotation]:
    """The quotations of a document in document order: every block quote,
    and the inline quotes that cite a source."""
    found = []
    for node in doctree.findall(lambda n: isinstance(n, (qnodes.quote_figure, qnodes.inline_quote))):
        if isinstance(node, qnodes.quote_figure):
            body = qnodes.part_of(node, qnodes.quote_body)
            text = " ".join(qnodes.visible_paragraphs(body)) if body is not None else ""
            kind = "block"
        elif node.get("cited"):
            text, kind = node.astext(), "inline"
        else:
            continue
        text = qnodes.with_source_titles(text, sources)
        found.append(Quotation(docname, node.line, kind, node.get("source_key"), node.get("locator"), text))
    return found


def source_path(source: Source, srcdir: Path) -> Path | None:
    return Path(srcdir, source.file) if source.file else None


class Checker:
    """Checks quotations; reads each source file once (through the cache)."""

    def __init__(self, srcdir: Path, doctreedir: Path, sources: Mapping[str, Source]) -> None:
        self.srcdir = Path(srcdir)
        self.cache_dir = Path(doctreedir) / CACHE_DIRNAME
        self.sources = sources
        self._indexes: dict[Path, SourceIndex | ExtractError] = {}
        self._found = FoundStore(self.cache_dir)
        self._paths: dict[str, Path] = {}

    def path(self, source: Source) -> Path:
        """The source's file (made once per source: thousands of quotations
        share a few)."""
        path = self._paths.get(source.file)
        if path is None:
            path = self._paths[source.file] = Path(self.srcdir, source.file)
        return path

    def files(self, quotations: list[Quotation]) -> list[Path]:
        """The files the quotations need, sorted."""
        paths = set()
        for quotation in quotations:
            source = self.sources.get(quotation.source or "")
            if source is not None and source.file:
                paths.add(self.path(source))
        return sorted(paths)

    def index(self, path: Path) -> SourceIndex | ExtractError:
        if path not in self._indexes:
            try:
                self._indexes[path] = load_index(path, self.cache_dir)
            except ExtractError as exc:
                self._indexes[path] = exc
        return self._indexes[path]

    def no_text_reason(self, source: Source) -> str | None:
        """Why a source's file gives no text, or None when it does."""
        if not source.file:
            return None
        path = self.path(source)
        index = self.index(path)
        # Messages name the file as the writer gave it.
        if isinstance(index, ExtractError):
            return str(index).replace(str(path), source.file)
        if not index.keys:
            return __("%s has no text layer (a scanned document?)") % source.file
        return None

    def check(self, quotation: Quotation) -> Result:
        source = self.sources.get(quotation.source or "")
        if source is None or not source.file:
            return Result(quotation, UNCHECKED)
        index = self.index(self.path(source))
        if isinstance(index, ExtractError) or not index.keys:
            return Result(quotation, NO_TEXT, message=self.no_text_reason(source) or "")
        matches, closest = self._find(index, quotation.text)
        if matches:
            return self._placed(quotation, index, matches)
        if closest is not None and closest.similarity >= MISQUOTE_SIMILARITY:
            where = index.page_range_label(*index.pages_of(closest))
            return Result(
                quotation,
                MISQUOTED,
                found_at=where,
                similarity=round(closest.similarity, 3),
                difference=closest.difference,
                message=__("quotation differs from %r (%d%% alike); closest passage, on page %s: %s")
                % (quotation.source, int(closest.similarity * 100), where, closest.difference),
            )
        return Result(
            quotation,
            NOT_FOUND,
            similarity=round(closest.similarity, 3) if closest else None,
            message=__("quotation not found in %r (%s)") % (quotation.source, source.file),
        )

    def _find(self, index: SourceIndex, text: str) -> tuple[list[Match], Closest | None]:
        """Where *text* stands in the source, else the passage closest to it
        (remembered between runs by the file's digest)."""
        found = self._found.get(index.digest, text) if index.digest else None
        if found is None:
            matches = index.find(text)
            found = (tuple(matches), None if matches else index.closest(text))
            if index.digest:
                self._found.put(index.digest, text, found)
        return list(found[0]), found[1]

    def save(self) -> None:
        """Keep what was found for the next run."""
        self._found.save()

    def _placed(self, quotation: Quotation, index: SourceIndex, matches: list[Match]) -> Result:
        places = [index.pages_of(match) for match in matches]
        labels = ", ".join(dict.fromkeys(index.page_range_label(*pages) for pages in places))
        cited = cited_pages(quotation.locator, index)
        if cited is None or any(cited & set(range(first, last + 1)) for first, last in places):
            return Result(quotation, VERIFIED, found_at=labels, similarity=1.0)
        return Result(
            quotation,
            WRONG_PAGE,
            found_at=labels,
            similarity=1.0,
            message=__("quotation found in %r on page %s, not on the cited page %s")
            % (quotation.source, labels, quotation.locator.text if quotation.locator else ""),
        )


def cited_pages(locator: Locator | None, index: SourceIndex) -> set[int] | None:
    """The source's pages (indices) a page locator names; None when the
    quotation has no page locator (any page will do). A page the source does
    not have names none."""
    if locator is None or locator.kind != "page" or not locator.spans:
        return None
    where = index.label_pages
    pages: set[int] = set()
    for span in locator.spans:
        first = where.get(span.first.text.casefold())
        if first is None:
            continue
        last = where.get(span.last.text.casefold(), first) if span.last is not None else first
        pages.update(range(first, max(first, last) + 1))
    return pages


def warn_result(result: Result) -> None:
    subtype = WARNING_SUBTYPES.get(result.status)
    if subtype:
        warn(result.message, subtype, result.quotation.location)


def warn_no_text(source: Source, reason: str, conf_location: str) -> None:
    """Once per source: where it is declared (its directive, or conf.py)."""
    declared = source.declared_in
    if declared is not None and declared.docname:
        location: object = (declared.docname, declared.lineno)
    else:
        location = conf_location
    warn(
        __("no text to check quotations of %r against: %s") % (source.key, reason),
        "no_text",
        location,
    )


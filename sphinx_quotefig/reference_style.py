"""A source as a full reference, in runs of text a renderer turns into
nodes or HTML.

Two styles (``quotefig_reference_style``):

``"author-date"``
    a Harvard-like author–date reference (docs/reference-styles.md)::

        Family, Given and Given Family (Year). *Title*. Edition 2. Place: Publisher. https://doi.org/…
        Family, Given (Year). Chapter title. In Given Editor (ed.), *Book*, pp. 1–9. Place: Publisher.
        Family, Given (Year). Article title. *Journal*, 12(3), 45–67. https://doi.org/…

    The first author is inverted (``Family, Given``), the others are not;
    editors stand in for authors that are missing (``(ed.)``/``(eds.)``),
    the title in the authors' place when there are neither. Titles of
    standalone works (books, reports, theses, web pages, and any type not
    listed in :data:`PART_TYPES`) and of containers are italic; the title
    of a part (a chapter, a paper, an article) is not.
``"short"``
    the short reference of earlier versions: ``Author, *Title* (Year)``
    on a source's line, ``*Title* — Author, Year`` in the index.

Every run's text is plain: the renderer escapes it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote

from docutils import nodes

from .diagnostics import _
from .references import Name, authors_of, styled

if TYPE_CHECKING:
    from .sources import Source

#: Types whose title is that of a part of a larger work (set plain; the
#: container in italics).
JOURNAL_TYPES = frozenset({"article", "article-journal", "article-magazine", "article-newspaper", "review"})
PART_TYPES = JOURNAL_TYPES | {"chapter", "paper-conference", "entry-encyclopedia"}


class Run(NamedTuple):
    """A stretch of a reference: plain text, a title in italics, a link.
    Within a title, words its source sets in emphasis (``title_emphasis``:
    a species name, a title within the title) are *emphasised*: set upright
    in an italic title, in italics in an upright one."""

    text: str
    italic: bool = False
    uri: str | None = None
    emphasised: bool = False


def grouped(runs: list[Run]) -> list[tuple[bool, str | None, list[tuple[str, bool]]]]:
    """*runs* as a renderer sets them: consecutive runs of one title (same
    ``italic`` and ``uri``) as one group of ``(text, emphasised)`` pieces,
    so that a title is one ``<cite>`` however many emphases it holds."""
    groups: list[tuple[bool, str | None, list[tuple[str, bool]]]] = []
    for run in runs:
        if groups and groups[-1][0] == run.italic and groups[-1][1] == run.uri:
            groups[-1][2].append((run.text, run.emphasised))
        else:
            groups.append((run.italic, run.uri, [(run.text, run.emphasised)]))
    return groups


class Reference(NamedTuple):
    """A reference in two parts: what it is filed under (the authors and the
    year, or the title), which the index sets in bold, and the rest."""

    lead: list[Run]
    rest: list[Run]

    @property
    def runs(self) -> list[Run]:
        return self.lead + self.rest


def plain(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)


_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


def bare_doi(doi: str) -> str:
    """The DOI alone, also when written as a URL or with ``doi:``."""
    doi = doi.strip()
    for prefix in _DOI_PREFIXES:
        if doi.lower().startswith(prefix):
            return doi[len(prefix) :].strip()
    return doi


def doi_uri(doi: str) -> str:
    """``https://doi.org/`` and the DOI, percent-encoded (a DOI may hold any
    printable character: ``<``, ``#``, ``?``, spaces)."""
    return "https://doi.org/" + quote(bare_doi(doi), safe="/:;()[]._-~")


def doi_text(doi: str) -> str:
    """The DOI's link as the reference shows it: not encoded."""
    return "https://doi.org/" + bare_doi(doi)


def name_list(names: tuple[Name, ...], invert_first: bool) -> str:
    """``Family, Given, Given Family and Given Family`` (the first inverted
    when *invert_first*)."""
    shown = [name.inverted() if position == 0 and invert_first else name.display() for position, name in enumerate(names)]
    if len(shown) < 2:
        return "".join(shown)
    # TRANSLATORS: between the last two names of a reference's authors.
    return ", ".join(shown[:-1]) + " " + _("and") + " " + shown[-1]


def editor_label(count: int) -> str:
    # TRANSLATORS: after an editor's name in a reference: "(ed.)"/"(eds.)".
    return _("(ed.)") if count == 1 else _("(eds.)")


def _title_run(source: Source, italic: bool, link: bool) -> Run:
    return Run(source.display_title, italic, source.url if link and source.url else None)


def _title_runs(source: Source, italic: bool, link: bool) -> list[Run]:
    """The title, its emphasised spans (``title_emphasis``) as runs of their own."""
    uri = source.url if link and source.url else None
    if not source.title or not source.title_emphasis:
        return [Run(source.display_title, italic, uri)]
    return [Run(text, italic, uri, emphasised) for text, emphasised in styled(source.title, source.title_emphasis)]


def author_date(source: Source, link_title: bool = False) -> Reference:
    """*source* in the author–date style (see the module); the title links
    to the source's URL when *link_title*."""
    fields = source.fields()
    kind = source.type
    is_part = kind in PART_TYPES
    authors = authors_of(fields, "author")
    editors = authors_of(fields, "editor")
    title = _title_runs(source, not is_part, link_title)

    lead: list[Run] = []
    title_shown = False
    if authors:
        lead.append(Run(name_list(authors, invert_first=True)))
    elif editors:
        lead.append(Run(name_list(editors, invert_first=True) + " " + editor_label(len(editors))))
    else:
        lead += title
        title_shown = True
    if source.year:
        lead.append(Run(f" ({source.year})"))

    segments: list[list[Run]] = []
    if not title_shown:
        segments.append(title)
    if is_part and source.container:
        segments.append(_container(source, editors if authors else ()))
    else:
        if source.container:
            segments.append([Run(source.container)])
        if source.volume:
            # TRANSLATORS: a volume of a multi-volume work in a reference.
            segments.append([Run(_("Vol. %s") % source.volume)])
    if source.edition:
        # TRANSLATORS: a work's edition in a reference ("Edition 2").
        segments.append([Run(_("Edition %s") % source.edition)])
    if source.pages and not (is_part and source.container):
        segments.append([Run(_pages(source.pages))])
    if where := ": ".join(part for part in (source.place, source.publisher) if part):
        segments.append([Run(where)])
    rest: list[Run] = []
    previous = plain(lead)
    for segment in segments:
        rest.append(Run(_after(previous)))
        rest += segment
        previous = plain(segment)
    if source.doi:
        rest.append(Run(_after(previous)))
        rest.append(Run(doi_text(source.doi), uri=doi_uri(source.doi)))
    elif not previous.endswith((".", "?", "!")):
        # A reference ends with a full stop (none after a DOI: it would read
        # as part of it).
        rest.append(Run("."))
    return Reference(lead, rest)


def _after(previous: str) -> str:
    """What separates one part of a reference from the next: a full stop,
    unless the part ends in one (or in ? or !)."""
    return " " if previous.endswith((".", "?", "!")) else ". "


def page_range(pages: str) -> str:
    """``12--34`` and ``12-34`` as ``12–34`` (an en dash)."""
    return re.sub(r"(?<=\w)\s*-{1,2}\s*(?=\w)", "\u2013", pages)


def _pages(pages: str) -> str:
    # TRANSLATORS: the pages of a part in a reference: "p. 5", "pp. 12–34".
    return (_("pp. %s") if any(mark in pages for mark in "-\u2013,") else _("p. %s")) % page_range(pages)


def _container(source: Source, editors: tuple[Name, ...]) -> list[Run]:
    """``*Journal*, 12(3), 45–67`` or ``In Given Editor (ed.), *Book*, pp. 1–9``."""
    runs: list[Run] = []
    if source.type in JOURNAL_TYPES:
        runs.append(Run(source.container, italic=True))
        numbering = source.volume + (f"({source.issue})" if source.issue else "")
        for part in (numbering, page_range(source.pages)):
            if part:
                runs.append(Run(", " + part))
        return runs
    # TRANSLATORS: before the book a chapter or paper is part of: "In Book".
    opening = _("In") + " "
    if editors:
        opening += name_list(editors, invert_first=False) + " " + editor_label(len(editors)) + ", "
    runs += [Run(opening), Run(source.container, italic=True)]
    if source.volume:
        # TRANSLATORS: the volume of the book a chapter is part of.
        runs.append(Run(", " + _("vol. %s") % source.volume))
    if source.pages:
        runs.append(Run(", " + _pages(source.pages)))
    return runs


def short_line(source: Source) -> list[Run]:
    """``Author, *Title* (Year)``, the title linked to the URL: a source's
    line in the short style."""
    runs = [Run(f"{source.author}, ")] if source.author else []
    runs.append(_title_run(source, True, True))
    if source.year:
        runs.append(Run(f" ({source.year})"))
    return runs


def short_details(source: Source | None) -> str:
    """`` — Author, Year`` after a source's title in the index (short
    style), or nothing."""
    text = ", ".join(part for part in (source.author, source.year) if part) if source is not None else ""
    return f" \u2014 {text}" if text else ""


def source_line(source: Source, style: str) -> list[Run]:
    """What a ``quote-source`` line shows of *source*."""
    if style == "short":
        return short_line(source)
    return author_date(source, link_title=True).runs


def run_nodes(runs: list[Run]) -> list[nodes.Node]:
    """A reference's runs as doctree nodes: titles as ``title_reference``
    (``<cite>``; emphasis within as ``emphasis``), links as external
    references, upright text as text (what render_html writes)."""
    out: list[nodes.Node] = []
    for italic, uri, pieces in grouped(runs):
        inline: list[nodes.Node] = []
        for piece, emphasised in pieces:
            if emphasised:
                inline.append(nodes.emphasis(piece, piece))
            elif inline and isinstance(inline[-1], nodes.Text):
                inline[-1] = nodes.Text(inline[-1].astext() + piece)
            else:
                inline.append(nodes.Text(piece))
        if italic:
            inline = [nodes.title_reference("", "", *inline)]
        if uri is not None:
            inline = [nodes.reference("", "", *inline, refuri=uri, classes=["reference", "external"])]
        out += inline
    return out

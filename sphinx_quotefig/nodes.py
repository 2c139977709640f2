"""The doctree nodes of a quotation.

A ``quote`` directive becomes::

    quote_figure            ids, classes, source key, locator, author, url, lang
        quote_body          the quoted block content (a block_quote)
        quote_citation      filled at write time from the resolved source

Each node subclasses the docutils node it means (``block_quote``,
``attribution``, ``inline``, ``paragraph``), so a builder that has no
visitor of its own for it still renders it sensibly: Sphinx translators
dispatch along the class hierarchy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from docutils import nodes
from sphinx import addnodes


class quote_figure(nodes.General, nodes.Element):
    """A block quotation with its citation (``figure.quote`` in HTML).

    Attributes: ``source_key`` (resolved source key or None; not
    ``source``, which docutils uses for file names), ``current_source``
    (the document's current source where the quote stands), ``locator``
    (a :class:`~sphinx_quotefig.locators.Locator` or None), ``author``,
    ``url``, ``lang``, ``excerpt`` (opening words, for references).
    """


class quote_body(nodes.block_quote):
    """The quoted text itself (``blockquote`` in HTML)."""


class quote_citation(nodes.attribution):
    """Who and where: ``footer > cite`` or ``figcaption`` in HTML."""


class inline_quote(nodes.inline):
    """An inline quotation from the ``q`` role (``<q>`` in HTML)."""


class source_line(nodes.paragraph):
    """A source's reference line, where a ``quote-source`` directive stands."""


class quote_index_placeholder(nodes.General, nodes.Element):
    """Where a ``quote-index`` directive stands; filled at write time."""


def in_substitution_definition(node: nodes.Node) -> bool:
    """Whether *node* is part of a substitution definition: not shown
    there, but in a copy at each use of the substitution."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.substitution_definition):
            return True
        parent = parent.parent
    return False


class citation_index(nodes.General, nodes.Element):
    """Where the LaTeX builder sets the citation index: the end of each
    document it writes (see :mod:`.writers.latex`)."""


def part_of(figure: nodes.Element, kind: type[nodes.Element]) -> Any:
    """The figure's own body or citation: a direct child, never one of a
    quote nested in the body."""
    return next((child for child in figure.children if isinstance(child, kind)), None)


#: Content a reader does not see as part of the quoted text: comments,
#: targets, markup error reports, footnotes and their reference marks.
_NOT_QUOTED = (
    nodes.Invisible,
    nodes.system_message,
    nodes.footnote,
    nodes.citation,
    nodes.footnote_reference,
    nodes.citation_reference,
)


#: A ``{quote-source}`key``` link in quoted text shows the source's title,
#: known only once every page is read: the text keeps the key between these
#: marks until :func:`with_source_titles` puts the title in. A NUL, because
#: the text of a document never has one (``Text.astext()`` drops docutils'
#: escape NULs, and parsers replace NUL in the input).
SOURCE_MARK = "\x00"
_SOURCE_MARKED = re.compile(f"{SOURCE_MARK}([^{SOURCE_MARK}]*){SOURCE_MARK}")
#: A word of marked text: a marked key counts as one word with what it
#: touches, so that cutting the text after some words never splits a key.
_MARKED_WORD = re.compile(f"(?:{SOURCE_MARK}[^{SOURCE_MARK}]*{SOURCE_MARK}|[^\\s{SOURCE_MARK}])+")


def visible_text(node: nodes.Node) -> str:
    """The text of *node* a reader sees as quoted."""
    if isinstance(node, nodes.Text):
        return node.astext()
    if isinstance(node, _NOT_QUOTED):
        return ""
    if (
        isinstance(node, addnodes.pending_xref)
        and node.get("refdomain") == "quote"
        and not node.get("refexplicit")
        and node.get("reftarget")
    ):
        return f"{SOURCE_MARK}{node['reftarget']}{SOURCE_MARK}"
    return "".join(visible_text(child) for child in node.children)


def with_source_titles(text: str, sources: Mapping[str, Any]) -> str:
    """*text* with each marked source key replaced by its title."""
    if SOURCE_MARK not in text:
        return text

    def title(match: re.Match[str]) -> str:
        source = sources.get(match[1])
        return source.display_title if source is not None else match[1]

    return _SOURCE_MARKED.sub(title, text)


def marked_sources(text: str) -> list[str]:
    """The source keys marked in *text*."""
    return _SOURCE_MARKED.findall(text) if SOURCE_MARK in text else []


def visible_paragraphs(node: nodes.Node) -> list[str]:
    """The quoted paragraphs of *node*, whitespace folded, empty ones left out."""
    found: list[str] = []
    if isinstance(node, _NOT_QUOTED) or isinstance(node, nodes.Text):
        return found
    if isinstance(node, nodes.paragraph):
        text = " ".join(visible_text(node).split())
        return [text] if text else found
    for child in node.children:
        found.extend(visible_paragraphs(child))
    return found


#: Words of a quote's opening used as its title in ``{ref}`` links.
TITLE_WORDS = 8
#: Stops dropped before the ellipsis of a cut title (a question or an
#: exclamation mark is kept: it is part of the sense).
_CUT_PUNCTUATION = " .,;:\u2026"


def quote_title(node: quote_figure) -> str | None:
    """The opening words of a quote, as the default ``{ref}`` text.

    Sphinx asks for the title while the page is read, before every source is
    known: a ``{quote-source}`` link in the opening words is left marked, and
    :func:`~sphinx_quotefig.labels.resolve_label_titles` puts its title in
    once every page is read.
    """
    body = part_of(node, quote_body)
    words = _MARKED_WORD.findall(visible_text(body)) if body is not None else []
    if not words:
        return None
    text = " ".join(words[:TITLE_WORDS])
    if len(words) <= TITLE_WORDS:
        return text
    # One mark where the words are cut: "insincerity…", not "insincerity.…".
    return (text.rstrip(_CUT_PUNCTUATION) or text) + "\u2026"

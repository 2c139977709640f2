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

from docutils import nodes


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


def visible_text(node: nodes.Node) -> str:
    """The text of *node* a reader sees as quoted."""
    if isinstance(node, nodes.Text):
        return str(node)
    if isinstance(node, _NOT_QUOTED):
        return ""
    return "".join(visible_text(child) for child in node.children)


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


def quote_title(node: quote_figure) -> str | None:
    """The opening words of a quote, as the default ``{ref}`` text."""
    body = node.next_node(quote_body)
    words = visible_text(body).split() if body is not None else []
    if not words:
        return None
    text = " ".join(words[:TITLE_WORDS])
    return text + "\u2026" if len(words) > TITLE_WORDS else text

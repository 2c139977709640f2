"""HTML: the reference design's ``figure.quote``.

Default (``quotefig_markup = "footer"``)::

    <figure id="figure-1" class="quote">
      <blockquote cite="https://…"><p>…</p></blockquote>
      <footer><cite>pg 5</cite></footer>
    </figure>

With ``"figcaption"`` the attribution is the figure's caption, with
``<cite>`` around the work's title only (WHATWG's recommendation).
Everything an author typed is escaped by ``encode``/``starttag``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from ..render_html import bibliography_marker

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

    from ..citations import Citation


def visit_quote_figure(self: HTML5Translator, node: nodes.Element) -> None:
    attributes = {"lang": node["lang"]} if node.get("lang") else {}
    self.body.append(self.starttag(node, "figure", **attributes))


def depart_quote_figure(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</figure>\n")


def visit_quote_body(self: HTML5Translator, node: nodes.Element) -> None:
    # No <div> inside (Sphinx's block_quote has one): the paragraphs are the
    # blockquote's own children, as in the reference design.
    figure = node.parent
    attributes = {"cite": figure["cite_url"]} if figure.get("cite_url") else {}
    self.body.append(self.starttag(node, "blockquote", **attributes))


def depart_quote_body(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</blockquote>\n")


def visit_quote_citation(self: HTML5Translator, node: nodes.Element) -> None:
    citation: Citation = node.parent["citation"]
    if citation:
        if self.config.quotefig_markup == "figcaption":
            self.body.append(_figcaption(self, citation))
        else:
            self.body.append(_footer(self, citation))
    raise nodes.SkipNode


def _footer(self: HTML5Translator, citation: Citation) -> str:
    """``<footer>Author, <cite>Title, pg 5</cite></footer>``: the seed's
    ``<cite>`` holds the whole reference to the work."""
    html = "<footer>"
    if citation.author:
        html += f'<span class="quote-author">{self.encode(citation.author)}</span>'
    cited = ", ".join(self.encode(p) for p in (citation.title, citation.locator) if p)
    if cited:
        html += (", " if citation.author else "") + f"<cite>{cited}</cite>"
    return html + _marker(citation) + "</footer>\n"


def _marker(citation: Citation) -> str:
    """After a citation that names a work in a bibliography: `` [Mil59]``."""
    entry = citation.bibliography
    return " " + bibliography_marker(entry.label, entry.uri) if entry else ""


def _figcaption(self: HTML5Translator, citation: Citation) -> str:
    """``<figcaption>— Author, <cite>Title</cite>, pg 5</figcaption>``."""
    parts = []
    if citation.author:
        parts.append(f'<span class="quote-author">{self.encode(citation.author)}</span>')
    if citation.title:
        parts.append(f"<cite>{self.encode(citation.title)}</cite>")
    if citation.locator:
        parts.append(f'<span class="quote-locator">{self.encode(citation.locator)}</span>')
    return '<figcaption class="quote-attribution">\u2014\u00a0' + ", ".join(parts) + _marker(citation) + "</figcaption>\n"


def visit_inline_quote(self: HTML5Translator, node: nodes.Element) -> None:
    attributes = {"cite": node["cite_url"]} if node.get("cite_url") else {}
    self.body.append(self.starttag(node, "q", "", **attributes))


def depart_inline_quote(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</q>")
    # Filled in when the page is written. A copy of the node made after
    # that has none: not Sphinx's copies of a title (title_copies turns them
    # into plain words), but another extension's could be.
    citation: Citation | None = node.get("citation")
    if citation:
        self.body.append(f' <span class="quote-citation">({self.encode(citation.plain())}{_marker(citation)})</span>')

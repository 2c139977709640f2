"""The standalone citation index page's listing as HTML.

Byte for byte what Sphinx's HTML writer makes of
:func:`~sphinx_quotefig.render_nodes.index_nodes` (``standalone=True``),
written as strings: the page may list 10^5 quotations, and building and
walking a doctree of them costs ten times as much. The listing is written
in pieces (:func:`frame`, :func:`source_parts`, :func:`item`) so that each
source's part can be kept as a fragment (fragments.py).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import TYPE_CHECKING, Any

from docutils.writers._html_base import HTMLTranslator

from . import coins, describe
from .anchors import source_anchor
from .diagnostics import _
from .reference_style import Run, grouped

if TYPE_CHECKING:
    from .listing import SourceEntry

#: What the HTML writer escapes in text and attributes (& < > " @).
_HTML_SPECIAL = HTMLTranslator.special_characters


def esc(text: str) -> str:
    return text.translate(_HTML_SPECIAL)


def _link(link: describe.Link) -> str:
    if link.uri is None:
        return f"<span>{esc(link.text)}</span>"
    kind = "external" if link.external else "internal"
    return f'<a class="reference {kind}" href="{esc(link.uri)}">{esc(link.text)}</a>'


def bibliography_marker(label: str, uri: str | None) -> str:
    """``[Mil59]``: a source's label in a bibliography, linked to its entry
    (what Sphinx writes of citations.bibliography_marker)."""
    return f'<span class="quote-bibliography">[{_link(describe.Link(label, uri))}]</span>'


def runs(parts: list[Run]) -> str:
    """A reference's runs: titles as ``<cite>`` (emphasis within as
    ``<em>``), links as external links."""
    out = []
    for italic, uri, pieces in grouped(parts):
        text = "".join(f"<em>{esc(piece)}</em>" if emphasised else esc(piece) for piece, emphasised in pieces)
        if italic:
            text = f"<cite>{text}</cite>"
        if uri is not None:
            text = f'<a class="reference external" href="{esc(uri)}">{text}</a>'
        out.append(text)
    return "".join(out)


def frame(entries: list[SourceEntry], write: Callable[[str], Any], source: Callable[[SourceEntry], Any]) -> None:
    """*write* the listing's frame (letter bar, letter sections) and have
    *source* write each source's part, in order."""
    write('<div class="quote-index docutils container">\n')
    if not entries:
        write(f'<p class="quote-index-empty">{esc(_("No quotations yet."))}</p>\n</div>\n')
        return
    if sum(entry.key is not None for entry in entries) >= describe.LETTER_BAR_MIN_SOURCES:
        letters = dict.fromkeys(entry.letter for entry in entries)
        bar = " | ".join(
            f'<a class="reference internal" href="#{esc(describe.letter_anchor(letter))}">{esc(letter)}</a>'
            for letter in letters
        )
        write(f'<p class="quote-index-letters">{bar}</p>\n')
    for letter, letter_entries in groupby(entries, key=lambda entry: entry.letter):
        write(f'<div class="quote-index-letter docutils container" id="{esc(describe.letter_anchor(letter))}">\n')
        for entry in letter_entries:
            source(entry)
        write("</div>\n")
    write("</div>\n")


def source_parts(entry: SourceEntry, head: describe.Heading) -> tuple[str, str]:
    """What stands before and after a source's items."""
    out = [
        f'<div class="quote-index-source docutils container" id="{esc(source_anchor(entry.key))}">\n',
        f'<p class="quote-index-heading"><strong>{runs(head.lead)}</strong>',
        runs(head.rest),
        " " + bibliography_marker(head.bibliography.label, head.bibliography.uri) if head.bibliography else "",
        f' <span class="quote-index-count">({esc(head.count)})</span>',
    ]
    out += (" \u00b7 " + _link(link) for link in head.links)
    out.append("</p>\n")
    if entry.source is not None:
        out.append(coins.span(entry.source.fields()))
    if entry.count:
        out.append('<ul class="quote-index-quotes simple">\n')
        return "".join(out), "</ul>\n</div>\n"
    return "".join(out), "</div>\n"


def item(listed: describe.Item) -> str:
    return (
        f'<li><p class="quote-index-quote">{_link(listed.where)}'
        + esc(" \u2014 " + listed.excerpt + " ")
        + f'<em class="quote-index-page">{esc(listed.page)}</em></p></li>\n'
    )

"""The ``q`` and ``quote-source`` roles.

``{q}`words <key, 5>``` is an inline quotation with an optional citation;
``{quote-source}`key``` links a source's title to its index entry.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from docutils.utils import unescape
from sphinx.roles import XRefRole
from sphinx.util.docutils import SphinxRole

from . import nodes as qnodes
from .diagnostics import __, warn
from .locators import Locator, LocatorError, free_locator, parse_page

# "words <citation>", the citation last, like Sphinx's explicit titles. A
# backslash before the "<" makes it part of the words: rST hands roles a
# backslash-escape as "\x00<", MyST hands over the backslash itself.
_CITED_RE = re.compile(r"^(?P<words>.*?)\s*(?<![\x00\\])<(?P<citation>[^<>]*)>$", re.DOTALL)
_ESCAPED_LT = re.compile(r"[\x00\\]<")


def unescape_words(text: str) -> str:
    """The quoted words as the reader sees them: ``\\<`` is ``<``."""
    return unescape(_ESCAPED_LT.sub("<", text))


def parse_citation(citation: str) -> tuple[str | None, Locator | None]:
    """``key``, ``key, 5`` or ``, 5`` (the current source, page 5).

    After the comma, a page, range or list is a page locator; anything else
    is kept as a free locator (``key, ch. 3``).
    """
    key, _, where = citation.partition(",")
    key = " ".join(key.split()) or None
    where = " ".join(where.split())
    if not where:
        return key, None
    try:
        return key, parse_page(where)
    except LocatorError:
        return key, free_locator(where)


class InlineQuoteRole(SphinxRole):
    """``{q}`quoted words``` → ``<q>quoted words</q>``."""

    def __call__(self, name: str, rawtext: str, text: str, *args: Any, **kwargs: Any) -> Any:
        # Keep the text with its backslash-escapes: an escaped "<" is a word.
        self.escaped_text = text
        return super().__call__(name, rawtext, text, *args, **kwargs)

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        words, key, locator, cited = self.escaped_text, None, None, False
        match = _CITED_RE.match(words)
        if match:
            words = match["words"]
            key, locator = parse_citation(unescape(match["citation"]))
            cited = True
        words = " ".join(unescape_words(words).split())
        if not words:
            warn(__("q role without quoted words: %r") % self.rawtext, "invalid_role", self.get_location())
            return [], []
        node = qnodes.inline_quote(
            self.rawtext,
            words,
            classes=["quote"],
            source_key=key,
            locator=locator,
            cited=cited,
            support_smartquotes=False,
        )
        self.set_source_info(node)
        return [node], []


class SourceRole(XRefRole):
    """``{quote-source}`key``` / ``{quote-source}`text <key>```."""

    def __init__(self) -> None:
        super().__init__(innernodeclass=nodes.inline, warn_dangling=False)

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.refdomain, self.reftype = "quote", "source"
        self.classes = ["xref", "quote-source"]
        return self.create_xref_node()

    def create_xref_node(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if not self.target.strip():
            warn(__("quote-source role without a source key: %r") % self.rawtext, "invalid_role", self.get_location())
            return [nodes.inline(self.rawtext, self.title)], []
        return super().create_xref_node()

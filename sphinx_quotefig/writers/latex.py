"""LaTeX: a ``quote`` environment with the citation set flush right.

The quote's body and citation render through Sphinx's own ``block_quote``
and ``attribution`` visitors; the figure adds what numbered references need:
a ``sphinxquote`` counter stepped per quote and a label per id, so
``{numref}`` prints the quote's number and links to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.writers.latex import LaTeXTranslator

COUNTER = "sphinxquote"


def visit_quote_figure(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append(
        "\n\\ifcsname c@%s\\endcsname\\else\\newcounter{%s}\\fi"
        "\\refstepcounter{%s}%s\n" % (COUNTER, COUNTER, COUNTER, self.hypertarget_to(node))
    )


def depart_quote_figure(self: LaTeXTranslator, node: nodes.Element) -> None:
    pass

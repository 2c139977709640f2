"""Read-time decisions that need the whole document.

:class:`AssignSources` walks a document in order, once every directive has
run: each quote without ``:source:`` gets the *current source* (set by the
last ``quote-source`` above it), each unnamed quote gets its ``figure-N`` id,
and each cited inline quote an id the citation index can link to.

A quote inside a substitution definition is not shown there: each use of
the substitution shows a copy of it. Those copies exist only once docutils
has substituted (:class:`AssignSubstitutedQuotes`, after it): each gets the
current source where it stands and an id of its own.

:class:`LabelsNameQuotes` then lets a label name a quote as ``:name:`` does.

Invariant: the id the extension chose for a node is its ``auto_id``
attribute (``singlehtml`` prefixes exactly that id, see anchors.py), and a
quote with a name has only the author's ids, the first of them its anchor.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from . import nodes as qnodes
from .diagnostics import Subtype, __, warn


def _in_order(node: nodes.Node) -> bool:
    return isinstance(node, (qnodes.source_line, qnodes.quote_figure, qnodes.inline_quote))


class AssignSources(SphinxTransform):
    """Current sources and ids, in document order."""

    # Before sphinx.transforms.AutoNumbering (210) gives enumerable nodes
    # without ids an automatic one; section and target ids exist already.
    default_priority = 205

    def apply(self, **kwargs: Any) -> None:
        current: str | None = None
        figures = inlines = 0
        for node in list(self.document.findall(_in_order)):
            if isinstance(node, qnodes.source_line):
                current = node["key"]
                continue
            if qnodes.in_substitution_definition(node):
                continue
            block = isinstance(node, qnodes.quote_figure)
            if block:
                figures += 1
            elif node.get("cited"):
                inlines += 1
            if node.get("assigned"):
                continue
            node["assigned"] = True
            node["current_source"] = current
            if node.get("source_key") is None and (block or node.get("cited")):
                node["source_key"] = current
                if current is None and not block:
                    # ``<, 5>`` asks for the current source: there is none.
                    warn(
                        __("q role cites the current source, but no quote-source directive comes before it on this page; "
                           "name the source (<key, 5>) or put a quote-source directive above"),
                        Subtype.NO_CURRENT_SOURCE,
                        node,
                    )
            if block:
                if not node["ids"]:
                    self.give_id(node, f"figure-{figures}")
            elif node.get("cited"):
                self.give_id(node, f"q-{inlines}")

    def give_id(self, node: nodes.Element, wanted: str) -> None:
        """*wanted*, or ``wanted-2``, ``wanted-3``… if another element of the
        page already has it."""
        candidate, suffix = wanted, 1
        while candidate in self.document.ids:
            suffix += 1
            candidate = f"{wanted}-{suffix}"
        node["ids"].append(candidate)
        node["auto_id"] = candidate
        self.document.ids[candidate] = node


class AssignSubstitutedQuotes(AssignSources):
    """The same, for the copies of quotes that substitutions put in place."""

    # After docutils' Substitutions (220).
    default_priority = 221


class LabelsNameQuotes(SphinxTransform):
    """A label before a quote (``(name)=``, ``.. _name:``) names it, as
    ``:name:`` does: the quote keeps the label's id alone.

    Docutils gives the label's id and name to the quote after
    :class:`AssignSources` has given it ``figure-N``; left there, that
    automatic id would be the quote's anchor although the quote is named,
    and on the ``singlehtml`` page two documents' ``figure-N`` would meet.
    """

    # After docutils' PropagateTargets (260) moved the label onto the quote.
    default_priority = 261

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall(qnodes.quote_figure):
            automatic = node.get("auto_id")
            if node["names"] and automatic in node["ids"] and len(node["ids"]) > 1:
                node["ids"].remove(automatic)
                del node["auto_id"]
                if self.document.ids.get(automatic) is node:
                    del self.document.ids[automatic]

"""Where a quotation or source line is, as a URI in the written output.

Every builder but one writes a page per document, where the ids the
extension gives (``figure-3``, ``q-1``, ``source-report``) are unique. The
``singlehtml`` builder puts every document on one page, where ``figure-1``
of two documents would collide and a link would land on the wrong quote; so
there the automatic ids of every document but the root are prefixed with
the document's name (``notes-a-figure-1``). A ``:name:`` is the author's
and is never changed (``{ref}`` resolves it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import NoUri

from . import nodes as qnodes

if TYPE_CHECKING:
    from sphinx.builders import Builder

SINGLE_PAGE_BUILDERS = frozenset({"singlehtml"})
#: Output formats a reader cannot follow a link in: a link there is plain
#: text (the man writer would print an internal ``#id`` after it).
UNLINKED_FORMATS = frozenset({"text", "man"})
#: The nodes that carry an id the extension chose.
_ANCHORED = (qnodes.quote_figure, qnodes.inline_quote, qnodes.source_line)


def single_page(builder: Builder) -> bool:
    return builder.name in SINGLE_PAGE_BUILDERS


def output_anchor(builder: Builder, docname: str, anchor: str, named: bool = False) -> str:
    """The id an automatic *anchor* of *docname* has in *builder*'s output."""
    if not anchor or named or not single_page(builder) or docname == builder.config.root_doc:
        return anchor
    return f"{nodes.make_id(docname)}-{anchor}"


def target_uri(builder: Builder, fromdocname: str, docname: str, anchor: str = "", named: bool = False) -> str | None:
    """URI of *anchor* in *docname* as a link in *fromdocname*; ``None``
    when the builder has no URI for it."""
    if builder.format in UNLINKED_FORMATS:
        return None
    anchor = output_anchor(builder, docname, anchor, named)
    if single_page(builder):
        # One page: the anchor alone, or the marker Sphinx puts at the start
        # of each document.
        return "#" + (anchor or f"document-{docname}")
    try:
        uri = builder.get_relative_uri(fromdocname, docname)
    except NoUri:
        return None
    return f"{uri}#{anchor}" if anchor else uri


def prefix_automatic_ids(tree: nodes.Element, builder: Builder) -> None:
    """On the single page, give each quotation and source line of a
    document other than the root the id :func:`output_anchor` links to."""
    # Walked from the top, carrying the document: Sphinx moves each inlined
    # document's children under a ``start_of_file`` without re-parenting them.
    stack: list[tuple[nodes.Node, str]] = [(tree, builder.config.root_doc)]
    while stack:
        node, docname = stack.pop()
        if isinstance(node, addnodes.start_of_file):
            docname = node["docname"]
        elif isinstance(node, _ANCHORED) and node["ids"] and not node.get("names"):
            node["ids"] = [output_anchor(builder, docname, anchor) for anchor in node["ids"]]
        if isinstance(node, nodes.Element):
            stack.extend((child, docname) for child in node.children)

"""Where a quotation or source line is, as a URI in the written output.

Every builder but one writes a page per document, where the ids the
extension gives (``figure-3``, ``q-1``, ``source-report``) are unique. The
``singlehtml`` builder puts every document on one page, where ``figure-1``
of two documents would collide and a link would land on the wrong quote; so
there the automatic ids of every document but the root are prefixed with
the document's name and a colon, as Sphinx names LaTeX labels
(``notes/a:figure-1``). The author's ids (a ``:name:``, a label before the
quote) are never changed: ``{ref}`` resolves them.

Invariant: the map from (document, automatic id) to the id in the output
is injective, and its values never meet an id docutils or Sphinx makes from
a name or title (those have no colon). The document's name is kept as it
is, case and ``/``, ``-``, ``_``, ``.`` included; only what an id or a URL
fragment cannot hold plainly (spaces, ``%``, ``:``, ``#``, punctuation) is
percent-encoded, so no two names give the same prefix and no prefix holds
the colon that ends it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING
from urllib.parse import quote

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import NoUri

from . import nodes as qnodes

if TYPE_CHECKING:
    from sphinx.builders import Builder

#: The citation index page: "{domain}-{index}", as Sphinx names it.
INDEX_DOCNAME = "quote-index"
SINGLE_PAGE_BUILDERS = frozenset({"singlehtml"})
#: Output formats a reader cannot follow a link in: a link there is plain
#: text (the man writer would print an internal ``#id`` after it).
UNLINKED_FORMATS = frozenset({"text", "man"})
#: The nodes that carry an id the extension chose (as ``auto_id``).
_ANCHORED = (qnodes.quote_figure, qnodes.inline_quote, qnodes.source_line)
#: Characters of a document's name kept as they are in its prefix, besides
#: letters and digits (of any script); ``:`` is not among them.
_KEPT = frozenset("/-_.")


def single_page(builder: Builder) -> bool:
    return builder.name in SINGLE_PAGE_BUILDERS


def index_written(builder: Builder) -> bool:
    """Whether *builder* writes the citation index page: an HTML builder
    with a page per document, the index on (``quotefig_index``) and among
    the domain indices it writes (``html_domain_indices``)."""
    config = builder.config
    if not config.quotefig_index or builder.format != "html" or single_page(builder):
        return False
    indices = config.html_domain_indices
    return bool(indices) if isinstance(indices, bool) else INDEX_DOCNAME in indices


def source_anchor(key: str | None) -> str:
    """The id of a source's entry on the index page: ``source-<key>`` for a
    key that is an id already; for any other key (``Report``, ``my key``,
    ``引用``), which could make the same id as another, the id made of it
    and a short digest of the key itself, so that each is unique."""
    if key is None:
        return "no-source"
    ident = nodes.make_id(key)
    if ident == key:
        return f"source-{ident}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"source-{ident}-{digest}" if ident else f"source-{digest}"


def output_anchor(builder: Builder, docname: str, anchor: str, named: bool = False) -> str:
    """The id an automatic *anchor* of *docname* has in *builder*'s output."""
    if not anchor or named or not single_page(builder) or docname == builder.config.root_doc:
        return anchor
    return f"{document_prefix(docname)}:{anchor}"


def document_prefix(docname: str) -> str:
    """*docname* as the readable, injective start of an id: ``x/y``,
    ``x-y`` and ``X_Y`` stay themselves, ``my notes`` is ``my%20notes``."""
    return "".join(char if char.isalnum() or char in _KEPT else quote(char, safe="", errors="surrogatepass") for char in docname)


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
        elif isinstance(node, _ANCHORED) and node.get("auto_id") in node["ids"]:
            automatic = node["auto_id"]
            node["ids"] = [output_anchor(builder, docname, anchor) if anchor == automatic else anchor for anchor in node["ids"]]
        if isinstance(node, nodes.Element):
            stack.extend((child, docname) for child in node.children)

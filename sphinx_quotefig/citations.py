"""What a quotation's citation says, decided once for every builder.

:class:`ResolveQuotes` runs when a document is written, when every source of
the project is known. It stores the citation's parts on each quote node; the
HTML writer renders them itself (``footer > cite`` or ``figcaption``), and
for every other builder this transform rewrites the quote into standard
docutils nodes — a ``block_quote`` ending in an ``attribution`` — that each
writer already renders in its own idiom.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import nodes as qnodes
from ._compat import current_builder
from .anchors import prefix_automatic_ids, single_page, target_uri
from .quotemarks import quote_marks
from .reference_style import run_nodes, source_line

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from .domain import QuoteDomain
    from .sources import Source

#: Builders whose writers render the quote nodes themselves.
NATIVE_FORMATS = frozenset({"html", "latex"})


class Cited(NamedTuple):
    """A source's entry in a ``{bibliography}`` of sphinxcontrib-bibtex as a
    page links to it: the label the entry shows, its document and id, and
    the URI from the page (None where the builder makes no link)."""

    label: str
    docname: str
    id: str
    uri: str | None


def cited(domain: QuoteDomain, builder: Builder, fromdocname: str, key: str | None) -> Cited | None:
    """Where *key*'s entry in a ``{bibliography}`` is, if one lists it."""
    entry = domain.bibliography_entries.get(key) if key else None
    if entry is None:
        return None
    # named: the id is sphinxcontrib-bibtex's, the same in every builder.
    return Cited(entry.label, entry.docname, entry.id, target_uri(builder, fromdocname, entry.docname, entry.id, named=True))


def bibliography_marker(entry: Cited, latex: bool = False) -> nodes.inline:
    """``[Mil59]``, the entry's label linked to the entry, as
    sphinxcontrib-bibtex's ``{cite:p}`` shows it. LaTeX: a reference to the
    ``\\bibitem`` Sphinx makes of the entry, which prints the brackets."""
    marker = nodes.inline(classes=["quote-bibliography"])
    if latex:
        marker += nodes.citation_reference(entry.label, entry.label, docname=entry.docname, refname=entry.id)
    elif entry.uri is None:
        marker += nodes.Text(f"[{entry.label}]")
    else:
        link = nodes.reference(entry.label, entry.label, refuri=entry.uri, internal=True, classes=["reference", "internal"])
        marker += [nodes.Text("["), link, nodes.Text("]")]
    return marker


class Citation(NamedTuple):
    author: str = ""
    title: str = ""
    locator: str = ""
    #: The source's entry in a bibliography, where the citation names the
    #: source (its title is shown).
    bibliography: Cited | None = None

    def __bool__(self) -> bool:
        return bool(self.author or self.title or self.locator)

    def plain(self) -> str:
        return ", ".join(part for part in (self.author, self.title, self.locator) if part)


def citation_for(node: nodes.Element, domain: QuoteDomain, builder: Builder, fromdocname: str, full: bool = False) -> Citation:
    """The parts of *node*'s citation.

    The source's title is named when the quote's source is not the
    document's current source (there the reader already sees it), or always
    when *full* (a ``figcaption`` must name the work on its own); where it
    is named, its entry in a bibliography is linked.
    """
    config = builder.config
    key = node.get("source_key")
    source: Source | None = domain.sources.get(key) if key else None
    title = ""
    if key and (full or key != node.get("current_source")):
        title = source.display_title if source else key
    author = node.get("author", "")
    if full and not author and source:
        author = source.author
    locator = node.get("locator")
    where = locator.formatted(config.quotefig_page_label, config.quotefig_pages_label) if locator else ""
    entry = cited(domain, builder, fromdocname, key) if title else None
    return Citation(author=author, title=title, locator=where, bibliography=entry)


def quote_url(node: nodes.Element, domain: QuoteDomain) -> str:
    """The quote's own ``:url:``, else its source's."""
    if node.get("url"):
        return node["url"]
    source = domain.sources.get(node.get("source_key") or "")
    return source.url if source else ""


class ResolveQuotes(SphinxPostTransform):
    """Fill in citations and source lines; translate for non-HTML builders."""

    default_priority = 20  # after pending_xref resolution (10)

    def run(self, **kwargs: Any) -> None:
        domain: QuoteDomain = self.env.domains["quote"]
        builder = current_builder(self)
        output = builder.format
        native = output in NATIVE_FORMATS
        full = output == "html" and self.config.quotefig_markup == "figcaption"
        if single_page(builder):
            prefix_automatic_ids(self.document, builder)
        for node in list(self.document.findall(qnodes.quote_figure)):
            node["citation"] = citation_for(node, domain, builder, self.env.docname, full=full)
            node["cite_url"] = quote_url(node, domain)
            if not native:
                quote = standard_block_quote(node, attribution=output != "man")
                if builder.name == "linkcheck" and node["cite_url"]:
                    quote += nodes.paragraph("", "", checkable_link(node["cite_url"], node))
                node.replace_self(quote)
                if output == "man":
                    space_above(quote)
            elif output == "latex":
                fill_citation(node)
        for node in list(self.document.findall(qnodes.inline_quote)):
            node["citation"] = citation_for(node, domain, builder, self.env.docname)
            node["cite_url"] = quote_url(node, domain)
            if output == "latex":
                mark_inline_quote(node, self.config.language)
            elif output != "html":
                inline = standard_inline_quote(node, self.config.language)
                if builder.name == "linkcheck" and node["cite_url"]:
                    inline += checkable_link(node["cite_url"], node)
                node.replace_self(inline)
        if output == "latex":
            # The LaTeX builder resolves each document it writes once, with
            # every page of it inlined: the index goes at its end.
            self.document += qnodes.citation_index()
        for node in list(self.document.findall(qnodes.source_line)):
            if node.get("hidden"):
                # Not shown, but still the target that links point at (LaTeX:
                # a label, which Sphinx drops from a target before a quote).
                if output != "latex":
                    node.replace_self(nodes.target("", "", ids=node["ids"]))
                continue
            fill_source_line(node, domain, self.config.quotefig_reference_style)
            if entry := cited(domain, builder, self.env.docname, node["key"]):
                node += [nodes.Text(" "), bibliography_marker(entry, latex=output == "latex")]
            if not native:
                node.replace_self(standard_paragraph(node))


def checkable_link(url: str, node: nodes.Element) -> nodes.reference:
    """The quote's URL as a link, for ``linkcheck`` only (which writes
    nothing): elsewhere the URL is an attribute, invisible to it."""
    link = nodes.reference(url, url, refuri=url)
    link.source, link.line = node.source, node.line
    return link


def citation_nodes(citation: Citation, latex: bool = False) -> list[nodes.Node]:
    """The citation as inline nodes (the title as a ``title_reference``),
    then its bibliography marker."""
    parts: list[nodes.Node] = []
    for text, make in (
        (citation.author, nodes.inline),
        (citation.title, nodes.title_reference),
        (citation.locator, nodes.inline),
    ):
        if text:
            if parts:
                parts.append(nodes.Text(", "))
            parts.append(make(text, text))
    if citation.bibliography:
        parts += [nodes.Text(" "), bibliography_marker(citation.bibliography, latex)]
    return parts


def standard_block_quote(figure: qnodes.quote_figure, attribution: bool = True) -> nodes.block_quote:
    """The quote as a ``block_quote`` ending in its citation: an
    ``attribution``, or (*attribution* false: the man writer runs an
    attribution onto the quote's last line) a paragraph of its own."""
    body = qnodes.part_of(figure, qnodes.quote_body)
    quote = nodes.block_quote("", *body.children, ids=figure["ids"], classes=figure["classes"])
    quote.source, quote.line = figure.source, figure.line
    if figure["citation"]:
        if attribution:
            quote += nodes.attribution("", "", *citation_nodes(figure["citation"]))
        else:
            quote += nodes.paragraph("", "\u2014 ", *citation_nodes(figure["citation"]), classes=["attribution"])
    return quote


def space_above(quote: nodes.block_quote) -> None:
    """man: a blank line before a quote that follows other text, and
    before a listing after it. The man writer starts a block quote without
    one, so a quote would run on from the citation of the quote above it, or
    from a source's reference line."""
    parent = quote.parent
    position = parent.index(quote)
    following = parent[position + 1] if position + 1 < len(parent) else None
    # A container (a citation index listing) starts without one either.
    if isinstance(following, (nodes.container, qnodes.quote_index_placeholder)):
        parent.insert(position + 1, nodes.raw("", ".sp\n", format="manpage"))
    if any(_shown_above(sibling) for sibling in parent[:position]):
        parent.insert(position, nodes.raw("", ".sp\n", format="manpage"))


def _shown_above(node: nodes.Node) -> bool:
    """Text that a quote after *node* would run on from (a section's title
    has space below it)."""
    if isinstance(node, qnodes.source_line):
        return not node.get("hidden")
    return not isinstance(node, (nodes.Invisible, nodes.title))


def standard_paragraph(line: qnodes.source_line) -> nodes.paragraph:
    paragraph = nodes.paragraph("", "", *line.children, ids=line["ids"], classes=line["classes"])
    paragraph.source, paragraph.line = line.source, line.line
    return paragraph


def fill_citation(figure: qnodes.quote_figure) -> None:
    """LaTeX sets the citation node's children (none: no citation)."""
    citation = qnodes.part_of(figure, qnodes.quote_citation)
    if figure["citation"]:
        citation.extend(citation_nodes(figure["citation"], latex=True))
    else:
        figure.remove(citation)


def mark_inline_quote(node: qnodes.inline_quote, language: str | None) -> None:
    """LaTeX: the words between quotation marks, the citation after them."""
    opening, closing = quote_marks(language)
    node.insert(0, nodes.Text(opening))
    node += nodes.Text(closing)
    if node["citation"]:
        parent = node.parent
        parent.insert(parent.index(node) + 1, qnodes.quote_citation("", "", *citation_nodes(node["citation"], latex=True), inline=True))


def standard_inline_quote(node: qnodes.inline_quote, language: str | None) -> nodes.inline:
    opening, closing = quote_marks(language)
    inline = nodes.inline("", "", ids=node["ids"], classes=node["classes"])
    inline += nodes.Text(opening)
    inline.extend(node.children)
    inline += nodes.Text(closing)
    if node["citation"]:
        inline += nodes.Text(" (")
        inline.extend(citation_nodes(node["citation"]))
        inline += nodes.Text(")")
    return inline


def fill_source_line(node: qnodes.source_line, domain: QuoteDomain, style: str) -> None:
    """The source's reference in *style* (reference_style.py): the full
    reference, or ``Author, *Title* (Year)``; the title linked to the
    source's URL, titles of works as ``title_reference``."""
    source = domain.sources.get(node["key"])
    if source is None:
        node += nodes.title_reference(node["key"], node["key"])
        return
    node.extend(run_nodes(source_line(source, style)))

"""LaTeX: quotations and the citation index in the macros of ``sphinxquotefig.sty``.

A block quotation is a ``quotefigquote`` environment that steps the
``sphinxquote`` counter, with a label per id (so ``{ref}`` and ``{numref}``
link to it) and its citation in ``\\quotefigcitation``. An inline quotation
is ``\\quotefiginline`` with a label per id, its citation
``\\quotefiginlinecitation``. A source's reference line carries a label per
id. Every id the citation index points at is so a label, and the index
(:func:`visit_citation_index`) prints a page number for each entry.

The package is copied into the output directory (:func:`copy_package`) and
loaded after Sphinx's own; every macro can be redefined in
``latex_elements["preamble"]``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from ..anchors import INDEX_DOCNAME
from ..diagnostics import _
from ..reference_style import grouped

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.domains import Index, IndexEntry

    from ..describe import Heading
    from ..reference_style import Run
    from sphinx.writers.latex import LaTeXTranslator

PACKAGE = "sphinxquotefig"
PACKAGE_FILE = Path(__file__).parents[1] / "static" / f"{PACKAGE}.sty"
COUNTER = "sphinxquote"


def copy_package(app: Sphinx) -> None:
    """Put ``sphinxquotefig.sty`` beside the ``.tex`` files (LaTeX builders)."""
    if app.builder.format != "latex":
        return
    source = PACKAGE_FILE.read_bytes()
    target = Path(app.builder.outdir) / PACKAGE_FILE.name
    if not target.exists() or target.read_bytes() != source:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source)


def _labels(self: LaTeXTranslator, node: nodes.Element) -> str:
    """A hyperlink anchor and a label for each of *node*'s ids, or nothing
    (in a title, labels only: the heading is the anchor, as Sphinx does)."""
    return self.hypertarget_to(node, anchor=not self.in_title) if node["ids"] else ""


def visit_quote_figure(self: LaTeXTranslator, node: nodes.Element) -> None:
    # The environment steps the counter; the labels after it take its number.
    self.body.append("\n\\begin{quotefigquote}" + self.hypertarget_to(node) + "\n")


def depart_quote_figure(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append("\\end{quotefigquote}\n")


def visit_quote_body(self: LaTeXTranslator, node: nodes.Element) -> None:
    """The quoted paragraphs stand in the environment itself."""


def depart_quote_body(self: LaTeXTranslator, node: nodes.Element) -> None:
    pass


def visit_quote_citation(self: LaTeXTranslator, node: nodes.Element) -> None:
    if node.get("inline"):
        self.body.append("\\quotefiginlinecitation{")
    else:
        self.body.append("\n\\quotefigcitation{")


def depart_quote_citation(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append("}" if node.get("inline") else "}\n")


def visit_inline_quote(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append(_labels(self, node) + "\\quotefiginline{")


def depart_inline_quote(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append("}")


def visit_source_line(self: LaTeXTranslator, node: nodes.Element) -> None:
    if node.get("hidden"):
        # Between paragraphs, on a line of its own.
        self.body.append("\n" + _labels(self, node) + "\n")
        raise nodes.SkipNode
    # In the paragraph: before it, they would join the paragraph above.
    self.visit_paragraph(node)
    self.body.append(_labels(self, node))


def depart_source_line(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.depart_paragraph(node)


# -- the citation index ---------------------------------------------------


def citation_index_of(self: LaTeXTranslator) -> Index | None:
    """The citation index, if ``latex_domain_indices`` names it (or is True)."""
    wanted = self.config.latex_domain_indices
    if wanted is False or (not isinstance(wanted, bool) and INDEX_DOCNAME not in wanted):
        return None
    domain = self.builder.env.domains["quote"]
    # The domain's index class (index.py), found as Sphinx finds it.
    return next((cls(domain) for cls in domain.indices if f"{domain.name}-{cls.name}" == INDEX_DOCNAME), None)


def visit_citation_index(self: LaTeXTranslator, node: nodes.Element) -> None:
    """The citation index of the documents of this ``.tex`` file, where
    Sphinx would set a domain index (at the end of the body)."""
    index = citation_index_of(self)
    if index is not None:
        content, _collapsed = index.listed(self.builder.docnames)  # type: ignore[attr-defined]
        if content:
            self.body.append(index_latex(self, str(index.localname), content))
    raise nodes.SkipNode


def index_latex(self: LaTeXTranslator, title: str, content: list[tuple[str, list[tuple[IndexEntry, Heading | None]]]]) -> str:
    """``quotefigindex`` with a letter heading per group, each source
    followed by its quotations; every text encoded as Sphinx encodes text.
    A source is its title and details (``short``) or its whole reference."""
    no_source = _("Quotations without a source")
    short = self.config.quotefig_reference_style == "short"
    lines = ["", "\\begin{quotefigindex}{%s}" % self.encode(title)]
    for letter, entries in content:
        lines.append("\\quotefigindexletter{%s}" % self.encode(letter))
        for (name, subtype, docname, anchor, extra, _qualifier, descr), head in entries:
            page = self.idescape(f"{docname}:{anchor}") if anchor else ""
            if subtype == 2:
                # descr: the opening words, between quotation marks
                lines.append("\\quotefigindexquote{%s}{%s}{%s}" % (self.encode(name), self.encode(descr), page))
            elif name == no_source:
                lines.append("\\quotefigindexnosource{%s}{%s}" % (self.encode(name), page))
            elif short or head is None:
                details = self.encode(extra) + bibliography_latex(head)
                lines.append("\\quotefigindexsource{%s}{%s}{%s}" % (self.encode(name), details, page))
            else:
                reference = "\\textbf{%s}%s" % (runs_latex(self, head.lead), runs_latex(self, head.rest))
                lines.append("\\quotefigindexreference{%s}{%s}" % (reference + bibliography_latex(head), page))
    lines.append("\\end{quotefigindex}")
    return "\n".join(lines) + "\n"


def bibliography_latex(head: Heading | None) -> str:
    """`` [Mil59]`` after a source's reference: a citation of the
    ``\\bibitem`` Sphinx makes of its entry in a bibliography (as Sphinx
    sets a citation reference), or nothing."""
    entry = head.bibliography if head is not None else None
    return " \\sphinxcite{%s:%s}" % (entry.docname, entry.id) if entry else ""


def runs_latex(self: LaTeXTranslator, runs: list[Run]) -> str:
    """A reference's runs: titles in italics (emphasis within upright,
    ``\\emph``), links as Sphinx sets them."""
    out = []
    for italic, uri, pieces in grouped(runs):
        text = "".join("\\emph{%s}" % self.encode(piece) if emphasised else self.encode(piece) for piece, emphasised in pieces)
        if italic:
            text = "\\textit{%s}" % text
        if uri is not None:
            text = "\\sphinxhref{%s}{%s}" % (self.encode_uri(uri), text)
        out.append(text)
    return "".join(out)

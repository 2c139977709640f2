"""Copies of a title that holds an inline quotation.

A ``{q}`` in a heading is the quotation itself there: a ``<q>`` with its id
and its citation, which :class:`~.citations.ResolveQuotes` fills in when the
page is written. Docutils and Sphinx copy a title's nodes to other places,
and those copies never pass through that post-transform:

- the ``contents`` directive's table, made by a docutils transform while
  the page is read;
- Sphinx's document title and table of contents, collected once the page is
  read: ``<title>``, the previous/next and parent links, ``{doc}`` text, the
  local table of contents, every toctree, the EPUB navigation, the search
  index's page titles;
- the text of a ``{ref}`` to a heading, kept by Sphinx's standard domain.

In every copy the quotation becomes the quoted words between the quotation
marks of the document's language, as standard nodes that every writer
renders: no id (the heading has it; a copy would duplicate it), no citation,
no link (a table of contents entry is a link already). A copy is made once,
when the page is read, so it depends on nothing but the page and the
language (a change of ``language`` reads every page again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util.nodes import clean_astext

from . import nodes as qnodes
from .quotemarks import quote_marks

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: After docutils' ``Contents`` transform (720) has copied the titles, and
#: before the domains record the page (850): a copy is not a quotation.
CONTENTS_COPIED = 721


def quoted_words(quote: qnodes.inline_quote, marks: tuple[str, str]) -> nodes.inline:
    """The copy of *quote*: its words between *marks*, nothing else."""
    opening, closing = marks
    copy = nodes.inline("", "", classes=["quote"])
    copy += nodes.Text(opening)
    copy.extend(child.deepcopy() for child in quote.children)
    copy += nodes.Text(closing)
    return copy


def replace_quotes(tree: nodes.Node, marks: tuple[str, str]) -> bool:
    """Turn every inline quotation in the copied *tree* into its quoted
    words; whether there was one."""
    found = list(tree.findall(qnodes.inline_quote))
    for quote in found:
        # Not replace_self: it would give the copy the quotation's ids.
        quote.parent.replace(quote, quoted_words(quote, marks))
    return bool(found)


class QuotesInContents(SphinxTransform):
    """The ``contents`` directive's copies of the headings."""

    default_priority = CONTENTS_COPIED

    def apply(self, **kwargs: Any) -> None:
        marks = quote_marks(self.config.language)
        for topic in self.document.findall(nodes.topic):
            if "contents" in topic["classes"]:
                replace_quotes(topic, marks)


def quotes_in_collected_titles(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, after Sphinx's title and toc collectors (priority
    500): their copies of the page's headings, and the ``{ref}`` text of
    each label on a heading that holds a quotation."""
    env = app.env
    docname = env.docname
    marks = quote_marks(app.config.language)
    for copied in (env.titles.get(docname), env.longtitles.get(docname), env.tocs.get(docname)):
        if copied is not None:
            replace_quotes(copied, marks)
    relabel_quoted_headings(app, doctree, marks)


def relabel_quoted_headings(app: Sphinx, doctree: nodes.document, marks: tuple[str, str]) -> None:
    """A ``{ref}`` to a heading shows the heading's text, which Sphinx
    takes without the quotation marks a ``<q>`` draws: put them in, as in
    the other copies."""
    texts: dict[str, str] = {}
    for heading in doctree.findall(_is_heading):
        if heading.next_node(qnodes.inline_quote) is None:
            continue
        copy = heading.deepcopy()
        replace_quotes(copy, marks)
        owner = heading.parent if isinstance(heading, nodes.title) else heading
        for anchor in owner["ids"]:
            texts[anchor] = clean_astext(copy)
    if not texts:
        return
    docname = app.env.docname
    labels = app.env.domains["std"].labels
    for name in doctree.nameids:
        entry = labels.get(name)
        if entry is not None and entry[0] == docname and entry[1] in texts:
            labels[name] = (docname, entry[1], texts[entry[1]])


def _is_heading(node: nodes.Node) -> bool:
    """A section's title or a rubric: what Sphinx names a label after."""
    return isinstance(node, nodes.rubric) or (isinstance(node, nodes.title) and isinstance(node.parent, nodes.section))

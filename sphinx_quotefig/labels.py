"""The text of ``{ref}`` and ``{numref}`` links to a quote.

Sphinx's standard domain takes the default text of a link to a label from
the label's title, which it asks for while the page is read
(:func:`~sphinx_quotefig.nodes.quote_title`). A ``{quote-source}`` link in a
quote's opening words shows the source's title, which is known only once
every page is read: the title keeps the source key between marks until
:func:`resolve_label_titles` puts the source's title in.

The marked titles are kept in the quote domain (``label_titles``), because
Sphinx keeps only the resolved title of a page that is not read again. The
labels each page links to are recorded too (``label_refs``), so a page whose
link text shows a source is written again when that source changes
(:func:`linked_sources`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .nodes import SOURCE_MARK, marked_sources, with_source_titles

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .domain import QuoteDomain

def resolve_label_titles(app: Sphinx, env: BuildEnvironment) -> None:
    """Put source titles into the titles of labels of quotes (``env-updated``,
    before any page is written or ``objects.inv`` lists the labels)."""
    domain: QuoteDomain = env.domains["quote"]
    labels = env.domains["std"].labels
    marked = domain.data["label_titles"]
    # Pages read in this build: their labels still hold the marked title.
    for name, (docname, labelid, title) in labels.items():
        if SOURCE_MARK in title:
            marked.setdefault(docname, {})[name] = (labelid, title)
    sources = domain.sources
    for docname, name, labelid, title in _marked_titles(domain):
        if labels.get(name, ())[:2] == (docname, labelid):
            labels[name] = (docname, labelid, with_source_titles(title, sources))


def linked_sources(domain: QuoteDomain) -> dict[str, set[str]]:
    """docname -> the source keys the text of its ``{ref}`` links shows."""
    titles = {name: title for _, name, _, title in _marked_titles(domain)}
    if not titles:
        return {}
    shown: dict[str, set[str]] = {}
    for docname, names in domain.data["label_refs"].items():
        for name in names:
            if name in titles:
                shown.setdefault(docname, set()).update(marked_sources(titles[name]))
    return shown


def _marked_titles(domain: QuoteDomain) -> Iterator[tuple[str, str, str, str]]:
    for docname, entries in domain.data["label_titles"].items():
        for name, (labelid, title) in entries.items():
            yield docname, name, labelid, title

"""The standalone citation index page (``quote-index``) of HTML builders.

Sphinx writes a domain index through the theme's page template, which takes
the page's body as one string. The listing of a large project is megabytes
(2.8 million characters at 10^4 quotations), and the body, the rendered page
and its encoded bytes would each hold a copy of it at once: the largest
allocation of the whole build. So the page is rendered with a marker where
the listing goes, and as soon as Sphinx has written it (at
``html-collect-pages``, the next step of the build) the listing is streamed
into the file in place of the marker, a slice at a time. The file is the
same, byte for byte, as the page rendered whole.

A theme that changes the body so that the marker is not there once, as
written, gets the page rendered whole, as before. A build that fails between
writing the page and ``html-collect-pages`` still streams the listing, at
``build-finished``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from .index import INDEX_DOCNAME, QuoteIndex, index_html_into

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

#: Where the listing goes in the page Sphinx writes. A comment, so that a
#: page left with it (a build stopped at that very moment) is still valid.
MARKER = "<!-- quotefig: the citation index listing -->"
#: Pieces of the listing joined per write.
_SLICE = 512
_PENDING = "_quotefig_index_pending"
_WHOLE = "_quotefig_index_whole"


def render_index_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> str | None:
    """``html-page-context``: the standalone index (title, author, year,
    links, counts, excerpts), which the generic domain-index table cannot
    show, in the theme's ordinary page template; the listing itself is
    written by :func:`stream_index_listing`."""
    if pagename != INDEX_DOCNAME or templatename != "domainindex.html":
        return None
    builder = app.builder
    title = str(QuoteIndex.localname)
    container = nodes.container()
    container += nodes.section("", nodes.title(title, title), ids=["citation-index"])
    if not hasattr(builder, "fignumbers"):  # set only once a document is written
        builder.fignumbers = {}
    # The heading as the theme's writer makes it; the listing, which can hold
    # 10^5 quotations, written directly (index_html: the same markup, without
    # building and walking a doctree of it).
    head, _end, tail = builder.render_partial(container)["fragment"].rpartition("</section>")
    if getattr(builder, _WHOLE, False):
        pieces = [head]
        index_html_into(pieces, app.env.domains["quote"], builder, pagename)
        pieces += ("</section>", tail)
        body = "".join(pieces)
    else:
        body = f"{head}{MARKER}</section>{tail}"
        setattr(builder, _PENDING, (pagename, context.get("encoding", "utf-8")))
    context.update(title=title, body=body, toc="", display_toc=False, metatags=context.get("metatags", ""), sourcename="")
    return "page.html"


def stream_index_listing(app: Sphinx) -> list:
    """``html-collect-pages``: write the listing into the page just written,
    in place of its marker. Adds no pages."""
    builder = app.builder
    pending = getattr(builder, _PENDING, None)
    if pending is None:
        return []
    delattr(builder, _PENDING)
    pagename, encoding = pending
    path = Path(builder.get_outfilename(pagename))
    try:
        page = path.read_text(encoding=encoding)
    except OSError:  # Sphinx could not write it, and has said so
        return []
    before, marker, after = page.partition(MARKER)
    del page
    if not marker or MARKER in after:
        _render_whole(builder, pagename)
        return []
    pieces: list[str] = []
    index_html_into(pieces, app.env.domains["quote"], builder, pagename)
    partial = path.with_name(f".{path.name}.tmp")
    # As Sphinx writes a page: its encoding, characters it cannot encode as
    # character references.
    with partial.open("w", encoding=encoding, errors="xmlcharrefreplace") as stream:
        stream.write(before)
        for start in range(0, len(pieces), _SLICE):
            stream.write("".join(pieces[start : start + _SLICE]))
        stream.write(after)
    os.replace(partial, path)
    return []


def finish_pending_listing(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: a build that failed after the page was written
    (in another index, before ``html-collect-pages``) still gets the
    listing into it."""
    stream_index_listing(app)


def _render_whole(builder: Builder, pagename: str) -> None:
    setattr(builder, _WHOLE, True)
    try:
        builder.handle_page(pagename, {}, "domainindex.html")
    finally:
        delattr(builder, _WHOLE)


def setup_index_page(app: Sphinx) -> None:
    app.connect("html-page-context", render_index_page)
    app.connect("html-collect-pages", stream_index_listing)
    app.connect("build-finished", finish_pending_listing)

"""The standalone citation index page (``quote-index``) of HTML builders.

Sphinx writes a domain index through the theme's page template, which takes
the page's body as one string. The listing of a large project is megabytes
(2.8 million characters at 10^4 quotations), and the body, the rendered page
and its encoded bytes would each hold a copy of it at once: the largest
allocation of the whole build. So the page is rendered with a marker where
the listing goes, and as soon as Sphinx has written it (at
``html-collect-pages``, the next step of the build) the listing is streamed
into the file in place of the marker, a slice at a time. The file is the
same, byte for byte, as the page rendered whole. The listing is written
source by source, each source's part copied from the page written last when
nothing it shows changed (splice.py): Sphinx's writing of the page replaces
that file, so it is moved aside, into the doctree directory, just before.

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

from .index import (
    INDEX_DOCNAME,
    QuoteIndex,
    SourceHead,
    _doc_title,
    _quote_html,
    index_heads,
    index_html,
    listing_html,
    source_html,
)
from .sources import source_fingerprint
from .splice import SplicedWriter, forget, splice_key, store_path

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from .domain import QuoteRecord

#: Where the listing goes in the page Sphinx writes. A comment, so that a
#: page left with it (a build stopped at that very moment) is still valid.
MARKER = "<!-- quotefig: the citation index listing -->"
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
        body = head + index_html(app.env.domains["quote"], builder, pagename) + "</section>" + tail
    else:
        body = f"{head}{MARKER}</section>{tail}"
        setattr(builder, _PENDING, (pagename, context.get("encoding", "utf-8"), _move_aside(builder, pagename)))
    context.update(title=title, body=body, toc="", display_toc=False, metatags=context.get("metatags", ""), sourcename="")
    return "page.html"


def _move_aside(builder: Builder, pagename: str) -> Path | None:
    """Keep the page written last, which Sphinx is about to replace: the
    listing's unchanged parts are copied from it."""
    aside = store_path(builder, "page").with_suffix(".old")
    try:
        aside.parent.mkdir(parents=True, exist_ok=True)
        os.replace(builder.get_outfilename(pagename), aside)
    except OSError:  # no page yet, or another file system
        return None
    return aside


def stream_index_listing(app: Sphinx) -> list:
    """``html-collect-pages``: write the listing into the page just written,
    in place of its marker. Adds no pages."""
    builder = app.builder
    pending = getattr(builder, _PENDING, None)
    if pending is None:
        return []
    delattr(builder, _PENDING)
    pagename, encoding, aside = pending
    try:
        _stream(app, pagename, encoding, aside)
    finally:
        if aside is not None:
            aside.unlink(missing_ok=True)
    return []


def _restore(builder: Builder, path: Path, aside: Path | None) -> None:
    """The page was not written (a template that failed, a file Sphinx could
    not open): put back the one written last, as Sphinx would have left it."""
    if aside is None:
        forget(store_path(builder, "page"))
        return
    try:
        os.replace(aside, path)
    except OSError:
        forget(store_path(builder, "page"))


def _stream(app: Sphinx, pagename: str, encoding: str, aside: Path | None) -> None:
    builder = app.builder
    store = store_path(builder, "page")
    path = Path(builder.get_outfilename(pagename))
    try:
        page = path.read_text(encoding=encoding)
    except OSError:  # Sphinx did not write it, and has said why
        _restore(builder, path, aside)
        return
    before, marker, after = page.partition(MARKER)
    del page
    if not marker or MARKER in after:
        forget(store)
        _render_whole(builder, pagename)
        return
    domain = app.env.domains["quote"]
    env = domain.env
    words = env.config.quotefig_excerpt_words

    def encode(text: str) -> bytes:
        # As Sphinx writes a page: its encoding, characters it cannot
        # encode as character references.
        return text.encode(encoding, "xmlcharrefreplace")

    def entry(record: QuoteRecord) -> str:
        return _quote_html(record, env, builder, pagename, words)

    def part(head: SourceHead) -> None:
        prefix, suffix = source_html(head, env, builder, pagename)
        writer.part(head, _heading_stamp(env, head), prefix, suffix, "", entry)

    partial = path.with_name(f".{path.name}.tmp")
    try:
        with partial.open("wb") as stream:
            writer = SplicedWriter(domain, stream, store, splice_key(builder, encoding), aside, encode)
            try:
                writer.write(before)
                listing_html(index_heads(domain), writer.write, part)
                writer.write(after)
            finally:
                writer.close()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    writer.save(path)


def _heading_stamp(env: BuildEnvironment, head: SourceHead) -> str:
    """What a source's heading shows of it (besides its count)."""
    source = head.source
    home = source.home if source is not None else None
    return repr((source_fingerprint(source), _doc_title(env, home[0]) if home else None))


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

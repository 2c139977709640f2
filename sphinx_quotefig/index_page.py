"""The standalone citation index page (``quote-index``) of HTML builders.

Sphinx writes a domain index through the theme's page template, which takes
the page's body as one string. The listing of a large project is megabytes,
and the body, the rendered page and its encoded bytes would each hold a
copy of it at once: the largest allocation of the whole build. So the page
is handed to Sphinx with a marker where the listing goes; once Sphinx has
written it (``html-collect-pages``), the same template is rendered again
from the same context, and the page is written with the listing streamed
in place of the marker, source by source, from the fragments kept between
builds (fragments.py). The file is the page rendered whole, byte for byte.

A theme that changes the body so that the marker is not there once gets the
page rendered whole. A page Sphinx did not write in this build (a template
that failed, a file it could not open) is left as it is; one it wrote
before a later step failed still gets its listing, at ``build-finished``.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes

from . import describe, render_html
from .anchors import INDEX_DOCNAME, target_uri
from .fragments import Fragments, Written, atomic_file, render_settings, start_afresh, stat_of, write_listing
from .index import QuoteIndex
from .listing import Listing, SourceEntry, listing_for

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

    from .records import QuoteRecord

#: Where the listing goes in the page Sphinx writes. A comment, so that a
#: page left with it (a build stopped at that very moment) is still valid.
MARKER = "<!-- quotefig: the citation index listing -->"
_PENDING = "_quotefig_index_pending"


class Pending(NamedTuple):
    """A page Sphinx is writing with the marker, and what writes it whole."""

    pagename: str
    context: dict[str, Any]
    #: The body around the marker.
    head: str
    tail: str
    #: The file's (size, mtime) before Sphinx wrote it; None: no file.
    before: tuple[int, int] | None


def render_index_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> str | None:
    """``html-page-context``: the standalone index (title, author, year,
    links, counts, excerpts), which the generic domain-index table cannot
    show, in the theme's ordinary page template."""
    if pagename != INDEX_DOCNAME or templatename != "domainindex.html":
        return None
    builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
    title = str(QuoteIndex.localname)
    container = nodes.container()
    container += nodes.section("", nodes.title(title, title), ids=["citation-index"])
    if not hasattr(builder, "fignumbers"):  # set only once a document is written
        builder.fignumbers = {}
    head, _end, tail = builder.render_partial(container)["fragment"].rpartition("</section>")
    tail = "</section>" + tail
    context.update(body=head + MARKER + tail, title=title, toc="", display_toc=False, sourcename="")
    context.setdefault("metatags", "")
    setattr(builder, _PENDING, Pending(pagename, context, head, tail, stat_of(builder.get_outfilename(pagename))))
    return "page.html"


def write_index_listing(app: Sphinx, *args: Any) -> list:
    """``html-collect-pages`` (and ``build-finished``): write the page Sphinx
    just wrote again, with its listing. Adds no pages."""
    builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
    pending: Pending | None = getattr(builder, _PENDING, None)
    if pending is None:
        return []
    delattr(builder, _PENDING)
    path = builder.get_outfilename(pending.pagename)
    if stat_of(path) in (None, pending.before):
        return []  # Sphinx did not write it, and has said why
    listing = listing_for(app.env.domains["quote"], builder)
    encoding = pending.context.get("encoding") or "utf-8"
    settings = render_settings(builder, target_uri(builder, INDEX_DOCNAME, "a/b", "figure-1"), encoding)
    page = builder.templates.render("page.html", pending.context)
    before, marker, after = page.partition(MARKER)
    del page
    if not marker or MARKER in after:
        # A theme changed the body: render it whole, as Sphinx would (and
        # keep no fragment of it).
        listed = io.BytesIO()
        whole = Fragments(builder, "page", start_afresh=True)
        _write_listing(listing, whole, settings, pending.pagename, listed.write, _utf8)
        pending.context["body"] = pending.head + listed.getvalue().decode("utf-8") + pending.tail
        with atomic_file(path) as stream:
            stream.write(builder.templates.render("page.html", pending.context).encode(encoding, "xmlcharrefreplace"))
        return []
    fragments = Fragments(builder, "page", start_afresh(app))
    encode = codecs.getincrementalencoder(encoding)("xmlcharrefreplace").encode
    with atomic_file(path) as stream:
        stream.write(encode(before))
        _write_listing(listing, fragments, settings, pending.pagename, stream.write, encode)
        stream.write(encode(after, True))
    fragments.report(pending.pagename, len(listing.entries))
    fragments.save(Written("", *(stat_of(path) or (0, 0))))
    return []


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _write_listing(
    listing: Listing,
    fragments: Fragments,
    settings: str,
    pagename: str,
    write: Callable[[bytes], Any],
    encode: Callable[[str], bytes],
) -> None:
    domain, builder = listing.domain, listing.builder

    def item(record: QuoteRecord) -> str:
        return render_html.item(describe.item(record, domain, builder, pagename))

    def source(entry: SourceEntry) -> None:
        def around() -> tuple[str, str]:
            return render_html.source_parts(entry, describe.heading(entry, domain, builder, pagename))

        write_listing(listing, fragments, settings, write, encode, entry, around, item)

    render_html.frame(listing.entries, lambda text: write(encode(text)), source)


def setup_index_page(app: Sphinx) -> None:
    app.connect("html-page-context", render_index_page)
    app.connect("html-collect-pages", write_index_listing)
    app.connect("build-finished", write_index_listing)

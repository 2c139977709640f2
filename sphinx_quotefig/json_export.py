"""``quotes.json``, written next to the HTML (html, dirhtml and singlehtml).

Written at the end of every build from the same listing as the citation
index, in the same order, each source's quotations from the fragments kept
between builds (fragments.py). When nothing it shows changed and the file
is as the last build wrote it, it is left alone (and keeps its mtime).
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import render_json
from .fragments import Fragments, Written, atomic_file, digest, render_settings, start_afresh, stat_of, write_fragment, write_listing
from .listing import Listing, SourceEntry, listing_for

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .records import QuoteRecord

FILENAME = "quotes.json"
#: HTML-format builders whose output is a website (not an e-book).
WEB_BUILDERS_EXCLUDED = frozenset({"epub"})


def write_quotes_json(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``."""
    builder = app.builder
    if exception is not None or builder.format != "html" or builder.name in WEB_BUILDERS_EXCLUDED:
        return
    if not app.config.quotefig_json:
        return
    listing = listing_for(app.env.domains["quote"], builder)
    path = Path(builder.outdir) / FILENAME
    fragments = Fragments(builder, "json", start_afresh(app))
    settings = render_settings(builder, render_json.page_url(builder, "a/b", "figure-1"), builder.config.project)
    inputs = digest(settings, listing.digest(listing.entries))
    written, stat = fragments.written(), stat_of(path)
    if written is not None and stat is not None and written == Written(inputs, *stat):
        return
    with atomic_file(path) as stream:
        stream.write(_utf8(render_json.opening(builder)))
        _write_sources(listing, fragments, settings, stream.write)
        stream.write(_utf8(render_json.BETWEEN))
        _write_quotes(listing, fragments, settings, stream.write)
    fragments.report(FILENAME, len(listing.entries))
    stat = stat_of(path)
    assert stat is not None
    fragments.save(Written(inputs, *stat))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _nothing_around() -> tuple[str, str]:
    return "", ""


def _write_sources(listing: Listing, fragments: Fragments, settings: str, write: Callable[[bytes], Any]) -> None:
    """The list of sources, each entry a fragment named apart from the
    source's quotations, and keyed like them by the listing's digest of
    the source."""
    keyed = [entry for entry in listing.entries if entry.key is not None]
    if not keyed:
        write(b"[]")
        return
    write(b"[\n")
    for position, entry in enumerate(keyed):
        if position:
            write(b",\n")
        key = digest(settings, "source", listing.digest([entry]))
        write_fragment(fragments, ("source", entry.key), key, lambda: _source_entry(listing, entry), write)
    write(b"\n  ]")


def _source_entry(listing: Listing, entry: SourceEntry) -> bytes:
    return _utf8(render_json.encoded(render_json.source_json(entry, listing.builder, listing.domain)))


def _write_quotes(listing: Listing, fragments: Fragments, settings: str, write: Callable[[bytes], Any]) -> None:
    quoted = [entry for entry in listing.entries if entry.count]
    if not quoted:
        write(b"[]\n}\n")
        return
    write(b"[\n")

    def quote(record: QuoteRecord) -> str:
        return render_json.encoded(render_json.quote_json(record, listing))

    for position, entry in enumerate(quoted):
        if position:
            write(b",\n")
        write_listing(listing, fragments, settings, write, _utf8, entry, _nothing_around, quote, ",\n")
    write(b"\n  ]\n}\n")

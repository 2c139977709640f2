"""``quotes.json``, written next to the HTML (html, dirhtml and singlehtml).

Written at the end of every build from the same listing as the citation
index, in the same order, each source's quotations from the fragments kept
between builds (fragments.py). When nothing it shows changed and the file
is as the last build wrote it, it is left alone (and keeps its mtime).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import render_json
from .fragments import Fragments, Written, atomic_file, digest, render_settings, start_afresh, stat_of, write_listing
from .listing import listing_for

if TYPE_CHECKING:
    from sphinx.application import Sphinx

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

        def write(text: str) -> None:
            stream.write(text.encode("utf-8"))

        write(render_json.header(listing))
        _write_quotes(listing, fragments, settings, write)
    fragments.report(FILENAME, len(listing.entries))
    stat = stat_of(path)
    assert stat is not None
    fragments.save(Written(inputs, *stat))


def _write_quotes(listing: Any, fragments: Fragments, settings: str, write: Any) -> None:
    quoted = [entry for entry in listing.entries if entry.count]
    if not quoted:
        write("[]\n}\n")
        return
    write("[\n")

    def quote(record: Any) -> str:
        return render_json.encoded(render_json.quote_json(record, listing))

    for position, entry in enumerate(quoted):
        if position:
            write(",\n")
        write_listing(listing, fragments, settings, write, entry, ("", ""), quote, ",\n")
    write("\n  ]\n}\n")

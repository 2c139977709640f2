"""``quotes.json``: every source and quotation, for other tools.

Written next to the HTML (html, dirhtml and singlehtml builders) at the end
of every build, from the same model as the citation index, in the same
order; written only when its content changed. The schema is documented in
``docs/citation-index.md``; ``version`` is bumped on incompatible changes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .anchors import output_anchor, single_page
from .index import index_groups
from .nodes import with_source_titles

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from .domain import QuoteDomain, QuoteRecord
    from .sources import Source

SCHEMA_VERSION = 1
FILENAME = "quotes.json"
#: HTML-format builders whose output is a website (not an e-book).
WEB_BUILDERS_EXCLUDED = frozenset({"epub"})


def page_url(builder: Builder, docname: str, anchor: str = "", named: bool = False) -> str:
    """URL of a document (and anchor) relative to the output root."""
    if single_page(builder):
        base = builder.config.root_doc + builder.out_suffix
        anchor = output_anchor(builder, docname, anchor, named) or f"document-{docname}"
    else:
        base = builder.get_target_uri(docname)
    return f"{base}#{anchor}" if anchor else base


def quotes_document(domain: QuoteDomain, builder: Builder) -> dict[str, Any]:
    config = domain.env.config
    sources = []
    quotes = []
    for group in index_groups(domain):
        if group.key is not None:
            sources.append(_source_entry(group.key, group.source, len(group.quotes), builder))
        quotes.extend(_quote_entry(record, builder, config, domain.sources) for record in group.quotes)
    return {
        "version": SCHEMA_VERSION,
        "project": config.project,
        "sources": sources,
        "quotes": quotes,
    }


def _source_entry(key: str, source: Source | None, count: int, builder: Builder) -> dict[str, Any]:
    home = source.home if source else None
    return {
        "key": key,
        "declared": source is not None,
        "title": source.display_title if source else key,
        "author": source.author if source else "",
        "year": source.year if source else "",
        "url": source.url if source else "",
        "page": page_url(builder, *home) if home else None,
        "quote_count": count,
    }


def _quote_entry(record: QuoteRecord, builder: Builder, config: Any, sources: dict[str, Source]) -> dict[str, Any]:
    return {
        "id": f"{record.docname}#{record.anchor}",
        "kind": record.kind,
        "source": record.source,
        "locator": None
        if record.locator is None
        else {"kind": record.locator[0], "value": record.locator[1], "label": record.locator_label(config)},
        "author": record.author,
        "text": with_source_titles(record.text, sources),
        "document": record.docname,
        "line": record.lineno,
        "url": page_url(builder, record.docname, record.anchor, record.named),
        "quote_url": record.url,
    }


def write_quotes_json(app: Sphinx, exception: Exception | None) -> None:
    builder = app.builder
    if exception is not None or builder.format != "html" or builder.name in WEB_BUILDERS_EXCLUDED:
        return
    if not app.config.quotefig_json:
        return
    document = quotes_document(app.env.domains["quote"], builder)
    path = Path(builder.outdir) / FILENAME
    # Streamed into a file beside it, then compared: json.dumps() would hold
    # every chunk of the encoder, the whole text and the old file's text at
    # once — the build's peak memory, with 10^4 quotations.
    partial = path.with_name(f".{FILENAME}.tmp")
    try:
        with partial.open("w", encoding="utf-8") as stream:
            json.dump(document, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        if not (path.exists() and _same_bytes(partial, path)):
            os.replace(partial, path)  # else unchanged: the file (and its mtime) stay
    finally:
        partial.unlink(missing_ok=True)


def _same_bytes(a: Path, b: Path, block: int = 1 << 20) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            chunk = fa.read(block)
            if chunk != fb.read(block):
                return False
            if not chunk:
                return True

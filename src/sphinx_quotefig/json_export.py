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
from typing import TYPE_CHECKING, Any, TextIO

from .anchors import output_anchor, single_page
from .index import index_groups
from .nodes import with_source_titles
from .rendered import rendered_quotes

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
        quotes.extend(
            _quote_entry(record, builder, config, with_source_titles(record.text, domain.sources)) for record in group.quotes
        )
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


def _quote_entry(record: QuoteRecord, builder: Builder, config: Any, text: str) -> dict[str, Any]:
    return {
        "id": f"{record.docname}#{record.anchor}",
        "kind": record.kind,
        "source": record.source,
        "locator": None
        if record.locator_kind is None
        else {"kind": record.locator_kind, "value": record.locator_text, "label": record.locator_label(config)},
        "author": record.author,
        "text": text,
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
    path = Path(builder.outdir) / FILENAME
    # Written into a file beside it, then compared: the whole text and the
    # old file's text are never held at once (10^4 quotations).
    partial = path.with_name(f".{FILENAME}.tmp")
    try:
        with partial.open("w", encoding="utf-8") as stream:
            write_quotes_document(stream, app.env.domains["quote"], builder)
        if not (path.exists() and _same_bytes(partial, path)):
            os.replace(partial, path)  # else unchanged: the file (and its mtime) stay
    finally:
        partial.unlink(missing_ok=True)


#: A quotation's kept entry leaves out its text, which the records hold
#: already (the bulk of the file): a NUL stands for it, which the encoded
#: JSON never holds (control characters are escaped).
_TEXT_SLOT = "\x00"
#: How the entry of a text that is one NUL encodes.
_SLOT_VALUE = '"text": "\\u0000"'
#: A string as ``json.dumps(..., ensure_ascii=False)`` encodes it (in C).
_encode_text = json.encoder.encode_basestring


def write_quotes_document(stream: TextIO, domain: QuoteDomain, builder: Builder) -> None:
    """:func:`quotes_document` as ``json.dump(..., indent=2)`` writes it, with
    each quotation's entry encoded only when it changed (rendered.py), and
    written piece by piece."""
    from .index import rendering_key

    config = domain.env.config
    sources = domain.sources
    groups = index_groups(domain)
    rendered = rendered_quotes(builder, domain, lambda: rendering_key(builder))
    stream.write("{\n")
    for name, value in (("version", SCHEMA_VERSION), ("project", config.project)):
        stream.write(f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},\n")
    listed = [_encoded(_source_entry(g.key, g.source, len(g.quotes), builder)) for g in groups if g.key is not None]
    stream.write('  "sources": ' + ("[\n" + ",\n".join(listed) + "\n  ]" if listed else "[]") + ",\n")
    stream.write('  "quotes": ')
    if not any(group.quotes for group in groups):
        stream.write("[]\n}\n")
        return
    stream.write("[\n")
    separator = ""
    for group in groups:
        frames = rendered.entries(group.quotes, "json", lambda record: _quote_frame(record, builder, config))
        pieces = []
        for record, frame in zip(group.quotes, frames):
            before, _slot, after = frame.partition(_TEXT_SLOT)
            pieces += (separator, before, _encode_text(with_source_titles(record.text, sources)), after)
            separator = ",\n"
        stream.write("".join(pieces))  # one source's quotations at a time
    stream.write("\n  ]\n}\n")


def _quote_frame(record: QuoteRecord, builder: Builder, config: Any) -> str:
    """A quotation's encoded entry with :data:`_TEXT_SLOT` for its text."""
    before, _value, after = _encoded(_quote_entry(record, builder, config, _TEXT_SLOT)).partition(_SLOT_VALUE)
    return f'{before}"text": {_TEXT_SLOT}{after}'


def _encoded(entry: dict[str, Any]) -> str:
    """*entry* as an item of a list at depth 2 of an ``indent=2`` dump (JSON
    strings hold no raw newline, so every newline starts a line)."""
    return "    " + json.dumps(entry, ensure_ascii=False, indent=2).replace("\n", "\n    ")


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

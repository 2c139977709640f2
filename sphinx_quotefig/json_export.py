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
from .index import index_groups, index_heads
from .nodes import with_source_titles
from .splice import SplicedWriter, splice_key, store_path

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
    domain = app.env.domains["quote"]
    path = Path(builder.outdir) / FILENAME
    # Written into a file beside it, and compared with the old one as it is
    # written: the whole text is never held at once (10^4 quotations).
    partial = path.with_name(f".{FILENAME}.tmp")
    try:
        with partial.open("wb") as stream:
            old = path if path.exists() else None
            writer = SplicedWriter(domain, stream, store_path(builder, "json"), splice_key(builder), old, _utf8)
            try:
                write_quotes_document(writer, domain, builder)
            finally:
                writer.close()
        # Unchanged, the file (and its mtime) stay. Without what the last
        # build wrote, the files themselves are compared.
        if not (writer.unchanged or (not writer.spliced and path.exists() and _same_bytes(partial, path))):
            os.replace(partial, path)
        writer.save(path)
    finally:
        partial.unlink(missing_ok=True)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def write_quotes_document(writer: SplicedWriter, domain: QuoteDomain, builder: Builder) -> None:
    """:func:`quotes_document` as ``json.dump(..., indent=2)`` writes it,
    piece by piece, each source's quotations copied from the file written
    last when unchanged (splice.py)."""
    config = domain.env.config
    sources = domain.sources
    heads = index_heads(domain)
    writer.write("{\n")
    for name, value in (("version", SCHEMA_VERSION), ("project", config.project)):
        writer.write(f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},\n")
    listed = [_encoded(_source_entry(h.key, h.source, h.quote_count, builder)) for h in heads if h.key is not None]
    writer.write('  "sources": ' + ("[\n" + ",\n".join(listed) + "\n  ]" if listed else "[]") + ",\n")
    writer.write('  "quotes": ')
    quoted = [head for head in heads if head.quote_count]
    if not quoted:
        writer.write("[]\n}\n")
        return
    writer.write("[\n")

    def entry(record: QuoteRecord) -> str:
        return _encoded(_quote_entry(record, builder, config, with_source_titles(record.text, sources)))

    for position, head in enumerate(quoted):
        if position:
            writer.write(",\n")
        # An entry shows nothing of its source but the key: no stamp.
        writer.part(head, "", "", "", ",\n", entry)
    writer.write("\n  ]\n}\n")


def _encoded(entry: dict[str, Any], indent: str = "    ") -> str:
    """*entry* as ``json.dumps(..., ensure_ascii=False, indent=2)`` writes
    it as an item of a list at depth 2 (*indent*: where it stands).

    Written here for the flat entries of this file (scalars and one level
    of nested objects): with ``indent``, json encodes in Python, and each
    call leaves closures in reference cycles for the garbage collector.
    """
    inner = indent + "  "
    items = [
        f"{inner}{_encode_text(key)}: {_encoded(value, inner).lstrip() if isinstance(value, dict) and value else _scalar(value)}"
        for key, value in entry.items()
    ]
    return f"{indent}{{\n" + ",\n".join(items) + f"\n{indent}}}" if items else f"{indent}{{}}"


#: A string as ``json.dumps(..., ensure_ascii=False)`` encodes it (in C).
_encode_text = json.encoder.encode_basestring


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _encode_text(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


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

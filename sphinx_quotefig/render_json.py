"""``quotes.json`` entries: every source and quotation, for other tools.

The file is exactly what ``json.dumps(..., ensure_ascii=False, indent=2)``
makes of its content; it is written in pieces (each source's quotations one
fragment, see fragments.py), so the pieces are encoded here as that call
would encode them. The schema is documented in
``docs/citation-index.md``; ``version`` is bumped on incompatible changes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .anchors import output_anchor, single_page
from .nodes import with_source_titles
from .references import csl_item

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from .domain import QuoteDomain
    from .listing import Listing, SourceEntry
    from .records import QuoteRecord

SCHEMA_VERSION = 1


def page_url(builder: Builder, docname: str, anchor: str = "", named: bool = False) -> str:
    """URL of a document (and anchor) relative to the output root."""
    if single_page(builder):
        base = builder.config.root_doc + builder.out_suffix
        anchor = output_anchor(builder, docname, anchor, named) or f"document-{docname}"
    else:
        base = builder.get_target_uri(docname)
    return f"{base}#{anchor}" if anchor else base


def source_json(entry: SourceEntry, builder: Builder, domain: QuoteDomain) -> dict[str, Any]:
    source = entry.source
    home = source.home if source else None
    listed = domain.bibliography_entries.get(entry.key) if entry.key else None
    fields = {
        "key": entry.key,
        "declared": source is not None,
        "title": source.display_title if source else entry.key,
        "author": source.author if source else "",
        "year": source.year if source else "",
        "url": source.url if source else "",
        "page": page_url(builder, *home) if home else None,
        "quote_count": entry.count,
        # What reference managers import; null for a source never declared.
        "csl": csl_item(source.key, source.fields()) if source else None,
    }
    if listed is not None:
        # Only where a bibliography lists the source: a project without one
        # gets the file it always got.
        fields["bibliography"] = page_url(builder, listed.docname, listed.id, named=True)
    return fields


def quote_json(record: QuoteRecord, listing: Listing) -> dict[str, Any]:
    builder = listing.builder
    return {
        "id": f"{record.docname}#{record.anchor}",
        "kind": record.kind,
        "source": record.source,
        "locator": None
        if record.locator_kind is None
        else {"kind": record.locator_kind, "value": record.locator_text, "label": record.locator_label(builder.config)},
        "author": record.author,
        "text": with_source_titles(record.text, listing.domain.sources),
        "document": record.docname,
        "line": record.lineno,
        "url": page_url(builder, record.docname, record.anchor, record.named),
        "quote_url": record.url,
    }


def opening(builder: Builder) -> str:
    """The file up to its list of sources."""
    out = ["{\n"]
    for name, value in (("version", SCHEMA_VERSION), ("project", builder.config.project)):
        out.append(f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},\n")
    out.append('  "sources": ')
    return "".join(out)


#: Between the list of sources and the list of quotations.
BETWEEN = ',\n  "quotes": '


def encoded(entry: dict[str, Any], indent: str = "    ") -> str:
    """*entry* as ``json.dumps(..., ensure_ascii=False, indent=2)`` writes
    it as an item of a list at depth 2 (*indent*: where it stands).

    Written here for the flat entries of this file (scalars and one level
    of nested objects): with ``indent``, json encodes in Python, and each
    call leaves closures in reference cycles for the garbage collector.
    """
    inner = indent + "  "
    items = [f"{inner}{_encode_text(key)}: {_value(value, inner)}" for key, value in entry.items()]
    return f"{indent}{{\n" + ",\n".join(items) + f"\n{indent}}}" if items else f"{indent}{{}}"


#: A string as ``json.dumps(..., ensure_ascii=False)`` encodes it (in C).
_encode_text = json.encoder.encode_basestring


def _value(value: Any, indent: str) -> str:
    if isinstance(value, dict) and value:
        return encoded(value, indent).lstrip()
    if isinstance(value, list) and value:  # rare (a source's CSL-JSON): json's own encoder
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)
    return _scalar(value)


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

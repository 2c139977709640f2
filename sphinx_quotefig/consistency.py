"""Problems that show only once every document is read: sources named but
never declared, and sources declared twice with different data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .diagnostics import Subtype, __, warn
from .suggestions import unknown_source_hint

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .domain import QuoteDomain


def check_sources(app: Sphinx, env: Any) -> None:
    """``env-check-consistency``: sorted, so serial and parallel builds say
    the same."""
    domain: QuoteDomain = env.domains["quote"]
    for conflict in domain.conflicts:
        other = conflict.other
        location = (other.docname, other.lineno) if other.docname else (other.place if other.origin else None)
        warn(
            __("source %r declared twice with different data: at %s and at %s; using the first")
            % (conflict.key, conflict.kept.place, conflict.other.place),
            Subtype.SOURCE_CONFLICT,
            location,
        )
    known = domain.sources
    for declaration in domain.declarations():
        if declaration.docname and declaration.key not in known:
            warn(
                __("unknown source %r: declare it with options (:title: …) or in quotefig_sources") % declaration.key
                + unknown_source_hint(declaration.key, known),
                Subtype.UNKNOWN_SOURCE,
                (declaration.docname, declaration.lineno),
            )
    # Only the documents quoting an unknown source are read.
    for docname, parts in sorted(domain.parts.items()):
        if any(key and key not in known for key in parts):
            for record in domain.quotes_of_doc(docname):
                if record.source and record.source not in known:
                    warn(
                        __("unknown source %r") % record.source
                        + unknown_source_hint(record.source, known, inline=record.kind == "inline"),
                        Subtype.UNKNOWN_SOURCE,
                        (docname, record.lineno),
                    )

"""sphinx-quotefig: quotations with page citations, as semantic figures.

Add ``"sphinx_quotefig"`` to ``extensions`` in ``conf.py``. Where to look:

- :mod:`.directives`, :mod:`.roles` — what authors write
- :mod:`.transforms` — current sources and ids, at read time
- :mod:`.domain` — what is recorded per document (the only stored state)
- :mod:`.citations` — citation text, and standard nodes for non-HTML builders
- :mod:`.writers.html`, :mod:`.writers.latex` — the markup
- :mod:`.index`, :mod:`.index_page`, :mod:`.json_export` — the citation index,
  its page and ``quotes.json``
- :mod:`.locators` — parsing, formatting and sorting page locators
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / "static"
LOCALE_DIR = Path(__file__).parent / "locale"
STYLESHEET = "quotefig.css"

#: Bump when the doctree nodes or recorded data change shape, so that old
#: environments are rebuilt rather than misread.
ENV_VERSION = 9


def setup(app: Sphinx) -> dict[str, Any]:
    from . import config, nodes
    from .citations import ResolveQuotes
    from .diagnostics import MESSAGE_CATALOG
    from .directives import QuoteDirective, QuoteSourceDirective
    from .domain import QuoteDomain, outdated_source_pages, record_title, release_derived
    from .labels import resolve_label_titles
    from .index import setup_index
    from .index_page import setup_index_page
    from .json_export import write_quotes_json
    from .roles import InlineQuoteRole, SourceRole
    from .transforms import AssignSources
    from .writers import html, latex

    config.register(app)
    app.add_message_catalog(MESSAGE_CATALOG, str(LOCALE_DIR))

    app.add_enumerable_node(
        nodes.quote_figure,
        "quote",
        nodes.quote_title,
        html=(html.visit_quote_figure, html.depart_quote_figure),
        latex=(latex.visit_quote_figure, latex.depart_quote_figure),
    )
    app.add_node(nodes.quote_body, html=(html.visit_quote_body, html.depart_quote_body))
    app.add_node(nodes.quote_citation, html=(html.visit_quote_citation, None))
    app.add_node(nodes.inline_quote, html=(html.visit_inline_quote, html.depart_inline_quote))
    # Known to docutils, so its generic visitors (the HTML writer's compact
    # list check among them) can walk past them.
    app.add_node(nodes.source_line)
    app.add_node(nodes.quote_index_placeholder)

    app.add_directive("quote", QuoteDirective)
    app.add_directive("quote-source", QuoteSourceDirective)
    app.add_role("q", InlineQuoteRole())
    app.add_role("quote-source", SourceRole())

    app.add_domain(QuoteDomain)
    app.add_transform(AssignSources)
    app.add_post_transform(ResolveQuotes)
    setup_index(app)
    setup_index_page(app)

    app.connect("builder-inited", add_stylesheet)
    # After Sphinx's title collector (priority 500) and anything at the default.
    app.connect("doctree-read", record_title, priority=900)
    app.connect("env-check-consistency", check_sources)
    # Label titles first: the pages to write again depend on them.
    app.connect("env-updated", resolve_label_titles)
    app.connect("env-updated", outdated_source_pages)
    app.connect("build-finished", write_quotes_json)
    app.connect("build-finished", release_derived, priority=950)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def add_stylesheet(app: Sphinx) -> None:
    """Link the stylesheet from HTML pages (HTML builders only).

    The file is copied here rather than through ``html_static_path``, which
    would make Sphinx see a changed configuration on every build; and before
    any page is written, so that every page links it the same way (Sphinx
    adds a checksum to the link of a file it finds in the output), in a
    clean build as in an incremental one.
    """
    if app.builder.format == "html":
        app.add_css_file(STYLESHEET)
        # Our own file: replace an older copy (copy_asset_file would refuse).
        source = (STATIC_DIR / STYLESHEET).read_bytes()
        target = Path(app.builder.outdir) / "_static" / STYLESHEET
        if not target.exists() or target.read_bytes() != source:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source)


def check_sources(app: Sphinx, env: Any) -> None:
    """Unknown and conflicting sources, once every document has been read.

    Reported here rather than while reading because a source may be declared
    in any document; sorted, so serial and parallel builds say the same.
    """
    from .diagnostics import __, warn

    domain = env.domains["quote"]
    for conflict in domain.conflicts:
        other = conflict.other
        location = (other.docname, other.lineno) if other.docname else None
        warn(
            __("source %r declared twice with different data: at %s and at %s; using the first")
            % (conflict.key, conflict.kept.place, conflict.other.place),
            "source_conflict",
            location,
        )
    known = domain.sources
    for declaration in domain.all_declarations():
        if declaration.docname and declaration.key not in known:
            warn(
                __("unknown source %r: declare it with options (:title: …) or in quotefig_sources")
                % declaration.key,
                "unknown_source",
                (declaration.docname, declaration.lineno),
            )
    # Only the documents quoting an unknown source: no record object per
    # quotation on every build.
    parts = domain.data["quote_parts"]
    unknown = sorted(docname for docname, keys in parts.items() if any(key and key not in known for key in keys))
    for record in domain.quotes_in(unknown):
        if record.source and record.source not in known:
            warn(
                __("unknown source %r") % record.source,
                "unknown_source",
                (record.docname, record.lineno),
            )

"""sphinx-quotefig: quotations with page citations, as semantic figures.

Add ``"sphinx_quotefig"`` to ``extensions`` in ``conf.py``. The modules, in
the one direction their imports go (``docs/architecture.md``):

- read side: :mod:`.directives`, :mod:`.roles`, :mod:`.transforms`,
  :mod:`.title_copies` (a heading's quotation where Sphinx copies the title)
- records: :mod:`.records` — what is kept of each quotation
- domain: :mod:`.domain` — per-document state, sources, ``{quote-source}``
- listing: :mod:`.listing` — the citation index as a builder lists it
- renderers: :mod:`.describe`, :mod:`.render_nodes`, :mod:`.render_html`,
  :mod:`.render_json`, :mod:`.citations`, :mod:`.writers`, :mod:`.coins`
  (a source as a COinS span)
- outputs: :mod:`.fragments`, :mod:`.index`, :mod:`.index_page`,
  :mod:`.json_export`, :mod:`.pages`, :mod:`.labels`, :mod:`.consistency`,
  :mod:`.structured_data` (schema.org ``Quotation`` items as JSON-LD)
- checking quotations against a source's file: :mod:`.extract`,
  :mod:`.matching`, :mod:`.text_cache`, :mod:`.quote_check`,
  :mod:`.quotecheck_builder`
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import config, nodes
from .citations import ResolveQuotes
from .consistency import check_sources
from .diagnostics import MESSAGE_CATALOG
from .directives import QuoteDirective, QuoteIndexDirective, QuoteSourceDirective
from .domain import QuoteDomain, load_bibliographies, note_bibliography_entries, record_title
from .fragments import note_written_documents
from .index import setup_index
from .index_page import setup_index_page
from .json_export import write_quotes_json
from .labels import resolve_label_titles
from .listing import forget_listing
from .pages import keep_page_digests, note_documents_read, outdated_pages
from .roles import InlineQuoteRole, SourceRole
from .structured_data import add_structured_data
from .title_copies import QuotesInContents, quotes_in_collected_titles
from .transforms import AssignSources, AssignSubstitutedQuotes, LabelsNameQuotes
from .writers import html, latex

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / "static"
LOCALE_DIR = Path(__file__).parent / "locale"
STYLESHEET = "quotefig.css"

#: Bump when the doctree nodes or recorded data change shape, so that old
#: environments are rebuilt rather than misread.
ENV_VERSION = 11


def setup(app: Sphinx) -> dict[str, Any]:
    config.register(app)
    app.add_message_catalog(MESSAGE_CATALOG, str(LOCALE_DIR))

    app.add_enumerable_node(
        nodes.quote_figure,
        "quote",
        nodes.quote_title,
        html=(html.visit_quote_figure, html.depart_quote_figure),
        latex=(latex.visit_quote_figure, latex.depart_quote_figure),
    )
    app.add_node(
        nodes.quote_body,
        html=(html.visit_quote_body, html.depart_quote_body),
        latex=(latex.visit_quote_body, latex.depart_quote_body),
    )
    app.add_node(
        nodes.quote_citation,
        html=(html.visit_quote_citation, None),
        latex=(latex.visit_quote_citation, latex.depart_quote_citation),
    )
    app.add_node(
        nodes.inline_quote,
        html=(html.visit_inline_quote, html.depart_inline_quote),
        latex=(latex.visit_inline_quote, latex.depart_inline_quote),
    )
    # Known to docutils, so its generic visitors (the HTML writer's compact
    # list check among them) can walk past them.
    app.add_node(nodes.source_line, latex=(latex.visit_source_line, latex.depart_source_line))
    app.add_node(nodes.quote_index_placeholder)
    app.add_node(nodes.citation_index, latex=(latex.visit_citation_index, None))
    app.add_latex_package(latex.PACKAGE)

    app.add_directive("quote", QuoteDirective)
    app.add_directive("quote-source", QuoteSourceDirective)
    app.add_directive("quote-index", QuoteIndexDirective)
    app.add_role("q", InlineQuoteRole())
    app.add_role("quote-source", SourceRole())

    app.add_domain(QuoteDomain)
    app.add_transform(AssignSources)
    app.add_transform(AssignSubstitutedQuotes)
    app.add_transform(LabelsNameQuotes)
    app.add_transform(QuotesInContents)
    app.add_post_transform(ResolveQuotes)
    setup_index(app)
    setup_index_page(app)
    app.connect("config-inited", load_checker)

    # After every extension's own (sphinxcontrib-bibtex's bibtex_bibfiles).
    app.connect("builder-inited", load_bibliographies, priority=900)
    app.connect("builder-inited", add_stylesheet)
    app.connect("builder-inited", latex.copy_package)
    # After Sphinx's title and toc collectors (priority 500), before the
    # index takes the document's title.
    app.connect("doctree-read", quotes_in_collected_titles, priority=600)
    # After Sphinx's title collector (priority 500) and anything at the default.
    app.connect("doctree-read", record_title, priority=900)
    app.connect("env-check-consistency", check_sources)
    # Label titles first: the pages to write again depend on them.
    app.connect("env-updated", resolve_label_titles)
    # After sphinxcontrib-bibtex's (priority 500), which places each cited
    # entry in a bibliography; the pages to write again depend on where.
    app.connect("env-updated", note_bibliography_entries, priority=600)
    app.connect("env-before-read-docs", note_documents_read)
    app.connect("env-updated", outdated_pages, priority=600)
    app.connect("doctree-resolved", note_written_documents)
    app.connect("html-page-context", add_structured_data)
    app.connect("build-finished", write_quotes_json)
    app.connect("build-finished", keep_page_digests)
    app.connect("build-finished", forget_listing, priority=950)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def load_checker(app: Sphinx, config: Any) -> None:
    """``quotefig_check_in_html``: check quotations while writing HTML (the
    checker is loaded only then, or by ``-b quotecheck``)."""
    if config.quotefig_check_in_html:
        app.setup_extension("sphinx_quotefig.quotecheck_builder")


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

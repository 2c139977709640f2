"""The quotations of an HTML page as schema.org ``Quotation`` items, in one
JSON-LD block in the page's head.

``html-page-context`` puts a ``<script type="application/ld+json">`` into
the page's ``metatags``, which every theme built on Sphinx's
``basic/layout.html`` (alabaster, furo, pydata, the Read the Docs theme)
writes in ``<head>``: the figures' markup stays exactly as it is.

The block is made from the doctree being written, so it lists exactly the
quotations the page shows (not those ``only`` or ``ifconfig`` leave out),
with the ids they have in the output (on the single page, the prefixed
ones). A page is written again when a source it quotes changes
(``source_uses``, pages.py), so the block never shows stale source data.

Each item: ``text``, ``@id``/``url`` (the quotation's anchor), ``creator``
(the quote's ``:author:``, else the work's authors), ``sameAs`` (the
quote's own ``:url:``), ``pagination``/``pageStart``/``pageEnd`` (a page
locator), and ``isBasedOn``: the quoted work as the ``CreativeWork``
subtype of its CSL type, with name, authors, editors, date, URL, DOI
(``sameAs``), ISBN, publisher, container, edition and pages.

Not in e-books: EPUBCheck reports scripts in content documents.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import nodes as qnodes
from .anchors import single_page
from .coins import page_range
from .json_export import WEB_BUILDERS_EXCLUDED
from .nodes import with_source_titles
from .records import is_recorded, record_of
from .references import authors_of, issued

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

    from .records import QuoteRecord
    from .sources import Source

CONTEXT = "https://schema.org"
#: CSL item type -> schema.org type of the work.
WORK_TYPES = {
    "book": "Book",
    "chapter": "Chapter",
    "entry-encyclopedia": "Chapter",
    "entry-dictionary": "Chapter",
    "article-journal": "ScholarlyArticle",
    "paper-conference": "ScholarlyArticle",
    "article": "Article",
    "article-magazine": "Article",
    "article-newspaper": "NewsArticle",
    "review": "Review",
    "report": "Report",
    "thesis": "Thesis",
    "webpage": "WebPage",
    "post-weblog": "BlogPosting",
    "post": "SocialMediaPosting",
    "dataset": "Dataset",
    "software": "SoftwareSourceCode",
    "manuscript": "Manuscript",
    "map": "Map",
    "motion_picture": "Movie",
    "song": "MusicRecording",
    "legislation": "Legislation",
}
DEFAULT_WORK_TYPE = "CreativeWork"
#: Works whose container is a periodical (volume and issue belong to it).
_PERIODICAL_ITEMS = frozenset({"ScholarlyArticle", "Article", "NewsArticle", "Review"})
#: Works that carry their own page range (``pagination``).
_PAGED = _PERIODICAL_ITEMS | {"Chapter"}
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
#: What may not stand plainly inside ``<script>``: ``</script>``, ``<!--``
#: and character references are all made of these.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def _agents(fields: Mapping[str, str], role: str) -> list[dict[str, str]]:
    """Authors or editors: a ``Person`` (given and family names when a
    bibliography gave them, else the name as written), or an
    ``Organization`` for a name never split (``{mySociety}``)."""
    structured = bool(fields.get(role + "s"))
    agents = []
    for name in authors_of(fields, role):
        if name.literal and structured:
            agents.append({"@type": "Organization", "name": name.family})
        elif name.literal:
            agents.append({"@type": "Person", "name": name.family})
        else:
            person = {"@type": "Person", "name": name.display(), "familyName": name.family}
            if name.given:
                person["givenName"] = name.given
            agents.append(person)
    return agents


def _pages(item: dict[str, Any], pages: str) -> None:
    item["pagination"] = pages
    start, end = page_range(pages)
    if start:
        item["pageStart"] = start
    if end:
        item["pageEnd"] = end


def _container(kind: str, fields: Mapping[str, str]) -> dict[str, Any]:
    name = fields["container"]
    if kind in _PERIODICAL_ITEMS:
        part: dict[str, Any] = {"@type": "Periodical", "name": name}
        if fields.get("volume"):
            part = {"@type": "PublicationVolume", "volumeNumber": fields["volume"], "isPartOf": part}
        if fields.get("issue"):
            part = {"@type": "PublicationIssue", "issueNumber": fields["issue"], "isPartOf": part}
        return part
    if kind == "Chapter":
        book: dict[str, Any] = {"@type": "Book", "name": name}
        if editors := _agents(fields, "editor"):
            book["editor"] = editors
        if fields.get("isbn"):
            book["isbn"] = fields["isbn"]
        return book
    return {"@type": "CreativeWork", "name": name}


def work(source: Source) -> dict[str, Any]:
    """The quoted work: a ``CreativeWork`` of the type its CSL type names."""
    fields = source.fields()
    kind = WORK_TYPES.get(fields.get("type", ""), DEFAULT_WORK_TYPE)
    item: dict[str, Any] = {"@type": kind, "name": source.display_title}
    if authors := _agents(fields, "author"):
        item["author"] = authors
    if kind != "Chapter" and (editors := _agents(fields, "editor")):
        item["editor"] = editors
    year = fields.get("year", "").strip()
    if _ISO_DATE.fullmatch(year) and issued(year):
        item["datePublished"] = year
    if fields.get("url"):
        item["url"] = fields["url"]
    if doi := fields.get("doi"):
        item["sameAs"] = doi if doi.startswith(("https://", "http://")) else "https://doi.org/" + doi
    if fields.get("isbn") and kind == "Book":
        item["isbn"] = fields["isbn"]
    if fields.get("edition") and kind == "Book":
        item["bookEdition"] = fields["edition"]
    if fields.get("publisher"):
        publisher = {"@type": "Organization", "name": fields["publisher"]}
        if fields.get("place"):
            publisher["address"] = fields["place"]
        item["publisher"] = publisher
    if fields.get("container"):
        item["isPartOf"] = _container(kind, fields)
    if fields.get("pages") and kind in _PAGED:
        _pages(item, fields["pages"])
    return item


def quotation(
    record: QuoteRecord, url: str, sources: Mapping[str, Source], works: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """One quotation as a schema.org ``Quotation``; *works* keeps the works
    made for a page's earlier quotations (a page quotes few sources often)."""
    item: dict[str, Any] = {"@type": "Quotation", "@id": url, "url": url, "text": with_source_titles(record.text, sources)}
    source = sources.get(record.source) if record.source else None
    quoted = None
    if source is not None:
        works = {} if works is None else works
        quoted = works.get(source.key)
        if quoted is None:
            quoted = works[source.key] = work(source)
    if record.author:
        item["creator"] = {"@type": "Person", "name": record.author}
    elif quoted is not None and "author" in quoted:
        item["creator"] = quoted["author"]
    if record.url:
        item["sameAs"] = record.url
    if record.locator_kind == "page":
        _pages(item, record.locator_text)
    if quoted is not None:
        item["isBasedOn"] = quoted
    return item


def script(graph: list[dict[str, Any]]) -> str:
    """The JSON-LD block: safe inside ``<script>`` whatever the texts hold."""
    data = json.dumps({"@context": CONTEXT, "@graph": graph}, ensure_ascii=False, separators=(",", ":"))
    return f'<script type="application/ld+json">{data.translate(_SCRIPT_SAFE)}</script>\n'


def page_quotations(app: Sphinx, pagename: str, doctree: nodes.document) -> list[dict[str, Any]]:
    """The ``Quotation`` items of the quotations a written page shows."""
    builder = app.builder
    sources = app.env.domains["quote"].sources
    base = app.config.html_baseurl
    target = builder.config.root_doc + builder.out_suffix if single_page(builder) else builder.get_target_uri(pagename)
    # Without a base URL, "#anchor" is resolved against the page itself.
    page = base.rstrip("/") + "/" + target if base else ""
    graph = []
    works: dict[str, dict[str, Any]] = {}
    for serial, node in enumerate(doctree.findall(is_recorded)):
        if isinstance(node, qnodes.source_line) or not node["ids"]:
            continue
        record = record_of(node, pagename, serial)
        graph.append(quotation(record, f"{page}#{record.anchor}", sources, works))
    return graph


def add_structured_data(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: a page showing quotations gets their JSON-LD."""
    builder = app.builder
    if doctree is None or builder.format != "html" or builder.name in WEB_BUILDERS_EXCLUDED:
        return
    graph = page_quotations(app, pagename, doctree)
    if graph:
        context["metatags"] = context.get("metatags", "") + script(graph)

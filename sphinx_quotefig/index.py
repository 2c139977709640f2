"""The citation index: every source quoted in the project, and its quotes.

Three views of one model (:func:`index_groups`, computed from the domain's
records whenever it is shown):

- the standalone page ``quote-index`` — a domain :class:`QuoteIndex`, so
  Sphinx regenerates it on every build and gives it the ``quote-index``
  label; HTML builders render it with :func:`index_nodes` instead of the
  generic domain-index table, LaTeX and Texinfo with their own index style;
- the ``quote-index`` directive, which embeds it (or one source's part) in a
  page that is rewritten whenever what it lists changes
  (:func:`outdated_index_pages`);
- ``quotes.json`` (:mod:`.json_export`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from itertools import groupby
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.writers._html_base import HTMLTranslator
from sphinx.domains import Index, IndexEntry

from . import nodes as qnodes
from ._compat import env_builder
from .anchors import target_uri
from .diagnostics import _, __, warn
from .directives import QuotefigDirective, folded_text
from .sources import source_fingerprint

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from .domain import QuoteDomain, QuoteRecord
    from .sources import Source

INDEX_NAME = "index"
INDEX_DOCNAME = "quote-index"  # "{domain}-{index}", as Sphinx names it
#: Hex digits of the digest of a document's quotations of one source
#: (domain data ``quote_parts``).
PART_DIGEST = 32
#: With more sources than this, the page gets a letter bar like genindex.
LETTER_BAR_MIN_SOURCES = 10

_LEADING_ARTICLE = re.compile(r"^(?:the|an?)\s+", re.IGNORECASE)


def index_enabled(config: Any) -> bool:
    return bool(config.quotefig_index)


def source_anchor(key: str | None) -> str:
    """The id of a source's entry on the index page: ``source-<key>`` for a
    key that is an id already; for any other key (``Report``, ``my key``,
    ``引用``), which could make the same id as another, the id made of it
    and a short digest of the key itself, so that each is unique."""
    if key is None:
        return "no-source"
    ident = nodes.make_id(key)
    if ident == key:
        return f"source-{ident}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"source-{ident}-{digest}" if ident else f"source-{digest}"


# -- the model -------------------------------------------------------------


def _title(key: str | None, source: Source | None) -> str:
    """The title of a source's entry (``key`` None: quotations with no
    source)."""
    if key is None:
        return _("Quotations without a source")
    return source.display_title if source else key


def _letter(key: str | None, source: Source | None) -> str:
    """The letter a source's entry is filed under (``#``: no letter)."""
    if key is None:
        return "#"
    first = title_sort_key(_title(key, source))[:1].upper()
    return first if first.isalpha() else "#"


#: The ``title`` and ``letter`` of SourceGroup and SourceHead (named tuples
#: take no mixin).
_TITLE = property(lambda self: _title(self.key, self.source), doc="The title of the source's entry.")
_LETTER = property(lambda self: _letter(self.key, self.source), doc="The letter it is filed under.")


class SourceGroup(NamedTuple):
    """One source and its quotations, in reading order of the index."""

    key: str | None  # None: quotations with no source
    source: Source | None
    quotes: tuple[QuoteRecord, ...]

    title = _TITLE
    letter = _LETTER

    @property
    def quote_count(self) -> int:
        return len(self.quotes)


class SourceHead(NamedTuple):
    """One source of the index, as its documents' summaries show it: no
    records (see :func:`index_heads`)."""

    key: str | None
    source: Source | None
    quote_count: int
    #: docname -> its quotations of the source (domain data ``quote_parts``)
    contributors: dict[str, str]
    #: Sources named in the texts of those quotations.
    named: frozenset[str]

    title = _TITLE
    letter = _LETTER


def title_sort_key(title: str) -> str:
    """Titles sort ignoring case and a leading article ("The", "A", "An")."""
    return _LEADING_ARTICLE.sub("", title.strip()).casefold()


def index_groups(domain: QuoteDomain, only: str | None = None) -> list[SourceGroup]:
    """Every source with its quotes, sorted; quotes without a source last.

    Sources are sorted by title, quotes by locator (front matter, pages in
    numeric order, other locators), then document order. Sources that are
    declared but never quoted are listed too: the index is the project's
    bibliography of quoted works.
    """
    # Computed once per state of the records: the general index, the page
    # and quotes.json of one build all list the same.
    groups = domain.derived.get("index_groups")
    if groups is None:
        groups = domain.derived["index_groups"] = _all_groups(domain)
    return groups if only is None else [group for group in groups if group.key == only]


#: The order of a source's quotations: by locator (these fields, the most
#: significant last), then in reading order.
_LOCATOR_ORDER = [attrgetter(field) for field in ("order_text", "order_last", "order_first", "order_group")]


def _sorted_quotes(records: list[QuoteRecord]) -> tuple[QuoteRecord, ...]:
    # The records come in reading order (all_quotes), and sorting is stable:
    # sorting by one field at a time, the most significant last, orders them
    # as by the tuple of all, without making a key tuple per quotation
    # (10^4 short-lived objects for the garbage collector to count).
    for key in _LOCATOR_ORDER:
        records.sort(key=key)
    return tuple(records)


def _all_groups(domain: QuoteDomain) -> list[SourceGroup]:
    by_source: dict[str | None, list[QuoteRecord]] = {}
    for record in domain.all_quotes():
        by_source.setdefault(record.source, []).append(record)
    sources = domain.sources
    groups = [
        SourceGroup(key, sources.get(key) if key else None, _sorted_quotes(by_source.get(key, [])))
        for key in set(by_source) | set(sources)
    ]
    return _in_index_order(groups)


def head_quotes(domain: QuoteDomain, head: SourceHead, every: bool = False) -> tuple[QuoteRecord, ...]:
    """The quotations of *head*'s source, as its group lists them; *every*:
    the quotations of every source will be asked for (read them all at
    once, as :func:`index_groups` does)."""
    if every:
        groups = domain.derived.get("groups_by_key")
        if groups is None:
            groups = domain.derived["groups_by_key"] = {group.key: group for group in index_groups(domain)}
        return groups[head.key].quotes
    return _sorted_quotes(domain.quotes_of(head.contributors, head.key))


def _in_index_order(groups: list) -> list:
    # By letter first, so that each letter's sources (and all titles that
    # start with no letter, "#", last) stand together.
    return sorted(groups, key=lambda g: (g.letter == "#", g.letter, g.key is None, title_sort_key(g.title), g.key or ""))


def index_heads(domain: QuoteDomain) -> list[SourceHead]:
    """:func:`index_groups` without the quotations: each source, in the same
    order, with the count and the digests of its documents' quotations of it.

    Made from one short summary per document and source, not from the
    records (10^4 and more), so a build that lists every source but
    renders few of them (an incremental one, see splice.py) makes no
    object per quotation.
    """
    heads = domain.derived.get("index_heads")
    if heads is not None:
        return heads
    contributors: dict[str | None, dict[str, str]] = {}
    for docname, parts in domain.data["quote_parts"].items():
        for key, part in parts.items():
            contributors.setdefault(key, {})[docname] = part
    named: dict[str | None, set[str]] = {}
    for parts in domain.data["quote_named"].values():
        for key, names in parts.items():
            named.setdefault(key, set()).update(names.split("\x00"))
    sources = domain.sources
    heads = domain.derived["index_heads"] = _in_index_order(
        [
            SourceHead(
                key,
                sources.get(key) if key else None,
                sum(int(part[PART_DIGEST:]) for part in contributors.get(key, {}).values()),
                contributors.get(key, {}),
                frozenset(named.get(key, ())),
            )
            for key in contributors.keys() | sources.keys()
        ]
    )
    return heads


def fingerprint(domain: QuoteDomain, env: BuildEnvironment, only: str | None) -> str:
    """A digest of everything an index listing shows, page titles included."""
    groups = index_groups(domain, only)
    shown = {q.docname for g in groups for q in g.quotes}
    shown.update(g.source.home[0] for g in groups if g.source is not None and g.source.home is not None)
    titles = {docname: _doc_title(env, docname) for docname in shown}
    # Sources named inside quoted text ({quote-source} links) show their title.
    named = sorted({key for g in groups for q in g.quotes for key in qnodes.marked_sources(q.text)})
    payload = (
        [(g.key, source_fingerprint(g.source), g.quotes) for g in groups],
        sorted(titles.items()),
        [source_fingerprint(domain.sources.get(key)) for key in named],
    )
    # repr, not pickle: pickle's bytes depend on object identity (memo).
    return hashlib.sha256(repr(payload).encode("utf-8")).hexdigest()


# -- rendering as doctree nodes -----------------------------------------------


def excerpt(text: str, words: int) -> str:
    """The opening *words* words of a quotation, with an ellipsis if cut."""
    tokens = text.split()
    cut = " ".join(tokens[:words])
    return cut + "\u2026" if len(tokens) > words else cut


def _doc_title(env: BuildEnvironment, docname: str) -> str:
    title = env.titles.get(docname)
    return title.astext() if title is not None else docname


def _link(text: str, uri: str | None, external: bool = False) -> nodes.Node:
    if uri is None:
        return nodes.inline(text, text)
    classes = ["reference", "external" if external else "internal"]
    return nodes.reference(text, text, refuri=uri, internal=not external, classes=classes)


def index_nodes(
    domain: QuoteDomain,
    builder: Builder,
    fromdocname: str,
    only: str | None = None,
    standalone: bool = False,
) -> list[nodes.Node]:
    """The citation index as standard docutils nodes, for every builder.

    On the standalone page each source's entry carries the id that
    ``{quote-source}`` links point at; an embedded index carries none, so
    it cannot clash with ids of the page it stands in.
    """
    env = domain.env
    words = env.config.quotefig_excerpt_words
    groups = index_groups(domain, only)
    root = nodes.container(classes=["quote-index"])
    if not groups:
        root += nodes.paragraph("", _("No quotations yet."), classes=["quote-index-empty"])
        return [root]
    if standalone and sum(g.key is not None for g in groups) >= LETTER_BAR_MIN_SOURCES:
        root += _letter_bar(groups)
    for letter, letter_groups in groupby(groups, key=lambda g: g.letter):
        letter_groups = list(letter_groups)
        section = nodes.container(classes=["quote-index-letter"])
        if standalone:
            section["ids"].append(_letter_anchor(letter))
        for group in letter_groups:
            section += _source_entry(group, env, builder, fromdocname, words, standalone)
        root += section
    return [root]


def _letter_bar(groups: list[SourceGroup]) -> nodes.paragraph:
    bar = nodes.paragraph(classes=["quote-index-letters"])
    letters = list(dict.fromkeys(g.letter for g in groups))
    for position, letter in enumerate(letters):
        if position:
            bar += nodes.Text(" | ")
        bar += nodes.reference(letter, letter, refid=_letter_anchor(letter), internal=True)
    return bar


def _letter_anchor(letter: str) -> str:
    return f"letter-{letter if letter != '#' else 'other'}"


def _heading_details(source: Source | None) -> str:
    """`` — Author, Year`` after a source's title, or nothing."""
    details = ", ".join(part for part in (source.author, source.year) if part) if source is not None else ""
    return f" \u2014 {details}" if details else ""


def _heading_links(group: SourceGroup | SourceHead, env: BuildEnvironment, builder: Builder, fromdocname: str) -> list[tuple[str, str | None, bool]]:
    """The links after a source's heading: ``(text, uri, external)``."""
    source = group.source
    links: list[tuple[str, str | None, bool]] = []
    if source is not None and source.url:
        links.append((_("source"), source.url, True))
    if source is not None and source.home is not None:
        docname, anchor = source.home
        uri = target_uri(builder, fromdocname, docname, anchor)
        if uri is not None:
            links.append((_("declared in %s") % _doc_title(env, docname), uri, False))
    return links


def _quote_parts(record: QuoteRecord, env: BuildEnvironment, builder: Builder, fromdocname: str, words: int) -> tuple[str, str | None, str]:
    """A listed quotation's locator, link and excerpt."""
    where = record.locator_label(env.config) or _("quotation")
    uri = target_uri(builder, fromdocname, record.docname, record.anchor, record.named)
    text = qnodes.with_source_titles(record.text, env.domains["quote"].sources)
    return where, uri, excerpt(text, words)


def _source_entry(
    group: SourceGroup, env: BuildEnvironment, builder: Builder, fromdocname: str, words: int, standalone: bool
) -> nodes.container:
    entry = nodes.container(classes=["quote-index-source"])
    if standalone:
        entry["ids"].append(source_anchor(group.key))
    heading = nodes.paragraph(classes=["quote-index-heading"])
    heading += nodes.strong("", "", nodes.title_reference(group.title, group.title))
    if details := _heading_details(group.source):
        heading += nodes.Text(details)
    count = len(group.quotes)
    heading += nodes.Text(" ")
    heading += nodes.inline("", f"({_count_label(count)})", classes=["quote-index-count"])
    links = [_link(text, uri, external) for text, uri, external in _heading_links(group, env, builder, fromdocname)]
    if links:
        heading += nodes.Text(" \u00b7 ")
        for position, link in enumerate(links):
            if position:
                heading += nodes.Text(" \u00b7 ")
            heading += link
    entry += heading
    if group.quotes:
        listing = nodes.bullet_list(classes=["quote-index-quotes"])
        for record in group.quotes:
            listing += _quote_item(record, env, builder, fromdocname, words)
        entry += listing
    return entry


def _count_label(count: int) -> str:
    if count == 1:
        return _("1 quotation")
    return _("%d quotations") % count


def _quote_item(record: QuoteRecord, env: BuildEnvironment, builder: Builder, fromdocname: str, words: int) -> nodes.list_item:
    where, uri, text = _quote_parts(record, env, builder, fromdocname, words)
    paragraph = nodes.paragraph(classes=["quote-index-quote"])
    paragraph += _link(where, uri)
    paragraph += nodes.Text(" \u2014 \u201c" + text + "\u201d ")
    paragraph += nodes.emphasis("", _doc_title(env, record.docname), classes=["quote-index-page"])
    return nodes.list_item("", paragraph)


# -- the standalone page as HTML ---------------------------------------------

#: What the HTML writer escapes in text and attributes (& < > " @).
_HTML_SPECIAL = HTMLTranslator.special_characters


def _esc(text: str) -> str:
    return text.translate(_HTML_SPECIAL)


def _html_link(text: str, uri: str | None, external: bool = False) -> str:
    if uri is None:
        return f"<span>{_esc(text)}</span>"
    kind = "external" if external else "internal"
    return f'<a class="reference {kind}" href="{_esc(uri)}">{_esc(text)}</a>'


def _quote_html(record: QuoteRecord, env: BuildEnvironment, builder: Builder, fromdocname: str, words: int) -> str:
    """A listed quotation on the standalone page (see :func:`_quote_item`)."""
    where, uri, text = _quote_parts(record, env, builder, fromdocname, words)
    return (
        f'<li><p class="quote-index-quote">{_html_link(where, uri)}'
        + _esc(" \u2014 \u201c" + text + "\u201d ")
        + f'<em class="quote-index-page">{_esc(_doc_title(env, record.docname))}</em></p></li>\n'
    )


def rendering_key(builder: Builder) -> tuple:
    """What, besides a quotation, shapes its entries on the index page and
    in ``quotes.json``: the language, the labels, the excerpt length, the
    form of links (see splice.py)."""
    from .json_export import page_url

    config = builder.config
    return (
        config.language,
        config.quotefig_page_label,
        config.quotefig_pages_label,
        config.quotefig_excerpt_words,
        target_uri(builder, INDEX_DOCNAME, "a/b", "figure-1"),
        page_url(builder, "a/b", "figure-1"),
    )


def index_html(domain: QuoteDomain, builder: Builder, fromdocname: str) -> str:
    """The standalone index as HTML: byte for byte what the HTML writer makes
    of :func:`index_nodes` (``standalone=True``), about ten times faster."""
    out: list[str] = []
    env = domain.env
    words = env.config.quotefig_excerpt_words
    groups = {group.key: group for group in index_groups(domain)}

    def part(head: SourceHead) -> None:
        prefix, suffix = source_html(head, env, builder, fromdocname)
        out.append(prefix)
        out.extend(_quote_html(record, env, builder, fromdocname, words) for record in groups[head.key].quotes)
        out.append(suffix)

    listing_html(index_heads(domain), out.append, part)
    return "".join(out)


def listing_html(heads: list[SourceHead], write: Callable[[str], Any], part: Callable[[SourceHead], Any]) -> None:
    """The standalone index's listing: *write* its frame (letter bar, letter
    sections) and have *part* write each source's entry, in order."""
    write('<div class="quote-index docutils container">\n')
    if not heads:
        write(f'<p class="quote-index-empty">{_esc(_("No quotations yet."))}</p>\n</div>\n')
        return
    if sum(head.key is not None for head in heads) >= LETTER_BAR_MIN_SOURCES:
        letters = list(dict.fromkeys(head.letter for head in heads))
        bar = " | ".join(
            f'<a class="reference internal" href="#{_esc(_letter_anchor(letter))}">{_esc(letter)}</a>'
            for letter in letters
        )
        write(f'<p class="quote-index-letters">{bar}</p>\n')
    for letter, letter_heads in groupby(heads, key=lambda head: head.letter):
        write(f'<div class="quote-index-letter docutils container" id="{_esc(_letter_anchor(letter))}">\n')
        for head in letter_heads:
            part(head)
        write("</div>\n")
    write("</div>\n")


def source_html(head: SourceHead, env: BuildEnvironment, builder: Builder, fromdocname: str) -> tuple[str, str]:
    """What stands before and after the entries of a source's quotations
    (see :func:`_quote_html`) on the standalone page."""
    out = [
        f'<div class="quote-index-source docutils container" id="{_esc(source_anchor(head.key))}">\n',
        f'<p class="quote-index-heading"><strong><cite>{_esc(head.title)}</cite></strong>',
        _esc(_heading_details(head.source)),
        f' <span class="quote-index-count">({_esc(_count_label(head.quote_count))})</span>',
    ]
    links = [_html_link(text, uri, external) for text, uri, external in _heading_links(head, env, builder, fromdocname)]
    if links:
        out.append(" \u00b7 " + " \u00b7 ".join(links))
    out.append("</p>\n")
    if head.quote_count:
        out.append('<ul class="quote-index-quotes simple">\n')
        return "".join(out), "</ul>\n</div>\n"
    return "".join(out), "</div>\n"


# -- the standalone page: a domain index ----------------------------------


class QuoteIndex(Index):
    """``quote-index``: the generated "Citation index" page."""

    name = INDEX_NAME
    localname = _("Citation index")
    shortname = _("citations")

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        domain: QuoteDomain = self.domain  # type: ignore[assignment]
        if not index_enabled(domain.env.config):
            return [], False
        if docnames is None and env_builder(domain.env).format == "html":
            # HTML builders render the page with index_html() (see
            # index_page.render_index_page) and never look at these entries; Sphinx
            # only needs a non-empty index to write the page.
            return [("", [])], False
        wanted = set(docnames) if docnames is not None else None
        content: dict[str, list[IndexEntry]] = {}
        words = domain.env.config.quotefig_excerpt_words
        config = domain.env.config
        for group in index_groups(domain):
            quotes = [q for q in group.quotes if wanted is None or q.docname in wanted]
            # A source with no reference line on any page (declared only in
            # conf.py, or none at all) points at its first listed quotation:
            # LaTeX and Texinfo leave out an entry that points nowhere.
            if group.source is not None and group.source.home is not None:
                home_doc, home_anchor = group.source.home
            elif quotes:
                home_doc, home_anchor = quotes[0].docname, quotes[0].anchor
            else:
                home_doc, home_anchor = "", ""
            extra = ", ".join(p for p in (group.source.author, group.source.year) if p) if group.source else ""
            entries = content.setdefault(group.letter, [])
            entries.append(IndexEntry(group.title, 1 if quotes else 0, home_doc, home_anchor, extra, "", _count_label(len(quotes))))
            for record in quotes:
                where = record.locator_label(config) or _("quotation")
                text = qnodes.with_source_titles(record.text, domain.sources)
                entries.append(IndexEntry(where, 2, record.docname, record.anchor, "", "", excerpt(text, words)))
        if not content and env_builder(domain.env).format == "html":
            # Sphinx writes no HTML page for an index without entries; the
            # page ("No quotations yet.") is written anyway, so that
            # {ref}`quote-index` always lands somewhere.
            return [("", [])], False
        return sorted(content.items(), key=lambda item: (item[0] == "#", item[0])), False


# -- the quote-index directive --------------------------------------------


class QuoteIndexDirective(QuotefigDirective):
    """Embed the citation index, or one source's part (``:source: key``)."""

    has_content = False
    known_options: ClassVar[dict[str, Any]] = {"source": folded_text}

    def run(self) -> list[nodes.Node]:
        self.warn_unknown_options()
        placeholder = qnodes.quote_index_placeholder("", only=self.options.get("source") or None)
        self.set_source_info(placeholder)
        return [placeholder]


def fill_index_placeholders(document: nodes.document, domain: QuoteDomain, builder: Builder, docname: str) -> None:
    for placeholder in list(document.findall(qnodes.quote_index_placeholder)):
        only = placeholder["only"]
        if only is not None and only not in domain.sources:
            warn(__("quote-index: unknown source %r") % only, "unknown_source", placeholder)
        placeholder.replace_self(index_nodes(domain, builder, docname, only=only))


def index_listings(document: nodes.document) -> list[str | None]:
    """What the ``quote-index`` directives of a document list."""
    return [node["only"] for node in document.findall(qnodes.quote_index_placeholder)]


def outdated_index_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages holding ``quote-index`` whose listing changed anywhere in the
    project since they were last written (sphinx#9706 does not happen here).

    The digest of each page's listing is remembered in the domain data;
    a no-op rebuild changes no digest and so rewrites nothing.
    """
    domain: QuoteDomain = env.domains["quote"]
    outdated = []
    for docname, listings in sorted(domain.data["index_pages"].items()):
        digest = "|".join(fingerprint(domain, env, only) for only in listings)
        if domain.data["index_digests"].get(docname) != digest:
            domain.data["index_digests"][docname] = digest
            outdated.append(docname)
    return outdated


def missing_index_reference(app: Sphinx, env: BuildEnvironment, node: Any, contnode: nodes.Element) -> nodes.Node | None:
    """``{ref}`quote-index``` with the index turned off: say why, keep the text."""
    if node.get("reftarget") == INDEX_DOCNAME and not index_enabled(env.config):
        warn(
            __("the citation index is turned off (quotefig_index = False); %r links nowhere") % INDEX_DOCNAME,
            "no_index",
            node,
        )
        return contnode
    return None


def drop_dangling_label(app: Sphinx) -> None:
    """Sphinx gives every domain index a std label; without the page
    (``quotefig_index = False``) it would dangle, so take it back."""
    if not index_enabled(app.config):
        std = app.env.domains["std"]
        std.labels.pop(INDEX_DOCNAME, None)
        std.anonlabels.pop(INDEX_DOCNAME, None)


def _filable(text: str) -> bool:
    # Sphinx files an entry under its first character once whitespace and a
    # right-to-left mark are stripped: with none left, the build crashes.
    return bool(text.strip().removeprefix("\u200f").strip())


def _index_entry_text(head: SourceHead) -> str | None:
    """A source's entry in ``genindex``: its title, or its key if the title
    leaves Sphinx nothing to file it under; None if neither does."""
    for text in (head.title, head.key or ""):
        if _filable(text.split(";", 1)[0]):
            return text
    return None


def general_index_entries(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Each quoted source in ``genindex``, pointing at its entry on the
    citation index page.

    The entries are filed under the index page's name in the index domain
    and recomputed from the records on every build, so they cannot go stale.
    """
    entries = env.domains["index"].entries
    entries.pop(INDEX_DOCNAME, None)
    if index_enabled(env.config):
        domain: QuoteDomain = env.domains["quote"]
        entries[INDEX_DOCNAME] = [
            ("single", text, source_anchor(head.key), "", None)
            for head in index_heads(domain)
            if head.key is not None and head.quote_count and (text := _index_entry_text(head))
        ]
    return []


def setup_index(app: Sphinx) -> None:
    app.connect("env-updated", general_index_entries)
    app.connect("builder-inited", drop_dangling_label)
    app.add_directive("quote-index", QuoteIndexDirective)
    app.connect("env-updated", outdated_index_pages)
    app.connect("missing-reference", missing_index_reference)


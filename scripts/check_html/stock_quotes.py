"""Stand-in for ``sphinx_quotefig`` in the baseline build of check.py.

The docs are written with quote directives and roles, so "the same pages
built without the extension" need something that accepts the same markup.
This shim registers the same names (directives ``quote``, ``quote-source``,
``quote-index``; roles ``q``, ``quote-source``; the ``quotefig_*`` config
values; the ``quote-index`` page and label) and renders them with stock
docutils/Sphinx nodes only, which every theme already styles:

- ``quote``: a ``block_quote`` (Sphinx writes ``<blockquote><div>…</div>``)
  ending in an ``attribution`` (``<p class="attribution">—pg 5</p>``); with
  ``:name:`` it is a target for ``{ref}`` and ``{numref}`` (registered as
  an enumerable node type that is rendered exactly like ``block_quote``);
- ``quote-source``: a paragraph ``Title — Author (year)`` with the title in
  ``emphasis`` (nothing but a target with ``:hidden:``);
- ``q``: the words between typographic quotes in ``emphasis`` and the
  citation in parentheses, no ``<q>``;
- ``{quote-source}`key```: the title, linked to the citation index by
  ``{ref}`quote-index```;
- ``quote-index``: a nested bullet list of sources and their quotations;
- the standalone ``quote-index`` page: Sphinx's own domain index page
  (the theme's ``domainindex.html``), labelled ``quote-index`` like any
  domain index.

It adds no stylesheet, no script and no class names of its own. It is for
check.py only: not parallel-safe beyond what check.py needs, and it does not
try to reproduce the extension's every rule (current source, locators).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.addnodes import pending_xref
from sphinx.domains import Domain, Index, IndexEntry
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.nodes import make_id
from sphinx.writers.html5 import HTML5Translator

_CITED_RE = re.compile(r"^(?P<words>.*?)\s*(?<!\\)<(?P<citation>[^<>]*)>$", re.DOTALL)
_PAGE_RE = re.compile(r"^[0-9ivxlcdm]+(?:\s*[-–]\s*[0-9ivxlcdm]+)?(?:\s*,\s*[0-9ivxlcdm]+)*$", re.IGNORECASE)


class stock_quote(nodes.block_quote):
    """A block_quote that Sphinx can number; written exactly as block_quote."""


def _text(argument: str | None) -> str:
    return " ".join((argument or "").split())


class _Lenient(dict):
    """Accept any option (as the extension does); never empty, or MyST would
    read the options as content."""

    def __contains__(self, key: object) -> bool:
        return True

    def __missing__(self, key: str) -> Any:
        return _text


def _locator(page: str, locator: str) -> str:
    if page:
        if _PAGE_RE.match(page):
            page = page.replace("-", "\u2013")
        return "pg " + page
    return locator


def _sources(env: Any) -> dict[str, dict[str, str]]:
    """Sources from conf.py and from every quote-source directive read so far."""
    known = {key: dict(fields) for key, fields in (env.config.quotefig_sources or {}).items()}
    for key, fields in env.domaindata["quote"]["sources"].items():
        known.setdefault(key, fields)
    return known


def _title(env: Any, key: str) -> str:
    return _sources(env).get(key, {}).get("title") or key


def _current(env: Any) -> str | None:
    return env.temp_data.get("stock_quotes_current")


def _record(env: Any, **record: Any) -> None:
    env.domaindata["quote"]["quotes"].append({"docname": env.docname, **record})


class QuoteDirective(SphinxDirective):
    has_content = True
    option_spec = _Lenient(dict.fromkeys(("source", "page", "locator", "author", "url", "name", "class", "lang"), _text))

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content).strip()
        if not text:
            return []
        key = self.options.get("source") or _current(self.env)
        where = _locator(self.options.get("page", ""), self.options.get("locator", ""))
        parts = []
        if self.options.get("author"):
            parts.append(self.options["author"])
        if key and key != _current(self.env):
            parts.append(_title(self.env, key))
        if where:
            parts.append(where)
        quote = stock_quote("", classes=list(directives.class_option(self.options["class"])) if self.options.get("class") else [])
        self.set_source_info(quote)
        if self.options.get("name"):
            self.add_name(quote)
        else:
            quote["ids"].append(make_id(self.env, self.state.document, "figure"))
        quote += self.parse_content_to_nodes(allow_section_headings=False)
        if parts:
            quote += nodes.attribution("", ", ".join(parts))
        _record(self.env, source=key, locator=where, anchor=quote["ids"][0], text=" ".join(text.split()))
        return [quote]


class QuoteSourceDirective(SphinxDirective):
    required_arguments = 1
    has_content = False
    option_spec = _Lenient(dict.fromkeys(("title", "author", "year", "url", "class"), _text) | {"hidden": directives.flag})

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0].strip()
        fields = {name: self.options[name] for name in ("title", "author", "year", "url") if self.options.get(name)}
        if fields:
            self.env.domaindata["quote"]["sources"].setdefault(key, fields)
        self.env.temp_data["stock_quotes_current"] = key
        anchor = make_id(self.env, self.state.document, "source", key)
        if "hidden" in self.options:
            target = nodes.target("", "", ids=[anchor])
            self.state.document.note_explicit_target(target)
            return [target]
        fields = fields or (self.config.quotefig_sources or {}).get(key, {})
        paragraph = nodes.paragraph("", "", ids=[anchor])
        self.state.document.note_explicit_target(paragraph)
        title = fields.get("title") or key
        if fields.get("url"):
            paragraph += nodes.reference("", "", nodes.emphasis(title, title), refuri=fields["url"])
        else:
            paragraph += nodes.emphasis(title, title)
        details = " — ".join(p for p in (fields.get("author", ""),) if p)
        if details:
            paragraph += nodes.Text(f" — {details}")
        if fields.get("year"):
            paragraph += nodes.Text(f" ({fields['year']})")
        return [paragraph]


class QuoteIndexDirective(SphinxDirective):
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"source": _text}

    def run(self) -> list[nodes.Node]:
        return [stock_index_placeholder("", only=self.options.get("source") or None)]


class stock_index_placeholder(nodes.General, nodes.Element):
    """Replaced by a bullet list once every document has been read."""


class InlineQuoteRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        words, citation = self.text, None
        match = _CITED_RE.match(self.text)
        if match:
            words = match["words"]
            key, _, where = match["citation"].partition(",")
            key = key.strip() or _current(self.env)
            where = " ".join(where.split())
            if where and _PAGE_RE.match(where):
                where = _locator(where, "")
            citation = ", ".join(p for p in (_title(self.env, key) if key and key != _current(self.env) else "", where) if p)
            _record(self.env, source=key, locator=where, anchor="", text=words)
        words = " ".join(words.split())
        result: list[nodes.Node] = [nodes.emphasis(words, f"\u201c{words}\u201d")]
        if citation:
            result.append(nodes.Text(f" ({citation})"))
        return result, []


class SourceRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        match = _CITED_RE.match(self.text)
        key = match["citation"].strip() if match else self.text.strip()
        text = match["words"].strip() if match else _title(self.env, key)
        xref = pending_xref("", refdomain="std", reftype="ref", reftarget="quote-index", refexplicit=True, refwarn=True)
        xref += nodes.inline(text, text)
        return [xref], []


class StockQuoteIndex(Index):
    name = "index"
    localname = "Citation index"
    shortname = "citations"

    def generate(self, docnames: Any = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        env = self.domain.env
        sources = _sources(env)
        content: dict[str, list[IndexEntry]] = {}
        for key, quotes in _grouped(env):
            title = sources.get(key, {}).get("title") or key or "Quotations without a source"
            letter = title[:1].upper() if key else "#"
            entries = content.setdefault(letter, [])
            entries.append(IndexEntry(title, 1 if quotes else 0, "", "", "", "", f"{len(quotes)} quotations"))
            for quote in quotes:
                entries.append(IndexEntry(quote["locator"] or "quotation", 2, quote["docname"], quote["anchor"], "", "", quote["text"][:80]))
        return sorted(content.items()), False


def _grouped(env: Any, only: str | None = None) -> list[tuple[str | None, list[dict]]]:
    groups: dict[str | None, list[dict]] = {key: [] for key in _sources(env)}
    for quote in env.domaindata["quote"]["quotes"]:
        groups.setdefault(quote["source"], []).append(quote)
    if only is not None:
        groups = {only: groups.get(only, [])}
    return sorted(groups.items(), key=lambda item: (item[0] is None, _title(env, item[0]) if item[0] else ""))


class StockQuoteDomain(Domain):
    name = "quote"
    label = "Quotations (stock)"
    indices: ClassVar[list[type[Index]]] = [StockQuoteIndex]
    initial_data: ClassVar[dict[str, Any]] = {"sources": {}, "quotes": []}

    def clear_doc(self, docname: str) -> None:
        self.data["quotes"] = [q for q in self.data["quotes"] if q["docname"] != docname]

    def merge_domaindata(self, docnames: Any, otherdata: dict[str, Any]) -> None:
        for key, fields in otherdata["sources"].items():
            self.data["sources"].setdefault(key, fields)
        self.data["quotes"].extend(q for q in otherdata["quotes"] if q["docname"] in docnames)

    def resolve_any_xref(self, *args: Any) -> list:
        return []


def fill_index(app: Any, doctree: nodes.document, docname: str) -> None:
    env = app.env
    for placeholder in list(doctree.findall(stock_index_placeholder)):
        listing = nodes.bullet_list()
        for key, quotes in _grouped(env, placeholder["only"]):
            title = _title(env, key) if key else "Quotations without a source"
            item = nodes.list_item("", nodes.paragraph("", "", nodes.strong(title, title), nodes.Text(f" ({len(quotes)})")))
            if quotes:
                inner = nodes.bullet_list()
                for quote in quotes:
                    uri = app.builder.get_relative_uri(docname, quote["docname"])
                    if quote["anchor"]:
                        uri += "#" + quote["anchor"]
                    label = quote["locator"] or "quotation"
                    words = " ".join(quote["text"].split()[:12])
                    inner += nodes.list_item("", nodes.paragraph("", "", nodes.reference(label, label, refuri=uri), nodes.Text(f" — \u201c{words}\u201d")))
                item += inner
            listing += item
        placeholder.replace_self(listing)


def _quote_title(node: nodes.Element) -> str:
    words = node.astext().split()
    return " ".join(words[:8]) + ("\u2026" if len(words) > 8 else "")


def _numfig_default(app: Any, config: Any) -> None:
    config.numfig_format.setdefault("quote", "Quote %s")


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("quotefig_sources", {}, "env")
    app.add_config_value("quotefig_markup", "footer", "html")
    app.add_config_value("quotefig_page_label", "pg", "env")
    app.add_config_value("quotefig_pages_label", None, "env")
    app.add_config_value("quotefig_index", True, "env")
    app.add_config_value("quotefig_json", True, "html")
    app.add_config_value("quotefig_excerpt_words", 12, "env")
    app.connect("config-inited", _numfig_default, priority=900)
    app.add_enumerable_node(
        stock_quote,
        "quote",
        _quote_title,
        html=(HTML5Translator.visit_block_quote, HTML5Translator.depart_block_quote),
    )
    app.add_node(stock_index_placeholder)
    app.add_directive("quote", QuoteDirective)
    app.add_directive("quote-source", QuoteSourceDirective)
    app.add_directive("quote-index", QuoteIndexDirective)
    app.add_role("q", InlineQuoteRole())
    app.add_role("quote-source", SourceRole())
    app.add_domain(StockQuoteDomain)
    app.connect("doctree-resolved", fill_index)
    return {"version": "0", "parallel_read_safe": True, "parallel_write_safe": True}

"""The ``quote`` and ``quote-source`` directives.

Both parse their options into node attributes and nothing more: which
source is current, the ``figure-N`` ids and the citation text are decided
later (:mod:`~sphinx_quotefig.transforms`), when the whole document — and,
for the citation, the whole project — is known. Bad option values are
warned about and dropped, never allowed to drop the quotation itself.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from . import nodes as qnodes
from .diagnostics import __, warn
from .locators import Locator, LocatorError, free_locator, parse_page
from .sources import SOURCE_FIELDS, normalise_fields
from .urls import clean_url, unsafe_scheme

# BCP 47, loosely: a primary subtag and optional subtags.
_LANG_RE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")


def folded_text(argument: str | None) -> str:
    """An option value, whitespace folded; a bare flag gives ''."""
    return " ".join((argument or "").split())


class LenientOptions(dict):
    """An option spec that accepts unknown options instead of dropping the
    whole directive (and the quotation with it); the directive warns about
    them itself."""

    def __contains__(self, key: object) -> bool:
        return True

    def __missing__(self, key: str) -> Any:
        return folded_text


class QuotefigDirective(SphinxDirective):
    """Shared option handling for this package's directives."""

    known_options: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.option_spec = LenientOptions(cls.known_options)

    def warn(self, message: str, subtype: str) -> None:
        warn(message, subtype, self.get_location())

    def warn_unknown_options(self) -> None:
        for name in sorted(set(self.options) - set(self.known_options)):
            self.warn(
                __("unknown option :%s: in %s directive ignored (known: %s)")
                % (name, self.name, ", ".join(sorted(self.known_options))),
                "unknown_option",
            )
            del self.options[name]

    def classes(self) -> list[str]:
        """The ``:class:`` names, as docutils makes them; a word that makes
        no class name is warned about and dropped, not the directive."""
        names = []
        for word in self.options.get("class", "").split():
            name = nodes.make_id(word)
            if name:
                names.append(name)
            else:
                self.warn(__(":class: %r cannot be made into a class name; ignored") % word, "invalid_option")
        return names

    def checked_url(self, raw: str | None) -> str:
        url = clean_url(raw or "")
        if url and (scheme := unsafe_scheme(url)):
            self.warn(
                __("URL scheme %r is not allowed (use http, https, mailto or a relative URL); URL dropped")
                % scheme,
                "unsafe_url",
            )
            return ""
        return url


class QuoteDirective(QuotefigDirective):
    """A block quotation with its citation."""

    has_content = True
    known_options: ClassVar[dict[str, Any]] = {
        "source": folded_text,
        "page": folded_text,
        "locator": folded_text,
        "author": folded_text,
        "url": directives.unchanged,
        "name": directives.unchanged,
        "class": folded_text,
        "lang": folded_text,
    }

    def run(self) -> list[nodes.Node]:
        self.warn_unknown_options()
        if not "".join(self.content).strip():
            self.warn(__("quote directive without a body: nothing to quote"), "empty_quote")
            return []

        # Quoted text is reproduced as typed: no smart quotes or dashes.
        body = qnodes.quote_body("", support_smartquotes=False)
        self.set_source_info(body)
        body += self.parse_content_to_nodes(allow_section_headings=False)
        if not qnodes.visible_text(body).strip() and not any(body.findall(nodes.image)):
            # Only comments (or markup errors): nothing a reader would see,
            # and nothing left behind (no :name: label, no id taken).
            self.warn(__("quote directive without a body: nothing to quote"), "empty_quote")
            return []

        figure = qnodes.quote_figure(
            "",
            classes=["quote", *self.classes()],
            source_key=self.options.get("source") or None,
            locator=self.locator(),
            author=self.options.get("author", ""),
            url=self.checked_url(self.options.get("url")),
            lang=self.language(),
        )
        self.set_source_info(figure)
        self.add_name(figure)
        figure += body
        figure += qnodes.quote_citation("")
        return [figure]

    def locator(self) -> Locator | None:
        page = self.options.get("page")
        locator = self.options.get("locator")
        if page and locator:
            self.warn(
                __("quote has both :page: and :locator:; using :page: %r, ignoring :locator: %r")
                % (page, locator),
                "locator_conflict",
            )
        if page:
            try:
                return parse_page(page)
            except LocatorError as exc:
                self.warn(
                    __("malformed :page: %r (%s); shown as written after the page label — write the page only (5, 27-28, xii or 5, 9; the label is added), or :locator: for anything else (ch. 3)")
                    % (page, exc),
                    "malformed_page",
                )
                return Locator(kind="page", text=page)
        if locator:
            return free_locator(locator)
        return None

    def language(self) -> str:
        lang = self.options.get("lang", "")
        if lang and not _LANG_RE.match(lang):
            self.warn(__(":lang: %r is not a BCP 47 language tag; ignored") % lang, "invalid_lang")
            return ""
        return lang


class QuoteSourceDirective(QuotefigDirective):
    """Declare a source (or name one from ``conf.py``) and make it current."""

    required_arguments = 1
    # A key may contain spaces (as a conf.py key may); they are folded.
    final_argument_whitespace = True
    has_content = False
    known_options: ClassVar[dict[str, Any]] = {
        **dict.fromkeys(SOURCE_FIELDS, folded_text),
        "url": directives.unchanged,
        "class": folded_text,
        "hidden": folded_text,
    }

    def hidden(self) -> bool:
        if "hidden" not in self.options:
            return False
        if self.options["hidden"]:
            self.warn(__(":hidden: is a flag and takes no value; %r ignored") % self.options["hidden"], "invalid_option")
        return True

    def run(self) -> list[nodes.Node]:
        self.warn_unknown_options()
        key = folded_text(self.arguments[0])
        fields = dict(self.options)
        if "url" in fields:
            fields["url"] = self.checked_url(fields["url"])
        line = qnodes.source_line(
            "",
            key=key,
            fields=normalise_fields(fields),
            hidden=self.hidden(),
            classes=["quote-source", *self.classes()],
        )
        self.set_source_info(line)
        anchor = make_id(self.env, self.state.document, "source", key)
        line["ids"].append(anchor)
        line["auto_id"] = anchor
        self.state.document.note_explicit_target(line)
        return [line]


class QuoteIndexDirective(QuotefigDirective):
    """Embed the citation index, or one source's part (``:source: key``);
    filled in when the page is written (index.fill_index_placeholders)."""

    has_content = False
    known_options: ClassVar[dict[str, Any]] = {"source": folded_text}

    def run(self) -> list[nodes.Node]:
        self.warn_unknown_options()
        placeholder = qnodes.quote_index_placeholder("", only=self.options.get("source") or None)
        self.set_source_info(placeholder)
        return [placeholder]

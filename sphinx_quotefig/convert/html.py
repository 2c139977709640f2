"""HTML -> MyST: markdownify, with quotations -> `quote` directives.

Quotation shapes understood here:

- `figure.quote` (or any `figure` holding a `blockquote`) with a `footer`,
  a `figcaption` (plain, `span.quote-author` + `cite.quote-title`, …) or a
  `footer` inside the blockquote;
- `blockquote` with a `footer` or a `cite` as its last child, with a dash
  and a `cite` ending its last paragraph, or followed by a paragraph that
  is an attribution (`<p>— Author, <cite>Title</cite></p>`).

A blockquote with no attribution stays a Markdown quotation and is reported
as left.  Whole HTML pages keep only their article.
"""

from __future__ import annotations

import copy
import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import MarkdownConverter

from .attribution import Attribution, from_html
from .markup import fence_for, md_escape, normalize_space, protect_block_start
from .quotation import Context, Quotation, render

_AUTOMATIC_ID = re.compile(r"figure-\d+")
# CommonMark only reads these as the start of a multi-line HTML block.
HTML_BLOCK_TAGS = set(
    "address article aside blockquote body caption center col colgroup dd details "
    "dialog dir div dl dt fieldset figcaption figure footer form frame frameset "
    "h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu "
    "menuitem nav noframes ol optgroup option p param search section summary "
    "table tbody td tfoot th thead title tr track ul".split()
)
# HTML elements that start an HTML block when a line begins with them; as in
# kramdown (Jekyll), the block runs to the matching end tag, blank lines and
# all, so a figure with several <p> stays one block.
BLOCK_ELEMENTS = HTML_BLOCK_TAGS | set(
    "audio canvas embed math noscript object pre script style svg video".split()
)
_ATTRIBUTION_START = re.compile(r"^\s*(?:[\u2014\u2013\u2015~]|--|-\s)")
_USED = "data-quotefig-attribution"


class Unconvertible(Exception):
    """A figure.quote that has no `{quote}` equivalent."""


def raw_html_block(el: Tag) -> str:
    """`el` as a raw HTML block MyST passes through unchanged.

    A blank line ends an HTML block in CommonMark, so blank lines go; tags
    CommonMark does not know as block starts are wrapped in a `<div>`.
    """
    html = "\n".join(line.rstrip() for line in str(el).splitlines() if line.strip())
    if el.name not in HTML_BLOCK_TAGS:
        html = f"<div>\n{html}\n</div>"
    return f"\n\n{html}\n\n"


def _is_block(el) -> bool:
    return isinstance(el, Tag) and (el.name in BLOCK_ELEMENTS or el.name == "[document]")


def _code_language(el: Tag) -> str:
    for tag in (el, el.find("code")):
        for cls in (tag.get("class") or []) if tag else []:
            if cls.startswith(("language-", "lang-")):
                return cls.split("-", 1)[1]
    return ""


def _next_element(el: Tag) -> Tag | None:
    sibling = el.next_sibling
    while isinstance(sibling, NavigableString) and not isinstance(sibling, Comment):
        if sibling.strip():
            return None
        sibling = sibling.next_sibling
    return sibling if isinstance(sibling, Tag) else None


def is_attribution_paragraph(el: Tag) -> bool:
    """`<p>— Author, <cite>Title</cite></p>`, `<p><cite>…</cite></p>`, `div.citation`."""
    if el.name not in ("p", "div", "footer", "figcaption", "cite"):
        return False
    text = normalize_space(el.get_text(" "))
    if not text or len(text) > 300:
        return False
    if el.name in ("footer", "figcaption", "cite") or "citation" in (el.get("class") or []):
        return True
    if _ATTRIBUTION_START.match(text):
        return True
    cites = el.find_all("cite")
    return bool(cites) and normalize_space(" ".join(c.get_text(" ") for c in cites)) == text


def _trailing_attribution(paragraph: Tag) -> Tag | None:
    """The `— <cite>…</cite>` ending a paragraph, split off into a new <p>."""
    cite = paragraph.find_all("cite", recursive=False)
    if not cite:
        return None
    cite = cite[-1]
    if normalize_space("".join(str(s) for s in cite.next_siblings if isinstance(s, NavigableString))).strip(" .)"):
        return None
    before = cite.previous_sibling
    if not isinstance(before, NavigableString):
        return None
    match = re.search(r"[\u2014\u2013\u2015~]+[\s\u2009\u200a\u00a0]*$", str(before))
    if not match:
        return None
    soup = BeautifulSoup("<p></p>", "html.parser")
    split = soup.p
    before.replace_with(NavigableString(str(before)[: match.start()]))
    split.append(NavigableString("\u2014 "))
    for node in [cite, *cite.next_siblings]:
        split.append(node.extract())
    return split


class QuoteConverter(MarkdownConverter):
    """markdownify with quotations -> `{quote}` and raw HTML fallbacks."""

    def __init__(self, context: Context, line_offset: int = 0):
        super().__init__(
            heading_style="atx",
            bullets="-",
            newline_style="backslash",
            # Collapse source whitespace: `wrap` without a width never wraps.
            wrap=True,
            wrap_width=None,
        )
        self.context = context
        self.line_offset = line_offset

    @property
    def report(self):
        return self.context.report

    def line_of(self, el: Tag) -> int:
        return self.line_offset + (el.sourceline or 1)

    def escape(self, text, parent_tags):
        return md_escape(text) if text else ""

    def process_text(self, el, parent_tags=None):
        text = super().process_text(el, parent_tags=parent_tags)
        if {"pre", "_noformat"} & set(parent_tags or ()):
            return text
        # markdownify trims text only next to the blocks it knows; figures
        # and raw blocks are blocks too.  Text opening a block must stay a
        # paragraph.
        previous = el.previous_sibling
        line_start = _is_block(previous) or getattr(previous, "name", None) == "br"
        if line_start or (previous is None and _is_block(el.parent)):
            text = protect_block_start(text.lstrip())
        if _is_block(el.next_sibling):
            text = text.rstrip()
        return text

    def convert_pre(self, el, text, parent_tags):
        text = text.strip("\n")
        fence = fence_for(text)
        return f"\n\n{fence}{_code_language(el)}\n{text}\n{fence}\n\n" if text else ""

    def convert_a(self, el, text, parent_tags):
        # Icon links (social buttons) have no text: nothing to read.
        if not normalize_space(el.get_text()) and not el.find("img", alt=True):
            return ""
        return super().convert_a(el, text, parent_tags)

    def convert_script(self, el, text, parent_tags):
        self.report.note(self.line_of(el), "<script> dropped")
        return ""

    def convert_style(self, el, text, parent_tags):
        return ""

    def convert_p(self, el, text, parent_tags):
        if el.has_attr(_USED):  # the attribution of the quotation before it
            return ""
        return super().convert_p(el, text, parent_tags)

    convert_div = convert_p

    def convert_figure(self, el, text, parent_tags):
        if _is_quote_figure(el):
            try:
                return f"\n\n{self.figure_quote(el)}\n\n"
            except Unconvertible as exc:
                figure_id = f' "{el["id"]}"' if el.get("id") else ""
                message = f"could not convert figure{figure_id}: {exc}; kept as raw HTML"
                self.report.quote_left(self.line_of(el), message)
        # An image figure with its caption has no Markdown equivalent.
        return raw_html_block(el)

    def figure_quote(self, figure: Tag) -> str:
        """The `{quote}` directive for `figure`; raises Unconvertible."""
        line = self.line_of(figure)
        figure = copy.copy(figure)  # the citation is removed from it below
        quote = figure.find("blockquote", recursive=False) or figure.find("blockquote")
        if quote is None:
            raise Unconvertible("no <blockquote>")
        # The citation: `footer > cite` as in the seed, else the footer or
        # figcaption.  A footer at the end of the blockquote is attribution
        # too (a common pattern), not quoted text.  Only direct children: a
        # nested quote's footer is not this one's.
        footer = (
            figure.find("footer", recursive=False)
            or figure.find("figcaption", recursive=False)
            or quote.find("footer", recursive=False)
            or _last_cite(quote)
        )
        found = from_html(footer) if footer is not None else Attribution()
        if footer is not None:
            footer.extract()
        body = self.quote_body(quote)
        if not body:
            raise Unconvertible("empty <blockquote>")
        name = figure.get("id") if figure.get("id") and not _AUTOMATIC_ID.fullmatch(figure["id"]) else ""
        classes = " ".join(c for c in figure.get("class") or [] if c != "quote")
        return render(
            Quotation(
                body,
                line,
                found,
                url=quote.get("cite") or "",
                name=name,
                classes=classes,
                lang=figure.get("lang") or quote.get("lang") or "",
            ),
            self.context,
        )

    def convert_blockquote(self, el, text, parent_tags):
        figure = el.find_parent("figure")
        if "_inline" in (parent_tags or ()) or (figure is not None and _is_quote_figure(figure)):
            # A figure's quotation is converted with its figure.
            return super().convert_blockquote(el, text, parent_tags)
        line = self.line_of(el)
        quote = copy.copy(el)
        source = quote.find("footer", recursive=False) or _last_cite(quote)
        if source is None:
            paragraphs = quote.find_all("p", recursive=False)
            if paragraphs:
                source = _trailing_attribution(paragraphs[-1])
        following = _next_element(el)
        if source is None and following is not None and is_attribution_paragraph(following):
            source = copy.copy(following)
            following[_USED] = "1"
        elif source is not None:
            source.extract()
        if source is None:
            self.report.quote_left(line, "blockquote without an attribution")
            return super().convert_blockquote(el, text, parent_tags)
        found = from_html(source)
        if source.find(string=re.compile(r"\[\^")):
            if following is not None:
                following.attrs.pop(_USED, None)
            self.report.quote_left(line, "attribution holds a footnote reference")
            return super().convert_blockquote(el, text, parent_tags)
        body = self.quote_body(quote)
        if not body:
            return ""
        quotation = Quotation(body, line, found, url=quote.get("cite") or "", lang=quote.get("lang") or "")
        return f"\n\n{render(quotation, self.context)}\n\n"

    def quote_body(self, quote: Tag) -> str:
        # Convert the children only: as a <div>, markdownify adds no `> `.
        quote = copy.copy(quote)
        quote.name = "div"
        quote.attrs = {}
        body = self.process_tag(quote, parent_tags=set()).strip("\n")
        return re.sub(r"\n{3,}", "\n\n", body)

    def convert_q(self, el, text, parent_tags):
        # The extension's inline quotation role, when the text allows it.
        plain = normalize_space(el.get_text())
        if el.find(True) is None and plain and "`" not in plain and not plain.endswith(">"):
            return f"{{q}}`{plain}`"
        return super().convert_q(el, text, parent_tags)

    # Markdown has no syntax for these: keep them as raw HTML.
    def _raw_block(self, el, text, parent_tags):
        return raw_html_block(el)

    def _raw_inline(self, el, text, parent_tags):
        return normalize_space(str(el))

    convert_audio = convert_canvas = convert_details = convert_embed = _raw_block
    convert_form = convert_iframe = convert_math = convert_object = _raw_block
    convert_svg = convert_video = _raw_block
    convert_abbr = convert_del = convert_ins = convert_mark = _raw_inline
    convert_s = convert_small = convert_sub = convert_sup = convert_u = _raw_inline


def _is_quote_figure(figure: Tag) -> bool:
    """`figure.quote`, or a figure holding a blockquote and its caption."""
    if "quote" in (figure.get("class") or []):
        return True
    return figure.find("blockquote") is not None and figure.find("figcaption") is not None


def _last_cite(quote: Tag) -> Tag | None:
    """A `cite` that is the blockquote's last child (WordPress quotes)."""
    children = [c for c in quote.children if not (isinstance(c, NavigableString) and not c.strip())]
    if children and isinstance(children[-1], Tag) and children[-1].name == "cite":
        return children[-1]
    return None


def html_to_markdown(html: str | Tag, context: Context, line_offset: int = 0) -> str:
    """Convert HTML (a string or parsed tree) to MyST Markdown."""
    if isinstance(html, str):
        html = BeautifulSoup(html, "html.parser")
    return QuoteConverter(context, line_offset).process_tag(html, parent_tags=set()).strip()


# --------------------------------------------------------------------------
# Whole pages: keep the article

_ARTICLE_SELECTORS = (
    "article",
    "main",
    "[itemprop=articleBody]",
    ".post-content",
    ".entry-content",
    ".post-body",
    ".content",
)
_CHROME = "nav, header, footer, aside, form, script, style, noscript, .share, .sharing, .social, .comments, .search"


def article_of(root: Tag) -> Tag:
    """The post's own text: the `article` (or `main`, `.post-content`…), else
    the block with the most paragraph text; site chrome removed."""
    for selector in _ARTICLE_SELECTORS:
        found = root.select(selector)
        if found:
            article = max(found, key=lambda el: len(el.get_text()))
            break
    else:
        article = _densest(root)
    for chrome in article.select(_CHROME):
        # Quotation footers and the post's own asides stay.
        if chrome.name == "footer" and chrome.find_parent(["blockquote", "figure"]):
            continue
        if chrome.name == "header" and chrome.find(["h1", "h2"]) and chrome.find_parent("article"):
            continue
        if chrome.name == "aside" and chrome.get("markdown"):
            continue
        chrome.decompose()
    return article


def _densest(root: Tag) -> Tag:
    best, score = root, 0
    for el in root.find_all(["div", "section", "td"]):
        text = sum(len(p.get_text()) for p in el.find_all("p", recursive=False))
        if text > score:
            best, score = el, text
    return best if score else root

"""Markdown `>` quotations with an attribution -> `quote` directives.

The attribution is, in the order tried:

- the quotation's last line, when it starts with a dash (`— Author,
  *Title*, pp. 127–8`), a `<footer>` or a `<cite>` — also after a `<br>`
  on the same line, and also as a lazy line without `>`;
- a `<cite>` ending the last paragraph after the sentence (`… fast.
  <cite><a href=…>What is AMP?</a></cite>`);
- the paragraph right after the quotation, when it is such a line, or a
  second quotation holding only such a line.

The quoted text is kept as written (one level of `>` removed).  Only
top-level quotations are considered; code blocks are never looked into.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .attribution import from_html_text
from .quotation import Context, Quotation, render

_PREFIX = re.compile(r"^ {0,3}> ?")
_DASH = r"(?:[\u2014\u2013\u2015~]|--|&mdash;|&#8212;|&#x2014;|&ndash;|&#8211;|&horbar;)"
_ATTRIBUTION_LINE = re.compile(rf"^\s*(?:<footer>|{_DASH}|<cite\b)", re.IGNORECASE)
# A sentence introducing the quotation with its page: `On <cite>pp. 127–8</cite>
# he gives …`, `On p. 133, Tennent states:`.
_LEAD_IN_PAGE = re.compile(r"\b(?:pp?|pgs?|pages?)\.?\s*\d+(?:\s*[-\u2013]\s*\d+)?", re.IGNORECASE)
_LEAD_IN_END = re.compile(r"(?::|\b(?:states?|writes?|says?|notes?|argues?|puts it)(?: that)?,?)\s*$", re.IGNORECASE)
_BREAK_THEN_ATTRIBUTION = re.compile(rf"(?:<br\s*/?>|\\|  )\s*(?=(?:<footer>\s*)?{_DASH}[^\n]*$)", re.IGNORECASE)
_TRAILING_CITE = re.compile(r"(?<=[.!?…\"”’)\]])\s+(?=<cite\b)")
_MARKDOWN = MarkdownIt("commonmark")


def convert_quotes(text: str, context: Context, line_offset: int = 0) -> str:
    """`text` (Markdown without HTML blocks) with attributed quotations converted."""
    lines = text.split("\n")
    tokens = _MARKDOWN.parse(text)
    quotes = [(i, t) for i, t in enumerate(tokens) if t.type == "blockquote_open" and t.level == 0 and t.map]
    replacements: list[tuple[int, int, str]] = []
    consumed_until = -1
    for position, (index, token) in enumerate(quotes):
        start, end = token.map
        if start < consumed_until:
            continue
        inner = [_PREFIX.sub("", line, count=1) for line in lines[start:end]]
        while inner and not inner[-1].strip():
            inner.pop()
        body, source = _split_inside(inner)
        stop = end
        if source is None:
            source, stop = _following(tokens, index, lines, end)
        line = line_offset + start + 1
        if source is None:
            page = _lead_in_page(tokens, index)
            if page:
                context.report.inferred(line, f"page {page!r} read from the sentence before the quotation")
                source = f"\u2014 {page}"
        if source is None:
            context.report.quote_left(line, "quotation without an attribution")
            continue
        if "[^" in source:
            context.report.quote_left(line, "attribution holds a footnote reference")
            continue
        found = from_html_text(_MARKDOWN.renderInline(_unentity_dash(source)))
        quotation = Quotation("\n".join(body).strip("\n"), line, found)
        replacements.append((start, stop, render(quotation, context)))
        consumed_until = stop
    for start, stop, replacement in reversed(replacements):
        lines[start:stop] = replacement.split("\n")
    return "\n".join(lines)


def _lead_in_page(tokens: list, index: int) -> str:
    """The one page named by the paragraph introducing the quotation."""
    if index < 3 or tokens[index - 1].type != "paragraph_close":
        return ""
    text = re.sub(r"<[^>]+>", "", tokens[index - 2].content).strip()
    pages = _LEAD_IN_PAGE.findall(text)
    return pages[0] if len(pages) == 1 and _LEAD_IN_END.search(text) else ""


def _unentity_dash(text: str) -> str:
    return re.sub(r"^\s*<footer>\s*|\s*</footer>\s*$", "", text.strip())


def _split_inside(inner: list[str]) -> tuple[list[str], str | None]:
    """(body lines, attribution) when the quotation ends with its attribution."""
    if not inner:
        return inner, None
    last = inner[-1]
    if _ATTRIBUTION_LINE.match(last) and len(inner) > 1 and any(l.strip() for l in inner[:-1]):
        body = inner[:-1]
        while body and not body[-1].strip():
            body.pop()
        if body:
            body[-1] = re.sub(r"(?:<br\s*/?>|\\)\s*$", "", body[-1].rstrip()).rstrip()
        return body, last.strip()
    broken = list(_BREAK_THEN_ATTRIBUTION.finditer(last))
    if broken:
        cut = broken[-1]
        return [*inner[:-1], last[: cut.start()].rstrip()], last[cut.end() :].strip()
    # `… the end. <cite>Title</cite>` closing the last paragraph.
    paragraph_start = max((i + 1 for i, l in enumerate(inner) if not l.strip()), default=0)
    paragraph = "\n".join(inner[paragraph_start:])
    trailing = [m for m in _TRAILING_CITE.finditer(paragraph) if len(paragraph) - m.end() < 300]
    if trailing:
        cut = trailing[-1]
        kept = paragraph[: cut.start()].rstrip()
        return [*inner[:paragraph_start], *kept.split("\n")], paragraph[cut.end() :].strip()
    return inner, None


def _following(tokens: list, index: int, lines: list[str], end: int) -> tuple[str | None, int]:
    """An attribution paragraph (or attribution-only quotation) after the quote."""
    depth, after = 0, None
    for position in range(index, len(tokens)):
        token = tokens[position]
        depth += token.nesting if token.type.startswith("blockquote") else 0
        if token.type == "blockquote_close" and depth == 0:
            after = position + 1
            break
    if after is None or after >= len(tokens):
        return None, end
    nxt = tokens[after]
    if nxt.type == "paragraph_open" and nxt.map:
        start, stop = nxt.map
        text = "\n".join(lines[start:stop]).strip()
        if _ATTRIBUTION_LINE.match(text) and stop - start == 1 and start - end <= 1:
            return text, stop
    if nxt.type == "blockquote_open" and nxt.map:
        start, stop = nxt.map
        text = "\n".join(_PREFIX.sub("", line, count=1) for line in lines[start:stop]).strip()
        if _ATTRIBUTION_LINE.match(text) and "\n" not in text:
            return text, stop
    if nxt.type == "html_block" and nxt.map:
        start, stop = nxt.map
        text = "\n".join(lines[start:stop]).strip()
        if re.match(r"<(?:p|div|footer)\b[^>]*>\s*(?:<cite|" + _DASH + ")", text) or re.match(r'<div class="citation"', text):
            return re.sub(r"^<(?:p|div|footer)\b[^>]*>|</(?:p|div|footer)>$", "", text).strip(), stop
    return None, end

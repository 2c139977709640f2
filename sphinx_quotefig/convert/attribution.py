"""Reading a quotation's attribution: who, which work, when, where in it.

An attribution is what a post writes beside a quotation — a `figcaption`,
a `footer`, a `cite`, or a line starting with a dash:

    — Tennent, *Principles of Programming Languages* (1981), p. 130

It becomes an :class:`Attribution` with an author, a work's title (and its
link), a year and a locator (`page` or `locator`).  Whatever is left over is
kept in ``rest`` so that the caller can keep it beside the quote and report
it: nothing written in an attribution is ever silently dropped.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from .markup import normalize_space

_DASHES = "\u2014\u2013\u2015\u2012\u2010~-"
# A leading dash (or `--`, `~`) and the thin or no-break spaces after it.
_LEAD = re.compile(rf"^[\s{_DASHES[:-1]}\-\u2009\u200a\u00a0]+")

_ROMAN = r"(?=[ivxlcdm])m*(?:c[md]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})"
_ARABIC = r"\d+"
_RANGE_DASH = r"\s*[-\u2010-\u2015]\s*"


def _page_list(number: str) -> str:
    one = rf"(?:{number})(?:{_RANGE_DASH}(?:{number}))?"
    return rf"{one}(?:\s*,\s*{one})*"


# A page label makes roman numerals pages (`pg xii`); bare text only counts
# as a page when it is arabic numbers (`5`, `5-7`), since `mix` is a word.
_LABELLED_PAGE = re.compile(
    rf"(?:pages?|pgs?|pp?)\.?\s*({_page_list(f'{_ARABIC}|{_ROMAN}')})\.?", re.IGNORECASE
)
_BARE_PAGE = re.compile(_page_list(r"\d+"))
# Where a locator starts inside an attribution: a page label, a section
# sign, a chapter, volume, part, verse or line label.
_LOCATOR_START = re.compile(
    rf"(?<![\w.])(?:(?:pages?|pgs?|pp?)\.?\s*(?:{_ARABIC}|{_ROMAN})\b"
    r"|§+\s*\w|(?:ch|chap|chapter|vol|volume|part|pt|sec|section|no|line)\.?\s*"
    r"(?:\d+|[ivxlcdm]+\b)|(?:ll?|vv?)\.\s*\d+)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\(\s*((?:1[5-9]|20)\d\d)\s*\)|(?:^|,\s*)((?:1[5-9]|20)\d\d)\s*(?=,|$)")
# Markers around a work's title while the text is parsed.
_TITLE = re.compile("\x01(.*?)\x02")
_NAME_WORD = re.compile(r"(?:[A-Z][\w'’.-]*|[A-Z]\.|de|da|van|von|der|le|la|del|di)$")
_FUNCTION_WORDS = {
    "a", "an", "the", "on", "in", "of", "and", "to", "for", "what", "how", "why", "is",
    "at", "by", "with", "from", "my", "our", "your", "this", "that", "docs",
}  # fmt: skip


@dataclass
class Attribution:
    author: str = ""
    title: str = ""
    url: str = ""  # the work's link
    year: str = ""
    locator: dict[str, str] = field(default_factory=dict)  # {"page": …} or {"locator": …}
    rest: str = ""  # what could not be placed in a field
    text: str = ""  # the attribution as written (plain text)

    @property
    def empty(self) -> bool:
        return not (self.author or self.title or self.url or self.year or self.locator or self.rest)


def citation_options(text: str) -> dict[str, str]:
    """Map the text of a figure's citation to `page` or `locator`."""
    text = normalize_space(text).lstrip("\u2014\u2013- ")  # `— pg 5`
    match = _LABELLED_PAGE.fullmatch(text) or _BARE_PAGE.fullmatch(text)
    if match:
        page = match.group(match.lastindex or 0)
        page = re.sub(_RANGE_DASH, "-", page)
        return {"page": re.sub(r"\s*,\s*", ", ", page)}
    return {"locator": text} if text else {}


def is_locator(text: str) -> bool:
    """Whether `text` is only a locator (`pg 5`, `§ 2`, `ch. 3`)."""
    text = _LEAD.sub("", normalize_space(text)).rstrip(".")
    if not text:
        return False
    if _LABELLED_PAGE.fullmatch(text) or _BARE_PAGE.fullmatch(text):
        return True
    match = _LOCATOR_START.match(text)
    return bool(match) and "," not in text[match.end() :] and len(text) < 40


def looks_like_a_name(text: str) -> bool:
    """`Steve Wozniak`, `R. D. Tennent`, `Anonymous Author` — not `On Typography`."""
    words = text.split()
    if not 1 <= len(words) <= 4 or any(ch.isdigit() for ch in text) or re.search(r"[:?!/@]", text):
        return False
    if words[0].lower() in _FUNCTION_WORDS:
        return False
    return all(_NAME_WORD.match(word) for word in words) and any(w[:1].isupper() for w in words)


def _split_locator(text: str) -> tuple[str, str, str]:
    """(before, locator, after) — the locator runs to a `(`, `;` or the end."""
    match = _LOCATOR_START.search(text)
    if not match:
        return text, "", ""
    end = len(text)
    stop = re.search(r"[;(]", text[match.start() :])
    if stop:
        end = match.start() + stop.start()
    return text[: match.start()], text[match.start() : end], text[end:]


def _locator_options(locator: str) -> dict[str, str]:
    locator = locator.strip(" ,.;")
    if not locator:
        return {}
    return citation_options(locator)


def parse_text(text: str, *, author: str = "", url: str = "", title_urls: dict | None = None) -> Attribution:
    """Parse attribution text in which \\x01…\\x02 marks the work's title."""
    title_urls = title_urls or {}
    written = normalize_space(_TITLE.sub(r"\1", text))
    text = _LEAD.sub("", normalize_space(text))
    result = Attribution(author=author, url=url, text=_LEAD.sub("", written))
    # A locator written inside the title (`<cite>Title, §9.1, p.130</cite>`).
    titles = _TITLE.findall(text)
    if titles:
        first = titles[0]
        before, loc, after = _split_locator(first)
        if loc and before.strip(" ,"):
            text = text.replace(f"\x01{first}\x02", f"\x01{before.strip(' ,')}\x02, {loc}{after}", 1)
            title_urls.setdefault(before.strip(" ,"), title_urls.get(first, ""))
    # The year: `(1981)` anywhere, or `, 1981` as a segment of its own.
    outside = _TITLE.sub(lambda m: "\x01" + "x" * len(m.group(1)) + "\x02", text)
    year = _YEAR.search(outside)
    if year:
        result.year = year.group(1) or year.group(2)
        text = (text[: year.start()] + text[year.end() :]).strip()
        outside = outside[: year.start()] + outside[year.end() :]
    # The locator, outside the title.
    before_o, loc, after_o = _split_locator(outside)
    if loc:
        start = len(before_o)
        loc = text[start : start + len(loc)]
        after = text[start + len(loc) :]
        text = text[:start]
        result.locator = _locator_options(loc)
        leftover = after.strip(" ,.;")
    else:
        leftover = ""
    text = text.strip(" ,;").rstrip(".").strip()
    titles = _TITLE.findall(text)
    if titles:
        title = titles[0]
        before, _, after = text.partition(f"\x01{title}\x02")
        result.title = normalize_space(title)
        work_url = title_urls.get(title) or title_urls.get(result.title, "")
        if work_url:
            result.url = work_url
        before = re.sub(r"(?:,|\bin|\bby|\bfrom|:)\s*$", "", before.strip(" ,")).strip(" ,")
        if before and not result.author:
            result.author = before
        elif before:
            leftover = f"{before} {leftover}".strip()
        after = _TITLE.sub(r"\1", after).strip(" ,.;")
        if after:
            leftover = f"{after} {leftover}".strip()
    elif text:
        if result.author:
            leftover = f"{text} {leftover}".strip()
        elif "," in text:
            name, _, title = text.partition(",")
            result.author, result.title = name.strip(), title.strip(" ,")
        else:
            result.author = text
    result.rest = leftover.strip(" ,.;")
    return result


def from_html(element: Tag, *, emphasis_is_title: bool = False) -> Attribution:
    """The attribution in `element` (a figcaption, footer, cite or paragraph)."""
    element = copy.copy(element)
    if element.name == "cite":  # a bare `cite` holds the work's title
        wrapper = BeautifulSoup("<div></div>", "html.parser").div
        wrapper.append(element)
        element = wrapper
    for ref in element.select("sup, .footnote-ref"):
        ref.decompose()
    author = ""
    named = element.select_one(".quote-author, .author, [itemprop=author]")
    url = ""
    if named is not None:
        author = normalize_space(named.get_text(" "))
        link = named.find("a", href=True)
        url = link["href"] if link else ""
        named.replace_with(" ")
    title_urls: dict[str, str] = {}
    marks = element.find_all("cite") or (element.find_all(["em", "i"]) if emphasis_is_title else [])
    marked = 0
    for mark in marks:
        text = normalize_space(mark.get_text(" "))
        if not text or is_locator(text):
            mark.replace_with(f" {text} ")
            continue
        link = mark.find("a", href=True)
        outside = element.get_text(" ").replace(mark.get_text(" "), "", 1)
        only_text = not normalize_space(outside).strip(_DASHES + " \u2009\u00a0")
        if marked == 0 and only_text and not author and looks_like_a_name(text):
            # `— <cite>Steve Wozniak</cite>`: a person, not a work.
            mark.replace_with(f" {text} ")
            url = url or (link["href"] if link else "")
            continue
        if marked == 0 and only_text and not author and "," in text and link is None:
            mark.replace_with(f" {text} ")  # `<cite>The Smiths, Still Ill</cite>`
            continue
        text = re.sub(r"\s+([,;.)])", r"\1", text)
        title_urls[text] = link["href"] if link else ""
        mark.replace_with(f" \x01{text}\x02 ")
        marked += 1
    if not marked and not url:
        link = element.find("a", href=True)
        if link is not None:
            url = link["href"]
    text = re.sub(r"\s+([,;.)])", r"\1", element.get_text(" "))
    return parse_text(text, author=author, url=url, title_urls=title_urls)


def from_html_text(html: str, *, emphasis_is_title: bool = True) -> Attribution:
    """The attribution in an HTML fragment (an attribution line rendered)."""
    wrapper = BeautifulSoup(f"<div>{html}</div>", "html.parser").div
    return from_html(wrapper, emphasis_is_title=emphasis_is_title)

"""Locators: where in a source a quotation is found.

One module owns the whole life of a locator: parsing what the author typed
(``:page:`` or ``:locator:``), formatting it for the reader (``pg 27–28``)
and sorting it the way a reader expects (roman front matter before arabic
pages, pages numerically, ranges by their first page, free text last).
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "Locator",
    "LocatorError",
    "LocatorSummary",
    "format_locator",
    "free_locator",
    "parse_page",
]

EN_DASH = "\u2013"
#: Where a page label that holds it puts the page (``第%s页``).
PAGE_PLACEHOLDER = "%s"

_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_ROMAN_RE = re.compile(r"^m{0,4}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
# A page range separator: hyphen, en dash, em dash or a doubled hyphen.
_RANGE_RE = re.compile(r"\s*(?:--|[-\u2010\u2011\u2012\u2013\u2014])\s*")
_DIGITS_RE = re.compile(r"(\d+)")
# A page label typed before the page (``p. 12``, ``pp. 3-4``, ``pg 5``,
# ``page 7``): the extension adds its own, so it is dropped. It must end in
# a full stop or a space, so no page number is mistaken for one.
_PAGE_PREFIX_RE = re.compile(r"^(?:pp?|pgs?|pages?)(?:\.\s*|\s+)", re.IGNORECASE)
# Pages beyond this are certainly typos, and huge numbers must not reach int().
_MAX_PAGE_DIGITS = 9

# Sort groups: front matter, body pages, free-text locators, no locator.
_GROUP_ROMAN, _GROUP_ARABIC, _GROUP_FREE, _GROUP_NONE = range(4)


class LocatorError(ValueError):
    """A ``:page:`` value that is not a page, a range or a list of them."""


class Page(NamedTuple):
    """One page number, arabic (``27``) or roman (``xii``)."""

    text: str
    value: int
    roman: bool


class PageSpan(NamedTuple):
    """A single page or a range of pages."""

    first: Page
    last: Page | None = None

    @property
    def text(self) -> str:
        if self.last is None:
            return self.first.text
        return f"{self.first.text}{EN_DASH}{self.last.text}"


class Locator(NamedTuple):
    """A parsed locator.

    ``kind`` is ``"page"`` for ``:page:`` values and ``"free"`` for
    ``:locator:`` values, which are kept as written.
    """

    kind: str
    text: str
    spans: tuple[PageSpan, ...] = ()

    @property
    def is_range(self) -> bool:
        """More than one page: a range or a list (``pp.`` in Chicago style)."""
        return len(self.spans) > 1 or any(s.last is not None for s in self.spans)

    def formatted(self, page_label: str, pages_label: str | None = None) -> str:
        """The locator as a reader sees it: ``pg 5``, ``pp. 27–28``, ``ch. 3``."""
        return format_locator(self.summary(), page_label, pages_label)

    def summary(self) -> LocatorSummary:
        """What formatting needs, as plain data (kept in the environment)."""
        return (self.kind, self.text, self.is_range)

    def sort_key(self) -> SortKey:
        """Order locators as a reader expects; see :func:`sort_key`."""
        if self.kind == "page" and self.spans:
            first = self.spans[0]
            last = first.last or first.first
            group = _GROUP_ROMAN if first.first.roman else _GROUP_ARABIC
            return (group, first.first.value, last.value, self.text)
        return (_GROUP_FREE, 0, 0, _natural_key(self.text))


#: ``(group, first page, last page, text)``: plain values only.
SortKey = tuple[int, int, int, str]
NO_LOCATOR_KEY: SortKey = (_GROUP_NONE, 0, 0, "")

#: ``(kind, text, is_range)`` of a locator.
LocatorSummary = tuple[str, str, bool]


def format_locator(summary: LocatorSummary, page_label: str, pages_label: str | None = None) -> str:
    """A locator as a reader sees it: ``pg 5``, ``pp. 27–28``, ``ch. 3``."""
    kind, text, is_range = summary
    if kind != "page":
        return text
    label = (pages_label or page_label) if is_range else page_label
    if PAGE_PLACEHOLDER in label:
        # ``第%s页``: the page stands where the label says.
        return label.replace(PAGE_PLACEHOLDER, text)
    return f"{label} {text}" if label else text


def sort_key(locator: Locator | None) -> SortKey:
    """Sort key for an optional locator: quotes without one sort last."""
    return NO_LOCATOR_KEY if locator is None else locator.sort_key()


def _natural_key(text: str) -> str:
    """``ch. 3`` before ``ch. 10``: digit runs compare as numbers.

    One string (kept for every quotation, so no tuple of parts): each part
    ends in a NUL, which sorts below every character of a part (so "ch."
    sorts before "ch.x"); a text part starts with \x01 and sorts before a
    digit run, which starts with \x02 and its value in nine digits.
    """
    parts = _DIGITS_RE.split(text.casefold())
    # split() with a group: the digit runs are the odd items.
    return "".join(
        f"\x02{int(part[:_MAX_PAGE_DIGITS]):0{_MAX_PAGE_DIGITS}d}{part}\x00" if odd else f"\x01{part}\x00"
        for odd, part in ((index % 2 == 1, part) for index, part in enumerate(parts))
        if part
    )


def _parse_single_page(text: str) -> Page:
    if text.isdigit() and text.isascii():
        if len(text) > _MAX_PAGE_DIGITS:
            raise LocatorError(f"page number {text[:12]}… is too large")
        return Page(text=text, value=int(text), roman=False)
    lowered = text.lower()
    if lowered and lowered.isascii() and _ROMAN_RE.match(lowered):
        return Page(text=text, value=_roman_value(lowered), roman=True)
    raise LocatorError(f"{text!r} is not a page number")


def _roman_value(numeral: str) -> int:
    total = 0
    for char, following in zip(numeral, numeral[1:] + " "):
        value = _ROMAN_VALUES[char]
        total += -value if _ROMAN_VALUES.get(following, 0) > value else value
    return total


def _parse_span(text: str) -> PageSpan:
    pieces = _RANGE_RE.split(text)
    if len(pieces) == 1:
        return PageSpan(_parse_single_page(pieces[0]))
    if len(pieces) != 2 or not all(pieces):
        raise LocatorError(f"{text!r} is not a page range")
    first, last = (_parse_single_page(p) for p in pieces)
    if first.roman != last.roman:
        raise LocatorError(f"{text!r} mixes roman and arabic pages")
    if last.value < first.value:
        raise LocatorError(f"{text!r} ends before it starts")
    return PageSpan(first, last)


def parse_page(value: str) -> Locator:
    """Parse a ``:page:`` value: ``5``, ``27-28``, ``xii``, ``5, 9``, each
    with or without a page label of its own (``p. 5``, ``pp. 27-28``,
    ``pg 5``, ``page 5``), which is dropped.

    Raises :class:`LocatorError` for anything else.
    """
    value = _PAGE_PREFIX_RE.sub("", " ".join(value.split()))
    if not value:
        raise LocatorError("the page is empty")
    items = [_PAGE_PREFIX_RE.sub("", item.strip()) for item in value.split(",")]
    if not all(items):
        raise LocatorError(f"{value!r} has an empty item")
    spans = tuple(_parse_span(item) for item in items)
    return Locator(kind="page", text=", ".join(s.text for s in spans), spans=spans)


def free_locator(value: str) -> Locator:
    """A ``:locator:`` value, kept as written (whitespace folded)."""
    return Locator(kind="free", text=" ".join(value.split()))

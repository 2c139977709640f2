"""Parsing, formatting and sorting of page locators."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sphinx_quotefig.locators import LocatorError, free_locator, parse_page, sort_key


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("5", "pg 5"),
        ("27-28", "pg 27\u201328"),
        ("27--28", "pg 27\u201328"),
        ("27 \u2013 28", "pg 27\u201328"),
        ("xii", "pg xii"),
        ("XIV", "pg XIV"),
        ("xii-xiv", "pg xii\u2013xiv"),
        ("5, 9", "pg 5, 9"),
        ("5,9-11", "pg 5, 9\u201311"),
    ],
)
def test_pages_are_normalised_and_labelled(typed, shown):
    assert parse_page(typed).formatted("pg") == shown


@pytest.mark.parametrize("typed", ["", "abc", "5-", "-5", "12-4", "xii-3", "5,,6", "iiii", "1" * 12, "5-6-7", "٣"])
def test_malformed_pages_are_refused(typed):
    with pytest.raises(LocatorError):
        parse_page(typed)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("p. 12", "pg 12"),
        ("P.12", "pg 12"),
        ("pp. 27-28", "pg 27\u201328"),
        ("pg 5", "pg 5"),
        ("pg. 5", "pg 5"),
        ("page 7", "pg 7"),
        ("Pages xii-xiv", "pg xii\u2013xiv"),
        ("p. 5, p. 9", "pg 5, 9"),
    ],
)
def test_a_typed_page_label_is_dropped_the_extension_adds_its_own(typed, shown):
    assert parse_page(typed).formatted("pg") == shown


@pytest.mark.parametrize("typed", ["p.", "pg", "pxii", "page", "pp 5 6"])
def test_a_page_label_without_a_page_is_still_refused(typed):
    with pytest.raises(LocatorError):
        parse_page(typed)


def test_a_label_with_a_placeholder_puts_the_page_inside_it():
    assert parse_page("5").formatted("第%s页") == "第5页"
    assert parse_page("27-28").formatted("%s頁") == "27\u201328頁"


def test_ranges_and_lists_take_the_plural_label():
    assert parse_page("5").formatted("p.", "pp.") == "p. 5"
    assert parse_page("5-7").formatted("p.", "pp.") == "pp. 5\u20137"
    assert parse_page("5, 9").formatted("p.", "pp.") == "pp. 5, 9"
    assert parse_page("5-7").formatted("p.") == "p. 5\u20137"


def test_empty_label_shows_the_bare_page():
    assert parse_page("5").formatted("") == "5"


def test_free_locators_are_kept_as_written():
    assert free_locator("  ch.   3 ").formatted("pg") == "ch. 3"


def test_sort_order_front_matter_then_pages_then_free_then_none():
    typed = ["27", None, "5", "ch. 10", "xii", "5-9", "ii", "ch. 3", "100", "5, 2"]
    locators = {t: (None if t is None else parse_page(t) if t[0].isdigit() or t[0] in "ivx" else free_locator(t)) for t in typed}
    ordered = sorted(typed, key=lambda t: sort_key(locators[t]))
    assert ordered == ["ii", "xii", "5", "5, 2", "5-9", "27", "100", "ch. 3", "ch. 10", None]


def test_free_locators_sort_naturally_text_before_numbers_and_shorter_first():
    typed = ["ch. 10", "ch. 9", "ch.", "ch. 9a", "Ch. 2", "appendix", "ch. x", "\u00b2", "\u0663 ch", "1 ch"]
    ordered = sorted(typed, key=lambda t: sort_key(free_locator(t)))
    # A part of text before a digit run; "ch. " (then 2) before "ch. x";
    # numbers by value; a superscript is text; Arabic-Indic digits are numbers.
    assert ordered == ["appendix", "ch.", "Ch. 2", "ch. 9", "ch. 9a", "ch. 10", "ch. x", "\u00b2", "1 ch", "\u0663 ch"]


def _parts_key(text: str) -> tuple:
    """The natural order as a tuple of parts (the string key must agree)."""
    parts = re.split(r"(\d+)", text.casefold())
    return tuple((1, int(p[:9]), p) if i % 2 else (0, 0, p) for i, p in enumerate(parts) if p)


@given(st.lists(st.text(alphabet="ab. 0123456789\u0663\u00b2", max_size=8), min_size=2, max_size=6))
def test_free_locator_order_is_the_order_of_its_parts(texts):
    by_string = sorted(texts, key=lambda t: (sort_key(free_locator(t)), t))
    by_parts = sorted(texts, key=lambda t: (_parts_key(" ".join(t.split())), t))
    assert by_string == by_parts


_ORDER_FIELDS = ("order_group", "order_first", "order_last", "order_text", "docname", "serial")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c/d"]),
            st.integers(0, 3),
            st.integers(0, 3),
            st.integers(0, 3),
            st.sampled_from(["", "ch", "ch 2"]),
        ),
        max_size=12,
    )
)
def test_a_sources_quotations_sort_by_locator_then_reading_order(rows):
    """The index sorts field by field (no key tuple per quotation); that
    must order them exactly as the tuple of all fields does."""
    from operator import attrgetter

    from sphinx_quotefig.listing import sort_quotes
    from sphinx_quotefig.records import QuoteRecord

    serials: dict[str, int] = {}
    records = []
    for docname, group, first, last, text in rows:
        serial = serials[docname] = serials.get(docname, -1) + 1
        records.append(
            QuoteRecord(docname, f"q{serial}", "block", "s", "page", "", False, group, first, last, text, "words", 1, serial=serial)
        )
    reading_order = sorted(records, key=attrgetter("docname", "serial"))
    assert sort_quotes(list(reading_order)) == sorted(records, key=attrgetter(*_ORDER_FIELDS))

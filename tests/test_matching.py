"""Matching on a real manual's text: every passage taken from it verbatim
is found on its own page; a changed word is a misquotation, not a match."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from sphinx_quotefig.extract import extract
from sphinx_quotefig.matching import MISQUOTE_SIMILARITY, SourceIndex

MANUAL = Path(__file__).parent / "pdfs" / "libtasn1.pdf"


@pytest.fixture(scope="module")
def index() -> SourceIndex:
    if not MANUAL.exists():
        pytest.skip(f"{MANUAL.name} is not in tests/pdfs (see tests/pdfs/README.md)")
    return SourceIndex(extract(MANUAL))


def passages(index: SourceIndex, count: int, seed: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    found = []
    while len(found) < count:
        start = rng.randrange(len(index.words) - 40)
        length = rng.randrange(4, 30)
        # Passages that start at a page's margin (its running head or page
        # number) are not what anyone quotes.
        if not index.skippable[start]:
            found.append((start, start + length))
    return found


def test_every_verbatim_passage_is_found_where_it_stands(index):
    for start, end in passages(index, 300, seed=1):
        text = " ".join(index.words[start:end])
        matches = index.find(text)
        assert any(match.start <= start < match.end for match in matches), text
        first_page = index.page_of(start)
        assert any(index.pages_of(match)[0] == first_page for match in matches)


def test_a_changed_word_is_not_a_match_but_the_closest_passage(index):
    for start, end in passages(index, 60, seed=2):
        words = list(index.words[start:end + 8])
        middle = len(words) // 2
        words[middle] = "zzyzx"
        text = " ".join(words)
        assert index.find(text) == []
        closest = index.closest(text)
        assert closest is not None and closest.similarity >= MISQUOTE_SIMILARITY
        assert "[-zzyzx-]" in closest.difference

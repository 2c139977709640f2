"""Finding a quotation in a source's text, as a careful reader would.

Both sides become words compared by a *key*: Unicode NFKC (ligatures such
as "ﬁ" become "fi"), typographic quotes, apostrophes and dashes made plain,
soft hyphens dropped, a word hyphenated across a line end joined, and the
hyphens inside a word ignored (a broken "well-known" may come out as
"wellknown"). Punctuation and whitespace between words are not compared;
case is, except for a piece's first letter.

A quotation is split at its ellipses into pieces found in order; a bracketed
insertion (``[the council]``, ``[sic]``) matches a short run of any words or
none; brackets inside a word (``[t]he``) are the author's change of a letter.
In the source, footnote markers (a number of one to three digits stuck to
what precedes it, or a superscript) and the short lines that start or end a
page (running heads, page numbers) may be skipped, so a quote may run onto
the next page.

A source's words are indexed once (:class:`SourceIndex`); a quotation is
looked up from its rarest word, so checking costs nothing per page.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache
from collections import Counter
from difflib import SequenceMatcher
from collections.abc import Sequence
from typing import NamedTuple

from .extract import SourceText

#: Bump when the index of a text would change (what the cache holds).
MATCHER_VERSION = "3"

#: Most words a bracketed insertion stands for.
INSERTION_WORDS = 6
#: Most words of the source between two pieces of a quotation.
ELLIPSIS_WORDS = 600
#: A line of at most this many words among the first or last
#: ``MARGIN_LINES`` of a page may be a running head or a page number (PDF
#: text may hold the page number before the body), and is skipped where a
#: quote runs over it.
MARGIN_LINE_WORDS = 10
MARGIN_LINES = 2
#: The least similarity at which the closest passage is a misquotation
#: rather than something else.
MISQUOTE_SIMILARITY = 0.6

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": " ", "\u2013": " ", "\u2014": " ", "\u2015": " ", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ",
})
#: Superscript digits are footnote markers: a word of their own, marked as
#: stuck to what precedes it.
GLUED = "\x1f"
_SUPERSCRIPTS = re.compile("[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+")
# A word hyphenated at a line end (the hyphen is kept: keys ignore it).
_LINE_END_HYPHEN = re.compile(r"(\w)-[ \t]*\n[ \t]*(\w)")
_SOFT_HYPHEN_BREAK = re.compile("\u00ad\\s*")
_WORD = re.compile(r"\w+(?:['-]\w+)*")
_FOOTNOTE_TAIL = re.compile(r"([^\W\d_]{2,})(\d{1,3})")
_MARKER = re.compile(r"\d{1,3}")

_ELLIPSIS = re.compile(r"\s*(?:[\[(]\s*(?:\u2026|\.\s?\.\s?\.)\s*[\])]|\u2026|\.\s\.\s\.|\.\.\.)\s*")
_INSERTION = re.compile(r"(?<![\w\]])\[[^\[\]]*\](?![\w\[])")
_IN_WORD_BRACKETS = re.compile(r"\[([^\[\]\s]*)\]")
_CHANGED_WORD = re.compile(r"[\w'-]*\[[^\[\]\s]*\][\w'-]*")
_QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e "


def clean(text: str) -> str:
    """*text* with what a reader does not see as a difference made plain."""
    text = _SUPERSCRIPTS.sub(lambda m: GLUED + m[0] + " ", text)
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    text = _SOFT_HYPHEN_BREAK.sub("", text)
    return _LINE_END_HYPHEN.sub(r"\1-\2", text)


def key(word: str) -> str:
    return word.replace("-", "").replace("'", "")


class Word(NamedTuple):
    text: str
    key: str
    #: Compare without case (a piece's first word, a word with a bracket).
    any_case: bool = False


class Gap(NamedTuple):
    """A bracketed insertion: up to ``most`` words of the source, or none."""

    most: int = INSERTION_WORDS


Element = Word | Gap


@lru_cache(maxsize=8192)
def pattern(quote: str) -> tuple[tuple[Element, ...], ...]:
    """A quotation as its pieces (split at ellipses), each a sequence of
    words and gaps; pieces with no word are dropped."""
    text = clean(quote).strip(_QUOTE_MARKS + "\n\t")
    pieces: list[Sequence[Element]] = []
    for raw in _ELLIPSIS.split(text):
        elements: Sequence[Element] = []
        for position, chunk in enumerate(_INSERTION.split(raw)):
            if position:
                elements.append(Gap())
            # A word changed by the author ("[t]he") compares without case.
            changed = {key(w) for m in _CHANGED_WORD.findall(chunk) for w in _WORD.findall(_IN_WORD_BRACKETS.sub(r"\1", m))}
            for word in _WORD.findall(_IN_WORD_BRACKETS.sub(r"\1", chunk)):
                elements.append(Word(word, key(word), key(word) in changed))
        words = [e for e in elements if isinstance(e, Word)]
        if words:
            first = elements.index(words[0])
            elements[first] = words[0]._replace(any_case=True)
            pieces.append(tuple(elements))
    return tuple(pieces)


def quote_words(quote: str) -> list[str]:
    """The words of a quotation, insertions and ellipses left out."""
    return [e.text for piece in pattern(quote) for e in piece if isinstance(e, Word)]


class Match(NamedTuple):
    """Where a quotation stands: source words ``start`` to ``end`` (excl.)."""

    start: int
    end: int


class Closest(NamedTuple):
    """The passage most like a quotation that is not in the source."""

    start: int
    end: int
    similarity: float
    difference: str


class SourceIndex:
    """A source's words, their pages, and where each word occurs."""

    def __init__(self, text: SourceText) -> None:
        #: The file's SHA-256 digest (set by the cache that loads it).
        self.digest = ""
        self.labels = text.labels
        words: list[str] = []
        keys: list[str] = []
        skippable: list[bool] = []
        page_starts: list[int] = []
        for page in text.pages:
            page_starts.append(len(words))
            lines = [line for line in clean(page).split("\n") if line.strip()]
            for number, line in enumerate(lines):
                found = _line_words(line)
                margin = (
                    (number < MARGIN_LINES or number >= len(lines) - MARGIN_LINES) and len(found) <= MARGIN_LINE_WORDS
                )
                for word, marker in found:
                    words.append(word)
                    keys.append(key(word))
                    skippable.append(margin or marker)
        self.words = words
        self.keys = keys
        self.skippable = skippable
        self.page_starts = page_starts
        positions: dict[str, list[int]] = {}
        for position, word_key in enumerate(keys):
            positions.setdefault(word_key.casefold(), []).append(position)
            if tail := _FOOTNOTE_TAIL.fullmatch(word_key):
                positions.setdefault(tail[1].casefold(), []).append(position)
        self.positions = positions
        #: label (case folded) -> the first page that has it
        self.label_pages: dict[str, int] = {}
        for number, label in enumerate(self.labels):
            self.label_pages.setdefault(label.casefold(), number)

    # -- pages -------------------------------------------------------------

    def page_of(self, position: int) -> int:
        return max(0, bisect_right(self.page_starts, position) - 1)

    def pages_of(self, match: Match | Closest) -> tuple[int, int]:
        return self.page_of(match.start), self.page_of(max(match.start, match.end - 1))

    def page_range_label(self, first: int, last: int) -> str:
        if first == last:
            return self.labels[first]
        return f"{self.labels[first]}\u2013{self.labels[last]}"

    # -- exact matching ----------------------------------------------------

    def find(self, quote: str, limit: int = 20) -> list[Match]:
        """Every place (up to *limit*) where the quotation stands, in order."""
        pieces = pattern(quote)
        if not pieces:
            return []
        found: list[Match] = []
        for first in self._piece_matches(pieces[0]):
            end = first.end
            for piece in pieces[1:]:
                following = self._piece_after(piece, end)
                if following is None:
                    break
                end = following.end
            else:
                found.append(Match(first.start, end))
                if len(found) >= limit:
                    break
        return found

    def _fixed_words(self, piece: Sequence[Element]) -> list[tuple[int, int, list[int]]]:
        """The piece's words before its first gap that occur in the source:
        (element index, word offset, where the word occurs), rarest first."""
        found = []
        words_before = 0
        for index, element in enumerate(piece):
            if isinstance(element, Gap):
                if found or words_before:
                    break
                continue
            found.append((index, words_before, self.positions.get(element.key.casefold(), [])))
            words_before += 1
        return sorted(found, key=lambda item: len(item[2]))

    def _starts(self, piece: Sequence[Element]) -> list[range]:
        """Where the piece may start, for each place its rarest word occurs
        (and its second rarest where it should be): the latest start first
        (the shortest gaps before the anchor)."""
        fixed = self._fixed_words(piece)
        if not fixed:
            return []
        offset, words_before, occurrences = fixed[0]
        before = piece[:offset]
        # Gaps and skipped markers may push the anchor further from the start.
        slack = sum(e.most for e in before if isinstance(e, Gap)) + 3
        if len(fixed) > 1 and not any(isinstance(e, Gap) for e in before):
            _, other_before, others = fixed[1]
            distance = other_before - words_before
            low, high = (distance, distance + 3) if distance > 0 else (distance - 3, distance)
            occurrences = [
                position
                for position in occurrences
                if bisect_left(others, position + low) < bisect_right(others, position + high)
            ]
        return [
            range(position - words_before, max(0, position - words_before - slack) - 1, -1)
            for position in occurrences
            if position >= words_before
        ]

    def _first_match(self, piece: Sequence[Element], starts: range) -> Match | None:
        first = piece[0]
        folded = first.key.casefold() if isinstance(first, Word) else None
        keys = self.keys
        for start in starts:
            # Most starts fail on the first word: test it without a call.
            if folded is not None and start < len(keys):
                found = keys[start].casefold()
                if found != folded and not found.startswith(folded):
                    continue
            end = self._match_at(piece, 0, start)
            if end is not None:
                return Match(start, end)
        return None

    def _piece_matches(self, piece: Sequence[Element]) -> list[Match]:
        matches: dict[int, Match] = {}
        for starts in self._starts(piece):
            match = self._first_match(piece, starts)
            if match is not None:
                matches.setdefault(match.start, match)
        return sorted(matches.values())

    def _piece_after(self, piece: Sequence[Element], after: int) -> Match | None:
        for starts in self._starts(piece):
            if starts.start < after or starts.start > after + ELLIPSIS_WORDS + INSERTION_WORDS + 3:
                continue
            match = self._first_match(piece, starts)
            if match is not None and after <= match.start <= after + ELLIPSIS_WORDS:
                return match
        return None

    def _match_at(self, piece: Sequence[Element], index: int, position: int) -> int | None:
        """Where *piece* from element *index* ends if it starts at word
        *position* of the source; None if it does not stand there."""
        keys, skippable, count = self.keys, self.skippable, len(self.keys)
        started = index > 0
        while index < len(piece):
            element = piece[index]
            if isinstance(element, Gap):
                for taken in range(element.most + 1):
                    end = self._match_at(piece, index + 1, position + taken)
                    if end is not None:
                        return end
                return None
            while True:
                if position >= count:
                    return None
                found = keys[position]
                if found == element.key or (element.any_case and found.casefold() == element.key.casefold()):
                    break
                tail = _FOOTNOTE_TAIL.fullmatch(found)
                if tail and (tail[1] == element.key or (element.any_case and tail[1].casefold() == element.key.casefold())):
                    break
                if started and skippable[position]:
                    position += 1
                    continue
                return None
            position += 1
            index += 1
            started = True
        return position

    # -- the closest passage -----------------------------------------------

    def closest(self, quote: str) -> Closest | None:
        """The passage most like the quotation (word by word), found from
        where its rarer words occur; None when nothing is near."""
        words = quote_words(quote)
        if not words:
            return None
        folded = [key(word).casefold() for word in words]
        by_rarity = sorted(set(folded), key=lambda k: len(self.positions.get(k, ())))
        rare = [k for k in by_rarity if 0 < len(self.positions.get(k, ())) <= 50][:12] or [
            k for k in by_rarity if self.positions.get(k)
        ][:3]
        votes: Counter[int] = Counter()
        for word_key in rare:
            offsets = [i for i, k in enumerate(folded) if k == word_key]
            for position in self.positions.get(word_key, ())[:200]:
                for offset in offsets:
                    votes[(position - offset) // 8] += 1
        best: Closest | None = None
        for bucket, _count in votes.most_common(6):
            low = max(0, bucket * 8 - 8)
            high = min(len(self.keys), bucket * 8 + len(words) + 16)
            window = [k.casefold() for k in self.keys[low:high]]
            matcher = SequenceMatcher(None, folded, window, autojunk=False)
            blocks = [b for b in matcher.get_matching_blocks() if b.size]
            if not blocks:
                continue
            start, end = low + blocks[0].b, low + blocks[-1].b + blocks[-1].size
            similarity = SequenceMatcher(None, folded, [k.casefold() for k in self.keys[start:end]], autojunk=False).ratio()
            if best is None or similarity > best.similarity:
                best = Closest(start, end, similarity, "")
        if best is None:
            return None
        return best._replace(difference=word_difference(words, self.words[best.start : best.end]))


def _line_words(line: str) -> list[tuple[str, bool]]:
    """The words of a line of the source, each with whether it is a
    footnote marker (which a quotation may leave out): a number of one to
    three digits stuck to what precedes it ("best.3", a superscript); a
    number standing alone ("in 12 cases") is a word like any other."""
    found: list[tuple[str, bool]] = []
    for match in _WORD.finditer(line):
        word, start = match[0], match.start()
        glued = start > 0 and not line[start - 1].isspace()
        found.append((word, glued and _MARKER.fullmatch(word) is not None))
    return found


def word_difference(quoted: list[str], source: list[str]) -> str:
    """A word-by-word difference: ``[-quoted-]`` for what the quotation has
    and the source does not, ``{+source+}`` for the reverse."""
    matcher = SequenceMatcher(None, [key(w).casefold() for w in quoted], [key(w).casefold() for w in source], autojunk=False)
    parts: list[str] = []
    for tag, q1, q2, s1, s2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(" ".join(source[s1:s2]))
            continue
        if q2 > q1:
            parts.append("[-" + " ".join(quoted[q1:q2]) + "-]")
        if s2 > s1:
            parts.append("{+" + " ".join(source[s1:s2]) + "+}")
    return " ".join(parts)

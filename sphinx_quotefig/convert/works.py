"""The works quoted in a post or a site, each declared once under one key.

Keys are made from the author's surname and the year (`tennent-1981`), or
the surname and the title's first word (`sato-canary`), or the title alone;
two different works that would share a key get `-2`, `-3`, …
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .attribution import Attribution

_STOP = {"a", "an", "the", "on", "of", "in", "and", "la", "le", "les", "der", "die", "das"}


@dataclass
class Work:
    key: str
    title: str
    author: str = ""
    year: str = ""
    url: str = ""

    def fields(self) -> dict[str, str]:
        fields = {"title": self.title, "author": self.author, "year": self.year, "url": self.url}
        return {name: value for name, value in fields.items() if value}


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _surname(author: str) -> str:
    """The first author's last name: `Abelson and Sussman` -> `abelson`."""
    first = re.split(r"\s+(?:and|&)\s+|;|,", author)[0]
    words = [w for w in first.split() if w and not w.endswith(".")]
    return slug(words[-1]) if words else slug(author)


def _first_word(title: str) -> str:
    for word in slug(title).split("-"):
        if word and word not in _STOP:
            return word
    return slug(title)[:20]


class Works:
    """Works by identity (title and author), in the order first quoted."""

    def __init__(self) -> None:
        self._by_identity: dict[tuple[str, str], Work] = {}
        self._keys: set[str] = set()

    def __iter__(self):
        return iter(self._by_identity.values())

    def __len__(self) -> int:
        return len(self._by_identity)

    def reserve(self, key: str) -> None:
        """A key taken elsewhere (a `--source-key`)."""
        self._keys.add(key)

    def work_for(self, attribution: Attribution) -> Work | None:
        """The work an attribution names (None: no title, so no work)."""
        if not attribution.title:
            return None
        identity = (slug(attribution.title), slug(attribution.author))
        work = self._by_identity.get(identity)
        if work is None:
            work = Work(
                self._new_key(attribution),
                attribution.title,
                attribution.author,
                attribution.year,
                attribution.url,
            )
            self._by_identity[identity] = work
        else:  # later quotes may say more about the same work
            work.year = work.year or attribution.year
            work.url = work.url or attribution.url
        return work

    def _new_key(self, attribution: Attribution) -> str:
        if attribution.author:
            tail = attribution.year or _first_word(attribution.title)
            base = f"{_surname(attribution.author)}-{tail}".strip("-")
        else:
            base = "-".join(slug(attribution.title).split("-")[:3])
            if attribution.year:
                base = f"{base}-{attribution.year}"
        base = base or "source"
        key, number = base, 1
        while key in self._keys:
            number += 1
            key = f"{base}-{number}"
        self._keys.add(key)
        return key

"""Quotation marks in the reader's language, for output formats (and
copies of a heading) that cannot draw them as HTML's ``<q>`` does."""

from __future__ import annotations

from docutils.utils.smartquotes import smartchars


def quote_marks(language: str | None) -> tuple[str, str]:
    """Opening and closing quotation marks for *language* (``de`` → „…“)."""
    lang = (language or "en").replace("_", "-").lower()
    for candidate in (lang, lang.split("-")[0], "en"):
        if candidate in smartchars.quotes:
            marks = smartchars.quotes[candidate]
            return marks[0], marks[1]
    return "\u201c", "\u201d"

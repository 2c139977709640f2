"""What to suggest when a quotation names a source that is not declared.

Kept apart from the checks that report unknown sources, so that every place
which says "unknown source" (quotes, ``{quote-source}`` links, the
``quote-index`` directive) can say the same fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .diagnostics import __

#: How alike a known key must be to be suggested (difflib's ratio).
CLOSENESS = 0.6


def unknown_source_hint(key: str, known: Iterable[str], inline: bool = False) -> str:
    """The fix for an unknown source *key*, to append to the warning, or
    ``""`` when nothing known is close.

    - ``tufte 5`` where ``tufte`` is known: the page was written without its
      comma (``<tufte, 5>`` in a ``{q}`` role, *inline*), or in ``:source:``
      rather than ``:page:``;
    - otherwise the closest known key, ignoring case (``tuft`` → ``tufte``).
    """
    by_folded: dict[str, str] = {}
    for name in known:
        by_folded.setdefault(name.casefold(), name)
    head, _, last = key.rpartition(" ")
    if head and head.casefold() in by_folded:
        source = by_folded[head.casefold()]
        if inline:
            return __("; a comma goes between the source and the page: <%s, %s>") % (source, last)
        return __("; the page goes in its own option: :source: %s and :page: %s") % (source, last)
    close = difflib.get_close_matches(key.casefold(), list(by_folded), n=1, cutoff=CLOSENESS)
    if close:
        return __("; did you mean %r?") % by_folded[close[0]]
    return ""

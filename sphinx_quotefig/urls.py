"""Which URLs may reach the output.

Source and quote URLs end up in ``href`` and ``blockquote[cite]``
attributes. Only web, mail and relative links are allowed: a
``javascript:`` or ``data:`` URL typed into an option must never survive,
however it is spelled (case, embedded whitespace or control characters,
which browsers strip before they read the scheme).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# Browsers drop ASCII tab and newline anywhere in a URL and trim C0 controls
# and spaces at its ends; the scheme check must see what the browser sees.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_scheme(url: str) -> str | None:
    """The scheme that makes *url* unsafe, or None when it is allowed.

    The URL is checked as written and with HTML entities decoded, so that
    ``java&#x09;script:`` is refused even though the output escapes ``&``.
    """
    decoded = html.unescape(url)
    return _scheme_problem(url) or (_scheme_problem(decoded) if decoded != url else None)


def _scheme_problem(url: str) -> str | None:
    squeezed = _INVISIBLE.sub("", url)
    try:
        scheme = urlsplit(squeezed).scheme
    except ValueError:
        return "malformed"
    first_segment = re.split(r"[/?#]", squeezed, maxsplit=1)[0]
    if ":" in first_segment and not scheme:
        # "foo&x:bar" that urlsplit did not take for a scheme: refuse rather
        # than guess how a browser resolves it.
        return first_segment.split(":", 1)[0].lower() or "malformed"
    if scheme and scheme.lower() not in SAFE_SCHEMES:
        return scheme.lower()
    return None


def clean_url(url: str) -> str:
    """The URL as it is written into the output (surrounding space removed)."""
    return url.strip()

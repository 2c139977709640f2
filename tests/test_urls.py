"""Only http(s), mailto and relative URLs reach the output."""

from __future__ import annotations

import pytest

from sphinx_quotefig.urls import unsafe_scheme


@pytest.mark.parametrize(
    "url",
    ["https://example.org/a.pdf#page=5", "http://x.org", "mailto:a@b.org", "report.pdf", "../a/b.html#x", "#anchor", "//cdn.example.org/x", "?q=a:b", "x.html#a:b"],
)
def test_safe_urls_pass(url):
    assert unsafe_scheme(url) is None


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        ("JaVaScRiPt:alert(1)", "javascript"),
        (" \tjava\nscript:alert(1)", "javascript"),
        ("java&#x09;script:alert(1)", "javascript"),
        ("&#106;avascript:alert(1)", "javascript"),
        ("data:text/html,<script>", "data"),
        ("vbscript:msgbox", "vbscript"),
        ("file:///etc/passwd", "file"),
    ],
)
def test_unsafe_urls_are_named_by_scheme(url, scheme):
    assert unsafe_scheme(url) == scheme

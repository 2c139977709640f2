"""Nothing an author types into an option can inject markup or script."""

from __future__ import annotations

import json

import pytest

from conftest import build_project

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'

CONF = f'''
extensions = ["myst_parser", "sphinx_quotefig"]
quotefig_sources = {{"c": {{"title": {HOSTILE!r}, "author": {HOSTILE!r}, "url": {"https://example.org/?a=" + HOSTILE!r}}}}}
quotefig_markup = MARKUP
'''

PAGE = f"""# Hostile

```{{quote-source}} s
:title: {HOSTILE}
:author: {HOSTILE}
:year: {HOSTILE}
```

```{{quote}}
:locator: {HOSTILE}
:author: {HOSTILE}
:source: c

Body.
```

```{{quote}}
:page: 5
:url: https://example.org/"onmouseover="alert(3)

Body two.
```

Inline {{q}}`{HOSTILE} <c, {HOSTILE}>` and {{quote-source}}`c`.

```{{quote-index}}
```
"""


@pytest.fixture(scope="module", params=["footer", "figcaption"])
def hostile(request, tmp_path_factory):
    src = tmp_path_factory.mktemp(f"hostile-{request.param}")
    (src / "conf.py").write_text(CONF.replace("MARKUP", repr(request.param)), encoding="utf-8")
    (src / "index.md").write_text(PAGE, encoding="utf-8")
    return build_project(src)


@pytest.mark.parametrize("page", ["index", "quote-index"])
def test_no_element_or_attribute_is_injected(hostile, page):
    soup = hostile.html(page)
    # JSON-LD is data the browser never runs: it holds the hostile text as
    # JSON strings, with no "<" that could end its element.
    assert soup.find("script", type=lambda t: t != "application/ld+json", string=lambda s: s and "alert" in s) is None
    for data in soup.find_all("script", type="application/ld+json"):
        assert "<" not in data.string and json.loads(data.string)
    assert soup.find("img") is None
    for tag in soup.find_all(True):
        assert not any(name.startswith("on") for name in tag.attrs), tag
    assert HOSTILE in soup.get_text()  # shown as text, not lost


def test_attribute_values_stay_inside_their_quotes(hostile):
    soup = hostile.html()
    figure = soup.find("figure", id="figure-2")
    assert figure.blockquote["cite"] == 'https://example.org/"onmouseover="alert(3)'


def test_latex_escapes_special_characters(tmp_path):
    src = tmp_path / "latex"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "sphinx_quotefig"]\n', encoding="utf-8")
    (src / "index.md").write_text(
        "# T\n\n```{quote-source} s\n:title: 100% $5 & {x} #1 _y_ \\\\end{document}\n```\n\n"
        "```{quote}\n:source: s\n:locator: ~^\\\\\n\nBody.\n```\n\n```{quote}\n:page: 5\n:source: other\n:author: A & B\n\nx\n```\n",
        encoding="utf-8",
    )
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_quotefig"]\nquotefig_sources = {"other": {"title": "R&D 100%"}}\n',
        encoding="utf-8",
    )
    result = build_project(src, "latex")
    tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
    body = tex.split("\\begin{document}", 1)[1]
    assert "100\\%" in body and "\\$5" in body and "\\&" in body
    assert "\\end{document}" in body and body.count("\\end{document}") == 1
    assert "R\\&D 100\\%" in body

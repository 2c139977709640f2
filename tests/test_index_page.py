"""The citation index page is rendered with a marker where its listing goes,
and the listing is streamed into the written file (index_page.py): the file
is exactly the page rendered whole, and the theme's template never holds the
listing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build_project
from sphinx.testing.util import SphinxTestApp

from sphinx_quotefig.index_page import MARKER

CONF = 'extensions = ["myst_parser", "sphinx_quotefig"]\nproject = "Caf\u00e9"\ntemplates_path = ["_templates"]\n'
#: A page template that changes the body so that the marker is not there as
#: written (and changes nothing else): the page is then rendered whole.
MANGLING_TEMPLATE = (
    '{% extends "!page.html" %}\n'
    '{% block body %}\n  {{ body|replace("quotefig: the citation index listing", "mangled") }}\n{% endblock %}\n'
)
DOCS = {
    "index.md": "# Caf\u00e9 notes\n\n```{quote-source} report\n:title: The R\u00e9port \u201cof\u201d <Things>\n```\n\n"
    "```{toctree}\nalpha\n```\n",
    "alpha.md": "# Alpha \u2014 \u03b1\n\n"
    + "".join(f"```{{quote}}\n:source: report\n:page: {page}\n\nWords \u201cquoted\u201d on page {page}, \u03b1 & <b>.\n```\n\n" for page in range(1, 40)),
}
PAGES = {"html": "quote-index.html", "dirhtml": "quote-index/index.html", "epub": "quote-index.xhtml"}
EPUB_CONF = 'epub_copyright = "2026"\nversion = "1.0"\nepub_exclude_files = ["quotes.json"]\n'


def _page(project, buildername: str, encoding: str, *, mangle: bool) -> bytes:
    conf = CONF + f"html_output_encoding = {encoding!r}\n" + (EPUB_CONF if buildername == "epub" else "")
    files = dict(DOCS, **{"conf.py": conf})
    if mangle:
        files["_templates/page.html"] = MANGLING_TEMPLATE
    else:
        files["_templates/.keep"] = ""
    result = build_project(project(**files), buildername)
    return (result.outdir / PAGES[buildername]).read_bytes()


@pytest.mark.parametrize(
    ("buildername", "encoding"),
    [("html", "utf-8"), ("html", "ascii"), ("html", "utf-8-sig"), ("html", "utf-16"), ("dirhtml", "utf-8"), ("epub", "utf-8")],
)
def test_the_streamed_page_is_byte_for_byte_the_page_rendered_whole(project, buildername, encoding):
    streamed = _page(project, buildername, encoding, mangle=False)
    whole = _page(project, buildername, encoding, mangle=True)
    assert streamed == whole
    text = streamed.decode(encoding)
    assert MARKER not in text
    assert _listed(text) == 39
    # One byte order mark, at the start, if the encoding writes one.
    assert text.count("\ufeff") == 0
    if encoding == "ascii":
        assert max(streamed) < 128
        soup = BeautifulSoup(streamed.decode(encoding), "html.parser")
        assert "\u201cquoted\u201d" in soup.get_text()  # as character references


def _build(srcdir: Path, listeners=()) -> SphinxTestApp:
    """Build *srcdir* with html, *listeners* ``(event, callback, priority)``
    connected first."""
    app = SphinxTestApp("html", srcdir=srcdir, status=None, warning=None)
    try:
        for event, callback, priority in listeners:
            app.connect(event, callback, priority=priority)
        app.build()
    finally:
        app.cleanup()
    return app


def _listed(page: str) -> int:
    """How many quotations a citation index page lists."""
    return len(BeautifulSoup(page, "html.parser").select("ul.quote-index-quotes li"))


def test_the_page_template_never_holds_the_listing(project):
    bodies: dict[str, str] = {}

    def record_body(app, pagename, templatename, context, doctree):
        if pagename == "quote-index":
            bodies[pagename] = context["body"]

    # Priority 900: after the extension's own listener.
    app = _build(project(**dict(DOCS, **{"conf.py": CONF})), [("html-page-context", record_body, 900)])
    body = bodies["quote-index"]
    assert MARKER in body and "quote-index-quotes" not in body
    assert _listed((Path(app.outdir) / "quote-index.html").read_text(encoding="utf-8")) == 39


def test_no_listing_is_pending_after_a_build(project):
    result = build_project(project(**dict(DOCS, **{"conf.py": CONF})))
    assert not hasattr(result.app.builder, "_quotefig_index_pending")
    assert list(Path(result.outdir).rglob("*.tmp")) == []


def test_a_build_failing_after_the_page_is_written_still_gets_the_listing(project, monkeypatch):
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.errors import SphinxError

    def fail(self):
        raise SphinxError("a later step of the build failed")

    monkeypatch.setattr(StandaloneHTMLBuilder, "gen_pages_from_extensions", fail)
    src = project(**dict(DOCS, **{"conf.py": CONF}))
    with pytest.raises(SphinxError):
        _build(src)
    page = (src / "_build" / "html" / "quote-index.html").read_text(encoding="utf-8")
    assert MARKER not in page
    assert _listed(page) == 39


def test_a_page_sphinx_could_not_write_does_not_stop_the_build(project):
    def lose_the_page(app):
        (Path(app.outdir) / "quote-index.html").unlink()
        return []

    # Priority 400: before the extension's own listener.
    app = _build(project(**dict(DOCS, **{"conf.py": CONF})), [("html-collect-pages", lose_the_page, 400)])
    assert app.statuscode == 0
    assert not (Path(app.outdir) / "quote-index.html").exists()
    assert (Path(app.outdir) / "quotes.json").exists()


def test_the_page_written_last_stays_when_sphinx_does_not_write_the_new_one(project):
    """A page template that fails leaves the page written last where it
    was, as Sphinx would."""
    from sphinx.errors import SphinxError

    src = project(**dict(DOCS, **{"conf.py": CONF}))
    first = _build(src)
    page = Path(first.outdir) / "quote-index.html"
    written = page.read_bytes()

    def fail(app, pagename, templatename, context, doctree):
        if pagename == "quote-index":
            raise SphinxError("the template failed")

    alpha = src / "alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace(":page: 7\n", ":page: 70\n"), encoding="utf-8")
    with pytest.raises(SphinxError):
        _build(src, [("html-page-context", fail, 900)])
    assert page.read_bytes() == written

    again = _build(src)  # and the next build copies from it again
    assert _listed(Path(again.outdir, "quote-index.html").read_text(encoding="utf-8")) == 39
    assert "pg 70" in Path(again.outdir, "quote-index.html").read_text(encoding="utf-8")


def test_a_symlinked_page_is_written_through_as_sphinx_writes_pages(project, tmp_path):
    src = project(**dict(DOCS, **{"conf.py": CONF}))
    outdir = src / "_build" / "html"
    outdir.mkdir(parents=True)
    elsewhere = tmp_path / "published-index.html"
    elsewhere.write_text("old", encoding="utf-8")
    (outdir / "quote-index.html").symlink_to(elsewhere)
    _build(src)
    assert (outdir / "quote-index.html").is_symlink()
    assert _listed(elsewhere.read_text(encoding="utf-8")) == 39


def test_carriage_returns_sphinx_writes_are_kept(project):
    conf = CONF + 'html_title = "Notes\\r\\nand more"\n'
    app = _build(project(**dict(DOCS, **{"conf.py": conf})))
    page = (Path(app.outdir) / "quote-index.html").read_bytes()
    other = (Path(app.outdir) / "alpha.html").read_bytes()
    assert b"Notes\r\nand more" in other
    assert b"Notes\r\nand more" in page

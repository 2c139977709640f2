"""Builds that stop half-way or run at the same time: the next build heals.

A killed or failing build leaves the environment Sphinx saved before
writing; what the extension keeps of written pages (their digests, the
rendered fragments) is kept only once they are written, so the next build
writes again whatever the stopped one did not finish. Two builds at once
never write the same temporary file.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import build_project
from sphinx.errors import SphinxError
from sphinx.testing.util import SphinxTestApp

CONF = 'extensions = ["myst_parser", "sphinx_quotefig"]\nquotefig_sources = {"report": {"title": "The Report"}}\n'


def _doc(pages: list[int]) -> str:
    return "# Alpha\n\n" + "".join(f"```{{quote}}\n:source: report\n:page: {p}\n\nWords on page {p}.\n```\n\n" for p in pages)


FILES = {
    "conf.py": CONF,
    "index.md": "# Home\n\n```{toctree}\nalpha\nlisting\n```\n",
    "alpha.md": _doc([1, 2]),
    "listing.md": "# Listing\n\n```{quote-index}\n```\n",
}


def _listed(result_outdir: Path, page: str) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((result_outdir / page).read_text(encoding="utf-8"), "html.parser")
    return [li.a.get_text() for li in soup.select("ul.quote-index-quotes li")]


def test_a_page_embedding_the_index_that_a_failed_build_did_not_write_is_written_by_the_next(project):
    src = project(**FILES)
    first = build_project(src)
    assert _listed(first.outdir, "listing.html") == ["pg 1", "pg 2"]

    (src / "alpha.md").write_text(_doc([1, 2, 3]), encoding="utf-8")

    def fail_on_listing(app, doctree, docname):
        if docname == "listing":
            raise SphinxError("stopped while writing")

    app = SphinxTestApp("html", srcdir=src, freshenv=False, status=None, warning=None)
    app.connect("doctree-resolved", fail_on_listing)
    try:
        with pytest.raises(SphinxError):
            app.build()
    finally:
        app.cleanup()

    healed = build_project(src, freshenv=False)
    assert _listed(healed.outdir, "listing.html") == ["pg 1", "pg 2", "pg 3"]
    assert _listed(healed.outdir, "quote-index.html") == ["pg 1", "pg 2", "pg 3"]


def _sphinx(src: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(src / "_build" / "html"), "-d", str(src / "_build" / "doctrees")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_builds_at_once_never_collide_on_the_extensions_files(project):
    src = project(**dict(FILES, **{f"doc{n}.md": _doc([n, n + 1]) for n in range(12)}))
    index = "# Home\n\n```{toctree}\nalpha\nlisting\n" + "".join(f"doc{n}\n" for n in range(12)) + "```\n"
    (src / "index.md").write_text(index, encoding="utf-8")
    first, second = _sphinx(src), _sphinx(src)
    outputs = [process.communicate(timeout=300) for process in (first, second)]
    for _, stderr in outputs:
        # A lost race may fail only the way plain Sphinx fails (its own
        # search index, say); never in the extension's code or files.
        saved = re.search(r"The full traceback has been saved in:\s*(\S+)", stderr)
        traceback = Path(saved[1]).read_text(encoding="utf-8") if saved else stderr
        assert f"sphinx_quotefig{os.sep}" not in traceback.split("Traceback", 1)[-1], traceback
        assert "quote-index.html" not in stderr and "quotes.json" not in stderr and "quotefig/" not in stderr, stderr
    healed = build_project(src, freshenv=False)
    assert healed.warning_lines() == []
    assert len(_listed(healed.outdir, "quote-index.html")) == 26
    leftovers = [p.name for p in src.rglob("*.tmp")]
    assert leftovers == []


def test_a_build_killed_while_writing_is_healed_by_the_next(project):
    src = project(**dict(FILES, **{f"doc{n}.md": _doc([n]) for n in range(40)}))
    index = "# Home\n\n```{toctree}\nalpha\nlisting\n" + "".join(f"doc{n}\n" for n in range(40)) + "```\n"
    (src / "index.md").write_text(index, encoding="utf-8")
    build_project(src)
    (src / "alpha.md").write_text(_doc([1, 2, 7]), encoding="utf-8")
    for n in range(0, 40, 3):
        (src / f"doc{n}.md").write_text(_doc([n, 100 + n]), encoding="utf-8")
    process = _sphinx(src)
    deadline = time.monotonic() + 60
    # Kill it once it is writing (the environment is pickled by then).
    environment = src / "_build" / "doctrees" / "environment.pickle"
    before = environment.stat().st_mtime_ns
    while time.monotonic() < deadline and process.poll() is None:
        if environment.stat().st_mtime_ns != before:
            break
        time.sleep(0.01)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    healed = build_project(src, freshenv=False)
    shown = {page: _listed(healed.outdir, page) for page in ("listing.html", "quote-index.html")}
    quotes_json = (healed.outdir / "quotes.json").read_text(encoding="utf-8")
    clean = build_project(src)
    assert shown == {page: _listed(clean.outdir, page) for page in shown}
    assert "pg 103" in shown["listing.html"]
    assert quotes_json == (clean.outdir / "quotes.json").read_text(encoding="utf-8")

"""An edited extension (an editable install, ``make serve`` on the
extension itself) never serves what its older code rendered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

PACKAGE = Path(__file__).parents[1] / "sphinx_quotefig"
CONF = 'extensions = ["myst_parser", "sphinx_quotefig"]\nquotefig_sources = {"report": {"title": "The Report"}}\n'


def _doc(name: str, pages: list[int]) -> str:
    return f"# {name}\n\n" + "".join(f"```{{quote}}\n:source: report\n:page: {p}\n\nWords {p}.\n```\n\n" for p in pages)


def _build(src: Path, code: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(code), PYTHONDONTWRITEBYTECODE="1")
    check = "import sphinx_quotefig; print(sphinx_quotefig.__file__)"
    imported = subprocess.run([sys.executable, "-c", check], env=env, cwd=code, capture_output=True, text=True, check=True)
    assert imported.stdout.startswith(str(code)), imported.stdout
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-v", "-b", "html", str(src), str(src / "_build" / "html"), "-d", str(src / "_build" / "doctrees")],
        check=True,
        env=env,
        cwd=code,  # `python -m` puts the working directory first on the path
        capture_output=True,
        text=True,
    ).stdout


@pytest.mark.parametrize("times_kept", [False, True], ids=["edited", "edited with its size and mtime kept"])
def test_an_edited_renderer_renders_every_entry_again(tmp_path, times_kept):
    code = tmp_path / "code"
    shutil.copytree(PACKAGE, code / "sphinx_quotefig", ignore=shutil.ignore_patterns("__pycache__"))
    src = tmp_path / "src"
    src.mkdir()
    files = {"conf.py": CONF, "index.md": "# Home\n\n```{toctree}\na\nb\n```\n", "a.md": _doc("A", [1, 2]), "b.md": _doc("B", [3, 4])}
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    _build(src, code)

    renderer = code / "sphinx_quotefig" / "render_html.py"
    text = renderer.read_text(encoding="utf-8")
    before = renderer.stat()
    # The same number of bytes: with its mtime put back (as a tool that
    # keeps times may leave it), only the change time tells the edit.
    edited = text.replace('<li><p class="quote-index-quote">', '<li><p class="quote-index-edits">')
    assert edited != text and len(edited) == len(text)
    renderer.write_text(edited, encoding="utf-8")
    if times_kept:
        os.utime(renderer, ns=(before.st_atime_ns, before.st_mtime_ns))
    (src / "a.md").write_text(_doc("A", [1, 2, 5]), encoding="utf-8")
    status = _build(src, code)
    assert "quote-index: 1 of 1 sources rendered (5 quotations)" in status, status

    page = BeautifulSoup((src / "_build" / "html" / "quote-index.html").read_text(encoding="utf-8"), "html.parser")
    items = page.select("ul.quote-index-quotes li")
    assert len(items) == 5
    assert all(item.select_one("p.quote-index-edits") for item in items)

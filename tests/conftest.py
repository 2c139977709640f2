"""Shared fixtures: small root projects under tests/roots, each built once
per session and builder (builds are read-only for the tests that share them).
"""

from __future__ import annotations

import os
import re
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, settings
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).parents[1]
SEED = REPO.parent / "shared" / "seed" / "000_6d3b55a4797ea580.txt"

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Property-based tests: `fast` (the default, in `make test`) is derandomized so
# CI is repeatable; `long` (`make test-long`) explores afresh each run.
_HYPOTHESIS_COMMON = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
settings.register_profile("fast", max_examples=20, derandomize=True, database=None, **_HYPOTHESIS_COMMON)
settings.register_profile("long", max_examples=1000, **_HYPOTHESIS_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


@dataclass
class Built:
    app: SphinxTestApp
    srcdir: Path
    outdir: Path
    warnings: str
    status: str = ""

    def html(self, docname: str = "index") -> BeautifulSoup:
        return BeautifulSoup((self.outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")

    def text(self, filename: str) -> str:
        return (self.outdir / filename).read_text(encoding="utf-8")

    def warning_lines(self) -> list[str]:
        return [line for line in self.warnings.splitlines() if "WARNING" in line or "ERROR" in line]


def build_project(
    srcdir: Path, buildername: str = "html", confoverrides: dict | None = None, parallel: int = 0, freshenv: bool = True,
    verbosity: int = 0,
    force_all: bool = False,
    warningiserror: bool = False,
) -> Built:
    status, warning = StringIO(), StringIO()
    app = SphinxTestApp(
        buildername,
        srcdir=srcdir,
        confoverrides=confoverrides or {},
        status=status,
        warning=warning,
        freshenv=freshenv,
        parallel=parallel,
        verbosity=verbosity,
        warningiserror=warningiserror,
    )
    try:
        app.build(force_all=force_all)
    finally:
        app.cleanup()
    return Built(app, srcdir, Path(app.outdir), _ANSI.sub("", warning.getvalue()), _ANSI.sub("", status.getvalue()))


#: Roots whose documents are pages of the docs, so the docs' live examples
#: are exactly what the tests check.
DOCS_PAGES = {
    "seed": {"index.md": REPO / "docs" / "examples" / "seed.md", "references.bib": REPO / "docs" / "references.bib"},
    "i18n": {"index.md": REPO / "docs" / "examples" / "seed.md", "references.bib": REPO / "docs" / "references.bib"},
}


def copy_root(name: str, dest: Path) -> Path:
    shutil.copytree(ROOTS / name, dest, dirs_exist_ok=True)
    for target, page in DOCS_PAGES.get(name, {}).items():
        shutil.copyfile(page, dest / target)
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Built]:
    """``built("seed", "latex", quotefig_markup="figcaption")``: the root
    project built once with that builder and configuration, shared."""
    cache: dict[tuple, Built] = {}

    def _built(root: str, buildername: str = "html", **confoverrides: object) -> Built:
        key = (root, buildername, repr(sorted(confoverrides.items())))
        if key not in cache:
            srcdir = copy_root(root, tmp_path_factory.mktemp(f"{root}-{buildername}"))
            cache[key] = build_project(srcdir, buildername, dict(confoverrides))
        return cache[key]

    return _built


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """A fresh copy of a root project (or an empty one) to edit and build."""

    def _project(root: str | None = None, **files: str) -> Path:
        srcdir = tmp_path / "src"
        if root:
            copy_root(root, srcdir)
        srcdir.mkdir(exist_ok=True)
        for name, content in files.items():
            path = srcdir / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        return srcdir

    return _project


def squash(text: str) -> str:
    return " ".join(text.split())


def inventory_text(data: bytes) -> str:
    """``objects.inv`` as text: its header, then its zlib-compressed lines
    (``name domain:role priority uri title``)."""
    head, _, body = data.partition(b"zlib.\n")
    return head.decode() + zlib.decompress(body).decode()

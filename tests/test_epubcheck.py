"""EPUB output is valid EPUB 3: EPUBCheck reports no error and no warning
for the docs and for the test projects, the one of bad input included.

Needs EPUBCheck and Java (Debian: epubcheck, which brings a JRE); skipped
with the reason when they are missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, build_project, copy_root

EPUB_CONF = {"epub_copyright": "2026", "version": "1.0"}
# The seed root is a page of the docs: checked with them.
PROJECTS = ["docs", "markup", "index", "print", "bad"]
#: The JVM's quick start: EPUBCheck runs for seconds, not long enough for
#: the optimising compiler to pay off.
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


def epubcheck_command() -> list[str] | None:
    """How to run EPUBCheck here: Debian installs the jar itself as
    ``/usr/bin/epubcheck``, which runs only where the kernel knows jars."""
    found = shutil.which("epubcheck")
    if found is None:
        return None
    target = os.path.realpath(found)
    if target.endswith(".jar"):
        java = shutil.which("java")
        return [java, *JAVA_OPTIONS, "-jar", target] if java else None
    return [found]


COMMAND = epubcheck_command()
MISSING = "needs EPUBCheck and Java (Debian: epubcheck)"
#: ``make check-print`` (CI) requires the tools: there a missing one fails.
REQUIRED = os.environ.get("QUOTEFIG_PRINT_TOOLS") == "required"
pytestmark = pytest.mark.skipif(COMMAND is None and not REQUIRED, reason=MISSING)


def build_epub(project: str, destination: Path) -> Path:
    if project == "docs":
        srcdir = destination / "docs"
        shutil.copytree(REPO / "docs", srcdir, ignore=shutil.ignore_patterns("_build"))
        result = build_project(srcdir, "epub")
    else:
        result = build_project(copy_root(project, destination / project), "epub", dict(EPUB_CONF))
    return next(result.outdir.glob("*.epub"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess]:
    """EPUBCheck's report on each project's EPUB; the checks run side by
    side (each is mostly the start of a JVM)."""
    if COMMAND is None:
        pytest.fail(MISSING)
    destination = tmp_path_factory.mktemp("epub")
    running = {
        project: subprocess.Popen(
            [*COMMAND, str(build_epub(project, destination))], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for project in PROJECTS
    }
    return {
        project: subprocess.CompletedProcess(process.args, process.wait(), process.stdout.read(), "")
        for project, process in running.items()
    }


@pytest.mark.parametrize("project", PROJECTS)
def test_epub_passes_epubcheck_without_errors_or_warnings(reports, project):
    report = reports[project]
    assert report.returncode == 0, report.stdout
    assert "No errors or warnings detected." in report.stdout, report.stdout

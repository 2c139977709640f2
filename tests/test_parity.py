"""MyST and reStructuredText give the same doctree for every documented
snippet (docs/snippets/NAME.md and NAME.rst), so the syntax reference shows
one feature, not two dialects."""

from __future__ import annotations

import re
import runpy
import shutil

import pytest

from conftest import REPO, build_project

SNIPPETS = REPO / "docs" / "snippets"
PAIRS = sorted(p.stem for p in SNIPPETS.glob("*.md") if p.with_suffix(".rst").exists())

CONF = """
extensions = ["myst_parser", "sphinx_quotefig"]
myst_enable_extensions = ["colon_fence", "deflist"]
numfig = True
suppress_warnings = ["ref.duplicate", "quotefig.source_conflict"]
quotefig_sources = %r
""" % runpy.run_path(str(REPO / "docs" / "conf.py"))["quotefig_sources"]  # the docs' own sources


@pytest.fixture(scope="module")
def snippets_env(tmp_path_factory):
    src = tmp_path_factory.mktemp("snippets")
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    index = ["Snippets\n========\n\n.. toctree::\n\n"]
    for name in PAIRS:
        for suffix in ("md", "rst"):
            (src / suffix).mkdir(exist_ok=True)
            shutil.copyfile(SNIPPETS / f"{name}.{suffix}", src / suffix / f"{name}.{suffix}")
            index.append(f"   {suffix}/{name}\n")
    # Snippets have no headings; give each page a title so toctrees are happy.
    (src / "index.rst").write_text("".join(index), encoding="utf-8")
    result = build_project(src, "html", confoverrides={"suppress_warnings": ["toc", "ref.duplicate", "quotefig"]})
    return result.app.env


def normalised(env, docname: str) -> str:
    tree = env.get_doctree(docname).deepcopy()
    text = tree.pformat()
    text = re.sub(r' refdoc="[^"]*"', "", text)
    text = re.sub(r' source="[^"]*"', "", text)
    text = re.sub(r' translatable="[^"]*"', "", text)
    return text


def test_there_are_snippets():
    assert len(PAIRS) >= 10


@pytest.mark.parametrize("name", PAIRS)
def test_myst_and_rst_snippets_give_the_same_doctree(snippets_env, name):
    assert normalised(snippets_env, f"md/{name}") == normalised(snippets_env, f"rst/{name}")

"""What the extension declares to Sphinx."""

from __future__ import annotations

import sphinx_quotefig


def test_metadata_declares_parallel_safety_and_env_version(built):
    app = built("seed").app
    extension = app.extensions["sphinx_quotefig"]
    assert extension.version == sphinx_quotefig.__version__
    assert extension.metadata["env_version"] == sphinx_quotefig.ENV_VERSION
    assert extension.parallel_read_safe is True
    assert extension.parallel_write_safe is True
    # Proven, not just declared: tests/test_index_exactness.py compares
    # real two-process builds with serial ones.


def test_stylesheet_only_for_html_builders(built):
    assert (built("seed").outdir / "_static" / "quotefig.css").exists()
    assert not list(built("markup", "text").outdir.rglob("quotefig.css"))


def test_a_changed_stylesheet_replaces_the_old_copy(project):
    from conftest import build_project

    src = project("seed")
    first = build_project(src, freshenv=False)
    copy = first.outdir / "_static" / "quotefig.css"
    copy.write_text("/* an older version */", encoding="utf-8")
    again = build_project(src, freshenv=False)
    assert again.warning_lines() == []
    assert copy.read_text(encoding="utf-8") == (sphinx_quotefig.STATIC_DIR / "quotefig.css").read_text(encoding="utf-8")

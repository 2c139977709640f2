"""What the extension declares to Sphinx."""

from __future__ import annotations

import sphinx_quotefig


def test_metadata_declares_parallel_safety_and_env_version(built):
    app = built("seed").app
    metadata = app.extensions["sphinx_quotefig"].metadata
    assert metadata["version"] == sphinx_quotefig.__version__
    assert metadata["env_version"] == sphinx_quotefig.ENV_VERSION
    assert metadata["parallel_read_safe"] is True
    assert metadata["parallel_write_safe"] is True


def test_stylesheet_only_for_html_builders(built):
    assert (built("seed").outdir / "_static" / "quotefig.css").exists()
    assert not list(built("markup", "text").outdir.rglob("quotefig.css"))

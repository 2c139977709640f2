"""Differences between the supported Sphinx versions (8 and 9)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.builders import Builder


def current_builder(transform: Any) -> Builder:
    """The running builder, from inside a (post-)transform.

    Sphinx 9 deprecates ``transform.app``; Sphinx's own post-transforms
    reach the builder through the environment.
    """
    return env_builder(transform.env)


def env_builder(env: Any) -> Builder:
    """The running builder, from the environment."""
    app = getattr(env, "_app", None) or env.app
    return app.builder


def note_dependency(env: Any, filename: str, docname: str) -> None:
    """Make *filename* (absolute) a dependency of *docname*, from outside
    its reading; Sphinx 8.0 and 8.1 take no ``docname`` argument."""
    try:
        env.note_dependency(filename, docname=docname)
    except TypeError:
        env.dependencies.setdefault(docname, set()).add(filename)

"""The citation index: the ``quote-index`` page and directive."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.util.nodes import make_id  # noqa: F401

if TYPE_CHECKING:
    from sphinx.application import Sphinx

INDEX_DOCNAME = "quote-index"


def index_enabled(config: Any) -> bool:
    return bool(config.quotefig_index)


def source_anchor(key: str) -> str:
    return "source-" + key


def setup_index(app: Sphinx) -> None:
    pass

"""Warnings about a document's quotes: one place for their type and subtypes.

Every problem is logged as a Sphinx warning of type ``quotefig`` with one of
the subtypes below, so ``suppress_warnings = ["quotefig.unknown_source"]``
silences exactly one kind.
"""

from __future__ import annotations

from typing import Any

from sphinx.locale import get_translation
from sphinx.util import logging

MESSAGE_CATALOG = "sphinx_quotefig"

#: Translate a string a reader or writer sees (output text and warnings).
_ = get_translation(MESSAGE_CATALOG)
#: Mark a string for translation and translate it when it is used.
__ = get_translation(MESSAGE_CATALOG, "console")

logger = logging.getLogger("sphinx_quotefig")

SUBTYPES = {
    "unknown_source": "a quote or role names a source that is not declared",
    "empty_quote": "a quote directive without a body",
    "locator_conflict": ":page: and :locator: given together",
    "malformed_page": "a :page: value that is not a page, range or list",
    "source_conflict": "one source key declared twice with different data",
    "unsafe_url": "a URL whose scheme is not http(s), mailto or relative",
    "invalid_lang": "a :lang: value that is not a BCP 47 language tag",
    "invalid_config": "a malformed entry in a quotefig_* configuration value",
    "invalid_role": "a q or quote-source role whose text cannot be read",
    "unknown_option": "an option the directive does not know (ignored)",
    "invalid_option": "an option value that cannot be used (ignored)",
    "no_index": "a reference to the citation index when it is turned off",
}


def warn(message: str, subtype: str, location: Any) -> None:
    """Log a typed quotefig warning at *location* (a node, docname, or
    ``(docname, line)`` pair)."""
    assert subtype in SUBTYPES, subtype
    logger.warning(message, type="quotefig", subtype=subtype, location=location)

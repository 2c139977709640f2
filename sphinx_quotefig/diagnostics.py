"""Warnings about a document's quotes: one place for their type and subtypes.

Every problem is logged as a Sphinx warning of type ``quotefig`` with one of
the subtypes below, so ``suppress_warnings = ["quotefig.unknown_source"]``
silences exactly one kind.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sphinx.locale import get_translation, get_translator, is_translator_registered
from sphinx.util import logging

MESSAGE_CATALOG = "sphinx_quotefig"

#: Translate a string a reader or writer sees (output text and warnings).
_ = get_translation(MESSAGE_CATALOG)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of *singular*/*plural* for *count*, translated (the
    language's plural rule, from its catalog)."""
    if not is_translator_registered(MESSAGE_CATALOG):
        return singular if count == 1 else plural
    return get_translator(MESSAGE_CATALOG).ngettext(singular, plural, count)


#: Mark a string for translation and translate it when it is used.
__ = get_translation(MESSAGE_CATALOG, "console")

logger = logging.getLogger("sphinx_quotefig")

class Subtype(StrEnum):
    """Every kind of problem the extension reports, as the warning's subtype
    (``suppress_warnings = ["quotefig.<value>"]``). Documented, one by one,
    in ``docs/reference/warnings.md``."""

    #: A quote or role names a source that is not declared.
    UNKNOWN_SOURCE = "unknown_source"
    #: A quote directive without a body.
    EMPTY_QUOTE = "empty_quote"
    #: ``:page:`` and ``:locator:`` given together.
    LOCATOR_CONFLICT = "locator_conflict"
    #: A ``:page:`` value that is not a page, range or list.
    MALFORMED_PAGE = "malformed_page"
    #: One source key declared twice with different data.
    SOURCE_CONFLICT = "source_conflict"
    #: A URL whose scheme is not http(s), mailto or relative.
    UNSAFE_URL = "unsafe_url"
    #: A ``:lang:`` value that is not a BCP 47 language tag.
    INVALID_LANG = "invalid_lang"
    #: A malformed entry in a ``quotefig_*`` configuration value.
    INVALID_CONFIG = "invalid_config"
    #: A ``q`` or ``quote-source`` role whose text cannot be read.
    INVALID_ROLE = "invalid_role"
    #: An option the directive does not know (ignored).
    UNKNOWN_OPTION = "unknown_option"
    #: An option value that cannot be used (ignored).
    INVALID_OPTION = "invalid_option"
    #: A ``q`` role citing the current source (``<, 5>``) where no
    #: ``quote-source`` comes before it.
    NO_CURRENT_SOURCE = "no_current_source"
    #: A link to the citation index when the builder writes none.
    NO_INDEX = "no_index"
    #: The rendered citation index could not be kept for the next build
    #: (which then renders it anew); not a problem of any document.
    CACHE = "cache"
    #: A quotation that differs from its source's text (quotecheck).
    MISQUOTE = "misquote"
    #: A quotation found in its source on another page than cited (quotecheck).
    WRONG_PAGE = "wrong_page"
    #: A quotation not found in its source's text (quotecheck).
    NOT_FOUND = "not_found"
    #: A source's file that gives no text to check against (quotecheck).
    NO_TEXT = "no_text"
    #: A bibliography file (``quotefig_bibliography``, ``bibtex_bibfiles``)
    #: or one of its entries that cannot be read as it is.
    BIBLIOGRAPHY = "bibliography"


#: Every subtype's value.
SUBTYPES = frozenset(subtype.value for subtype in Subtype)


def warn(message: str, subtype: Subtype | str, location: Any) -> None:
    """Log a typed quotefig warning at *location* (a node, docname, or
    ``(docname, line)`` pair)."""
    logger.warning(message, type="quotefig", subtype=Subtype(subtype).value, location=location)

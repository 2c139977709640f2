"""Configuration values and their validation.

Every ``quotefig_*`` value is declared here with the rebuild scope it needs:
``"env"`` when it changes what is recorded while reading, ``"html"`` when it
changes only HTML output, ``""`` when it changes output in every builder but
no doctree.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import _, __, warn
from .sources import SOURCE_FIELDS, SourceDeclaration, normalise_fields
from .urls import unsafe_scheme

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

MARKUP_STYLES = ("footer", "figcaption")
#: ``quotefig_reference_style`` values (reference_style.py); the first is the default.
REFERENCE_STYLES = ("author-date", "short")
#: ``quotefig_index_sort`` values (listing.py); the first is the default.
INDEX_SORTS = ("author", "title")


def register(app: Sphinx) -> None:
    # No document is read again when a source changes: sources are resolved
    # on every build, and the pages showing a changed one are written again
    # (pages.py), as for an edited bibliography file.
    app.add_config_value("quotefig_sources", {}, "", types=frozenset({dict}))
    # Bibliography files (bibliography.py), relative to the source directory.
    app.add_config_value("quotefig_bibliography", [], "env", types=frozenset({list, tuple}))
    app.add_config_value("quotefig_markup", "footer", "html", types=frozenset({str}))
    # Labels and excerpts are written into every page: re-read on change so
    # no page keeps the old text.
    app.add_config_value("quotefig_page_label", default_page_label, "env", types=frozenset({str}))
    app.add_config_value("quotefig_pages_label", None, "env", types=frozenset({str, type(None)}))
    app.add_config_value("quotefig_index", True, "env", types=frozenset({bool}))
    app.add_config_value("quotefig_json", True, "html", types=frozenset({bool}))
    app.add_config_value("quotefig_excerpt_words", 12, "env", types=frozenset({int}))
    # Shown on every page with a source's line and in every index listing.
    app.add_config_value("quotefig_reference_style", REFERENCE_STYLES[0], "env", types=frozenset({str}))
    app.add_config_value("quotefig_index_sort", INDEX_SORTS[0], "env", types=frozenset({str}))
    # Checks (and warns) while HTML pages are written; changes no doctree.
    app.add_config_value("quotefig_check_in_html", False, "html", types=frozenset({bool}))
    # After Sphinx's own init_numfig_format (priority 800).
    app.connect("config-inited", set_numfig_default, priority=900)
    app.connect("config-inited", resolve_page_label, priority=900)
    app.connect("config-inited", check_config, priority=900)


def default_page_label(config: Config) -> str:
    """The page label of the project's ``language`` (``pg`` in English,
    ``S.`` in German, ``p.`` in French; see the message catalogs), unless
    ``quotefig_page_label`` is set. A label may hold ``%s`` for the page
    (``第%s页``)."""
    # TRANSLATORS: the label before a page number ("pg 5"); "%s" in the
    # translation stands for the page where it does not come after the label.
    return str(_("pg"))


def resolve_page_label(app: Sphinx, config: Config) -> None:
    """Look the language's label up once: Sphinx calls a callable default on
    every read of the value (once per quotation listed), a stored value it
    just returns. A value set in ``conf.py`` or with ``-D`` stays as it is."""
    config.quotefig_page_label = config.quotefig_page_label


def set_numfig_default(app: Sphinx, config: Config) -> None:
    """``{numref}`` to a quote reads "Quote 3" unless the user said otherwise."""
    config.numfig_format.setdefault("quote", _("Quote %s"))


def check_config(app: Sphinx, config: Config) -> None:
    sources_at = conf_location(app, "quotefig_sources")
    for problem, subtype in config_declarations(config.quotefig_sources)[1]:
        warn(problem, subtype, sources_at)
    bibliography = config.quotefig_bibliography
    if not isinstance(bibliography, (list, tuple)) or not all(isinstance(path, str) and path.strip() for path in bibliography):
        warn(
            __("quotefig_bibliography must be a list of file paths, relative to the source directory"),
            "invalid_config",
            conf_location(app, "quotefig_bibliography"),
        )
        config.quotefig_bibliography = [path for path in bibliography if isinstance(path, str) and path.strip()] if isinstance(bibliography, (list, tuple)) else []
    if config.quotefig_markup not in MARKUP_STYLES:
        warn(
            __("quotefig_markup must be one of %s, not %r; using 'footer'")
            % (", ".join(MARKUP_STYLES), config.quotefig_markup),
            "invalid_config",
            conf_location(app, "quotefig_markup"),
        )
        config.quotefig_markup = "footer"
    for name, allowed in (("quotefig_reference_style", REFERENCE_STYLES), ("quotefig_index_sort", INDEX_SORTS)):
        if getattr(config, name) not in allowed:
            warn(
                __("%s must be one of %s, not %r; using %r")
                % (name, ", ".join(repr(value) for value in allowed), getattr(config, name), allowed[0]),
                "invalid_config",
                conf_location(app, name),
            )
            setattr(config, name, allowed[0])
    if config.quotefig_excerpt_words < 1:
        warn(__("quotefig_excerpt_words must be at least 1"), "invalid_config", conf_location(app, "quotefig_excerpt_words"))
        config.quotefig_excerpt_words = 12


def conf_location(app: Sphinx, name: str) -> str:
    """``path/conf.py:LINE`` of the line that assigns *name*, the location of
    a problem with that value (no document exists yet while the configuration
    is checked). Without such a line (a ``-D`` override), the path alone."""
    if app.confdir is None:
        return "conf.py:"
    conf_py = Path(app.confdir, "conf.py")
    try:
        lines = conf_py.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    assignment = re.compile(rf"^{re.escape(name)}\s*(:[^=]*)?\+?=")
    for number, line in enumerate(lines, start=1):
        if assignment.match(line):
            return f"{conf_py}:{number}"
    # A location with a colon is printed as it is (Sphinx reads one without
    # as a document name).
    return f"{conf_py}:"


def bibliography_files(app: Sphinx) -> list[tuple[str, Path]]:
    """The bibliography files to read: ``quotefig_bibliography`` (relative
    to the source directory), then, when sphinxcontrib-bibtex is loaded, its
    ``bibtex_bibfiles`` (relative to the configuration directory); each as
    written and as an absolute path, a file named twice read once."""
    names = [(name, app.srcdir) for name in app.config.quotefig_bibliography]
    if "sphinxcontrib.bibtex" in app.extensions:
        # Relative to the configuration directory, as sphinxcontrib-bibtex reads them.
        bibfiles = getattr(app.config, "bibtex_bibfiles", None) or ()
        names += [(name, app.confdir) for name in bibfiles if isinstance(name, str)]
    files: list[tuple[str, Path]] = []
    seen: set[Path] = set()
    for name, base in names:
        path = Path(os.path.normpath(Path(base, name)))
        if path not in seen:
            seen.add(path)
            files.append((name, path))
    return files


def config_declarations(value: Any) -> tuple[list[SourceDeclaration], list[tuple[str, str]]]:
    """``quotefig_sources`` as source declarations, and its problems as
    ``(message, warning subtype)`` pairs."""
    declarations: list[SourceDeclaration] = []
    problems: list[tuple[str, str]] = []
    # folded key -> the key as written, and its declaration
    seen: dict[str, tuple[str, SourceDeclaration]] = {}
    if not isinstance(value, dict):
        return [], [(__("quotefig_sources must be a dict of {key: {title: ..., ...}}"), "invalid_config")]
    for key, entry in value.items():
        if not isinstance(key, str) or not key.strip():
            problems.append((__("quotefig_sources: source keys must be non-empty strings, not %r") % (key,), "invalid_config"))
            continue
        if not isinstance(entry, dict):
            problems.append((__("quotefig_sources[%r] must be a dict") % key, "invalid_config"))
            continue
        unknown = sorted(str(k) for k in entry if k not in SOURCE_FIELDS)
        if unknown:
            problems.append((
                __("quotefig_sources[%r]: unknown field(s) %s (known: %s)")
                % (key, ", ".join(unknown), ", ".join(SOURCE_FIELDS)),
                "invalid_config",
            ))
        # Whitespace in a key is folded, as everywhere a key is written.
        folded = " ".join(key.split())
        fields = {k: v for k, v in entry.items() if k in SOURCE_FIELDS and v is not None}
        for name in list(fields):
            if not isinstance(fields[name], (str, int)):
                problems.append((__("quotefig_sources[%r][%r] must be a string") % (key, name), "invalid_config"))
                del fields[name]
        url = str(fields.get("url", "")).strip()
        if url and (scheme := unsafe_scheme(url)):
            problems.append((
                __("quotefig_sources[%r]: URL scheme %r is not allowed (http, https, mailto or relative); URL dropped")
                % (key, scheme),
                "unsafe_url",
            ))
            del fields["url"]
        normalised = normalise_fields(fields)
        if not normalised:
            normalised = (("title", folded),)
        declaration = SourceDeclaration(key=folded, fields=normalised, docname=None)
        if folded in seen:
            # Two keys of one dict that differ only in whitespace: both are
            # in conf.py, so name them as written rather than "conf.py twice".
            first_key, first = seen[folded]
            if first.fields != declaration.fields:
                problems.append((
                    __("quotefig_sources: keys %r and %r are the same source %r with different data; using the first")
                    % (first_key, key, folded),
                    "source_conflict",
                ))
            continue
        seen[folded] = (key, declaration)
        declarations.append(declaration)
    return declarations, problems

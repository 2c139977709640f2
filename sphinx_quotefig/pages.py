"""Pages to write again, though not read again, because what they show from
other pages changed.

- A page with a ``quote-index`` directive shows a listing gathered from the
  whole project (sphinx#9706 is the bug of not rewriting such pages).
- A page shows the title, author, year, URL and home of every source it
  quotes, declares or links (``{quote-source}``), and where a bibliography
  of sphinxcontrib-bibtex lists it (its entry's page, id and label, which
  change when that page does), and the text of its
  ``{ref}`` links to quotes may name sources (labels.py); all of it may be
  declared on another page.

For each such page a digest of what it shows is kept per builder, in
``<doctreedir>/quotefig/pages-<builder>.pickle``, and a page is written
again exactly when its digest changed. The digests are kept only once a
build has written its pages: a build that stops half-way (killed, or
failing) leaves the digests of the build before, so the next build writes
those pages again.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from .diagnostics import Subtype, __
from .fragments import atomic_file, digest
from .labels import linked_sources
from .listing import listing_for
from .sources import source_fingerprint

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from .domain import QuoteDomain

logger = logging.getLogger(__name__)

_PENDING = "_quotefig_page_digests"


def _store(builder: Builder) -> Path:
    return Path(builder.doctreedir) / "quotefig" / f"pages-{builder.name}.pickle"


def _load(path: Path, fresh: bool) -> dict[str, str]:
    if fresh:
        return {}
    try:
        with path.open("rb") as stream:
            digests = pickle.load(stream)
    except Exception:  # missing or unreadable: every such page is written
        return {}
    return digests if isinstance(digests, dict) else {}


def page_digests(domain: QuoteDomain, builder: Builder) -> dict[str, str]:
    """docname -> a digest of what it shows from other pages."""
    sources = domain.sources
    uses = {docname: set(keys) for docname, keys in domain.data["source_uses"].items()}
    for docname, keys in linked_sources(domain).items():
        uses.setdefault(docname, set()).update(keys)
    entries = domain.bibliography_entries
    # Each source's digest made once, not once for every page showing it.
    shown = {key: digest(source_fingerprint(sources.get(key)), entries.get(key)) for key in set().union(*uses.values())}
    digests = {docname: digest("sources", [shown[key] for key in sorted(keys)]) for docname, keys in uses.items()}
    if domain.data["index_pages"]:
        listing = listing_for(domain, builder)
        for docname, listings in domain.data["index_pages"].items():
            parts = [listing.digest(listing.entries if only is None else listing.only(only)) for only in listings]
            digests[docname] = digest(digests.get(docname), "index", parts)
    return digests


#: The key of the citation index page's own digest (no docname is empty).
_INDEX = ""


_READ = "_quotefig_documents_read"


def note_documents_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: whether this build reads any document."""
    setattr(app.builder, _READ, bool(docnames))


def outdated_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the pages whose digest changed. When only the
    citation index changed (a source no page shows) and no document was
    read, the root document: Sphinx 8.0 writes no index page in a build
    that writes no page."""
    builder = app.builder
    domain = env.domains["quote"]
    current = page_digests(domain, builder)
    if builder.format == "html" and env.config.quotefig_index:
        listing = listing_for(domain, builder)
        current[_INDEX] = listing.digest(listing.entries)
    before = _load(_store(builder), bool(app.fresh_env_used))
    setattr(builder, _PENDING, current)
    changed = sorted(docname for docname, value in current.items() if before.get(docname) != value)
    if changed == [_INDEX] and not getattr(builder, _READ, False):
        return [env.config.root_doc] if env.config.root_doc in env.found_docs else []
    return [docname for docname in changed if docname != _INDEX]


def keep_page_digests(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the pages are written; keep their digests."""
    current: dict[str, Any] | None = getattr(app.builder, _PENDING, None)
    if current is None or exception is not None:
        return
    delattr(app.builder, _PENDING)
    path = _store(app.builder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path) as stream:
            pickle.dump(current, stream, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as exc:  # the next build writes those pages again
        logger.warning(
            __("could not keep what the pages show in %s: %s"), path, exc.strerror or exc, type="quotefig", subtype=Subtype.CACHE.value
        )

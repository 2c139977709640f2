"""``sphinx-build -b quotecheck``: every quotation checked against its
source's file, with reports like linkcheck's; and the same check, as
warnings only, in HTML builds (``quotefig_check_in_html``).

The builder reads each document's quotations from its stored doctree
(sources assigned at read time); the HTML check reads them from the doctree
being resolved, before :class:`~sphinx_quotefig.citations.ResolveQuotes`.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sphinx.builders import Builder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.display import status_iterator

from ._compat import current_builder, note_dependency
from .config import conf_location
from .diagnostics import __, logger
from .quote_check import STATUSES, Checker, Quotation, Result, quotations_in, source_path, warn_no_text, warn_result

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

def _app(env: BuildEnvironment) -> Sphinx:
    """The application (Sphinx 9 deprecates ``env.app`` and ``builder.app``)."""
    return getattr(env, "_app", None) or env.app


class QuoteCheckBuilder(Builder):
    """Checks every quotation whose source has a file; writes nothing else."""

    name = "quotecheck"
    epilog = __("Look for any errors in the above output or in %(outdir)s/output.txt")

    def init(self) -> None:
        self.quotations: list[Quotation] = []

    def get_outdated_docs(self) -> Any:
        return self.env.found_docs

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""

    def write(self, build_docnames: Any, updated_docnames: Any, method: str = "update") -> None:
        """Collect every document's quotations from its stored doctree.

        Quotations need no resolving (their sources were assigned while
        reading; a source's title marked in quoted text is put in from the
        sources), so the post-transforms that would turn them into output
        nodes are not run: that halves the time of a warm run.
        """
        self.events.emit("write-started", self)
        sources = self.env.domains["quote"].sources
        docnames = sorted(self.env.found_docs)
        for docname in status_iterator(
            docnames, __("collecting quotations... "), "darkgreen", len(docnames), _app(self.env).verbosity
        ):
            self.quotations.extend(quotations_in(self.env.get_doctree(docname), docname, sources))

    def prepare_writing(self, docnames: set[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass  # write() collects from the stored doctrees

    def finish(self) -> None:
        sources = self.env.domains["quote"].sources
        checker = Checker(Path(self.srcdir), Path(self.doctreedir), sources)
        quotations = sorted(self.quotations, key=lambda q: (q.docname, q.lineno or 0))
        files = checker.files(quotations)
        for path in status_iterator(
            files, __("reading quoted sources... "), "darkgreen", len(files), _app(self.env).verbosity,
            stringify_func=lambda path: _relative(path, Path(self.srcdir)),
        ):
            checker.index(path)
        warned: set[str] = set()
        results = []
        for quotation in quotations:
            result = checker.check(quotation)
            results.append(result)
            warn_result(result)
            source = sources.get(quotation.source or "")
            if result.status == "no text" and source is not None and source.key not in warned:
                warned.add(source.key)
                warn_no_text(source, result.message, conf_location(_app(self.env), "quotefig_sources"))
        checker.save()
        write_reports(Path(self.outdir), results, self.env)
        counts = Counter(result.status for result in results)
        logger.info(__("quotecheck: %s"), summary(counts))


def _relative(path: Path, srcdir: Path) -> str:
    try:
        return path.relative_to(srcdir).as_posix()
    except ValueError:
        return str(path)


def summary(counts: Counter[str]) -> str:
    return ", ".join(f"{counts.get(status, 0)} {status}" for status in STATUSES)


def write_reports(outdir: Path, results: list[Result], env: BuildEnvironment) -> None:
    """``output.txt`` (one line per quotation) and ``output.json`` (one JSON
    object per line), like linkcheck's."""
    outdir.mkdir(parents=True, exist_ok=True)
    with (
        open(outdir / "output.txt", "w", encoding="utf-8") as text,
        open(outdir / "output.json", "w", encoding="utf-8") as lines,
    ):
        for result in results:
            quotation = result.quotation
            filename = env.doc2path(quotation.docname, False)
            where = quotation.locator.text if quotation.locator else ""
            detail = result.message or (f"found on page {result.found_at}" if result.found_at else "")
            text.write(f"{filename}:{quotation.lineno or 0}: [{result.status}] {quotation.source or ''}"
                       f"{', ' + where if where else ''}: {detail}\n")
            record = {
                "filename": str(filename),
                "docname": quotation.docname,
                "lineno": quotation.lineno,
                "kind": quotation.kind,
                "source": quotation.source,
                "locator": where,
                "status": result.status,
                "found_at": result.found_at,
                "similarity": result.similarity,
                "difference": result.difference,
                "text": quotation.text,
            }
            lines.write(json.dumps(record, ensure_ascii=False) + "\n")


# -- collecting quotations, and the HTML build's check -----------------------

_html_checkers: WeakKeyDictionary[Any, Checker] = WeakKeyDictionary()
_html_warned: WeakKeyDictionary[Any, set[str]] = WeakKeyDictionary()


class CheckQuotationsInHTML(SphinxPostTransform):
    """With ``quotefig_check_in_html``, checks a document's quotations while
    an HTML builder resolves it, as warnings only."""

    # Before ResolveQuotes (20) changes anything about them.
    default_priority = 15

    def run(self, **kwargs: Any) -> None:
        builder = current_builder(self)
        if builder.format != "html" or not self.config.quotefig_check_in_html:
            return
        sources = self.env.domains["quote"].sources
        quotations = quotations_in(self.document, self.env.docname, sources)
        checker = _html_checkers.get(builder)
        if checker is None or checker.sources is not sources:
            checker = _html_checkers[builder] = Checker(Path(self.env.srcdir), Path(self.env.doctreedir), sources)
        warned = _html_warned.setdefault(builder, set())
        for quotation in quotations:
            result = checker.check(quotation)
            warn_result(result)
            source = sources.get(quotation.source or "")
            if result.status == "no text" and source is not None and source.key not in warned:
                warned.add(source.key)
                warn_no_text(source, result.message, conf_location(_app(self.env), "quotefig_sources"))


# -- source files as dependencies --------------------------------------------


def note_source_files(app: Sphinx, env: BuildEnvironment) -> None:
    """Each page depends on the files of the sources it quotes: a changed
    file makes it outdated (and checked again)."""
    domain = env.domains["quote"]
    sources = domain.sources
    for docname, parts in domain.parts.items():
        for key in parts:
            source = sources.get(key) if key else None
            path = source_path(source, Path(app.srcdir)) if source is not None else None
            # A missing file would make the page outdated on every build.
            if path is not None and path.is_file():
                note_dependency(env, str(path), docname)


def setup(app: Sphinx) -> dict[str, Any]:
    """Loaded only where checking is asked for: by ``-b quotecheck`` (the
    ``sphinx.builders`` entry point) or by ``quotefig_check_in_html``; other
    builds never import the checker."""
    app.setup_extension("sphinx_quotefig")
    app.add_builder(QuoteCheckBuilder)
    app.add_post_transform(CheckQuotationsInHTML)
    app.connect("env-updated", note_source_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

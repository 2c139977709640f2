"""Fuzzing: hostile MyST and reStructuredText projects, built for real.

Hypothesis writes whole projects (``strategies.projects``): two to eight
documents (ten to sixteen in the long run), MyST and rST mixed, with
``quote``, ``quote-source`` and ``quote-index`` directives, ``q`` and
``quote-source`` roles (``q`` in document titles and section headings too),
``ref``/``numref`` to labelled quotes, nested quotes,
quotes in lists, list-tables, notes and footnotes, and a ``conf.py`` that is
sometimes hostile too (``quotefig_sources`` with bad keys and entries, bad
``quotefig_*`` values, numfig, right-to-left languages). Option values are
hostile: unknown keys, empty bodies, huge and malformed locators, unicode,
RTL text and bidi controls, combining marks, emoji, control characters,
markup and script, ``javascript:`` URLs.

What is asserted, and why it is fair:

1. **The build finishes**: no exception escapes ``app.build()``, and the
   warning stream holds no traceback ("Traceback", "Exception occurred",
   "Extension error").
2. **Every warning is typed and located**. The generator writes valid markup
   (see ``strategies``: one-line option values, MyST values quoted when its
   option parser would misread them, escaped prose, fences nested by
   length), so docutils, MyST and Sphinx have nothing to say about the
   markup itself; every warning is about what the extension was given. So
   each warning must end in ``[quotefig.<subtype>]`` with a subtype from
   ``diagnostics.SUBTYPES`` and carry ``path:line:`` of a source file of the
   project, with a line inside it. The one exception to the location is
   ``quotefig.invalid_config``: ``conf.py`` has no line to point at, and the
   message starts with ``conf.py:`` instead (docs/reference/warnings.md).
   The untyped warnings allowed are those warnings.md documents as "Not
   quotefig warnings" that the generator can cause: two quotes with the same
   ``:name:`` (docutils' *Duplicate explicit target name*, Sphinx's
   *duplicate label*). A docutils error such as *invalid option value* is
   not allowed: the value was the author's, the directive is the
   extension's, and SPEC.md says every problem is a ``quotefig`` warning
   and the build goes on with the quotation.
   On top of that, the warnings the documentation promises for values whose
   answer it states (``9-5`` is malformed, ``javascript:`` is unsafe, an
   empty body is empty, ``:colour:`` is unknown...) must all be there, per
   document and subtype, and no more than the values without a stated
   answer can explain (``strategies.expected_warnings``).
3. **quotes.json matches the HTML**: every ``figure.quote`` and every cited
   ``q`` on a page is in ``quotes.json`` (same document and anchor), and
   nothing else is; the anchor is an id exactly once on its page; the URL
   points at it; the quote's text in ``quotes.json`` is text the page shows
   inside that quote (compared as a subsequence, ignoring whitespace,
   brackets and invisible characters), and so is the default text of a
   ``ref`` to it; every quote with a body is rendered
   (``strategies.expected_figures``); every source's ``page`` points at an
   id that exists.
4. **Nothing is injected**: no ``img``/``xss-probe``/``iframe`` element, no
   script of ours (``alert``), no ``on*`` attribute, no ``javascript:``/``data:``/
   ``vbscript:`` URL in any attribute of the document pages and the citation
   index page; ids on the citation index page are unique, and it lists as
   many quotes as ``quotes.json``, with no placeholder of its listing left.
5. **Copies of a heading are words**: the tables of contents, toctrees and
   neighbour links that copy a heading holding a ``q`` show no ``<q>`` and
   no citation (the quotation, with its id, is the heading's alone).

Control characters: every C0 and C1 control goes into option values,
prose and role text except the line breaks (``\n \r \v \f \x1c-\x1e \x85
\u2028 \u2029``: ``str.splitlines``, which docutils and MyST's option parser
use, ends a line there, so inside a one-line option they would change the
markup, not the value) and NUL, which docutils uses internally as its escape
marker and MyST replaces: a NUL reaches a directive only through a MyST
double-quoted option value (``"nul\x00byte"``), which MyST defines; rST
documents never contain one. A document the parsers cannot read is their
business, not the extension's, so the generator does not write one.

Other builders (text, latex, singlehtml, dirhtml, man, texinfo, xml,
gettext, epub) get checks 1 and 2 (and 3 for dirhtml).

``make test`` runs the fast profile (20 derandomized projects of 2-8
documents, plus 10 projects of 1-4 with other builders), reporting a failure
unshrunk (a shrink step is a Sphinx build); the rendered project and the
warnings are in the assertion message. ``make test-long``
(``HYPOTHESIS_PROFILE=long pytest -m slow``) runs ``test_fuzz_long``:
1,000 projects of 10-16 documents (at least 10,000 documents); it goes on
past failing projects, keeps the smallest of each kind of problem in
``build/fuzz-long-failures/`` and writes what it built to
``build/fuzz-long.json``.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
import strategies as S
from bs4 import BeautifulSoup
from conftest import REPO, Built, build_project
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from sphinx_quotefig.diagnostics import SUBTYPES

# -- the warning stream --------------------------------------------------------

_ENTRY = re.compile(r"^(?:(?P<path>.+?)(?::(?P<line>\d+))?: )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE): (?P<message>.*)$")
_TYPE = re.compile(r"\[(?P<type>[\w-]+)(?:\.(?P<subtype>[\w-]+))?\]\s*$")
_CRASH = ("Traceback", "Exception occurred", "Extension error")

#: Untyped warnings documented as "Not quotefig warnings" (warnings.md) that
#: generated documents can cause.
ALLOWED_UNTYPED = (
    re.compile(r"Duplicate explicit target name"),
    re.compile(r"duplicate label "),
)


@dataclass
class Warning_:
    path: str | None
    line: int | None
    level: str
    message: str
    type: str | None
    subtype: str | None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path else ""
        message = self.message if len(self.message) < 600 else self.message[:600] + "…"
        return f"{where}{self.level}: " + message.replace("\n", " ⏎ ")


def parse_warnings(text: str) -> list[Warning_]:
    """Warnings as Sphinx prints them, continuation lines folded in."""
    entries: list[Warning_] = []
    for line in text.splitlines():
        match = _ENTRY.match(line)
        if match:
            entries.append(
                Warning_(match["path"], int(match["line"]) if match["line"] else None, match["level"], match["message"], None, None)
            )
        elif entries:
            entries[-1].message += "\n" + line
        elif line.strip():
            entries.append(Warning_(None, None, "?", line, None, None))
    for entry in entries:
        typed = _TYPE.search(entry.message)
        if typed:
            entry.type, entry.subtype = typed["type"], typed["subtype"]
    return entries


def _docname(path: str, project: S.Project, srcdir: Path) -> str | None:
    for document in project.documents:
        if Path(path) in (srcdir / document.filename, Path(document.filename)):
            return document.name
    return None


def warning_problems(built: Built, project: S.Project) -> tuple[list[str], list[Warning_]]:
    problems = []
    stream = built.warnings + built.status
    for marker in _CRASH:
        if marker in stream:
            problems.append(f"crash marker {marker!r} in the output")
    entries = parse_warnings(built.warnings)
    found: Counter[tuple[str, str]] = Counter()
    for entry in entries:
        if entry.type != "quotefig":
            if any(p.search(entry.message) for p in ALLOWED_UNTYPED):
                continue
            problems.append(f"untyped warning: {entry}")
            continue
        if entry.subtype not in SUBTYPES:
            problems.append(f"unknown subtype {entry.subtype!r}: {entry}")
            continue
        if entry.path is None:
            if not (entry.subtype == "invalid_config" and entry.message.startswith("conf.py: ")):
                problems.append(f"warning without a location: {entry}")
            continue
        if Path(entry.path) in (built.srcdir / "conf.py", Path("conf.py")):
            conf_lines = (built.srcdir / "conf.py").read_text(encoding="utf-8").count("\n")
            if entry.line is None or not 1 <= entry.line <= conf_lines:
                problems.append(f"conf.py warning without a line in conf.py: {entry}")
            continue
        docname = _docname(entry.path, project, built.srcdir)
        if docname is None:
            problems.append(f"warning located outside the project's documents: {entry}")
            continue
        if entry.line is None:
            problems.append(f"warning without a line: {entry}")
            continue
        lines = (built.srcdir / Path(entry.path).name).read_text(encoding="utf-8").count("\n") + 1
        if not 1 <= entry.line <= lines:
            problems.append(f"warning at line {entry.line} of a {lines}-line file: {entry}")
        found[(docname, entry.subtype)] += 1
    for document in project.documents:
        for subtype, (low, high) in S.expected_warnings(document).items():
            count = found[(document.name, subtype)]
            if not low <= count <= high:
                problems.append(f"{document.filename}: {count} quotefig.{subtype} warnings, expected {low}..{high}")
    return problems, entries


# -- the HTML and quotes.json ------------------------------------------------------


def _visible(text: str) -> str:
    """Text as compared: no whitespace, brackets or invisible characters."""
    return "".join(c for c in text if not c.isspace() and c not in "[]" and unicodedata.category(c)[0] in "LNPS")


def _is_subsequence(needle: str, haystack: str) -> bool:
    chars = iter(haystack)
    return all(c in chars for c in needle)


def _unsafe_url(value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", htmllib.unescape(value)).lower()
    return squeezed.startswith(("javascript:", "data:", "vbscript:"))


def _json_or_none(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def injection_problems(soup: BeautifulSoup, page: str) -> list[str]:
    problems = []
    for tag in soup.find_all(True):
        if tag.name in ("img", "xss-probe", "iframe", "object", "embed", "svg"):
            problems.append(f"{page}: injected <{tag.name}>: {str(tag)[:200]}")
        if tag.name == "script" and tag.attrs == {"type": "application/ld+json"}:
            # The page's schema.org data: never run; its texts may hold
            # anything, but no "<" that could end the element.
            if "<" in tag.get_text() or not isinstance(_json_or_none(tag.get_text()), dict):
                problems.append(f"{page}: JSON-LD not safe JSON: {str(tag)[:200]}")
        elif tag.name == "script" and "alert" in tag.get_text():
            problems.append(f"{page}: inline script: {str(tag)[:200]}")
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                problems.append(f"{page}: event handler attribute {name}={value!r} on <{tag.name}>")
            if name in ("href", "src", "cite", "action", "formaction") and isinstance(value, str) and _unsafe_url(value):
                problems.append(f"{page}: unsafe URL {name}={value!r} on <{tag.name}>")
    return problems


#: Where a theme or docutils copies headings (alabaster, Sphinx 8 and 9).
HEADING_COPIES = "div.sphinxsidebar, div.related, div.toctree-wrapper, nav.contents, div.contents"


def heading_copy_problems(soup: BeautifulSoup, page: str) -> list[str]:
    """A copy of a heading shows a quotation's words, never the quotation."""
    return [
        f"{page}: a copy of a heading holds {str(tag)[:200]}"
        for area in soup.select(HEADING_COPIES)
        for tag in area.select("q, .quote-citation")
    ]


def page_path(outdir: Path, builder: str, docname: str) -> Path:
    if builder == "dirhtml" and docname != "index":
        return outdir / docname / "index.html"
    return outdir / f"{docname}.html"


def _read_html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def ref_text_problems(project: S.Project, soups: dict[str, BeautifulSoup]) -> list[str]:
    """The default text of a ``ref`` to a quote is its opening words, as
    the quote shows them."""
    problems = []
    shown: dict[tuple[str, str], str] = {}
    for docname, soup in soups.items():
        for figure in soup.select("figure.quote[id]"):
            body = figure.find("blockquote")
            shown[(docname, figure["id"])] = _visible(body.get_text() if body else "")
    for docname, soup in soups.items():
        for link in soup.select("a.reference.internal[href]"):
            span = link.find("span", class_="std-ref")
            if span is None:
                continue
            target, _, anchor = unquote(link["href"]).partition("#")
            key = (target.removesuffix(".html") or docname, anchor)
            if key in shown and not _is_subsequence(_visible(span.get_text().removesuffix("\u2026")), shown[key]):
                problems.append(f"{docname}: ref text {span.get_text()!r} is not the opening of quote {key[0]}#{key[1]}")
    return problems


def html_problems(built: Built, project: S.Project, builder: str) -> tuple[list[str], int]:
    problems: list[str] = []
    outdir = built.outdir
    data = json.loads((outdir / "quotes.json").read_text(encoding="utf-8"))
    by_anchor: dict[tuple[str, str], list[dict]] = {}
    for quote in data["quotes"]:
        document, _, anchor = quote["id"].partition("#")
        if document != quote["document"]:
            problems.append(f"quotes.json: id {quote['id']!r} does not match document {quote['document']!r}")
        by_anchor.setdefault((document, anchor), []).append(quote)
    seen: Counter[tuple[str, str]] = Counter()
    soups: dict[str, BeautifulSoup] = {}
    for document in project.documents:
        path = page_path(outdir, builder, document.name)
        soup = soups[document.name] = _read_html(path)
        main = soup.select_one("div.body") or soup.body or soup
        problems += injection_problems(soup, path.name)
        problems += heading_copy_problems(soup, path.name)
        ids = Counter(tag["id"] for tag in soup.find_all(id=True))
        figures = main.select("figure.quote")
        low, high = S.expected_figures(document)
        if not low <= len(figures) <= high:
            problems.append(f"{document.filename}: {len(figures)} figure.quote rendered, expected {low}..{high}")
        rendered = [(f, f.find("blockquote")) for f in figures] + [(q, q) for q in main.select("q.quote[id]")]
        for element, body in rendered:
            anchor = element.get("id")
            key = (document.name, anchor or "")
            seen[key] += 1
            if not anchor:
                problems.append(f"{document.filename}: quote without an id: {str(element)[:200]}")
                continue
            if ids[anchor] != 1:
                problems.append(f"{document.filename}: quote id {anchor!r} occurs {ids[anchor]} times on the page")
            records = by_anchor.get(key, [])
            if not records:
                problems.append(f"{document.filename}: quote #{anchor} is not in quotes.json: {str(element)[:300]}")
                continue
            shown = _visible(body.get_text() if body is not None else "")
            for record in records:
                # The only NUL a document holds is in a MyST option ("nul\x00byte");
                # any other is a docutils escape marker leaking out.
                if "\x00" in record["text"].replace("nul\x00byte", ""):
                    problems.append(f"{document.filename}: quotes.json text of #{anchor} has NUL characters: {record['text'][:200]!r}")
                if not _is_subsequence(_visible(record["text"]), shown):
                    problems.append(
                        f"{document.filename}: quotes.json text of #{anchor} is not what the page shows:"
                        f" {record['text'][:200]!r} vs {(body.get_text() if body else '')[:200]!r}"
                    )
                if builder == "html" and unquote(record["url"]) != f"{document.name}.html#{anchor}":
                    problems.append(f"quotes.json url {record['url']!r} for {document.name}#{anchor}")
    if builder == "html":
        problems += ref_text_problems(project, soups)
    for key, records in by_anchor.items():
        if len(records) != seen[key]:
            problems.append(f"quotes.json has {len(records)} quote(s) {key[0]}#{key[1]}, the page {seen[key]}")
    for source in data["sources"]:
        if source["page"]:
            target, _, anchor = unquote(source["page"]).partition("#")
            docname = target.removesuffix(".html").removesuffix("/") or "index"
            soup = soups.get(docname)
            if soup is None or (anchor and soup.find(id=anchor) is None):
                problems.append(f"quotes.json source {source['key']!r} page {source['page']!r} has no such anchor")
    index = outdir / "quote-index.html"
    if builder == "html" and index.exists():
        soup = _read_html(index)
        problems += injection_problems(soup, index.name)
        ids = Counter(tag["id"] for tag in soup.find_all(id=True))
        problems += [f"quote-index.html: id {i!r} occurs {n} times" for i, n in ids.items() if n > 1]
        listed = len(soup.select("ul.quote-index-quotes > li"))
        if listed != len(data["quotes"]):
            problems.append(f"quote-index.html lists {listed} quotes, quotes.json {len(data['quotes'])}")
        if "quotefig: the citation index listing" in index.read_text(encoding="utf-8"):
            problems.append("quote-index.html still holds the placeholder of its listing")
    return problems, len(data["quotes"])


# -- building and checking a project ------------------------------------------------

OTHER_BUILDERS = ["text", "latex", "singlehtml", "dirhtml", "man", "texinfo", "xml", "gettext", "epub"]


@dataclass
class Outcome:
    documents: int
    quotes: int
    warnings: Counter


class FuzzFailure(AssertionError):
    """A generated project broke a promise; ``problems`` says which."""

    def __init__(self, report: str, problems: list[str]) -> None:
        super().__init__(report)
        self.problems = problems


def _report(project: S.Project, built: Built | None, problems: list[str], builder: str) -> str:
    files = S.render_project(project)
    shown = "\n".join(f"----- {name} -----\n{text[:4000]}" for name, text in files.items())
    warnings = built.warnings[:6000] if built else ""
    return (
        f"{len(problems)} problem(s) with builder {builder}:\n  "
        + "\n  ".join(problems[:30])
        + f"\n\n===== project =====\n{shown}\n===== warnings =====\n{warnings}"
    )


def _kind(entry: Warning_) -> str:
    """``quotefig.<subtype>``, or the start of an allowed untyped warning."""
    if entry.type == "quotefig":
        return f"quotefig.{entry.subtype}"
    allowed = next((p.pattern for p in ALLOWED_UNTYPED if p.search(entry.message)), entry.message[:40])
    return f"[{entry.type or 'sphinx'}] {allowed.strip()}"


def check_project(project: S.Project, builder: str = "html") -> Outcome:
    """Build *project* and assert 1-4 above; raises :class:`FuzzFailure`
    (an AssertionError) with the documents and the warnings when anything
    is wrong."""
    tmp = Path(tempfile.mkdtemp(prefix="fuzz-"))
    built = None
    try:
        srcdir = S.write_project(project, tmp / "src")
        try:
            built = build_project(srcdir, builder)
        except Exception as exc:  # the build itself must not fail
            problems = [f"build raised {exc!r}"]
            raise FuzzFailure(_report(project, None, problems, builder), problems) from exc
        problems, entries = warning_problems(built, project)
        quotes = 0
        if builder in ("html", "dirhtml"):
            more, quotes = html_problems(built, project, builder)
            problems += more
        if problems:
            raise FuzzFailure(_report(project, built, problems, builder), problems)
        return Outcome(project.size, quotes, Counter(_kind(e) for e in entries))
    finally:
        if not os.environ.get("KEEP_FUZZ"):
            shutil.rmtree(tmp, ignore_errors=True)


# -- the tests ---------------------------------------------------------------------


#: The fast profile (``make test``) reports a failing project as generated
#: rather than shrinking it: every shrink step is a Sphinx build, and
#: shrinking takes many minutes.
NO_SHRINK = {"phases": [Phase.explicit, Phase.reuse, Phase.generate], "report_multiple_bugs": False}


@settings(settings.default, **NO_SHRINK)
@given(project=S.projects(min_docs=2, max_docs=8))
def test_fuzz_html(project):
    check_project(project, "html")


@settings(settings.default, max_examples=max(1, settings.default.max_examples // 2), **NO_SHRINK)
@given(project=S.projects(min_docs=1, max_docs=4), builder=st.sampled_from(OTHER_BUILDERS))
def test_fuzz_other_builders(project, builder):
    check_project(project, builder)


#: Documents per project in the long run, and documents it must reach.
LONG_DOCS = (10, 16)
LONG_MIN_DOCUMENTS = 10_000
LONG_SUMMARY = REPO / "build" / "fuzz-long.json"
LONG_FAILURES = REPO / "build" / "fuzz-long-failures"


def problem_kind(problem: str) -> str:
    """A problem with its particulars (quoted values, numbers, paths) blanked,
    to tell one bug from another."""
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d+|/\S*/", "_", problem)[:160]


@pytest.mark.slow
def test_fuzz_long():
    """The long profile: with ``HYPOTHESIS_PROFILE=long`` (1,000 examples)
    at least 10,000 documents, in projects of 10-16, mostly HTML.

    Unlike the fast tests it does not stop at the first failing project: it
    builds them all, keeps the smallest failing project of each kind of
    problem in ``build/fuzz-long-failures/``, writes what it built to
    ``build/fuzz-long.json``, and fails at the end if anything failed. (No
    shrinking: the smallest of many failing projects is the reproducer.)"""
    totals: Counter[str] = Counter()
    subtypes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    smallest: dict[str, str] = {}
    builders = st.sampled_from(["html"] * 6 + ["dirhtml", "singlehtml", "text", "latex"])
    start = time.monotonic()

    @settings(settings.default, phases=[Phase.explicit, Phase.generate])
    @given(project=S.projects(min_docs=LONG_DOCS[0], max_docs=LONG_DOCS[1]), builder=builders)
    def run(project, builder):
        totals["examples"] += 1
        totals["documents"] += project.size
        totals[f"builder {builder}"] += 1
        try:
            outcome = check_project(project, builder)
        except FuzzFailure as failure:
            totals["failing examples"] += 1
            report = str(failure)
            for kind in {problem_kind(p) for p in failure.problems}:
                kinds[kind] += 1
                if kind not in smallest or len(report) < len(smallest[kind]):
                    smallest[kind] = report
            return
        totals["quotes in quotes.json"] += outcome.quotes
        subtypes.update(outcome.warnings)

    try:
        run()
    finally:
        shutil.rmtree(LONG_FAILURES, ignore_errors=True)
        if smallest:
            LONG_FAILURES.mkdir(parents=True)
            for number, (kind, report) in enumerate(sorted(smallest.items()), start=1):
                (LONG_FAILURES / f"{number:02d}.txt").write_text(f"{kind}\n\n{report}", encoding="utf-8")
        summary = {
            "profile": os.environ.get("HYPOTHESIS_PROFILE", "fast"),
            "max_examples": settings.default.max_examples,
            "seconds": round(time.monotonic() - start, 1),
            **totals,
            "warnings": dict(sorted(subtypes.items())),
            "problems": dict(kinds.most_common()),
        }
        LONG_SUMMARY.parent.mkdir(exist_ok=True)
        LONG_SUMMARY.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print("\nfuzz-long:", json.dumps(summary, ensure_ascii=False))
    assert not kinds, f"{sum(kinds.values())} problem(s) of {len(kinds)} kind(s); smallest projects in {LONG_FAILURES}:\n" + "\n".join(
        f"{n:5d}  {kind}" for kind, n in kinds.most_common()
    )
    if settings.default.max_examples >= 1000:
        assert totals["documents"] >= LONG_MIN_DOCUMENTS, totals

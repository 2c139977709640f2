"""Exactness under random edits: incremental and parallel builds equal a
clean serial build, whatever sequence of edits leads to the sources.

A hypothesis :class:`RuleBasedStateMachine` keeps a model of a small MyST
project — documents in a toctree (two of them in a subfolder), each a list
of items: block quotes (source, page or free locator, text, label, maybe a
``{quote-source}`` link inside the text), cited inline ``q`` quotations,
``quote-source`` declarations with or without options, ``{quote-source}``
links, ``quote-index`` embeds (whole or one source) and section headings
holding a ``{q}`` (cited or not; document titles hold one too); and
``quotefig_sources`` in ``conf.py``. It applies random edits: add, remove,
move (within and between documents) and edit items (locator, source, text
and label, a declaration's data or key, a heading's quotation), add,
delete, rename, retitle (to and from a title with a quotation) and
reorder documents, change ``quotefig_sources``, save a document unchanged,
and rebuild without touching anything.

After every edit the files are written (with exact modification times, so
Sphinx sees every change and nothing else), the project is rebuilt
incrementally (one persistent output and doctree directory, serial), and
the result is compared with a clean serial build of the same sources into an
empty directory. The long profile also keeps an incremental ``-j 2`` chain
alongside and builds ``-j 2`` clean at every step; both profiles compare a
clean ``-j 2`` build with the clean serial one at the end of each sequence.
(Sphinx 9 forks for parallel reading whenever ``-j`` > 1, however few
documents there are: ``Builder._read_parallel`` has no threshold, and
``make_chunks`` gives each of the two workers a share; it writes in one
forked worker beside the main process.) The first build of a sequence is a
clean one, so comparisons start with the first edit.

What is compared — every file of the HTML output, byte for byte, except:

- ``searchindex.js``: Sphinx's own search index, not the extension's;
- ``_sources/``: verbatim copies of the sources;
- the pages of removed documents: Sphinx never deletes output files, so the
  incremental output keeps them (only those extra files are allowed; the
  citation index page is written even when the project has no quote, so a
  leftover ``quote-index.html`` is a finding);
- the *navigation* of content pages, for the reason below.

Navigation. A page's prev/next links (``<link rel="prev|next">`` in the
head, the "previous"/"next" items of the ``div.related`` bars, the
"Previous topic"/"Next topic" blocks of the sidebar; with alabaster, the
theme of Sphinx 8's test projects, the "Previous:"/"Next:" items of the
sidebar's "Related Topics" and its whole "Navigation" toctree) name its
*neighbours* in the toctree, or all documents, with their titles. Sphinx does not rewrite an unchanged page
when a neighbouring document is added, deleted, renamed or retitled, so
these links are stale after such an edit in any incremental Sphinx build,
with or without this extension: ``test_sphinx_itself_leaves_navigation_stale``
below shows it on a plain Sphinx project (no ``sphinx_quotefig``), where
deleting or retitling a document leaves exactly these elements of its
neighbours' pages stale, and nothing else. (The root page's toctree, by
contrast, Sphinx does keep up to date, so it is compared.)
:func:`strip_navigation` removes exactly those elements from content pages
before comparing; everything else on a content page — the document body
with its quote figures, citations, source lines, ``quote-source`` links and
embedded indexes, the head, the rest of the sidebar — is compared in full.
``quote-index.html``, ``genindex.html``, ``search.html``, ``quotes.json``
and ``objects.inv`` (decompressed) are compared whole.

Labels. A ``:name:`` is a project-wide label (Sphinx's ``std:label``).
The same label in two documents is an author error that Sphinx warns about
(*duplicate label*), and Sphinx's own incremental bookkeeping of such labels
differs from a clean build: when the later document drops the label, the
earlier document's definition is gone too until that document is read
again, so ``objects.inv`` lacks it (``test_sphinx_itself_loses_duplicate_labels``,
plain Sphinx). The model therefore never gives two *documents* the same
label (:meth:`QuotefigEdits.own_label` drops the ``:name:`` of a quote that
would); within one document duplicates and clashes with automatic ids
(``figure-1``, ``q-1``) stay, being the extension's business.

On a difference the assertion message shows the sequence of edits (as
applied to the files), the project's sources, and a unified diff of the
first differing file. Differences are raised from a different line per kind
of output (index page, JSON, content page, other, parallel) so that
hypothesis shrinks and reports each kind separately.

``make test`` runs a short version (the ``fast`` profile: 20 derandomized
sequences of up to 5 edits); ``make test-long`` runs
``test_random_edits_long`` (``-m slow``): at least 100 sequences of up to
12 edits, with the ``-j 2`` chain.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString
from conftest import inventory_text
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sphinx.testing.util import SphinxTestApp

# -- the model -------------------------------------------------------------

KEYS = ["report", "zeta", "ghost"]
TITLES = ["A Report", "The Zeta Book", "An Essay", "Ghost Notes", "Zebra Studies", "on lowercase"]
YEARS = [None, "1999", "2015"]
URLS = [None, "https://example.org/a.pdf", "https://example.org/b"]
PAGES = ["5", "27", "xii", "iv", "27-28", "5, 9", "100", "five"]
LOCATORS = ["ch. 3", "§ 2.1", "00:14:32"]
NAMES = ["main-claim", "key-point", "figure-1", "q-1"]
WORDS = ["the", "while", "our", "results", "do", "not", "suggest", "that", "these", "sites", "are", "radically", "expanding", "reach", "of", "civic", "voice"]
DOCNAMES = ["alpha", "beta", "gamma", "delta", "epsilon", "notes/kappa", "notes/lambda"]
DOC_TITLES = [
    "Alpha",
    "Beta",
    "Gamma readings",
    "Delta",
    "Epsilon",
    "Kappa notes",
    "Lambda",
    # Every copy of a title (the root's toctree, the index's page names)
    # shows the quoted words; the title itself cites.
    "Notes on {q}`civic voice`",
    "On {q}`our results <report, 5>`",
]
CONF_HEAD = 'extensions = ["myst_parser", "sphinx_quotefig"]\nproject = "Stateful"\n'


@dataclass(frozen=True)
class Quote:
    """A block ``quote`` or, with ``inline``, a cited ``{q}`` role."""

    text: str
    source: str | None = None  # explicit key; None: the current source
    page: str | None = None
    locator: str | None = None
    name: str | None = None
    inline: bool = False
    link: str | None = None  # a {quote-source} link inside a block quote's text

    def render(self) -> str:
        if self.inline:
            where = self.page or self.locator or ""
            citation = f"{self.source or ''}, {where}" if where else (self.source or ",")
            return f"Inline {{q}}`{self.text} <{citation}>` here.\n"
        options = "".join(
            f":{opt}: {value}\n"
            for opt, value in (("source", self.source), ("page", self.page), ("locator", self.locator), ("name", self.name))
            if value
        )
        link = f" See {{quote-source}}`{self.link}`." if self.link else ""
        return f"```{{quote}}\n{options}\n{self.text}{link}\n```\n"


@dataclass(frozen=True)
class Declaration:
    """A ``quote-source`` directive; without a title, it only names the key."""

    key: str
    title: str | None = None
    year: str | None = None
    url: str | None = None

    def render(self) -> str:
        options = "".join(
            f":{opt}: {value}\n" for opt, value in (("title", self.title), ("year", self.year), ("url", self.url)) if value
        )
        return f"```{{quote-source}} {self.key}\n{options}```\n"


@dataclass(frozen=True)
class SourceLink:
    key: str

    def render(self) -> str:
        return f"See {{quote-source}}`{self.key}`.\n"


@dataclass(frozen=True)
class Embed:
    only: str | None = None

    def render(self) -> str:
        return "```{quote-index}\n" + (f":source: {self.only}\n" if self.only else "") + "```\n"


@dataclass(frozen=True)
class Heading:
    """A section heading holding a ``{q}``: cited like an inline
    :class:`Quote` (source None: the current one), or not at all."""

    words: str
    cited: bool = True
    source: str | None = None
    page: str | None = None

    def render(self) -> str:
        if not self.cited:
            return f"## Notes on {{q}}`{self.words}`\n"
        citation = f"{self.source or ''}, {self.page}" if self.page else (self.source or ",")
        return f"## Notes on {{q}}`{self.words} <{citation}>`\n"


Item = Quote | Declaration | SourceLink | Embed | Heading


@dataclass
class Doc:
    title: str
    items: list[Item] = field(default_factory=list)

    def render(self) -> str:
        return f"# {self.title}\n\n" + "\n".join(item.render() for item in self.items)


@dataclass
class Project:
    docs: dict[str, Doc] = field(default_factory=dict)  # in toctree order
    conf_sources: dict[str, dict[str, str]] = field(default_factory=dict)

    def files(self) -> dict[str, str]:
        files = {f"{name}.md": doc.render() for name, doc in self.docs.items()}
        files["index.md"] = "# Home\n\n```{toctree}\n" + "".join(f"{name}\n" for name in self.docs) + "```\n"
        files["conf.py"] = CONF_HEAD + f"quotefig_sources = {self.conf_sources!r}\n"
        return files


# -- strategies ------------------------------------------------------------

keys = st.sampled_from(KEYS)
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=15).map(lambda words: " ".join(words).capitalize() + ".")


@st.composite
def locations(draw: st.DrawFn) -> dict[str, str | None]:
    kind = draw(st.sampled_from(["page", "page", "locator", "none"]))
    if kind == "page":
        return {"page": draw(st.sampled_from(PAGES)), "locator": None}
    if kind == "locator":
        return {"page": None, "locator": draw(st.sampled_from(LOCATORS))}
    return {"page": None, "locator": None}


@st.composite
def quotes(draw: st.DrawFn) -> Quote:
    inline = draw(st.integers(0, 3)) == 0
    where = draw(locations())
    return Quote(
        text=draw(texts),
        source=draw(st.none() | keys),
        name=None if inline else draw(st.none() | st.none() | st.sampled_from(NAMES)),
        inline=inline,
        link=None if inline or draw(st.integers(0, 4)) else draw(keys),
        **where,
    )


@st.composite
def declarations(draw: st.DrawFn) -> Declaration:
    key = draw(keys)
    if draw(st.integers(0, 3)) == 0:
        return Declaration(key)  # names a source declared elsewhere
    return Declaration(key, draw(st.sampled_from(TITLES)), draw(st.sampled_from(YEARS)), draw(st.sampled_from(URLS)))


headings = st.builds(
    Heading,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
    st.booleans(),
    st.none() | keys,
    st.none() | st.sampled_from(PAGES),
)

items = st.one_of(
    headings,
    quotes(),
    quotes(),
    quotes(),
    declarations(),
    declarations(),
    keys.map(SourceLink),
    (st.none() | keys).map(Embed),
    (st.none() | keys).map(Embed),
)
conf_entries = st.fixed_dictionaries({"title": st.sampled_from(TITLES)}, optional={"year": st.sampled_from(["1999", "2015"])})


@st.composite
def projects(draw: st.DrawFn) -> Project:
    names = draw(st.lists(st.sampled_from(DOCNAMES), min_size=2, max_size=4, unique=True))
    docs = {name: Doc(draw(st.sampled_from(DOC_TITLES)), draw(st.lists(items, min_size=1, max_size=4))) for name in names}
    conf = draw(st.dictionaries(keys, conf_entries, max_size=2))
    return Project(docs, conf)


# -- building and comparing --------------------------------------------------


def build(srcdir: Path, builddir: Path, *, parallel: int = 0, fresh: bool = False) -> tuple[Path, str]:
    """One html build; a *fresh* one starts from an empty *builddir*."""
    if fresh and builddir.exists():
        shutil.rmtree(builddir)
    status, warning = StringIO(), StringIO()
    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=builddir, freshenv=fresh, parallel=parallel, status=status, warning=warning
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir), warning.getvalue()


def strip_navigation(html: str) -> str:
    """A content page without the parts that name its toctree neighbours,
    which Sphinx itself leaves stale in incremental builds (see the module
    docstring): ``<link rel="prev|next">``, the "previous"/"next" items of
    the ``div.related`` bars, and the sidebar's "Previous topic"/"Next
    topic" blocks. With alabaster (the theme of Sphinx 8's test projects)
    also its "Previous:"/"Next:" items of "Related Topics" and the
    "Navigation" toctree of the sidebar. Nothing else."""
    soup = BeautifulSoup(html, "html.parser")
    for link in soup.select('head link[rel="prev"], head link[rel="next"]'):
        link.decompose()
    for item in soup.select("div.related li.right"):
        if item.a is not None and item.a.get_text() in ("previous", "next"):
            item.decompose()
    for block in soup.select("div.sphinxsidebar div:has(> p.topless)"):
        block.decompose()
    for item in soup.select(
        'div.sphinxsidebar div.relations li:has(> a[title="previous chapter"]),'
        ' div.sphinxsidebar div.relations li:has(> a[title="next chapter"])'
    ):
        item.decompose()
    for heading in soup.select("div.sphinxsidebarwrapper > h3"):
        if heading.get_text() == "Navigation":
            while (toctree := heading.find_next_sibling()) is not None and toctree.name == "ul":
                toctree.decompose()
    # The templates' whitespace around the removed elements stays behind.
    for container in soup.select("head, div.related ul, div.sphinxsidebarwrapper, div.relations ul"):
        for child in list(container.children):
            if isinstance(child, NavigableString) and not child.strip():
                child.extract()
    return str(soup)


WHOLE = {"quote-index.html", "genindex.html", "search.html", "quotes.json", "objects.inv", ".buildinfo"}
SKIPPED = {"searchindex.js"}


def snapshot(outdir: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    for path in sorted(outdir.rglob("*")):
        name = path.relative_to(outdir).as_posix()
        if path.is_dir() or name in SKIPPED or name.startswith("_sources/"):
            continue
        data = path.read_bytes()
        if name == "objects.inv":
            files[name] = inventory_text(data)
        elif name.endswith(".html") and name not in WHOLE:
            files[name] = strip_navigation(data.decode("utf-8"))
        else:
            files[name] = data.decode("utf-8", errors="replace")
    return files


def unified(a: str, b: str, name: str, left: str, right: str, limit: int = 60) -> str:
    def lines(text: str) -> list[str]:
        # Sphinx writes one element per line mostly; break long ones at tags.
        return re.sub(r">(?=<)", ">\n", text).splitlines()

    diff = list(difflib.unified_diff(lines(a), lines(b), f"{left}/{name}", f"{right}/{name}", lineterm="", n=2))
    if len(diff) > limit:
        diff = diff[:limit] + [f"... ({len(diff) - limit} more diff lines)"]
    return "\n".join(diff)


def first_difference(got: dict[str, str], want: dict[str, str], gone: set[str]) -> tuple[str, str] | None:
    """(file name, description) of the first file that differs, if any.

    *gone*: output files of documents that no longer exist, which an
    incremental build legitimately keeps."""
    extra = sorted(set(got) - set(want) - gone)
    missing = sorted(set(want) - set(got))
    if missing:
        return missing[0], f"missing files: {missing}"
    if extra:
        return extra[0], f"unexpected extra files: {extra}"
    for name in sorted(want):
        if got[name] != want[name]:
            return name, ""
    return None


def kind_of(name: str) -> str:
    if name == "quote-index.html":
        return "index"
    if name == "quotes.json":
        return "json"
    if name.endswith(".html") and name not in WHOLE:
        return "page"
    return "other"


# One raise per kind of output, so hypothesis reports each kind separately.
def differs_index(message: str) -> None:
    raise AssertionError(message)


def differs_json(message: str) -> None:
    raise AssertionError(message)


def differs_page(message: str) -> None:
    raise AssertionError(message)


def differs_other(message: str) -> None:
    raise AssertionError(message)


def differs_parallel(message: str) -> None:
    raise AssertionError(message)


# -- the state machine -----------------------------------------------------


class QuotefigEdits(RuleBasedStateMachine):
    """Random edit sequences; after each, incremental == clean (serial)."""

    #: Keep an incremental ``-j 2`` chain and build ``-j 2`` clean at every step.
    parallel_every_step = False

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="quotefig-stateful-"))
        self.src = self.root / "src"
        self.src.mkdir()
        self.project = Project()
        self.written: dict[str, str] = {}
        self.ever: set[str] = set()  # every docname that ever existed
        self.log: list[str] = []
        self.stamp = 0
        self.clean: dict[str, str] | None = None  # snapshot of the last clean serial build
        self.parallel_checked = False
        #: Seconds after which the next edit's first build is killed.
        self.kill_after: float | None = None

    # -- files -----------------------------------------------------------

    def sync(self, what: str, check: bool = True) -> None:
        """Write the model's files that changed, delete the ones gone, with
        exact and increasing modification times; then build and compare
        (*check*) or only build the incremental chains."""
        self.log.append(what)
        files = self.project.files()
        for name in sorted(set(self.written) - set(files)):
            (self.src / name).unlink()
        for name, text in sorted(files.items()):
            if self.written.get(name) != text:
                path = self.src / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                self.stamp = max(time.time_ns(), self.stamp + 1_000_000)
                os.utime(path, ns=(self.stamp, self.stamp))
        self.written = files
        self.ever.update(self.project.docs)
        if self.kill_after is not None:
            self.killed_build(self.kill_after)
            self.kill_after = None
        if check:
            self.check()
        else:
            self.clean = None
            build(self.src, self.root / "inc")
            if self.parallel_every_step:
                build(self.src, self.root / "inc-j2", parallel=2)

    def killed_build(self, seconds: float) -> None:
        """The incremental chain's build, killed (SIGKILL) after *seconds*:
        the next build must still equal a clean one."""
        # As the chain builds (SphinxTestApp's defaults), in a process of its own.
        code = (
            "import sys; from pathlib import Path; from sphinx.testing.util import SphinxTestApp; "
            "app = SphinxTestApp('html', srcdir=Path(sys.argv[1]), builddir=Path(sys.argv[2]), status=None, warning=None); "
            "app.build()"
        )
        command = [sys.executable, "-c", code, str(self.src), str(self.root / "inc")]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def gone_outputs(self) -> set[str]:
        """Files an incremental build may keep that a clean one lacks."""
        return {f"{name}.html" for name in self.ever - set(self.project.docs)}

    def describe(self) -> str:
        steps = "\n".join(f"  {n}. {step}" for n, step in enumerate(self.log, 1))
        sources = "\n".join(f"--- {name}\n{text}" for name, text in sorted(self.written.items()))
        return f"edits:\n{steps}\n\nsources now:\n{sources}"

    # -- checks ----------------------------------------------------------

    def compare(self, got: dict[str, str], want: dict[str, str], left: str, right: str, gone: set[str], raiser=None) -> None:
        found = first_difference(got, want, gone)
        if found is None:
            return
        name, note = found
        detail = note or unified(want[name], got[name], name, right, left)
        message = f"{left} output differs from {right} in {name}\n{detail}\n\n{self.describe()}"
        (raiser or {"index": differs_index, "json": differs_json, "page": differs_page}.get(kind_of(name), differs_other))(message)

    def check(self) -> None:
        incremental, _ = build(self.src, self.root / "inc")
        self.clean = want = snapshot(build(self.src, self.root / "clean", fresh=True)[0])
        self.parallel_checked = False
        self.compare(snapshot(incremental), want, "incremental", "clean", self.gone_outputs())
        if self.parallel_every_step:
            parallel_incremental, _ = build(self.src, self.root / "inc-j2", parallel=2)
            self.compare(snapshot(parallel_incremental), want, "incremental -j 2", "clean", self.gone_outputs())
            self.check_parallel_clean()

    def check_parallel_clean(self) -> None:
        if self.clean is None:
            self.clean = snapshot(build(self.src, self.root / "clean", fresh=True)[0])
        parallel, _ = build(self.src, self.root / "clean-j2", parallel=2, fresh=True)
        self.parallel_checked = True
        self.compare(snapshot(parallel), self.clean, "clean -j 2", "clean serial", set(), raiser=differs_parallel)

    def teardown(self) -> None:
        try:
            if self.written and not self.parallel_checked:
                self.check_parallel_clean()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    # -- helpers for rules -----------------------------------------------

    def docs_with(self, kind: type | tuple[type, ...]) -> list[str]:
        return [name for name, doc in self.project.docs.items() if any(isinstance(i, kind) for i in doc.items)]

    def pick_item(self, data: st.DataObject, kind: type | tuple[type, ...]) -> tuple[str, int]:
        name = data.draw(st.sampled_from(self.docs_with(kind)), label="document")
        doc = self.project.docs[name]
        positions = [n for n, item in enumerate(doc.items) if isinstance(item, kind)]
        return name, data.draw(st.sampled_from(positions), label="position")

    def has(self, kind: type | tuple[type, ...]) -> bool:
        return bool(self.docs_with(kind))

    def has_docs(self) -> bool:
        return bool(self.project.docs)

    def labels_elsewhere(self, docname: str) -> set[str]:
        return {
            item.name
            for name, doc in self.project.docs.items()
            if name != docname
            for item in doc.items
            if isinstance(item, Quote) and item.name
        }

    def own_label(self, item: Item, docname: str) -> Item:
        """*item*, without its ``:name:`` if another document has that label
        (see "Labels" in the module docstring)."""
        if isinstance(item, Quote) and item.name in self.labels_elsewhere(docname):
            return replace(item, name=None)
        return item

    def insert(self, data: st.DataObject, item: Item) -> str:
        name = data.draw(st.sampled_from(list(self.project.docs)), label="into document")
        doc = self.project.docs[name]
        position = data.draw(st.integers(0, len(doc.items)), label="at position")
        item = self.own_label(item, name)
        doc.items.insert(position, item)
        return f"{item!r} at {name}[{position}]"

    # -- rules -----------------------------------------------------------

    @initialize(project=projects())
    def start(self, project: Project) -> None:
        self.project = Project({}, project.conf_sources)
        for name, doc in project.docs.items():
            self.project.docs[name] = Doc(doc.title, [])
            self.project.docs[name].items = [self.own_label(item, name) for item in doc.items]
        # The first build is a clean one: nothing to compare yet.
        self.sync(f"initial project: documents {list(project.docs)}, conf sources {sorted(project.conf_sources)}", check=False)

    @precondition(has_docs)
    @rule(data=st.data(), item=items)
    def add_item(self, data: st.DataObject, item: Item) -> None:
        where = self.insert(data, item)
        self.sync(f"add {where}")

    @precondition(lambda self: self.has((Quote, Declaration, SourceLink, Embed, Heading)))
    @rule(data=st.data())
    def remove_item(self, data: st.DataObject) -> None:
        name, position = self.pick_item(data, (Quote, Declaration, SourceLink, Embed, Heading))
        item = self.project.docs[name].items.pop(position)
        self.sync(f"remove {item!r} from {name}[{position}]")

    @precondition(lambda self: self.has((Quote, Declaration, Heading)))
    @rule(data=st.data())
    def move_item(self, data: st.DataObject) -> None:
        name, position = self.pick_item(data, (Quote, Declaration, Heading))
        item = self.project.docs[name].items.pop(position)
        where = self.insert(data, item)
        self.sync(f"move {name}[{position}] to {where}")

    @precondition(lambda self: self.has(Quote))
    @rule(data=st.data(), where=locations())
    def change_page(self, data: st.DataObject, where: dict[str, str | None]) -> None:
        name, position = self.pick_item(data, Quote)
        doc = self.project.docs[name]
        old = doc.items[position]
        doc.items[position] = replace(old, **where)
        self.sync(f"change locator of {name}[{position}] {old!r} to {where}")

    @precondition(lambda self: self.has(Quote))
    @rule(data=st.data(), source=st.none() | keys)
    def change_source(self, data: st.DataObject, source: str | None) -> None:
        name, position = self.pick_item(data, Quote)
        doc = self.project.docs[name]
        old = doc.items[position]
        doc.items[position] = replace(old, source=source)
        self.sync(f"change source of {name}[{position}] {old!r} to {source!r}")

    @precondition(lambda self: self.has(Quote))
    @rule(data=st.data(), text=texts, label=st.none() | st.sampled_from(NAMES), link=st.none() | keys)
    def change_text_or_name(self, data: st.DataObject, text: str, label: str | None, link: str | None) -> None:
        name, position = self.pick_item(data, Quote)
        doc = self.project.docs[name]
        old = doc.items[position]
        new = replace(old, text=text) if old.inline else replace(old, text=text, name=label, link=link)
        doc.items[position] = self.own_label(new, name)
        self.sync(f"change text/name of {name}[{position}] {old!r} to {doc.items[position]!r}")

    @precondition(lambda self: self.has(Heading))
    @rule(data=st.data(), new=headings)
    def change_heading(self, data: st.DataObject, new: Heading) -> None:
        name, position = self.pick_item(data, Heading)
        doc = self.project.docs[name]
        old = doc.items[position]
        doc.items[position] = new
        self.sync(f"change heading {name}[{position}] {old!r} to {new!r}")

    @precondition(lambda self: self.has(Declaration))
    @rule(data=st.data(), new=declarations(), same_key=st.booleans())
    def change_declaration(self, data: st.DataObject, new: Declaration, same_key: bool) -> None:
        name, position = self.pick_item(data, Declaration)
        doc = self.project.docs[name]
        old = doc.items[position]
        doc.items[position] = replace(new, key=old.key) if same_key else new
        self.sync(f"change declaration {name}[{position}] {old!r} to {doc.items[position]!r}")

    @precondition(lambda self: len(self.project.docs) < len(DOCNAMES))
    @rule(data=st.data(), title=st.sampled_from(DOC_TITLES), content=st.lists(items, max_size=4))
    def add_document(self, data: st.DataObject, title: str, content: list[Item]) -> None:
        name = data.draw(st.sampled_from([n for n in DOCNAMES if n not in self.project.docs]), label="name")
        order = list(self.project.docs.items())
        position = data.draw(st.integers(0, len(order)), label="toctree position")
        order.insert(position, (name, Doc(title, [])))
        self.project.docs = dict(order)
        self.project.docs[name].items = content = [self.own_label(item, name) for item in content]
        self.sync(f"add document {name} ({title!r}) at toctree position {position}: {content!r}")

    @precondition(lambda self: len(self.project.docs) > 1)
    @rule(data=st.data())
    def delete_document(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(list(self.project.docs)), label="document")
        del self.project.docs[name]
        self.sync(f"delete document {name}")

    @precondition(lambda self: 0 < len(self.project.docs) < len(DOCNAMES))
    @rule(data=st.data())
    def rename_document(self, data: st.DataObject) -> None:
        old = data.draw(st.sampled_from(list(self.project.docs)), label="document")
        new = data.draw(st.sampled_from([n for n in DOCNAMES if n not in self.project.docs]), label="new name")
        self.project.docs = {(new if name == old else name): doc for name, doc in self.project.docs.items()}
        self.sync(f"rename document {old} to {new}")

    @precondition(has_docs)
    @rule(data=st.data())
    def retitle_document(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(list(self.project.docs)), label="document")
        old = self.project.docs[name].title
        title = data.draw(st.sampled_from([t for t in DOC_TITLES if t != old]), label="title")
        self.project.docs[name].title = title
        self.sync(f"retitle document {name} from {old!r} to {title!r}")

    @rule(key=keys, entry=st.none() | conf_entries)
    def change_conf_sources(self, key: str, entry: dict[str, str] | None) -> None:
        sources = dict(self.project.conf_sources)
        if entry is None:
            sources.pop(key, None)
        else:
            sources[key] = entry
        self.project.conf_sources = sources
        self.sync(f"conf.py: quotefig_sources[{key!r}] = {entry!r}")

    @precondition(lambda self: len(self.project.docs) > 1)
    @rule(data=st.data())
    def reorder_toctree(self, data: st.DataObject) -> None:
        order = list(self.project.docs.items())
        entry = order.pop(data.draw(st.integers(0, len(order) - 1), label="from"))
        position = data.draw(st.integers(0, len(order)), label="to")
        order.insert(position, entry)
        self.project.docs = dict(order)
        self.sync(f"move {entry[0]} to toctree position {position}")

    @precondition(has_docs)
    @rule(data=st.data())
    def touch_document(self, data: st.DataObject) -> None:
        """Save a document unchanged: Sphinx reads it again."""
        name = data.draw(st.sampled_from(list(self.project.docs)), label="document")
        self.stamp = max(time.time_ns(), self.stamp + 1_000_000)
        os.utime(self.src / f"{name}.md", ns=(self.stamp, self.stamp))
        self.sync(f"touch {name}.md (same content, newer mtime)")

    @rule()
    def rebuild_untouched(self) -> None:
        self.sync("rebuild without changes")

    @rule(seconds=st.sampled_from([0.3, 0.8, 1.5, 2.5, 4.0]))
    def kill_the_next_build(self, seconds: float) -> None:
        """The next edit's build is killed at some point (reading, writing,
        the index); the build after it must heal everything."""
        self.kill_after = seconds
        self.log.append(f"the next build is killed after {seconds} s")


class LongQuotefigEdits(QuotefigEdits):
    parallel_every_step = True


def test_random_edits_fast() -> None:
    run_state_machine_as_test(QuotefigEdits, settings=settings(settings.default, stateful_step_count=5))


@pytest.mark.slow
def test_random_edits_long() -> None:
    examples = int(os.environ.get("QUOTEFIG_STATEFUL_EXAMPLES", "120"))
    run_state_machine_as_test(
        LongQuotefigEdits, settings=settings(settings.default, max_examples=max(100, examples), stateful_step_count=12)
    )


def test_sphinx_itself_leaves_navigation_stale(tmp_path: Path) -> None:
    """Why :func:`strip_navigation` exists: a plain Sphinx project, without
    this extension, whose incremental build differs from a clean one after
    a document is retitled or deleted — in the neighbours' prev/next links
    only."""

    def write(path: Path, text: str) -> None:
        path.write_text(text, encoding="utf-8")
        stamp = time.time_ns()
        os.utime(path, ns=(stamp, stamp))

    def toctree(*names: str) -> str:
        return "# Home\n\n```{toctree}\n" + "".join(f"{name}\n" for name in names) + "```\n"

    src = tmp_path / "src"
    src.mkdir()
    write(src / "conf.py", 'extensions = ["myst_parser"]\nproject = "Plain"\n')
    write(src / "index.md", toctree("alpha", "beta", "gamma"))
    for name in ("alpha", "beta", "gamma"):
        write(src / f"{name}.md", f"# {name.title()}\n\nText.\n")
    build(src, tmp_path / "inc")

    def differing(edit) -> list[str]:
        edit()
        incremental = Path(build(src, tmp_path / "inc")[0])
        clean = Path(build(src, tmp_path / "clean", fresh=True)[0])
        pages = sorted(p.name for p in clean.glob("*.html"))
        raw = [p for p in pages if (incremental / p).read_text() != (clean / p).read_text()]
        # Without the neighbours' links, every page is as a clean build's.
        assert all(strip_navigation((incremental / p).read_text()) == strip_navigation((clean / p).read_text()) for p in pages)
        return raw

    assert differing(lambda: write(src / "beta.md", "# Beta, retitled\n\nText.\n")) == ["alpha.html", "gamma.html"]
    assert differing(lambda: ((src / "beta.md").unlink(), write(src / "index.md", toctree("alpha", "gamma")))) == [
        "alpha.html",
        "gamma.html",
    ]
    # The last page goes: alpha loses its "next" link altogether.
    assert differing(lambda: ((src / "gamma.md").unlink(), write(src / "index.md", toctree("alpha")))) == ["alpha.html"]


def test_sphinx_itself_loses_duplicate_labels(tmp_path: Path) -> None:
    """Why the model never puts one label in two documents: plain Sphinx,
    without this extension, keeps a label defined in two documents in a clean
    build but loses it in an incremental one once one of them drops it."""

    def write(path: Path, text: str) -> None:
        path.write_text(text, encoding="utf-8")
        stamp = time.time_ns()
        os.utime(path, ns=(stamp, stamp))

    src = tmp_path / "src"
    src.mkdir()
    write(src / "conf.py", 'extensions = ["myst_parser"]\nproject = "Plain"\n')
    write(src / "index.md", "# Home\n\n```{toctree}\nlambda\nalpha\n```\n")
    write(src / "alpha.md", "# Alpha\n\n(main-claim)=\nSome text.\n")
    write(src / "lambda.md", "# Lambda\n\n(main-claim)=\nOther text.\n")
    build(src, tmp_path / "inc")
    write(src / "lambda.md", "# Lambda\n\nOther text.\n")
    incremental = snapshot(build(src, tmp_path / "inc")[0])["objects.inv"]
    clean = snapshot(build(src, tmp_path / "clean", fresh=True)[0])["objects.inv"]
    assert "main-claim std:label -1 alpha.html#$" in clean
    assert "main-claim" not in incremental


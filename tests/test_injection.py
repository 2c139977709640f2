"""Injection: nothing an author writes can inject markup, script or an
unsafe URL, in any builder that writes markup (issue 6, item 3).

Table-driven: every *vector* (``VECTORS``) is written into every *injection
point* (``POINTS``: each option of ``quote`` and ``quote-source``, the quote
body, ``quotefig_sources`` in ``conf.py``, the roles' text and targets,
``quote-index :source:``, labels for ``{ref}``/``{numref}``).

To keep the number of builds small, one project holds every case: one
document per injection point, one section per vector (``## Case <point>
<vector>``), plus a *baseline* section per point written with a harmless
value. The project is read once and written by every builder (html,
html with ``quotefig_markup = "figcaption"``, singlehtml, dirhtml, epub,
latex), sharing the environment as ``sphinx-build -d`` does. Each test case
is one (point, vector, builder) and looks only at its own section:

- HTML builders, parsed: no element beyond those of the point's baseline
  section (tag multiset), no ``on*`` attribute, no ``script``, no URL
  attribute that a browser would read as ``javascript:``, ``vbscript:`` or
  ``data:``; the hostile text shown as text (neither lost nor
  double-escaped); a URL either round-trips exactly into its attribute or is
  dropped, with a ``quotefig.unsafe_url`` warning at the case's line;
- LaTeX: the hostile text appears escaped the way Sphinx escapes text and
  never raw, and no unsafe URL reaches ``\\sphinxhref``/``\\href``/``\\url``.

Whole-page checks (every written page, the citation index, ``quotes.json``,
EPUB well-formedness, ids, stray warnings, the whole ``.tex``) are separate
tests per builder.

The quote body is written as text (backslash-escaped, in reStructuredText
and in MyST): raw HTML in a MyST body is passed through by design, as
anywhere else in a MyST project (docs: warnings.md, "Escaping").
``quotefig_page_label``/``quotefig_pages_label`` from ``conf.py`` have their
own small project at the end.

Vectors that cannot be *written* at a point (a key with a space; a role
citation with angle brackets, which the role syntax itself reads as the
citation's delimiters) are listed as skipped cases with the reason.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import string
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import sphinx
from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning
from docutils import nodes
from sphinx.util import texescape

from conftest import build_project

# ---------------------------------------------------------------------------
# The vectors
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Vector:
    id: str
    value: str
    #: As a URL, its scheme is forbidden: it must be dropped with a warning.
    unsafe_url: bool = False


VECTORS = [
    Vector("script-tag", "<script>alert(1)</script>"),
    Vector("img-onerror", "<img src=x onerror=alert(1)>"),
    Vector("dq-breakout", '" onmouseover="alert(1)'),
    Vector("sq-breakout", "' onfocus='alert(1) autofocus='"),
    Vector("svg-onload", '"><svg onload=alert(1)>'),
    Vector("close-cite", "</cite></footer><script>alert(1)</script>"),
    Vector("close-q", "</q></span></p><iframe src=javascript:alert(1)></iframe>"),
    Vector("comment-cdata", "<!-- --> ]]> <![CDATA[x]]> <?xml x?>"),
    Vector("entities", "&amp; &lt;b&gt; &#60;script&#62; &quot;"),
    Vector("javascript", "javascript:alert(1)", unsafe_url=True),
    Vector("javascript-case", "JaVaScRiPt:alert(1)", unsafe_url=True),
    Vector("javascript-lead-ws", " \t javascript:alert(1)", unsafe_url=True),
    Vector("javascript-tab-inside", "java\tscript:alert(1)", unsafe_url=True),
    Vector("javascript-nl-inside", "java\nscript:alert(1)", unsafe_url=True),
    Vector("javascript-dec-entity", "&#106;avascript:alert(1)", unsafe_url=True),
    Vector("javascript-hex-entity", "&#x6A;avascript:alert(1)", unsafe_url=True),
    Vector("javascript-tab-entity", "java&#x09;script:alert(1)", unsafe_url=True),
    Vector("javascript-colon-entity", "javascript&colon;alert(1)", unsafe_url=True),
    Vector("data-html", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", unsafe_url=True),
    Vector("data-upper", "DATA:text/html,<script>alert(1)</script>", unsafe_url=True),
    Vector("vbscript", "vbscript:msgbox(1)", unsafe_url=True),
    Vector("markup", "*emph* **strong** `code` <b>bold</b> [a](/x) |sub|"),
    Vector("jinja", "{{ 7*7 }} {% if 1 %}x{% endif %} {# c #}"),
    Vector("format", "%(x)s %s %d {0} {number} {name}"),
    Vector("latex-specials", "\\ { } $ & # ^ _ ~ % [ ] -- '' ``"),
    Vector("latex-input", "\\input{/etc/passwd}"),
    Vector("latex-def", "\\def\\x{y}\\x \\catcode`\\@=11 \\end{document}"),
    Vector("latex-percent-brace", "%}}\\input{/etc/passwd}"),
    Vector("latex-href", "}{x}\\href{javascript:alert(1)}{y}", unsafe_url=True),
]


def fold(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------
# Writing a case
# ---------------------------------------------------------------------------

FENCE = "~~~~"  # tilde fences: an argument may then contain backticks


def directive(name: str, argument: str = "", options: dict[str, str] | None = None, body: str = "") -> list[str]:
    """A MyST directive with its options as a YAML block (JSON strings are
    YAML strings: every value is passed exactly, tabs and quotes included)."""
    lines = [f"{FENCE}{{{name}}}" + (f" {argument}" if argument else "")]
    if options:
        lines += ["---", *(f"{key}: {json.dumps(value)}" for key, value in options.items()), "---"]
    if body:
        lines.append(body)
    return [*lines, FENCE, ""]


def role(name: str, content: str) -> str:
    """A MyST role; the backtick fence is longer than any run inside."""
    runs = [len(run) for run in re.findall(r"`+", content)]
    ticks = "`" * (max(runs, default=0) + 1)
    if content.startswith("`") or content.endswith("`"):
        content = f" {content} "
    return f"{{{name}}}{ticks}{content}{ticks}"


def md_escape(text: str) -> str:
    """CommonMark text that reads back as exactly *text*."""
    return "".join("\\" + char if char in string.punctuation else char for char in text)


def rst_escape(text: str) -> str:
    """reStructuredText text that reads back as exactly *text*."""
    return "".join("\\" + char if char in string.punctuation else char for char in text)


@dataclass(frozen=True)
class Point:
    """Where a vector goes: how a case is written and what it must show."""

    id: str
    #: Writes the case (lines of the document) for value *v*, case number *n*.
    write: Callable[[str, int], list[str]]
    #: The text the case must show (compared whitespace-folded), or None.
    shows: Callable[[str, int], str | None] = lambda v, n: None
    #: quotefig warning subtypes the case must produce.
    warns: Callable[[Vector], set[str]] = lambda vector: set()
    #: "quote": the quote's own URL (blockquote cite); "source": a source's
    #: URL (its title's link, and cite on its block and inline quotes).
    url: str | None = None
    #: A reason why the vector cannot be written at this point, or None.
    unwritable: Callable[[str], str | None] = lambda v: None
    #: ``quotefig_sources`` entries the case needs, for value *v*, case *n*.
    conf: Callable[[str, int], dict] | None = None
    #: The harmless value of the point's baseline case.
    baseline: str = "harmless"
    suffix: str = "md"
    #: LaTeX shows the text too (False: HTML attributes only).
    latex_shows: bool = True


QUOTED = "Quoted text."


def _quote(**options: str) -> list[str]:
    return directive("quote", options=options, body=QUOTED)


def _cited(key: str) -> list[str]:
    """A block quote from the current source, a link to it, an inline quote."""
    return [
        *_quote(page="5"),
        f"Link {role('quote-source', key)} and {role('q', f'words <{key}, 7>')}.",
        "",
    ]


def _cited_key(key: str) -> list[str]:
    """As :func:`_cited`, for any key: the link names its target explicitly
    (a key may end in ``<…>``), the inline quote only when its citation
    syntax can hold the key."""
    q = "" if _no_angle_or_comma(key) else f" and {role('q', f'words <{key}, 7>')}"
    return [*_quote(page="5"), f"Link {role('quote-source', f'link <{key}>')}{q}.", ""]


def _source_case(point: str, field_name: str) -> Callable[[str, int], list[str]]:
    def write(v: str, n: int) -> list[str]:
        key = f"src-{point}-{n}"
        options = {"title": "Harmless Title"} if field_name != "title" else {}
        options[field_name] = v
        return [*directive("quote-source", key, options), *_cited(key)]

    return write


def _conf_entry(field_name: str) -> Callable[[str, int], dict]:
    def conf(v: str, n: int) -> dict:
        entry = {"title": "Harmless Title"} if field_name != "title" else {}
        entry[field_name] = v
        return {f"conf-{field_name}-{n}": entry}

    return conf


def _conf_case(field_name: str) -> Callable[[str, int], list[str]]:
    def write(v: str, n: int) -> list[str]:
        key = f"conf-{field_name}-{n}"
        return [*directive("quote-source", key), *_cited(key)]

    return write


def _key(v: str, n: int) -> str:
    """A key for a quote-source directive: the vector (spaces and all), made
    distinct from the unknown keys that other points cite."""
    return f"{v}-s{n}"


def _conf_key(v: str, n: int) -> str:
    """A key from conf.py: the vector, made distinct from the (unknown) keys
    other points cite so that they stay unknown."""
    return f"{v} c{n}"


def _no_angle(v: str) -> str | None:
    if "<" in v or ">" in v:
        return "'<…>' at the end of a role is its citation/target syntax (documented)"
    return None


def _no_angle_or_comma(v: str) -> str | None:
    if "," in v:
        return "',' separates the key from the locator in a q citation (documented)"
    return _no_angle(v)


def _no_newline(v: str) -> str | None:
    if "\n" in v:
        return "a directive's argument is one line: a newline ends it"
    return None


def _name(v: str, n: int) -> str:
    """A label: the vector, made unique (two vectors may normalise alike)."""
    return f"{v} n{n}"


def _unsafe(vector: Vector) -> set[str]:
    return {"unsafe_url"} if vector.unsafe_url else set()


def _class_names(v: str) -> list[str]:
    """``:class:`` as documented: each word made an id; empty ones dropped."""
    return [name for name in map(nodes.make_id, v.split()) if name]


def _bad_class(vector: Vector) -> set[str]:
    return {"invalid_option"} if len(_class_names(vector.value)) < len(vector.value.split()) else set()


def _shown(v: str, n: int) -> str:
    return fold(v)


POINTS = [
    # -- quote options ----------------------------------------------------
    Point("quote-source", lambda v, n: _quote(source=v, page="5"), shows=_shown, warns=lambda _: {"unknown_source"}),
    Point("quote-page", lambda v, n: _quote(page=v), shows=_shown, warns=lambda _: {"malformed_page"}),
    Point("quote-locator", lambda v, n: _quote(locator=v), shows=_shown),
    Point("quote-author", lambda v, n: _quote(author=v, page="5"), shows=_shown),
    Point(
        "quote-url",
        lambda v, n: _quote(url=v, page="5"),
        warns=_unsafe,
        url="quote",
        baseline="https://example.org/harmless",
        latex_shows=False,
    ),
    Point(
        "quote-name",
        lambda v, n: [
            *_quote(name=_name(v, n), page="5"),
            f"See {role('ref', f'this <{fold(_name(v, n))}>')} and {role('numref', fold(_name(v, n)))}.",
            "",
        ],
        latex_shows=False,
    ),
    Point("quote-class", lambda v, n: _quote(**{"class": v, "page": "5"}), warns=_bad_class, latex_shows=False),
    Point(
        "quote-lang",
        lambda v, n: _quote(lang=v, page="5"),
        warns=lambda _: {"invalid_lang"},
        baseline="fr",
        latex_shows=False,
    ),
    # -- the quote body (reStructuredText: MyST passes raw HTML through by
    #    design, in a quote as anywhere else) --------------------------------
    Point(
        "quote-body",
        lambda v, n: [
            ".. quote::",
            "   :page: 5",
            f"   :name: body-{n}",
            "",
            *("   " + line for line in rst_escape(v.strip()).splitlines()),
            "",
            f"See :ref:`body-{n}` and :numref:`{{name}} <body-{n}>`.",
            "",
        ],
        shows=_shown,
        suffix="rst",
    ),
    # -- the quote body in MyST, written as text (backslash-escaped): the
    #    quote keeps it exactly, and its {ref} title, excerpt and JSON text --
    Point(
        "quote-body-md",
        lambda v, n: [
            *directive("quote", options={"page": "5", "name": f"bodymd-{n}"}, body=md_escape(v.strip())),
            f"See {role('ref', f'bodymd-{n}')} and {role('numref', f'{{name}} <bodymd-{n}>')}.",
            "",
        ],
        shows=_shown,
    ),
    # -- quote-source directive: key and options ----------------------------
    Point(
        "source-key",
        lambda v, n: [*directive("quote-source", _key(v, n), {"author": "Harmless Author"}), *_cited_key(_key(v, n).strip())],
        shows=lambda v, n: fold(_key(v, n)),
        unwritable=_no_newline,
    ),
    Point("source-title", _source_case("source-title", "title"), shows=_shown),
    Point("source-author", _source_case("source-author", "author"), shows=_shown),
    Point("source-year", _source_case("source-year", "year"), shows=_shown),
    Point(
        "source-url",
        _source_case("source-url", "url"),
        warns=_unsafe,
        url="source",
        baseline="https://example.org/harmless",
        latex_shows=False,
    ),
    Point("source-class", _source_case("source-class", "class"), warns=_bad_class, latex_shows=False),
    # -- quotefig_sources in conf.py ------------------------------------------
    Point(
        "conf-key",
        lambda v, n: [
            *_quote(source=_conf_key(v, n), page="5"),
            f"Link {role('quote-source', f'link <{_conf_key(v, n).strip()}>')}.",
            "",
            *directive("quote-index", options={"source": _conf_key(v, n)}),
        ],
        shows=lambda v, n: fold(_conf_key(v, n)),
        conf=lambda v, n: {_conf_key(v, n): {}},
    ),
    Point("conf-title", _conf_case("title"), shows=_shown, conf=_conf_entry("title")),
    Point("conf-author", _conf_case("author"), shows=_shown, conf=_conf_entry("author")),
    Point("conf-year", _conf_case("year"), shows=_shown, conf=_conf_entry("year")),
    Point(
        "conf-url",
        _conf_case("url"),
        url="source",
        conf=_conf_entry("url"),
        baseline="https://example.org/harmless",
        latex_shows=False,
    ),
    # -- roles ----------------------------------------------------------------
    Point(
        "q-words",
        lambda v, n: [f"Inline {role('q', f'said {v} end <k, 5>')}.", ""],
        shows=lambda v, n: fold(f"said {v} end"),
    ),
    Point(
        "q-key",
        lambda v, n: [f"Inline {role('q', f'words <{v}, 5>')}.", ""],
        shows=_shown,
        warns=lambda _: {"unknown_source"},
        unwritable=_no_angle_or_comma,
    ),
    Point("q-locator", lambda v, n: [f"Inline {role('q', f'words <k, {v}>')}.", ""], shows=_shown, unwritable=_no_angle),
    Point(
        "source-role-text",
        lambda v, n: [f"Link {role('quote-source', f'{v} <k>')}.", ""],
        shows=_shown,
        unwritable=lambda v: "'<' in a role's text starts its explicit target (Sphinx syntax)" if "<" in v else None,
    ),
    Point(
        "source-role-target",
        lambda v, n: [f"Link {role('quote-source', f'link <{v}>')}.", ""],
        warns=lambda _: {"unknown_source"},
        latex_shows=False,
    ),
    # -- quote-index ----------------------------------------------------------
    Point(
        "index-source",
        lambda v, n: directive("quote-index", options={"source": f"{v} i{n}"}),
        warns=lambda _: {"unknown_source"},
        latex_shows=False,
    ),
]
POINTS_BY_ID = {point.id: point for point in POINTS}
VECTORS_BY_ID = {vector.id: vector for vector in VECTORS}
BASELINE = Vector("baseline", "")


# ---------------------------------------------------------------------------
# The project
# ---------------------------------------------------------------------------


@dataclass(eq=False)
class Case:
    point: Point
    vector: Vector
    n: int
    value: str  # what was written
    section_id: str
    lines: tuple[int, int] = (0, 0)  # first and last line of the section

    @property
    def docname(self) -> str:
        return self.point.id

    @property
    def filename(self) -> str:
        return f"{self.point.id}.{self.point.suffix}"


CONF = """\
extensions = ["myst_parser", "sphinx_quotefig"]
project = "Injection"
smartquotes = False
numfig = True
version = "1.0"
epub_copyright = "2026"
exclude_patterns = ["_build"]
quotefig_sources = {sources!r}
"""


def unwritable(point: Point, vector: Vector) -> str | None:
    return point.unwritable(point.baseline if vector is BASELINE else vector.value)


def generate(srcdir: Path) -> dict[tuple[str, str], Case]:
    """Write the project; its cases by (point, vector) id."""
    cases: dict[tuple[str, str], Case] = {}
    sources: dict[str, dict] = {"k": {"title": "Harmless Source", "url": "https://example.org/k"}}
    for point in POINTS:
        if point.suffix == "rst":
            lines = [f"Point {point.id}", "=" * 40, ""]
        else:
            lines = [f"# Point {point.id}", ""]
        for n, vector in enumerate([BASELINE, *VECTORS]):
            if unwritable(point, vector):
                continue
            value = point.baseline if vector is BASELINE else vector.value
            heading = f"Case {point.id} {vector.id}"
            start = len(lines) + 1
            lines += [heading, "-" * 60, ""] if point.suffix == "rst" else [f"## {heading}", ""]
            lines += point.write(value, n)
            cases[(point.id, vector.id)] = Case(point, vector, n, value, nodes.make_id(heading), (start, len(lines)))
            if point.conf:
                sources.update(point.conf(value, n))
        (srcdir / f"{point.id}.{point.suffix}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    toctree = directive("toctree", options={"maxdepth": "1"}, body="\n".join(p.id for p in POINTS))
    index = ["# Injection", "", *toctree, "The citation index: {ref}`quote-index`.", ""]
    (srcdir / "index.md").write_text("\n".join(index), encoding="utf-8")
    (srcdir / "conf.py").write_text(CONF.format(sources=sources), encoding="utf-8")
    return cases


# ---------------------------------------------------------------------------
# Builds: read once, written by each builder (once per session)
# ---------------------------------------------------------------------------

#: builder variant -> (Sphinx builder, configuration overrides)
BUILDERS = {
    "html": ("html", {}),
    "html-figcaption": ("html", {"quotefig_markup": "figcaption"}),
    "singlehtml": ("singlehtml", {}),
    "dirhtml": ("dirhtml", {}),
    "epub": ("epub", {}),
    "latex": ("latex", {}),
}
HTML_VARIANTS = [name for name in BUILDERS if name != "latex"]
#: The figcaption markup changes only block quotes and source lines.
FIGCAPTION_POINTS = {p.id for p in POINTS if p.id.startswith(("quote-", "source-", "conf-")) and not p.id.startswith("quote-body")}


@dataclass(eq=False)
class Result:
    variant: str
    cases: dict[tuple[str, str], Case]
    outdir: Path
    warnings: str
    #: The first build, which read every document: it has every warning
    #: (later builds re-use its environment and repeat only write-time ones).
    complete: bool

    @property
    def builder(self) -> str:
        return BUILDERS[self.variant][0]

    # -- pages ---------------------------------------------------------------

    def page_path(self, docname: str) -> Path:
        if self.builder == "singlehtml":
            return self.outdir / "index.html"
        if self.builder == "dirhtml":
            return self.outdir / ("index.html" if docname == "index" else f"{docname}/index.html")
        if self.builder == "epub":
            return self.outdir / f"{docname}.xhtml"
        return self.outdir / f"{docname}.html"

    def pages(self) -> list[Path]:
        pattern = "*.xhtml" if self.builder == "epub" else "*.html"
        return sorted(p for p in self.outdir.rglob(pattern) if "_static" not in p.relative_to(self.outdir).parts)

    @cache  # noqa: B019 - results live for the session
    def soup(self, path: Path) -> BeautifulSoup:
        # EPUB's XHTML too is read as HTML: what a reading system's browser
        # engine sees (test_epub_pages_are_well_formed_xml checks it as XML).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            return BeautifulSoup(path.read_bytes(), "lxml")

    @cache  # noqa: B019
    def ids(self, path: Path) -> dict[str, Tag]:
        found: dict[str, Tag] = {}
        for tag in self.soup(path).find_all(id=True):
            found.setdefault(tag["id"], tag)
        return found

    def section(self, case: Case) -> Tag | None:
        return self.ids(self.page_path(case.docname)).get(case.section_id)

    @cache  # noqa: B019
    def tag_counts(self, case: Case) -> Counter:
        section = self.section(case)
        return Counter(tag.name for tag in section.find_all(True)) if section is not None else Counter()

    def outside_cases(self, path: Path) -> list[Tag]:
        """The elements of a page outside its (non-baseline) case sections,
        which each case checks itself."""
        hostile = {c.section_id for c in self.cases.values() if c.vector is not BASELINE}
        found, stack = [], [self.soup(path)]
        while stack:
            for child in stack.pop().children:
                if isinstance(child, Tag) and not (child.name == "section" and child.get("id") in hostile):
                    found.append(child)
                    stack.append(child)
        return found

    @cache  # noqa: B019
    def tex(self) -> str:
        return next(self.outdir.glob("*.tex")).read_text(encoding="utf-8")

    def tex_section(self, case: Case) -> str | None:
        tex = self.tex()
        label = f"\\label{{\\detokenize{{{case.docname}:{case.section_id}}}}}"
        start = tex.find(label)
        if start == -1:
            return None
        start += len(label)
        end = len(tex)
        for marker in ("\\section{", "\\chapter{", "\\sphinxstepscope", "\\end{document}"):
            position = tex.find(marker, start)
            if position != -1:
                end = min(end, position)
        return tex[start:end]

    # -- warnings ------------------------------------------------------------

    @cache  # noqa: B019
    def warning_records(self) -> list[tuple[str, int | None, str]]:
        """(file name, line, message) of each warning or error."""
        records: list[tuple[str, int | None, str]] = []
        pattern = re.compile(
            r"^(?:(?P<path>.*?):(?:(?P<line>\d+):)? )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE): (?P<msg>.*)$"
        )
        for line in self.warnings.splitlines():
            match = pattern.match(line)
            if match:
                path = match["path"] or ""
                records.append((Path(path).name, int(match["line"]) if match["line"] else None, match["msg"]))
            elif records:
                name, lineno, message = records[-1]
                records[-1] = (name, lineno, message + "\n" + line)
        return records

    def case_warnings(self, case: Case) -> list[str]:
        first, last = case.lines
        return [
            message
            for name, lineno, message in self.warning_records()
            if name == case.filename and lineno is not None and first <= lineno <= last
        ]


class Builds:
    """The project, generated once, and its build per variant, on demand.

    ``html`` is always built first, from scratch, so that it reports every
    warning; the other variants re-use its environment.
    """

    def __init__(self, root: Path) -> None:
        self.srcdir = root / "src"
        self.srcdir.mkdir()
        self.cases = generate(self.srcdir)
        self.results: dict[str, Result] = {}

    def __call__(self, variant: str) -> Result:
        if "html" not in self.results:
            self._build("html")
        if variant not in self.results:
            self._build(variant)
        return self.results[variant]

    def _build(self, variant: str) -> None:
        buildername, overrides = BUILDERS[variant]
        first = not self.results
        built = build_project(self.srcdir, buildername, dict(overrides), freshenv=first)
        # Each variant keeps its own output (html and html-figcaption share
        # a builder); a missing output directory makes the next build write
        # every page.
        outdir = built.outdir.with_name(f"out-{variant}")
        built.outdir.rename(outdir)
        self.results[variant] = Result(variant, self.cases, outdir, built.warnings, first)


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    return Builds(tmp_path_factory.mktemp("injection"))


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------

URL_ATTRIBUTES = (
    "href", "src", "cite", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset", "longdesc",
)  # fmt: skip
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def browser_url(value: str) -> str:
    """A URL as a browser reads its scheme: entities decoded (twice, in case
    an attribute was escaped once too few), invisible characters dropped,
    case folded."""
    return _INVISIBLE.sub("", html_lib.unescape(html_lib.unescape(value))).lower()


def _tags(root: Tag | list[Tag]) -> list[Tag]:
    return root if isinstance(root, list) else [root, *root.find_all(True)]


def unsafe_url_attributes(root: Tag | list[Tag]) -> list[str]:
    problems = []
    for tag in _tags(root):
        for name in URL_ATTRIBUTES:
            value = tag.get(name)
            for item in value if isinstance(value, list) else [value] if value is not None else []:
                if browser_url(item).startswith(UNSAFE_SCHEMES):
                    problems.append(f"<{tag.name} {name}={item!r}>")
    return problems


def event_handlers(root: Tag | list[Tag]) -> list[str]:
    return [f"<{tag.name} {name}={tag[name]!r}>" for tag in _tags(root) for name in tag.attrs if name.lower().startswith("on")]




def expected_id(name: str) -> str:
    return nodes.make_id(nodes.fully_normalize_name(name))


SAFE_ID = re.compile(r"^[A-Za-z][-A-Za-z0-9_.:]*$")
LATEX_SPECIALS = set("\\{}$&#^_~%")


def tex_escape(text: str) -> str:
    texescape.init()  # the tables are filled when the LaTeX builder loads
    return texescape.escape(text, "pdflatex")


def tex_link_targets(tex: str) -> list[str]:
    """The URL argument of every link command."""
    return [
        match[1]
        for match in re.finditer(r"\\(?:sphinxhref|href|url|sphinxurl|sphinxnolinkurl)\{((?:[^{}]|\{[^{}]*\})*)\}", tex)
    ]


def tex_to_url(argument: str) -> str:
    """Undo Sphinx's LaTeX escaping of a URL, for the scheme check."""
    text = argument.replace("\\textbackslash{}", "\\")
    text = re.sub(r"\\text\w+\{\}", "", text)
    text = re.sub(r"\\([%#&_{}$])", r"\1", text)
    return browser_url(text)


# ---------------------------------------------------------------------------
# Per case: (point, vector, builder)
# ---------------------------------------------------------------------------


def _cases() -> list[tuple[Point, Vector]]:
    """Every (point, vector) pair that can be written (``unwritable`` says
    why the others cannot: each a documented syntax of the markup)."""
    return [(point, vector) for point in POINTS for vector in VECTORS if not unwritable(point, vector)]


def _failures(check: Callable[[Point, Vector], None]) -> list[str]:
    """Run *check* on every case; the failures, each named by its case."""
    failed = []
    for point, vector in _cases():
        try:
            check(point, vector)
        except AssertionError as error:
            failed.append(f"{point.id} × {vector.id}: {error}".splitlines()[0][:400])
    return failed


def test_the_table_of_cases_is_exhaustive():
    """Every injection point meets every vector, except what its syntax
    cannot hold."""
    assert len(_cases()) > 0.95 * len(POINTS) * len(VECTORS)


@pytest.mark.parametrize("variant", list(BUILDERS))
def test_no_vector_injects_anything_at_any_point(builds, variant):
    """Each builder's output, for every point and vector: nothing injected,
    the hostile text shown as text, only the point's own warnings."""
    result = builds(variant)

    def check(point: Point, vector: Vector) -> None:
        if variant == "html-figcaption" and point.id not in FIGCAPTION_POINTS:
            return
        if (
            variant == "singlehtml"
            and point.id.endswith("-url")
            and vector.value.count("#") >= 2
            and sphinx.version_info < (9,)
        ):
            # Sphinx 8's singlehtml cuts every link at its second "#" (its
            # fix_refuris, for "#document-x#id" links): a relative URL
            # holding two is shortened, harmlessly, by Sphinx itself.
            return
        case = result.cases[(point.id, vector.id)]
        if variant == "latex":
            _check_latex_case(result, case)
        else:
            _check_html_case(result, case)
        # Whatever the builder: no traceback, nothing but the point's own
        # quotefig warnings (the first build has all of them: see below).
        found = result.case_warnings(case)
        assert [m for m in found if not re.search(r"\[quotefig\.\w+\]$", m)] == [], "warnings that are not quotefig's"
        subtypes = {m[1] for message in found if (m := re.search(r"\[quotefig\.(\w+)\]$", message))}
        assert subtypes <= point.warns(vector), found

    assert _failures(check) == []


def test_every_vector_at_every_point_gets_exactly_its_warnings(builds):
    """Exactly the point's warnings, at the case's line: an unsafe URL is
    never dropped silently."""
    result = builds("html")
    assert result.complete

    def check(point: Point, vector: Vector) -> None:
        case = result.cases[(point.id, vector.id)]
        found = result.case_warnings(case)
        subtypes = {m[1] for message in found if (m := re.search(r"\[quotefig\.(\w+)\]$", message))}
        assert subtypes == point.warns(vector), found
        if point.id == "conf-url":
            key = f"conf-url-{case.n}"
            located = [(name, message) for name, _, message in result.warning_records() if f"[{key!r}]" in message]
            if vector.unsafe_url:
                assert len(located) == 1, located
                name, message = located[0]
                assert name == "conf.py" and message.endswith("[quotefig.unsafe_url]"), located
            else:
                assert located == []

    assert _failures(check) == []


def _check_html_case(result: Result, case: Case) -> None:
    point, vector = case.point, case.vector
    section = result.section(case)
    assert section is not None, f"section #{case.section_id} missing from {result.page_path(case.docname)}"
    baseline = result.tag_counts(result.cases[(point.id, BASELINE.id)])
    assert baseline

    tags = _tags(section)
    extra = dict(Counter(tag.name for tag in tags[1:]) - baseline)
    assert not extra, f"elements injected: {extra}\n{section}"
    assert not any(tag.name == "script" for tag in tags), section
    assert event_handlers(tags) == [], section
    assert unsafe_url_attributes(tags) == [], section

    # The hostile text is shown, as text: not lost, not double-escaped.
    expected = point.shows(vector.value, case.n)
    if expected is not None:
        assert expected in fold(section.get_text()), f"{expected!r} not shown in\n{section}"

    figure = section.find("figure", class_="quote")
    if point.id.startswith("quote-") and point.id != "quote-body":
        assert figure is not None, f"the quote was dropped:\n{section}"
    if point.url:
        _check_url_case(case, section, figure)
    if point.id == "quote-name":
        wanted = expected_id(_name(vector.value, case.n))
        assert figure["id"] == wanted and SAFE_ID.match(wanted), (figure["id"], wanted)
        links = [a["href"] for a in section.find_all("a", href=True) if "headerlink" not in a.get("class", [])]
        assert len(links) == 2 and all(link.endswith("#" + wanted) for link in links), links
    if point.id in ("quote-class", "source-class"):
        element = figure if point.id == "quote-class" else section.find("p", class_="quote-source")
        assert element is not None, section
        wanted = ["quote" if point.id == "quote-class" else "quote-source", *_class_names(vector.value)]
        assert element["class"] == wanted and all(SAFE_ID.match(name) for name in element["class"])
    if point.id == "quote-lang":
        assert "lang" not in figure.attrs
    for tag in tags:
        assert "id" not in tag.attrs or SAFE_ID.match(tag["id"]), tag
    if point.id.startswith("quote-body"):
        words = fold(vector.value).split()
        title = " ".join(words[:8]) + ("\u2026" if len(words) > 8 else "")
        ref = section.find("span", class_="std-ref")
        assert ref is not None and fold(ref.get_text()) == title, section


def _check_url_case(case: Case, section: Tag, figure: Tag | None) -> None:
    point, vector = case.point, case.vector
    blockquote = figure.find("blockquote") if figure is not None else None
    assert blockquote is not None, section
    # A quote's :url: is stripped; a source's fields are whitespace-folded.
    written = case.value.strip() if point.url == "quote" else fold(case.value)
    quote = section.find("q")
    line = section.find("p", class_="quote-source")
    link = line.find("a") if line is not None else None
    if vector.unsafe_url:
        assert "cite" not in blockquote.attrs, blockquote
        if point.url == "source":
            assert link is None, link
            assert quote is not None and "cite" not in quote.attrs, quote
    else:
        # Exactly the URL, inside its attribute: nothing broke out.
        assert blockquote.get("cite") == written
        if point.url == "source":
            assert link is not None and link["href"] == written, line
            assert quote is not None and quote.get("cite") == written, quote


def _check_latex_case(result: Result, case: Case) -> None:
    point, vector = case.point, case.vector
    region = result.tex_section(case)
    assert region is not None, f"section {case.section_id} missing from the .tex"
    text = fold(region)
    value = fold(vector.value)
    if LATEX_SPECIALS & set(value):
        assert value not in text, f"raw {value!r} in LaTeX:\n{region}"
    for target in tex_link_targets(region):
        assert not tex_to_url(target).startswith(UNSAFE_SCHEMES), target
    if point.id == "quote-name":
        # The label is the id docutils made of the name; {ref} and {numref} reach it.
        target = f"\\detokenize{{quote-name:{expected_id(_name(vector.value, case.n))}}}"
        assert f"\\label{{{target}}}" in region and region.count(f"\\hyperref[{target}]") == 2, region
    expected = point.shows(vector.value, case.n)
    if expected is not None and point.latex_shows:
        assert tex_escape(expected) in text, f"{tex_escape(expected)!r} not in LaTeX:\n{region}"


# ---------------------------------------------------------------------------
# Per builder: whole pages, ids, the index, quotes.json, warnings, .tex
# ---------------------------------------------------------------------------

#: What the citation index (index.index_nodes) is made of.
INDEX_TAGS = {"div", "p", "strong", "cite", "span", "a", "ul", "li", "em"}
#: Sphinx's general index (which lists every quoted source).
GENINDEX_TAGS = {"table", "tbody", "tr", "td", "h2", "dl", "dt", "dd"}
#: Sphinx's search page, and the EPUB navigation document.
CHROME_TAGS = {"noscript", "nav", "ol"}


def _is_json_ld(tag: Tag) -> bool:
    """The page's schema.org data (structured_data.py): a data block the
    browser never runs, JSON with no "<" that could end the element."""
    if tag.attrs != {"type": "application/ld+json"}:
        return False
    text = tag.get_text()
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return "<" not in text and isinstance(data, dict) and set(data) == {"@context", "@graph"}


def _foreign_scripts(tags: list[Tag], allowed_inline: set[str]) -> list[str]:
    """Scripts that are neither a file of the theme (``_static/…``) nor one
    of the inline scripts of the root page."""
    foreign = []
    for tag in (tag for tag in tags if tag.name == "script"):
        src = re.sub(r"^(\.\./)+", "", tag.get("src", ""))
        if (src.startswith("_static/") or src == "searchindex.js") and not tag.get_text().strip() and set(tag.attrs) <= {"src", "defer"}:
            continue
        if not src and tag.get_text() in allowed_inline and not set(tag.attrs) - {"type"}:
            continue
        if _is_json_ld(tag):
            continue
        foreign.append(str(tag)[:200])
    return foreign


@pytest.mark.parametrize("variant", HTML_VARIANTS)
def test_pages_have_no_injected_markup(builds, variant):
    """Every written page: only the elements and scripts that the root page
    and the baseline cases have; no event handler, no unsafe URL."""
    result = builds(variant)
    root = result.outside_cases(result.page_path("index"))
    allowed = {tag.name for tag in root} | INDEX_TAGS | GENINDEX_TAGS | CHROME_TAGS
    inline = {tag.get_text() for tag in root if tag.name == "script" and not tag.get("src")}
    for case in result.cases.values():
        if case.vector is BASELINE:
            allowed |= {tag.name for tag in result.section(case).find_all(True)}
    failures = []
    for path in result.pages():
        outside = result.outside_cases(path)
        problems = {
            "unexpected elements": sorted({tag.name for tag in outside} - allowed),
            "scripts": _foreign_scripts(outside, inline),
            "event handlers": event_handlers(outside),
            "unsafe URLs": unsafe_url_attributes(outside),
        }
        if problems := {k: v for k, v in problems.items() if v}:
            failures.append(f"{path.relative_to(result.outdir)}: {problems}")
    assert failures == []


@pytest.mark.parametrize("variant", HTML_VARIANTS)
def test_ids_are_unique_and_safe(builds, variant):
    """A hostile name or key must not yield an unsafe id, nor one that
    clashes with another anchor of the page (links would land on it)."""
    result = builds(variant)
    failures = []
    for path in result.pages():
        ids = [tag["id"] for tag in result.soup(path).find_all(id=True)]
        duplicates = sorted(i for i, count in Counter(ids).items() if count > 1)
        unsafe = [i for i in ids if not SAFE_ID.match(i)]
        if duplicates or unsafe:
            failures.append((str(path.relative_to(result.outdir)), duplicates, unsafe))
    assert failures == []


INDEXED_POINTS = ("quote-source", "source-title", "source-author", "source-year", "conf-key", "conf-title", "conf-author", "conf-year")


@pytest.mark.parametrize("variant", ["html", "html-figcaption", "dirhtml", "epub"])
def test_citation_index_shows_hostile_text_as_text(builds, variant):
    """The standalone index lists every hostile title, author, year and key,
    as text (elements and URLs: test_pages_have_no_injected_markup)."""
    result = builds(variant)
    path = result.page_path("quote-index")
    assert path.exists()
    text = fold(result.soup(path).get_text())
    missing = [
        key
        for key, case in result.cases.items()
        if key[0] in INDEXED_POINTS and case.vector is not BASELINE and case.point.shows(case.value, case.n) not in text
    ]
    assert missing == []


def test_epub_pages_are_well_formed_xml(builds):
    from lxml import etree

    result = builds("epub")
    broken = []
    for path in result.pages():
        try:
            etree.fromstring(path.read_bytes())
        except etree.XMLSyntaxError as exc:
            broken.append(f"{path.name}: {exc}")
    assert broken == []


@pytest.mark.parametrize("variant", ["html", "dirhtml", "singlehtml"])
def test_quotes_json_is_valid_and_its_urls_safe(builds, variant):
    result = builds(variant)
    document = json.loads((result.outdir / "quotes.json").read_text(encoding="utf-8"))
    urls = [s["url"] for s in document["sources"]] + [s["page"] or "" for s in document["sources"]]
    urls += [q["url"] for q in document["quotes"]] + [q["quote_url"] for q in document["quotes"]]
    assert [url for url in urls if browser_url(url).startswith(UNSAFE_SCHEMES)] == []
    # Values are data: the hostile text is there as written (folded).
    authors = {q["author"] for q in document["quotes"]}
    assert [v.id for v in VECTORS if fold(v.value) not in authors] == []


@pytest.mark.parametrize("variant", list(BUILDERS))
def test_every_warning_belongs_to_a_case(builds, variant):
    """No traceback, and no warning outside the cases (each case checks its
    own); conf.py's unsafe URLs are checked with the conf-url cases."""
    result = builds(variant)
    assert "Traceback" not in result.warnings
    located = {(c.filename, line) for c in result.cases.values() for line in range(c.lines[0], c.lines[1] + 1)}
    stray = [
        record
        for record in result.warning_records()
        if (record[0], record[1]) not in located and not (record[0] == "conf.py" and record[2].endswith("[quotefig.unsafe_url]"))
    ]
    assert stray == []


def test_latex_escapes_everything(builds):
    """Nowhere in the .tex (cases, citation index) is a vector with LaTeX
    specials raw, nor an unsafe URL in a link."""
    tex = builds("latex").tex()
    body = fold(tex.split("\\begin{document}", 1)[1])
    assert [v.id for v in VECTORS if LATEX_SPECIALS & set(fold(v.value)) and fold(v.value) in body] == []
    assert "\\input{/etc/passwd}" not in body and "\\catcode`\\@" not in body and "\\def\\x" not in body
    assert [t for t in tex_link_targets(body) if tex_to_url(t).startswith(UNSAFE_SCHEMES)] == []
    assert body.count("\\end{document}") == 1


def test_latex_braces_balance(builds):
    """An unescaped brace from a vector would unbalance the document."""
    body = builds("latex").tex().split("\\begin{document}", 1)[1]
    body = re.sub(r"\\[\\{}%]", "", body)
    body = re.sub(r"(?m)%.*$", "", body)  # TeX comments
    depth = lowest = 0
    for char in body:
        depth += {"{": 1, "}": -1}.get(char, 0)
        lowest = min(lowest, depth)
    assert (depth, lowest) == (0, 0)


# ---------------------------------------------------------------------------
# Labels from conf.py (they are printed in every citation)
# ---------------------------------------------------------------------------

PAGE_LABEL = "<img src=x onerror=alert(1)> pg"
PAGES_LABEL = "\" onmouseover=\"alert(1) \\input{/etc/passwd} 100% $x$"

LABELS_CONF = f"""\
extensions = ["myst_parser", "sphinx_quotefig"]
quotefig_page_label = {PAGE_LABEL!r}
quotefig_pages_label = {PAGES_LABEL!r}
quotefig_sources = {{"k": {{"title": "Harmless Source"}}}}
"""

LABELS_PAGE = """\
# Labels

```{quote}
:source: k
:page: 5

One.
```

```{quote}
:source: k
:page: 27-28

Two.
```

Inline {q}`three <k, 9>`.

```{quote-index}
```
"""


@pytest.fixture(scope="module", params=["html", "latex"])
def labelled(request, tmp_path_factory):
    srcdir = tmp_path_factory.mktemp(f"labels-{request.param}")
    (srcdir / "conf.py").write_text(LABELS_CONF, encoding="utf-8")
    (srcdir / "index.md").write_text(LABELS_PAGE, encoding="utf-8")
    return request.param, build_project(srcdir, request.param)


def test_page_labels_from_conf_are_text(labelled):
    builder, built = labelled
    assert built.warning_lines() == []
    if builder == "latex":
        body = fold(next(built.outdir.glob("*.tex")).read_text(encoding="utf-8").split("\\begin{document}", 1)[1])
        for label, pages in ((PAGE_LABEL, "5"), (PAGES_LABEL, "27\\textendash{}28"), (PAGE_LABEL, "9")):
            assert f"{tex_escape(label)} {pages}" in body
        assert "\\input{/etc/passwd}" not in body and "100%" not in body
        return
    for page in ("index.html", "quote-index.html"):
        soup = BeautifulSoup((built.outdir / page).read_bytes(), "lxml")
        tags = _tags(soup)
        assert not any(tag.name == "img" for tag in tags)
        assert event_handlers(tags) == []
        text = fold(soup.get_text())
        assert f"{PAGE_LABEL} 5" in text and f"{PAGES_LABEL} 27\u201328" in text and f"{PAGE_LABEL} 9" in text
    labels = {q["locator"]["label"] for q in json.loads((built.outdir / "quotes.json").read_text(encoding="utf-8"))["quotes"]}
    assert labels == {f"{PAGE_LABEL} 5", f"{PAGES_LABEL} 27\u201328", f"{PAGE_LABEL} 9"}

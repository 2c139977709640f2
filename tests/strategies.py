"""Hypothesis strategies that write whole Sphinx projects using sphinx-quotefig.

A generated :class:`Project` is a small model — documents made of blocks
(paragraphs with ``q``/``quote-source``/``ref`` roles, ``quote-source``,
``quote`` and ``quote-index`` directives, bullet lists, list-tables, notes,
footnotes, nested quotes) plus a ``conf.py`` — and :func:`write_project`
renders it as MyST Markdown or reStructuredText files.

Option values are hostile on purpose: unknown keys, empty bodies, huge and
malformed locators, right-to-left text and bidi controls, combining marks,
emoji, C0/C1 control characters, HTML and script, ``javascript:`` URLs.
They are hostile for the *extension*, never for the markup: every value is
written so that docutils and MyST hand the directive exactly the value that
was generated (option values are one line; MyST values that its option
parser would misread are written as YAML double-quoted strings; prose is
backslash-escaped so that it stays literal text; fences nest by length).
A docutils or MyST warning about a generated document is therefore a bug
in this generator, not in the markup the author "meant".

The module also holds the *oracle*: what the documentation promises for the
values the pools below know the answer for (``5`` is a page, ``9-5`` is a
malformed one, ``javascript:`` is an unsafe URL), independently of the
implementation. Values drawn from :func:`hostile_text` have no promised
answer and are counted as "may warn".

Public API: :func:`projects`, :func:`documents`, :func:`hostile_text`,
:func:`write_project`, :func:`render_document`, :func:`render_conf`,
:func:`walk`, :func:`visibility`, :func:`expected_warnings`,
:func:`expected_figures`, :class:`Hostility`, the model classes, and the value
pools.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# -- value pools -------------------------------------------------------------

#: Characters that Python's str.splitlines() (and so docutils, and MyST's
#: option parser) treat as line breaks: never inside a one-line construct.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

HEBREW = "שלום עולם ציטוט"
ARABIC = "مرحبا بالعالم اقتباس"
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
COMBINING = "\u0301\u0308\u0336\u0338\u20dd"
EMOJI = ["😀", "👍🏽", "👩\u200d👩\u200d👧", "🇫🇷", "\U0001f9d1\u200d\U0001f4bb"]
CONTROLS = "\x01\x02\x07\x08\x1b\x7f\x80\x9b\x9f"
INVISIBLE = "\u200b\u200c\u200d\u00ad\ufeff\u2060"
ODD_SPACES = "\t\xa0\u2003\u3000"

#: Random text draws from this alphabet (no line breaks, no NUL).
ALPHABET = (
    string.ascii_letters
    + string.digits
    + "    "
    + string.punctuation
    + HEBREW
    + ARABIC
    + BIDI_CONTROLS
    + COMBINING
    + "".join(EMOJI)
    + CONTROLS
    + INVISIBLE
    + ODD_SPACES
    + "éüßçøåñ引用文ⅻ٥５§–—…«»„“”‘’"
)

#: Whole values that have broken many a renderer.
SNIPPETS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "' onmouseover='alert(3)",
    '" onmouseover="alert(4)',
    "<xss-probe>probe</xss-probe>",
    "javascript:alert(5)",
    "&lt;b&gt;not bold&lt;/b&gt;",
    "&amp; &#106; &colon;",
    "]]><!--",
    "{{7*7}} ${x} %s %(x)s {0}",
    "\\end{document}\\input{/etc/passwd}",
    "~^_$%#&{}",
    "*not emphasis* _nor this_ `nor code`",
    ":q:`role in option` {q}`myst role`",
    "[link](https://example.org) <https://example.org>",
    ".. raw:: html",
    "|substitution| target_ [#]_ [^1]",
    HEBREW,
    ARABIC,
    "\u202eevil.exe\u202c",
    "abc \u2067" + ARABIC + "\u2069 def",
    "e\u0301\u0302\u0303\u0304",
    "Z\u0336a\u0337l\u0338g\u0339o\u033a",
    "".join(EMOJI),
    "引用文献",
    "\x01\x02\x07\x1b[31mred\x1b[0m\x7f",
    "\u00ad\u200b\ufeff",
    "\x80\x9b\x9f",
    "nul\x00byte",
    "   padded   ",
    "",
]

#: :page: values the documentation promises are pages (no warning).
PAGES_OK = ["5", "27-28", "27--28", "27–28", "27 - 28", "xii", "XII", "xii-xiv", "5, 9", "5,9", "5, 9, 11-12", "i", "1-1"]
#: :page: values the documentation promises are malformed (a warning).
PAGES_BAD = [
    "9-5",
    "xii-5",
    "5-xii",
    "five",
    "5a",
    "-",
    ",,",
    "5,",
    ",5",
    "5--",
    "-5",
    "٥",
    "５",
    "ⅻ",
    "iiii",
    "1234567890",
    "9" * 10_000,
    "1-" * 3000,
]
#: Free locators, including a huge one.
LOCATORS = ["ch. 3", "§ 2.1", "00:14:32", "Rule 13", "fol. 12r", ("§ 1.2 \u202e" + HEBREW + " ") * 500]

#: URLs the documentation promises are kept.
URLS_SAFE = [
    "https://example.org/report.pdf#page=5",
    "http://example.org/?a=1&b=2",
    "mailto:someone@example.org",
    "../notes/report.html#p5",
    "/files/report.pdf",
    "#section",
    "//example.org/path",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/<script>alert(1)</script>",
    "https://例え.jp/引用?q=שלום",
]
#: URLs the documentation promises are refused (quotefig.unsafe_url).
URLS_UNSAFE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\x01script:alert(1)",
    "&#106;avascript:alert(1)",
    "java&#x09;script:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://example.org/file",
    "file:///etc/passwd",
    "tel:+123",
    "foo&x:bar",
]

#: :lang: values that are BCP 47 tags (no warning) and ones that are not.
LANGS_OK = ["fr", "de-CH", "pt-BR", "zh-Hant-TW", "he", "ar", "en-US-u-ca-gregory"]
LANGS_BAD = ["not a tag!", "en_US", "-en", "en-", "fr--ca", "<script>", "1en", '"onmouseover="x']

#: Source keys: one word each (a directive argument), some of them hostile.
KEYS_PLAIN = ["report", "book", "diary"]
KEYS_HOSTILE = [
    "Report",
    "REPORT",
    "none",
    "None",
    "ünïcødé",
    "עברית",
    "مصدر",
    "😀",
    "引用",
    'a"b',
    "x'y",
    "a&amp;b",
    "k<script>",
    "a,b",
    "figure-1",
    "e\u0301",
    "\u202ereport",
    "k" * 300,
]
KEYS = KEYS_PLAIN + KEYS_HOSTILE
#: Keys that can stand inside a role's ``<key, locator>``.
ROLE_KEYS = [k for k in KEYS if not set(k) & set(",<>`\\")]

#: :name: values (labels and HTML ids), colliding on purpose with the ids
#: the extension and Sphinx make.
NAMES = [
    "quote-efficacy",
    "Figure 1",
    "figure-1",
    "figure-2",
    "q-1",
    "source-report",
    "quote-index",
    "genindex",
    "cité",
    "ציטוט",
    "引用",
    "😀",
    "<script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "a  b",
    "A B",
    "",
    "n" * 200,
]
#: :class: values docutils can make class names of, and ones it cannot.
CLASSES_OK = ["epigraph", "My Class", 'a"b', "x y z", "élan", "<script>", "pull-quote wide", "1abc"]
CLASSES_BAD = ["???", "", "😀", "ציטוט"]

#: Option names neither directive knows, and both directives' names (each is
#: unknown to the other directive).
UNKNOWN_OPTIONS = ["colour", "publishers", "page-range", "loc", "onclick", "on-mouse-over", "script", "données", "x_y"]
QUOTE_OPTIONS = ("source", "page", "locator", "author", "url", "name", "class", "lang")
SOURCE_OPTIONS = ("title", "author", "year", "url", "class", "hidden", "type", "editor", "container", "publisher", "pages", "doi", "isbn")
INDEX_OPTIONS = ("source",)

# -- the model ---------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Literal text (escaped when rendered)."""

    text: str


@dataclass(frozen=True)
class Emph:
    text: str


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class QRole:
    """``q`` role: *words*, then `` <citation>`` unless citation is None."""

    words: str
    citation: str | None = None

    @property
    def content(self) -> str:
        if self.citation is None:
            return self.words
        return f"{self.words} <{self.citation}>".lstrip()


@dataclass(frozen=True)
class SourceRole:
    """``quote-source`` role: ``key`` or ``text <key>``."""

    key: str
    text: str | None = None

    @property
    def content(self) -> str:
        return self.key if self.text is None else f"{self.text} <{self.key}>"


@dataclass(frozen=True)
class Ref:
    """``ref`` (or ``numref``) to a label."""

    target: str
    numref: bool = False


Inline = Text | Emph | Link | QRole | SourceRole | Ref


@dataclass(frozen=True)
class Paragraph:
    """One line of prose; always starts with a :class:`Text`."""

    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class Comment:
    text: str


@dataclass(frozen=True)
class Heading:
    """A section heading: *text*, then a ``q`` role unless *quote* is None."""

    text: str
    quote: QRole | None = None


Options = tuple[tuple[str, str | None], ...]  # None: a bare flag


@dataclass(frozen=True)
class QuoteSource:
    key: str
    options: Options = ()


@dataclass(frozen=True)
class Quote:
    """``quote`` directive. ``empty`` is ``""`` when the body is *body*, else
    how the body is missing: ``"none"`` (no lines), ``"blank"`` (blank and
    whitespace lines) or ``"comment"`` (a comment and nothing else)."""

    options: Options = ()
    body: tuple[Block, ...] = ()
    empty: str = ""
    fence: str = "`"  # MyST: "`" or ":" (colon_fence)


@dataclass(frozen=True)
class QuoteIndex:
    options: Options = ()


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class Table:
    """A ``list-table``: rows of cells of blocks (every row as wide)."""

    rows: tuple[tuple[tuple[Block, ...], ...], ...]


@dataclass(frozen=True)
class Note:
    body: tuple[Block, ...]


@dataclass(frozen=True)
class Footnoted:
    """A paragraph ending in a footnote reference, then the footnote (whose
    first block is a paragraph)."""

    paragraph: Paragraph
    note: tuple[Block, ...]


@dataclass(frozen=True)
class Only:
    """``only`` with *expr*: its body is shown where the builder's tags match."""

    expr: str
    body: tuple[Block, ...]


@dataclass(frozen=True)
class IfConfig:
    """``ifconfig`` with an expression on a real setting, true or false."""

    shown: bool
    body: tuple[Block, ...]


#: ``only`` expressions, and whether an HTML builder shows their body.
ONLY_EXPRESSIONS = {"html": True, "latex": False, "html or text": True, "not html": False}
#: The setting ``ifconfig`` tests (BASE_CONF sets it; fuzzed projects never change it).
IFCONFIG_EXPRESSIONS = {True: "version == '1.0'", False: "version != '1.0'"}


Block = Paragraph | Comment | Heading | QuoteSource | Quote | QuoteIndex | BulletList | Table | Note | Footnoted | Only | IfConfig


@dataclass(frozen=True)
class Document:
    name: str  # docname, without suffix
    fmt: str  # "md" or "rst"
    title: str | None
    blocks: tuple[Block, ...]
    title_quote: QRole | None = None  # a ``q`` role after the title's text

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.fmt}"


@dataclass(frozen=True)
class Project:
    documents: tuple[Document, ...]
    conf: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.documents)


# -- walking the model ---------------------------------------------------------


def children(block: Block) -> Iterator[Block]:
    if isinstance(block, Quote):
        yield from block.body
    elif isinstance(block, BulletList):
        for item in block.items:
            yield from item
    elif isinstance(block, Table):
        for row in block.rows:
            for cell in row:
                yield from cell
    elif isinstance(block, (Note, Only, IfConfig)):
        yield from block.body
    elif isinstance(block, Footnoted):
        yield block.paragraph
        yield from block.note


def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, depth first, in document order."""
    for block in blocks:
        yield block
        yield from walk(tuple(children(block)))


def shown_in_html(block: Block) -> bool:
    """Whether an HTML builder shows *block*'s body (``only``, ``ifconfig``)."""
    if isinstance(block, Only):
        return ONLY_EXPRESSIONS[block.expr]
    if isinstance(block, IfConfig):
        return block.shown
    return True


def walk_shown(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block an HTML builder shows, depth first, in document order."""
    for block in blocks:
        yield block
        if shown_in_html(block):
            yield from walk_shown(tuple(children(block)))


def inlines(blocks: tuple[Block, ...]) -> Iterator[Inline]:
    for block in walk(blocks):
        if isinstance(block, Paragraph):
            yield from block.inlines


# -- rendering -----------------------------------------------------------------

_ASCII_PUNCT = frozenset(string.punctuation)


def one_line(value: str) -> str:
    """*value* with line breaks replaced by spaces."""
    return "".join(" " if c in LINE_BREAKS else c for c in value)


def escape(text: str) -> str:
    """Literal text in both MyST and rST: every ASCII punctuation character
    backslash-escaped, surrounding whitespace dropped, one line."""
    text = one_line(text).strip()
    return "".join("\\" + c if c in _ASCII_PUNCT else c for c in text)


def _yaml_double_quoted(value: str) -> str:
    out = []
    for c in value:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029\ufeff":
            out.append(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _myst_parses_to(line: str, key: str, value: str) -> bool:
    from myst_parser.parsers.options import TokenizeError, options_to_items

    try:
        items, state = options_to_items(line)
    except TokenizeError:
        return False
    return items == [(key, value)] and not state.has_comments


def myst_option(name: str, value: str | None) -> str:
    """``:name: value`` such that MyST's option parser reads back *value*."""
    if not value:
        return f":{name}:"
    if _myst_parses_to(f"{name}: {value}", name, value):
        return f":{name}: {value}"
    quoted = _yaml_double_quoted(value)
    if _myst_parses_to(f"{name}: {quoted}", name, value):
        return f":{name}: {quoted}"
    raise ValueError(f"cannot write {value!r} as a MyST option")  # pragma: no cover


def rst_option(name: str, value: str | None) -> str:
    """``:name: value`` (docutils uses NUL as its escape marker: left out)."""
    value = (value or "").replace("\x00", "")
    return f":{name}: {value}" if value else f":{name}:"


def effective_value(fmt: str, value: str | None) -> str:
    """The option value the directive receives (docutils strips the field
    body of an rST option; MyST reads the value back exactly)."""
    if value is None:
        return ""
    return value.replace("\x00", "").strip() if fmt == "rst" else value


def _fence_depth(block: Block) -> int:
    """How many fenced constructs nest in *block*, itself included."""
    inner = max((_fence_depth(child) for child in children(block)), default=0)
    if isinstance(block, (Quote, QuoteSource, QuoteIndex, Table, Note, Only, IfConfig)):
        return inner + 1
    return inner


def _indent(lines: list[str], prefix: str) -> list[str]:
    return [prefix + line if line.strip() else "" for line in lines]


def _hang(lines: list[str], first: str, rest: str) -> list[str]:
    """Lines of a list item: *first* before the first line, *rest* before
    the others."""
    out = []
    for position, line in enumerate(lines):
        if position == 0:
            out.append(first + line)
        else:
            out.append(rest + line if line.strip() else "")
    return out


class _Renderer:
    def __init__(self, fmt: str, heading: str = "##") -> None:
        self.fmt = fmt
        self.footnotes = 0
        self.heading = heading  # MyST: "#" when the document has no title

    # inline ------------------------------------------------------------------

    def role(self, name: str, content: str) -> str:
        return f"{{{name}}}`{content}`" if self.fmt == "md" else f":{name}:`{content}`"

    def inline(self, item: Inline) -> str:
        if isinstance(item, Text):
            return escape(item.text)
        if isinstance(item, Emph):
            return f"*{item.text}*"
        if isinstance(item, Link):
            return f"[{item.text}]({item.url})" if self.fmt == "md" else f"`{item.text} <{item.url}>`__"
        if isinstance(item, QRole):
            return self.role("q", item.content)
        if isinstance(item, SourceRole):
            return self.role("quote-source", item.content)
        if isinstance(item, Ref):
            return self.role("numref" if item.numref else "ref", item.target)
        raise TypeError(item)

    def paragraph(self, paragraph: Paragraph) -> str:
        return " ".join(part for part in (self.inline(i) for i in paragraph.inlines) if part)

    def title(self, text: str, quote: QRole | None, marker: str, underline: str) -> list[str]:
        """A title or heading line: MyST's *marker* before it, or rST's
        *underline* below (long enough for any width of characters)."""
        line = escape(text) + (" " + self.inline(quote) if quote is not None else "")
        return [f"{marker} {line}"] if self.fmt == "md" else [line, underline * (2 * len(line) + 2)]

    # blocks ------------------------------------------------------------------

    def blocks(self, blocks: tuple[Block, ...]) -> list[str]:
        lines: list[str] = []
        for position, block in enumerate(blocks):
            if position:
                lines.append("")
            lines.extend(self.block(block))
        return lines

    def directive(self, block: Block, name: str, argument: str, options: Options, body: list[str] | None) -> list[str]:
        if self.fmt == "md":
            fence_char = block.fence if isinstance(block, Quote) else "`"
            fence = fence_char * (2 + _fence_depth(block))
            head = f"{fence}{{{name}}}" + (f" {argument}" if argument else "")
            lines = [head, *(myst_option(k, v) for k, v in options)]
            if body is not None:
                lines += ["", *body]
            return [*lines, fence]
        head = f".. {name}::" + (f" {argument}" if argument else "")
        lines = [head, *("   " + rst_option(k, v) for k, v in options)]
        if body is not None:
            lines += ["", *_indent(body, "   ")]
        return lines

    def block(self, block: Block) -> list[str]:
        if isinstance(block, Paragraph):
            return [self.paragraph(block)]
        if isinstance(block, Comment):
            return [f"% {block.text}"] if self.fmt == "md" else [f".. {block.text}"]
        if isinstance(block, Heading):
            return self.title(block.text, block.quote, self.heading, "-")
        if isinstance(block, QuoteSource):
            return self.directive(block, "quote-source", block.key, block.options, None)
        if isinstance(block, QuoteIndex):
            return self.directive(block, "quote-index", "", block.options, None)
        if isinstance(block, Quote):
            if block.empty == "none":
                body = None
            elif block.empty == "blank":
                body = ["", "    ", ""] if self.fmt == "md" else [" "]
            elif block.empty == "comment":
                body = self.block(Comment("just a comment in an otherwise empty quote"))
            else:
                body = self.blocks(block.body)
            return self.directive(block, "quote", "", block.options, body)
        if isinstance(block, Note):
            return self.directive(block, "note", "", (), self.blocks(block.body))
        if isinstance(block, Only):
            return self.directive(block, "only", block.expr, (), self.blocks(block.body))
        if isinstance(block, IfConfig):
            return self.directive(block, "ifconfig", IFCONFIG_EXPRESSIONS[block.shown], (), self.blocks(block.body))
        if isinstance(block, BulletList):
            lines: list[str] = []
            for position, item in enumerate(block.items):
                if position:
                    lines.append("")
                lines += _hang(self.blocks(item), "- ", "  ")
            return lines
        if isinstance(block, Table):
            rows: list[str] = []
            for row in block.rows:
                for column, cell in enumerate(row):
                    rows += _hang(self.blocks(cell), "* - " if column == 0 else "  - ", "    ")
            return self.directive(block, "list-table", "", (), rows)
        if isinstance(block, Footnoted):
            self.footnotes += 1
            label = f"fn{self.footnotes}"
            first, *rest = block.note
            assert isinstance(first, Paragraph)
            if self.fmt == "md":
                ref, marker, indent = f"[^{label}]", f"[^{label}]: ", "    "
            else:
                ref, marker, indent = f"[#{label}]_", f".. [#{label}] ", "   "
            lines = [self.paragraph(block.paragraph) + " " + ref, "", marker + self.paragraph(first)]
            if rest:
                lines += ["", *_indent(self.blocks(tuple(rest)), indent)]
            return lines
        raise TypeError(block)


def render_document(document: Document, toctree: tuple[str, ...] = ()) -> str:
    """The document's source text (with a toctree of *toctree* at the end)."""
    renderer = _Renderer(document.fmt, "##" if document.title is not None else "#")
    lines: list[str] = []
    if document.title is not None:
        lines += renderer.title(document.title, document.title_quote, "#", "=")
        lines.append("")
    lines += renderer.blocks(document.blocks)
    if toctree:
        lines.append("")
        # Explicit titles: a document may have none of its own.
        entries = [f"Page {name} <{name}>" for name in toctree]
        if document.fmt == "md":
            lines += ["```{toctree}", *entries, "```"]
        else:
            lines += [".. toctree::", "", *("   " + entry for entry in entries)]
    return "\n".join(lines) + "\n"


BASE_CONF = {
    "extensions": ["myst_parser", "sphinx_quotefig", "sphinx.ext.ifconfig"],
    "myst_enable_extensions": ["colon_fence"],
    "exclude_patterns": ["_build"],
    # The epub builder warns without them.
    "version": "1.0",
    "copyright": "2025, fuzz",
}


def render_conf(project: Project) -> str:
    conf = {**BASE_CONF, **project.conf}
    return "".join(f"{name} = {value!r}\n" for name, value in conf.items())


def render_project(project: Project) -> dict[str, str]:
    """File name -> text, ``conf.py`` included. The first document is the
    root and lists the others in its toctree."""
    root, *others = project.documents
    files = {"conf.py": render_conf(project)}
    files[root.filename] = render_document(root, tuple(d.name for d in others))
    for document in others:
        files[document.filename] = render_document(document)
    return files


def write_project(project: Project, srcdir: Path) -> Path:
    srcdir.mkdir(parents=True, exist_ok=True)
    for name, text in render_project(project).items():
        (srcdir / name).write_text(text, encoding="utf-8")
    return srcdir


# -- strategies: text ------------------------------------------------------------


#: Spaces and byte order marks opening a text: docutils drops a BOM that
#: starts a file, and an rST title would then start with spaces (an
#: indented block, not a title).
_LEADING_BLANK = re.compile(r"^[\s\ufeff]+")


def _nonblank(text: str) -> bool:
    # A byte order mark counts as blank: docutils drops one that starts a
    # file, so an rST title of nothing else would be no title at all.
    return bool(text.replace("\ufeff", " ").split())


def hostile_text(max_size: int = 30) -> st.SearchStrategy[str]:
    """One line of hostile text: a known-bad snippet, random characters from
    :data:`ALPHABET`, or a mix of both."""
    random = st.text(alphabet=ALPHABET, max_size=max_size)
    piece = st.one_of(st.sampled_from(SNIPPETS), random)
    return st.one_of(st.sampled_from(SNIPPETS), random, st.lists(piece, min_size=2, max_size=3).map(" ".join))


def _without(chars: str, text: str) -> str:
    return "".join(c for c in text if c not in chars)


def prose_text() -> st.SearchStrategy[str]:
    """Text for paragraphs and titles: anything, as long as it shows."""
    return hostile_text(40).map(lambda t: _LEADING_BLANK.sub("", _without("\x00", t)).strip()).filter(_nonblank)


def role_text(exclude: str = "") -> st.SearchStrategy[str]:
    """Text that can stand between a role's backticks (no backtick, no
    backslash, no surrounding whitespace)."""
    return hostile_text(24).map(lambda t: _without("`\\\x00" + exclude, t).strip())


WORDS = st.text(alphabet=string.ascii_letters + "éüßשלוםمرحبا引用", min_size=1, max_size=10)
SAFE_WORDS = st.lists(WORDS, min_size=1, max_size=3).map(" ".join)


def _huge(pieces: list[str], size: int = 10_000) -> st.SearchStrategy[str]:
    return st.sampled_from(pieces).map(lambda p: (p * (size // max(len(p), 1) + 1))[:size])


def option_value(directive: str, name: str) -> st.SearchStrategy[str | None]:
    """A value for option *name* of *directive* (known or not)."""
    text = hostile_text()
    if name == "hidden" and directive == "quote-source":
        return st.none()
    if name == "source":
        return st.one_of(st.sampled_from(KEYS), st.just(""), text)
    if name == "page":
        return st.one_of(st.sampled_from(PAGES_OK), st.sampled_from(PAGES_BAD), text)
    if name == "locator":
        return st.one_of(st.sampled_from(LOCATORS), _huge(["§ 1.2 ", HEBREW, "x"]), text)
    if name == "url":
        return st.one_of(st.sampled_from(URLS_SAFE), st.sampled_from(URLS_UNSAFE), text)
    if name == "name":
        return st.sampled_from(NAMES)
    if name == "class":
        return st.sampled_from(CLASSES_OK)
    if name == "lang":
        return st.one_of(st.sampled_from(LANGS_OK), st.sampled_from(LANGS_BAD), text)
    if name == "year":
        return st.one_of(st.sampled_from(["2015", "MMXV", "c. 1850", "-44"]), text)
    return st.one_of(text, st.just(""), st.none())


def _options(directive: str, known: tuple[str, ...], unknown: bool, hostile_values: dict[str, list[str]]) -> st.SearchStrategy[Options]:
    strangers = UNKNOWN_OPTIONS + [n for n in QUOTE_OPTIONS + SOURCE_OPTIONS if n not in known] if unknown else []

    @st.composite
    def build(draw: st.DrawFn) -> Options:
        chosen = draw(st.lists(st.sampled_from(known), unique=True, max_size=4))
        if strangers and draw(st.integers(0, 3)) == 0:
            chosen += draw(st.lists(st.sampled_from(strangers), unique=True, min_size=1, max_size=2))
        chosen = draw(st.permutations(chosen)) if len(chosen) > 1 else chosen
        options = []
        for name in chosen:
            value = draw(option_value(directive, name) if name in known else option_value("", name))
            if name in hostile_values and draw(st.booleans()):
                value = draw(st.sampled_from(hostile_values[name]))
            options.append((name, None if value is None else one_line(value)))
        return tuple(options)

    return build()


# -- strategies: blocks ----------------------------------------------------------


@dataclass(frozen=True)
class Hostility:
    """Which hostile inputs to generate. Every switch is on by default; the
    switches exist so that, while one known bug is unfixed, a run can look
    past it for others."""

    #: :class: values docutils cannot turn into class names (``???``, ``""``).
    bad_class: bool = True
    #: A value after the ``:hidden:`` flag (``:hidden: yes``).
    flag_values: bool = True
    #: Unknown options on ``quote-index``.
    index_unknown_options: bool = True
    #: Comments: comment-only quote bodies, and comment blocks anywhere.
    comments: bool = True


DEFAULT_HOSTILITY = Hostility()


def q_roles() -> st.SearchStrategy[QRole]:
    locator = st.one_of(st.sampled_from(PAGES_OK + PAGES_BAD[:-2] + LOCATORS[:-1]), role_text("<>"))
    key = st.sampled_from(ROLE_KEYS)
    citation = st.one_of(
        st.none(),
        st.none(),
        st.none(),
        key,
        st.tuples(key, locator).map(lambda kl: f"{kl[0]}, {kl[1]}"),
        locator.map(lambda loc: f", {loc}"),
        st.just(""),
        st.tuples(key, locator, locator).map(", ".join),
    )
    return st.builds(QRole, role_text(), citation).filter(lambda r: bool(r.content.strip()))


def source_roles() -> st.SearchStrategy[SourceRole]:
    return st.one_of(
        st.builds(SourceRole, st.sampled_from(ROLE_KEYS)),
        st.builds(SourceRole, st.sampled_from(ROLE_KEYS + ["", "nowhere"]), role_text("<>").filter(_nonblank)),
    )


def paragraphs() -> st.SearchStrategy[Paragraph]:
    inline = st.one_of(
        prose_text().map(Text),
        SAFE_WORDS.map(Emph),
        st.builds(Link, SAFE_WORDS, st.sampled_from(["https://example.org/", "http://example.org/a?b=c"])),
        q_roles(),
        q_roles(),
        source_roles(),
    )
    return st.builds(lambda first, rest: Paragraph((Text(first), *rest)), prose_text(), st.lists(inline, max_size=4))


def quote_sources(hostility: Hostility = DEFAULT_HOSTILITY) -> st.SearchStrategy[QuoteSource]:
    hostile = {"class": CLASSES_BAD} if hostility.bad_class else {}
    if hostility.flag_values:
        hostile["hidden"] = ["yes", "x"]
    options = st.one_of(st.just(()), _options("quote-source", SOURCE_OPTIONS, True, hostile))
    return st.builds(QuoteSource, st.sampled_from(KEYS), options)


def quote_indexes(hostility: Hostility = DEFAULT_HOSTILITY) -> st.SearchStrategy[QuoteIndex]:
    return st.builds(QuoteIndex, _options("quote-index", INDEX_OPTIONS, hostility.index_unknown_options, {}))


COMMENTS = SAFE_WORDS.map(lambda w: "comment " + w)


def quotes(body: st.SearchStrategy[tuple[Block, ...]], hostility: Hostility = DEFAULT_HOSTILITY) -> st.SearchStrategy[Quote]:
    hostile = {"class": CLASSES_BAD} if hostility.bad_class else {}
    options = _options("quote", QUOTE_OPTIONS, True, hostile)
    empties = ["none", "blank"] + (["comment"] if hostility.comments else [])
    fence = st.sampled_from(["`", ":"])
    # About one quote in four has no body to speak of.
    empty = st.sampled_from(["", "", "", "", "", "", "", "", *empties])

    @st.composite
    def build(draw: st.DrawFn) -> Quote:
        kind = draw(empty)
        return Quote(draw(options), () if kind else draw(body), kind, draw(fence))

    return build()


def blocks(depth: int = 2, top: bool = False, hostility: Hostility = DEFAULT_HOSTILITY) -> st.SearchStrategy[tuple[Block, ...]]:
    """A sequence of blocks nested at most *depth* containers deep; *top*
    allows headings and ``quote-index`` (outside any container)."""
    return _blocks(depth, top, hostility)


_CACHE: dict[tuple, st.SearchStrategy] = {}


def _blocks(depth: int, top: bool, hostility: Hostility, tables: bool = True) -> st.SearchStrategy[tuple[Block, ...]]:
    """*tables*: whether a list-table may appear (Sphinx's text, man and
    texinfo writers cannot nest tables)."""
    cache_key = (depth, top, hostility, tables)
    if cache_key in _CACHE:
        return _CACHE[cache_key]
    paragraph = paragraphs()
    leaves: list[st.SearchStrategy[Block]] = [paragraph, paragraph, quote_sources(hostility)]
    if hostility.comments:
        leaves.append(st.builds(Comment, COMMENTS))
    if top:
        # Headings with a quotation: every copy of a title must render it.
        leaves += [st.builds(Heading, prose_text(), st.none() | q_roles()), quote_indexes(hostility)]
    kinds = list(leaves)
    if depth > 0:
        inner = _blocks(depth - 1, False, hostility, tables)
        kinds += [
            quotes(inner, hostility),
            quotes(inner, hostility),
            quotes(inner, hostility),
            st.lists(inner, min_size=1, max_size=3).map(lambda items: BulletList(tuple(items))),
            st.builds(Note, inner),
            st.builds(lambda p, first, rest: Footnoted(p, (first, *rest)), paragraph, paragraph, st.lists(inner, max_size=1).map(lambda r: r[0] if r else ())),
        ]
        if tables:
            kinds.append(_tables(_blocks(depth - 1, False, hostility, tables=False)))
        if top:
            # Quotes some builders show and others not: each listed exactly
            # where shown. (Never inside a quote: its text is all recorded.)
            kinds += [
                st.builds(Only, st.sampled_from(sorted(ONLY_EXPRESSIONS)), inner),
                st.builds(IfConfig, st.booleans(), inner),
            ]
    else:
        kinds.append(quotes(st.lists(paragraph, min_size=1, max_size=2).map(tuple), hostility))
    strategy = st.lists(st.one_of(kinds), min_size=1, max_size=6 if top else 3).map(tuple)
    _CACHE[cache_key] = strategy
    return strategy


def _tables(cell: st.SearchStrategy[tuple[Block, ...]]) -> st.SearchStrategy[Table]:
    @st.composite
    def build(draw: st.DrawFn) -> Table:
        width = draw(st.integers(1, 3))
        rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width).map(tuple), min_size=1, max_size=2))
        return Table(tuple(rows))

    return build()


# -- strategies: documents and projects ---------------------------------------

DOCNAMES = ["d1", "d2", "d3", "notes", "données", "עברית", "引用", "zz"]


def documents(
    name: str = "index", fmt: str | None = None, depth: int = 2, titled: bool = False, hostility: Hostility = DEFAULT_HOSTILITY
) -> st.SearchStrategy[Document]:
    """A document; *titled* ones always have a title (Sphinx warns about an
    untitled document in a toctree)."""
    titles = [prose_text(), st.just(f"Document {name}")] + ([] if titled else [st.none()])
    return st.builds(
        Document,
        st.just(name),
        st.just(fmt) if fmt else st.sampled_from(["md", "rst"]),
        st.one_of(titles),
        blocks(depth, top=True, hostility=hostility),
        st.none() | st.none() | q_roles(),
    )


def _conf_sources() -> st.SearchStrategy[dict]:
    fields = st.dictionaries(
        st.sampled_from(["title", "author", "year", "url", "publisher", "doi", "colour"]),
        st.one_of(hostile_text(), st.sampled_from(URLS_SAFE + URLS_UNSAFE), st.integers(-5, 2025), st.none(), st.just(["a list"]), st.just(1.5)),
        max_size=4,
    )
    entry = st.one_of(fields, fields, fields, st.sampled_from(["not a dict", None, 5, ["x"]]))
    key = st.one_of(st.sampled_from(KEYS), st.sampled_from(["", " ", "a b", " report", "report "]), st.just(5))
    return st.dictionaries(key, entry, max_size=4)


def confs() -> st.SearchStrategy[dict[str, Any]]:
    optional = {
        "quotefig_sources": _conf_sources(),
        "numfig": st.booleans(),
        "quotefig_markup": st.sampled_from(["footer", "figcaption", "aside"]),
        "quotefig_page_label": st.sampled_from(["pg", "p.", "", "<b>pg</b>", "ص"]),
        "quotefig_pages_label": st.sampled_from([None, "pp.", "<i>pp</i>"]),
        "quotefig_index": st.booleans(),
        "quotefig_excerpt_words": st.sampled_from([12, 1, 3, 0, -5]),
        "language": st.sampled_from(["en", "de", "fr", "ar", "he", "ja"]),
        # Not empty: epub wants a title. No markup: themes print the project
        # name as HTML (alabaster's logo), which is Sphinx's affair, not ours.
        "project": prose_text().map(lambda t: _without("<>", t).strip()).filter(_nonblank),
    }
    return st.fixed_dictionaries({}, optional=optional)


#: Labels Sphinx itself defines (a quote named so gets "duplicate label").
RESERVED_LABELS = {"genindex", "modindex", "search", "quote-index"}


def _label(name: str) -> str:
    return " ".join(name.split()).lower()


def _ref_targets(documents: tuple[Document, ...]) -> list[str]:
    """Labels a ``ref`` can show: of quotes that render with words, used by
    no other quote of the project."""
    named: list[tuple[str, bool]] = []
    for document in documents:
        for block in walk(document.blocks):
            if isinstance(block, Quote) and "name" in dict(block.options):
                value = _fold(effective_value(document.fmt, dict(block.options)["name"]))
                usable = bool(value) and not set(value) & set("<>`\\") and visibility(block) == YES
                named.append((value, usable))
    labels = Counter(_label(value) for value, _ in named)
    return [value for value, usable in named if usable and labels[_label(value)] == 1 and _label(value) not in RESERVED_LABELS]


@st.composite
def projects(draw: st.DrawFn, min_docs: int = 1, max_docs: int = 5, depth: int = 2, hostility: Hostility = DEFAULT_HOSTILITY) -> Project:
    """A project of *min_docs*..*max_docs* documents, MyST and rST mixed, the
    first (``index``) holding the toctree of the others; ``ref`` and
    ``numref`` roles point at labelled quotes of the project."""
    count = draw(st.integers(min_docs, max_docs))
    names = ["index"]
    pool = iter(DOCNAMES)
    while len(names) < count:
        names.append(next(pool, None) or f"doc{len(names)}")
    docs = [draw(documents(name, depth=depth, titled=name != "index", hostility=hostility)) for name in names]
    conf = draw(confs())
    targets = _ref_targets(tuple(docs))
    refs: list[Inline] = [Ref("quote-index")]
    refs += [Ref(t) for t in targets]
    if conf.get("numfig"):
        refs += [Ref(t, numref=True) for t in targets]
    chosen = draw(st.lists(st.sampled_from(refs), max_size=3))
    if chosen:
        where = draw(st.integers(0, len(docs) - 1))
        extra = Paragraph((Text("See"), *chosen))
        docs[where] = replace(docs[where], blocks=(*docs[where].blocks, extra))
    return Project(tuple(docs), conf)


# -- the oracle -------------------------------------------------------------------

#: Subtypes whose count per document the oracle knows (bounds).
ORACLE_SUBTYPES = (
    "empty_quote",
    "locator_conflict",
    "malformed_page",
    "unsafe_url",
    "invalid_lang",
    "unknown_option",
    "invalid_option",
)

YES, NO, MAYBE = "yes", "no", "maybe"


def _fold(value: str) -> str:
    return " ".join(value.split())


def visibility(block: Block) -> str:
    """Whether *block* shows a reader something, as warnings.md defines an
    empty quote ("no body, or nothing a reader would see (only comments)"):
    ``"yes"``, ``"no"``, or ``"maybe"`` where the documentation does not say
    (a body of only ``quote-source`` lines, or containers of nothing)."""
    if isinstance(block, (Paragraph, Heading, Footnoted)):
        return YES
    if isinstance(block, Comment):
        return NO
    if isinstance(block, (QuoteSource, QuoteIndex)):
        return MAYBE
    if isinstance(block, Quote):
        if block.empty:
            return NO
        inner = [visibility(child) for child in block.body]
        return YES if YES in inner else MAYBE if MAYBE in inner else NO
    inner = [visibility(child) for child in children(block)]
    return YES if YES in inner else MAYBE


def expected_warnings(document: Document) -> dict[str, tuple[int, int]]:
    """Subtype -> (at least, at most) warnings that *document*'s directives
    must give, from what the documentation promises (docs/reference).

    An unknown option always warns. A quote that is not rendered (empty) may
    or may not also report its bad option values: the documentation does
    not say."""
    must: Counter[str] = Counter()
    may: Counter[str] = Counter()
    fmt = document.fmt

    def unknown(options: Options, known: tuple[str, ...], certain: bool = True) -> None:
        for name, _ in options:
            if name not in known:
                (must if certain else may)["unknown_option"] += 1

    def url(value: str | None, sure: bool) -> None:
        if value is None:
            return
        stripped = effective_value(fmt, value).strip()
        if stripped in (u.strip() for u in URLS_UNSAFE):
            (must if sure else may)["unsafe_url"] += 1
        elif stripped and stripped not in URLS_SAFE:
            may["unsafe_url"] += 1

    def classes(value: str | None, sure: bool) -> None:
        words = effective_value(fmt, value).split()
        bad = sum(1 for word in words if word in CLASSES_BAD)
        (must if sure else may)["invalid_option"] += bad
        if value is not None and not words:
            may["invalid_option"] += 1  # an empty :class: (not a word)

    for block in walk(document.blocks):
        if isinstance(block, QuoteSource):
            unknown(block.options, SOURCE_OPTIONS)
            options = dict(block.options)
            url(options.get("url"), True)
            if "class" in options:
                classes(options["class"], True)
            if _fold(effective_value(fmt, options.get("hidden"))):
                must["invalid_option"] += 1
        elif isinstance(block, QuoteIndex):
            unknown(block.options, INDEX_OPTIONS, certain=False)
        elif isinstance(block, Quote):
            unknown(block.options, QUOTE_OPTIONS)
            shown = visibility(block)
            if shown == NO:
                must["empty_quote"] += 1
            elif shown == MAYBE:
                may["empty_quote"] += 1
            sure = shown == YES
            count = must if sure else may
            options = {k: effective_value(fmt, v) for k, v in block.options}
            page, locator = _fold(options.get("page", "")), _fold(options.get("locator", ""))
            if page and locator:
                count["locator_conflict"] += 1
            if page in PAGES_BAD:
                count["malformed_page"] += 1
            elif page and page not in PAGES_OK:
                may["malformed_page"] += 1
            url(dict(block.options).get("url"), sure)
            if "class" in options:
                classes(dict(block.options)["class"], sure)
            lang = options.get("lang")
            if lang is not None:
                if lang in LANGS_BAD:
                    count["invalid_lang"] += 1
                elif lang not in LANGS_OK:
                    may["invalid_lang"] += 1
    return {subtype: (must[subtype], must[subtype] + may[subtype]) for subtype in ORACLE_SUBTYPES}


def expected_figures(document: Document) -> tuple[int, int]:
    """(at least, at most) ``figure.quote`` elements the document renders:
    every quote that shows something; those that may or may not, may."""
    shown = Counter(visibility(b) for b in walk_shown(document.blocks) if isinstance(b, Quote))
    hidden_notes = Counter(
        visibility(b) for b in _hidden_footnote_blocks(document.blocks) if isinstance(b, Quote)
    ) if document.fmt == "md" else Counter()
    return shown[YES], shown[YES] + shown[MAYBE] + hidden_notes[YES] + hidden_notes[MAYBE]


def _hidden_footnote_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Blocks of footnote definitions inside an ``only`` or ``ifconfig`` an HTML
    builder hides. MyST gathers footnote definitions at the end of the document,
    out of the directive that held them, so whether they show is MyST's to say:
    they may."""
    for block in blocks:
        if shown_in_html(block):
            yield from _hidden_footnote_blocks(tuple(children(block)))
        else:
            for inner in walk(tuple(children(block))):
                if isinstance(inner, Footnoted):
                    yield from walk(inner.note)


__all__ = [
    "DEFAULT_HOSTILITY",
    "ORACLE_SUBTYPES",
    "Block",
    "BulletList",
    "Comment",
    "Document",
    "Emph",
    "Footnoted",
    "Heading",
    "Hostility",
    "IfConfig",
    "Link",
    "Note",
    "Only",
    "Paragraph",
    "Project",
    "QRole",
    "Quote",
    "QuoteIndex",
    "QuoteSource",
    "Ref",
    "SourceRole",
    "Table",
    "Text",
    "blocks",
    "confs",
    "documents",
    "escape",
    "expected_figures",
    "expected_warnings",
    "hostile_text",
    "inlines",
    "projects",
    "render_conf",
    "render_document",
    "render_project",
    "visibility",
    "walk",
    "write_project",
]

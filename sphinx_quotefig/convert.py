"""Convert blog posts with ``<figure class="quote">`` blocks into MyST.

``python -m sphinx_quotefig convert POST [POST ...] [-o OUT | --out-dir DIR]``

Posts are HTML, or Markdown with embedded HTML and YAML front matter (the
Jekyll form of the reference post).  Each ``figure.quote`` becomes a ``quote``
directive; Markdown text is kept as written; other HTML goes through
markdownify, and stays raw HTML where Markdown has no equivalent.

This module must import fast and without Sphinx: it is a command-line tool.
"""

from __future__ import annotations

import argparse
import bisect
import copy
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

PROG = "sphinx-quotefig"
INPUT_SUFFIXES = (".html", ".htm", ".md", ".markdown", ".txt")
HTML_SUFFIXES = (".html", ".htm")


@dataclass
class Source:
    """What ``--source-*`` declares: emitted as a ``quote-source`` directive."""

    key: str
    title: str | None = None
    author: str | None = None
    year: str | None = None
    url: str | None = None


@dataclass
class Result:
    markdown: str
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, text)


# --------------------------------------------------------------------------
# Markdown text helpers

# A backslash before ASCII punctuation would start an escape sequence.
_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
# Backticks start code, `<tag` raw HTML, `&name;` an entity, `{name}` before
# code a role, `](` a link.  (Brackets alone stay: `[sic]` is common.)
_MD_SPECIAL = re.compile(r"`|<(?=[A-Za-z/!?])|&(?=#?\w+;)|\{(?=[\w.:+-]+\})|\](?=\()")
# What turns the start of a line into something else: a heading (also `===`
# under a line), a list item, a quote, a rule (`---`), a block break (+++), a
# code fence (~~~), a MyST comment (%), colon fence or target (`(label)=`), an
# ordered list (`1984. `).
_BLOCK_START = re.compile(
    r"(?:#{1,6}|[-+>]|=+|\+{3})(?=\s|$)|-{2}|~{3}|%|:{3}|\([^)]*\)=|\d{1,9}(?=[.)](?:\s|$))"
)


def md_escape(text: str) -> str:
    """Escape plain text so that Markdown shows it as it is."""
    text = _BACKSLASH.sub(r"\\\\", text)
    text = text.replace("*", r"\*").replace("_", r"\_")
    return _MD_SPECIAL.sub(r"\\\g<0>", text)


def protect_block_start(text: str) -> str:
    """Escape text that would not be read as a paragraph at a block's start."""
    match = _BLOCK_START.match(text)
    if not match:
        return text
    if match.group(0)[:1].isdigit():  # escape the `.` of `1984.`
        return text[: match.end()] + "\\" + text[match.end() :]
    return "\\" + text


def normalize_space(text: str) -> str:
    return " ".join(text.split())


def fence_for(body: str, char: str = "`") -> str:
    """A fence longer than any fence-like run at the start of a body line."""
    runs = re.findall(rf"^[ \t>]*({re.escape(char)}{{3,}})", body, re.MULTILINE)
    return char * max([3] + [len(run) + 1 for run in runs])


def option_value(value: object) -> str:
    """One-line option value that MyST's option parser reads back unchanged.

    Newlines would end the option, and a leading quote, colon, `|`, `>` or a
    ` #` (comment) change how it is read, so such values are double-quoted.
    """
    text = normalize_space(str(value))
    if (text and text[0] in "'\"|>#:") or " #" in text:
        text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def directive(name: str, argument: str, options: dict, body: str = "") -> str:
    options = {key: value for key, value in options.items() if value and str(value).strip()}
    lines = [f"{{{name}}} {argument}".rstrip()]
    lines += [f":{key}: {option_value(value)}" for key, value in options.items()]
    if body:
        # The blank line keeps a body that starts with `:` or `---` from
        # being read as options.
        lines += ["", body]
    fence = fence_for(body)
    return fence + "\n".join(lines) + "\n" + fence


# --------------------------------------------------------------------------
# Citations: `pg 5` -> page, anything else -> locator

_ROMAN = r"(?=[ivxlcdm])m*(?:c[md]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})"
_ARABIC = r"\d+"


def _page_list(number: str) -> str:
    one = rf"(?:{number})(?:\s*[-\u2010-\u2015]\s*(?:{number}))?"
    return rf"{one}(?:\s*,\s*{one})*"


# A page label makes roman numerals pages (`pg xii`); bare text only counts
# as a page when it is arabic numbers (`5`, `5-7`), since `mix` is a word.
_LABELLED_PAGE = re.compile(
    rf"(?:pages?|pgs?|pp?)\.?\s*({_page_list(f'{_ARABIC}|{_ROMAN}')})\.?", re.IGNORECASE
)
_BARE_PAGE = re.compile(_page_list(r"\d+"))


def citation_options(text: str) -> dict[str, str]:
    """Map the text of a figure's citation to `page` or `locator`."""
    text = normalize_space(text).lstrip("\u2014\u2013- ")  # `— pg 5`
    match = _LABELLED_PAGE.fullmatch(text) or _BARE_PAGE.fullmatch(text)
    if match:
        page = match.group(match.lastindex or 0)
        page = re.sub(r"\s*[-\u2010-\u2015]\s*", "-", page)
        return {"page": re.sub(r"\s*,\s*", ", ", page)}
    return {"locator": text} if text else {}


# --------------------------------------------------------------------------
# HTML -> Markdown, with figure.quote -> {quote}

_AUTOMATIC_ID = re.compile(r"figure-\d+")
# CommonMark only reads these as the start of a multi-line HTML block.
_HTML_BLOCK_TAGS = set(
    "address article aside blockquote body caption center col colgroup dd details "
    "dialog dir div dl dt fieldset figcaption figure footer form frame frameset "
    "h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu "
    "menuitem nav noframes ol optgroup option p param search section summary "
    "table tbody td tfoot th thead title tr track ul".split()
)
# HTML elements that start an HTML block when a line begins with them; as in
# kramdown (Jekyll), the block runs to the matching end tag, blank lines and
# all, so a figure with several <p> stays one block.
_BLOCK_ELEMENTS = _HTML_BLOCK_TAGS | set(
    "audio canvas embed math noscript object pre script style svg video".split()
)


def raw_html_block(el: Tag) -> str:
    """`el` as a raw HTML block MyST passes through unchanged.

    A blank line ends an HTML block in CommonMark, so blank lines go; tags
    CommonMark does not know as block starts are wrapped in a `<div>`.
    """
    html = "\n".join(line.rstrip() for line in str(el).splitlines() if line.strip())
    if el.name not in _HTML_BLOCK_TAGS:
        html = f"<div>\n{html}\n</div>"
    return f"\n\n{html}\n\n"


def _is_block(el) -> bool:
    return isinstance(el, Tag) and (el.name in _BLOCK_ELEMENTS or el.name == "[document]")


def _code_language(el: Tag) -> str:
    for tag in (el, el.find("code")):
        for cls in (tag.get("class") or []) if tag else []:
            if cls.startswith(("language-", "lang-")):
                return cls.split("-", 1)[1]
    return ""


class Unconvertible(Exception):
    """A figure.quote that has no `{quote}` equivalent."""


class QuoteConverter(MarkdownConverter):
    """markdownify with `figure.quote` -> `{quote}` and raw HTML fallbacks."""

    def __init__(self, line_offset: int = 0, warnings: list | None = None):
        super().__init__(
            heading_style="atx",
            bullets="-",
            newline_style="backslash",
            # Collapse source whitespace: `wrap` without a width never wraps.
            wrap=True,
            wrap_width=None,
        )
        self.line_offset = line_offset
        self.warnings = [] if warnings is None else warnings

    def escape(self, text, parent_tags):
        return md_escape(text) if text else ""

    def process_text(self, el, parent_tags=None):
        text = super().process_text(el, parent_tags=parent_tags)
        if {"pre", "_noformat"} & set(parent_tags or ()):
            return text
        # markdownify trims text only next to the blocks it knows; figures
        # and raw blocks are blocks too.  Text opening a block must stay a
        # paragraph.
        previous = el.previous_sibling
        line_start = _is_block(previous) or getattr(previous, "name", None) == "br"
        if line_start or (previous is None and _is_block(el.parent)):
            text = protect_block_start(text.lstrip())
        if _is_block(el.next_sibling):
            text = text.rstrip()
        return text

    def convert_pre(self, el, text, parent_tags):
        text = text.strip("\n")
        fence = fence_for(text)
        return f"\n\n{fence}{_code_language(el)}\n{text}\n{fence}\n\n" if text else ""

    def convert_figure(self, el, text, parent_tags):
        if "quote" in (el.get("class") or []):
            try:
                return f"\n\n{self.quote_directive(el)}\n\n"
            except Unconvertible as exc:
                figure_id = f' "{el["id"]}"' if el.get("id") else ""
                line = self.line_offset + (el.sourceline or 1)
                message = f"could not convert figure{figure_id}: {exc}; kept as raw HTML"
                self.warnings.append((line, message))
        # An image figure with its caption has no Markdown equivalent.
        return raw_html_block(el)

    def quote_directive(self, figure: Tag) -> str:
        """The `{quote}` directive for `figure`; raises Unconvertible."""
        figure = copy.copy(figure)  # the citation is removed from it below
        quote = figure.find("blockquote", recursive=False) or figure.find("blockquote")
        if quote is None:
            raise Unconvertible("no <blockquote>")
        # The citation: `footer > cite` as in the seed, else the footer or
        # figcaption text.  A footer at the end of the blockquote is
        # attribution too (a common pattern), not quoted text.  Only direct
        # children: a nested quote's footer is not this one's.
        footer = (
            figure.find("footer", recursive=False)
            or figure.find("figcaption", recursive=False)
            or quote.find("footer", recursive=False)
        )
        options: dict[str, str] = {}
        if footer is not None:
            cite = footer.find("cite") or footer
            options.update(citation_options(cite.get_text(" ")))
            link = cite.find("a", href=True)
            options["url"] = link["href"] if link else ""
            footer.extract()
        if quote.get("cite"):
            options["url"] = quote["cite"]
        if figure.get("id") and not _AUTOMATIC_ID.fullmatch(figure["id"]):
            options["name"] = figure["id"]
        extra_classes = [c for c in figure.get("class") or [] if c != "quote"]
        options["class"] = " ".join(extra_classes)
        options["lang"] = figure.get("lang") or quote.get("lang") or ""
        body = self.quote_body(quote)
        if not body:
            raise Unconvertible("empty <blockquote>")
        return directive("quote", "", options, body)

    def quote_body(self, quote: Tag) -> str:
        # Convert the children only: as a <div>, markdownify adds no `> `.
        quote.name = "div"
        body = self.process_tag(quote, parent_tags=set()).strip("\n")
        return re.sub(r"\n{3,}", "\n\n", body)

    def convert_q(self, el, text, parent_tags):
        # The extension's inline quotation role, when the text allows it.
        plain = normalize_space(el.get_text())
        if el.find(True) is None and plain and "`" not in plain and not plain.endswith(">"):
            return f"{{q}}`{plain}`"
        return super().convert_q(el, text, parent_tags)

    # Markdown has no syntax for these: keep them as raw HTML.
    def _raw_block(self, el, text, parent_tags):
        return raw_html_block(el)

    def _raw_inline(self, el, text, parent_tags):
        return normalize_space(str(el))

    convert_audio = convert_canvas = convert_details = convert_embed = _raw_block
    convert_form = convert_iframe = convert_math = convert_object = _raw_block
    convert_svg = convert_video = _raw_block
    convert_abbr = convert_del = convert_ins = convert_mark = _raw_inline
    convert_s = convert_small = convert_sub = convert_sup = convert_u = _raw_inline


def html_to_markdown(html: str | Tag, line_offset: int = 0, warnings: list | None = None) -> str:
    """Convert HTML (a string or parsed tree) to MyST Markdown."""
    if isinstance(html, str):
        html = BeautifulSoup(html, "html.parser")
    converter = QuoteConverter(line_offset, warnings)
    return converter.process_tag(html, parent_tags=set()).strip()


# --------------------------------------------------------------------------
# Markdown with embedded HTML blocks

_VOID_ELEMENTS = {"base", "col", "embed", "frame", "hr", "link", "param", "track"}
_HTML_START = re.compile(r" {0,3}<(?:(!--)|([A-Za-z][\w-]*)(?=[\s/>]|$))")
_CODE_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def _html_block_end(body: str, start: int, tag: str | None) -> int:
    """Offset just after the HTML block starting at `start`."""
    if tag is None:  # a comment
        end = body.find("-->", start)
        return len(body) if end < 0 else end + 3
    if tag in _VOID_ELEMENTS:
        return body.find(">", start) + 1 or len(body)
    pattern = re.compile(rf"<!--.*?-->|<(/?){tag}(?=[\s/>])[^>]*?(/?)>", re.IGNORECASE | re.DOTALL)
    depth = 0
    for match in pattern.finditer(body, start):
        if match.group(0).startswith("<!--") or match.group(2):
            if depth == 0 and match.group(2):
                return match.end()
            continue
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    blank = re.compile(r"\n[ \t]*\n").search(body, start)  # unclosed: CommonMark's rule
    return blank.start() if blank else len(body)


def split_html_blocks(body: str) -> list[tuple[str, str, int]]:
    """Split Markdown into `("md" | "html", text, first_line_index)` chunks."""
    lines = body.splitlines(keepends=True)
    starts = list(accumulate(map(len, lines), initial=0))  # offset of each line
    chunks: list[tuple[str, str, int]] = []
    md_from = line = 0
    fence = None  # the opening fence while inside a fenced code block
    while line < len(lines):
        text = lines[line]
        html = None if fence else _HTML_START.match(text)
        if fence:  # nothing inside a code block is HTML
            if re.fullmatch(rf" {{0,3}}{fence[0]}{{{len(fence)},}}\s*", text):
                fence = None
        elif match := _CODE_FENCE.match(text):
            fence = match.group(1)
        elif html and (html.group(1) or html.group(2).lower() in _BLOCK_ELEMENTS):
            tag = html.group(2) and html.group(2).lower()
            end = _html_block_end(body, starts[line], tag)
            end_line = bisect.bisect_right(starts, end - 1)  # the line after the block
            if tag is None:  # a comment is valid Markdown as it is: skip over it
                line = end_line
                continue
            if md_from < line:
                chunks.append(("md", body[starts[md_from] : starts[line]], md_from))
            chunks.append(("html", body[starts[line] : starts[end_line]], line))
            md_from = line = end_line
            continue
        line += 1
    if md_from < len(lines):
        chunks.append(("md", body[starts[md_from] :], md_from))
    return chunks


# --------------------------------------------------------------------------
# Whole documents

_FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?\n)??(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
# Jekyll page settings that mean nothing to Sphinx.
_DROPPED_KEYS = {"title", "layout", "permalink"}


def _is_simple(value: object) -> bool:
    scalar = (str, int, float, bool, date)  # date also covers datetime
    if isinstance(value, list):
        return bool(value) and all(isinstance(item, scalar) for item in value)
    return isinstance(value, scalar) and value != ""


def _plain(value: object) -> object:
    """Dates as text: MyST shows front matter values as strings anyway."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return str(value) if isinstance(value, date) else value


def split_front_matter(text: str, warnings: list) -> tuple[dict, str, int]:
    """Return (front matter, body, number of lines before the body)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, 0
    try:
        data = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as exc:
        warnings.append((1, f"could not read front matter ({normalize_space(str(exc))}); dropped"))
        data = {}
    if not isinstance(data, dict):
        warnings.append((1, "front matter is not a mapping; dropped"))
        data = {}
    return data, text[match.end() :], match.group(0).count("\n")


def convert(text: str, *, is_html: bool = False, source: Source | None = None) -> Result:
    """Convert one post (HTML, or Markdown with HTML blocks) to MyST."""
    result = Result("")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body, body_line = split_front_matter(text, result.warnings)
    title = meta.get("title")
    if is_html or re.match(r"\s*<(!doctype|html)\b", body, re.IGNORECASE):
        soup = BeautifulSoup(body, "html.parser")
        root = soup.body or soup
        if not title and soup.title and not root.find("h1"):
            title = soup.title.get_text()
        parts = [html_to_markdown(root, body_line, result.warnings)]
    else:
        parts = []
        for kind, chunk, line in split_html_blocks(body):
            if kind == "md":  # already Markdown: keep it as written
                parts.append(chunk.strip("\n"))
            else:
                parts.append(html_to_markdown(chunk, body_line + line, result.warnings))
    content = "\n\n".join(part for part in parts if part.strip())

    head = []
    kept = {k: _plain(v) for k, v in meta.items() if k not in _DROPPED_KEYS and _is_simple(v)}
    if kept:
        dumped = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False)
        head.append(f"---\n{dumped}---")
    if title:
        head.append("# " + md_escape(normalize_space(str(title))))
    if source:
        content, placed = _place_source(content, source)
        if not placed:
            head.append(_source_directive(source))
    if not head and content.startswith("---"):
        content = "\\" + content  # MyST would read it as front matter
    result.markdown = "\n\n".join([*head, content]).strip("\n") + "\n"
    return result


def _source_directive(source: Source) -> str:
    options = {
        "title": source.title,
        "author": source.author,
        "year": source.year,
        "url": source.url,
    }
    return directive("quote-source", source.key, options)


def _place_source(content: str, source: Source) -> tuple[str, bool]:
    """Put the source directive in place of the post's own title line.

    Only when the paragraph right before the first quote *is* the
    `--source-title` (as the seed's report title is): the directive renders
    that line, so keeping both would show it twice.
    """
    first_quote = re.search(r"^`{3,}\{quote\}", content, re.MULTILINE)
    if not source.title or not first_quote:
        return content, False
    before = content[: first_quote.start()].rstrip("\n")
    head, _, last = before.rpartition("\n\n")
    if normalize_space(last) not in (
        normalize_space(source.title),
        normalize_space(md_escape(source.title)),
    ):
        return content, False
    pieces = [head, _source_directive(source), content[first_quote.start() :]]
    return "\n\n".join(piece for piece in pieces if piece), True


# --------------------------------------------------------------------------
# Command line


class UsageError(Exception):
    """A one-line error for the user; exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Tools for sphinx-quotefig.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    conv = commands.add_parser(
        "convert",
        help='convert posts with <figure class="quote"> to MyST',
        description="Convert HTML or Markdown posts whose quotations are "
        '<figure class="quote"> blocks into MyST documents with quote directives.',
    )
    conv.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        type=Path,
        help="a post (.html, .htm, .md, .markdown, .txt) or a directory of them",
    )
    target = conv.add_mutually_exclusive_group()
    target.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the MyST document to FILE (default: standard output)",
    )
    target.add_argument(
        "--out-dir", type=Path, metavar="DIR", help="write each INPUT to DIR/<stem>.md"
    )
    src = conv.add_argument_group("source", "declare the quoted work with a quote-source directive")
    src.add_argument(
        "--source-key", metavar="KEY", help="key of the source (needed by the options below)"
    )
    for name in ("title", "author", "year", "url"):
        src.add_argument(f"--source-{name}", metavar=name.upper(), help=f"the source's {name}")
    return parser


def _source_from(args: argparse.Namespace) -> Source | None:
    given = {n: getattr(args, f"source_{n}") for n in ("title", "author", "year", "url")}
    if args.source_key is None:
        if any(value is not None for value in given.values()):
            raise UsageError(
                "--source-title/--source-author/--source-year/--source-url need --source-key"
            )
        return None
    # The key is the directive argument and appears in `{q}` roles: one word.
    if not re.fullmatch(r"[^\s<>,`]+", args.source_key):
        raise UsageError(f"invalid --source-key {args.source_key!r}: use one word without <>,`")
    return Source(args.source_key, **given)


def _expand_inputs(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
            )
            if not found:
                raise UsageError(f"{path}: no {', '.join(INPUT_SUFFIXES)} files in this directory")
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or directory")
    return files


def _targets(files: list[Path], args: argparse.Namespace) -> list[Path | None]:
    """Where each input goes (None: standard output), refusing to overwrite inputs."""
    if args.out_dir is None:
        if len(files) > 1:
            raise UsageError("several inputs need --out-dir DIR")
        targets = [args.output]
    else:
        targets = [args.out_dir / f"{path.stem}.md" for path in files]
        if len(set(targets)) < len(targets):
            raise UsageError("two inputs have the same name stem; convert them separately")
    sources = {path.resolve() for path in files}
    for target in targets:
        if target is not None and target.resolve() in sources:
            raise UsageError(f"{target}: refusing to overwrite an input file")
    return targets


def run_convert(args: argparse.Namespace) -> int:
    source = _source_from(args)
    files = _expand_inputs(args.inputs)
    status = 0
    for path, target in zip(files, _targets(files, args), strict=True):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            _error(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}")
            status = 2
            continue
        try:
            result = convert(text, is_html=path.suffix.lower() in HTML_SUFFIXES, source=source)
        except Exception as exc:  # a bug; still one line, never a traceback
            _error(f"{path}: cannot convert ({type(exc).__name__}: {exc}); please report this")
            status = 2
            continue
        for line, message in result.warnings:
            print(f"{path}:{line}: warning: {message}", file=sys.stderr)
        if target is None:
            sys.stdout.write(result.markdown)
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(result.markdown, encoding="utf-8")
        except OSError as exc:
            _error(f"{target}: cannot write: {exc.strerror or exc}")
            status = 2
    return status


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return run_convert(args)
    except UsageError as exc:
        _error(str(exc))
        return 2
    except BrokenPipeError:  # `... | head`: stop quietly, also at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # e.g. an unreadable directory
        _error(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

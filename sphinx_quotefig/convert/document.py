"""One post (HTML, or Markdown with HTML blocks) -> one MyST document."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

import yaml
from bs4 import BeautifulSoup

from .frontmatter import post_date, split_front_matter
from .liquid import restore_raw, rewrite_liquid
from .html import BLOCK_ELEMENTS, article_of, html_to_markdown, is_attribution_paragraph
from .markup import directive, md_escape, normalize_space, outside_code_fences
from .mdquotes import convert_quotes
from .quotation import Context
from .report import Report
from .works import Works

# Jekyll page settings that mean nothing to Sphinx.
_DROPPED_KEYS = {"title", "layout", "permalink"}


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
    report: Report = field(default_factory=Report)
    title: str = ""
    date: str = ""
    meta: dict = field(default_factory=dict)
    images: list[str] = field(default_factory=list)  # local image paths as written


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
        elif html and (html.group(1) or html.group(2).lower() in BLOCK_ELEMENTS):
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


def _html_chunk(chunk: str, context: Context, line: int) -> str:
    """An HTML block; `markdown="1"` blocks and figures holding a Markdown
    quotation are read as the Markdown they hold."""
    soup = BeautifulSoup(chunk, "html.parser")
    root = soup.find(True)
    if root is not None and root.get("markdown") in ("1", "block", "span"):
        inner = chunk.strip()
        inner = inner[inner.find(">") + 1 : inner.rfind("<")]
        return _markdown(_dedent(inner), context, line)
    if root is not None and root.name == "figure" and root.find("blockquote") is None and root.find("figcaption"):
        caption = root.find("figcaption")
        text = "".join(str(c) for c in root.contents if c is not caption).strip("\n")
        if re.match(r"\s*>", text):
            # `<figure>` + a Markdown `>` quotation + `<figcaption>` (Eleventy).
            quoted = _dedent(text).rstrip() + "\n>\n> <footer>" + normalize_space(caption.decode_contents()) + "</footer>\n"
            return _markdown(quoted, context, line)
    return html_to_markdown(soup, context, line)


def _dedent(text: str) -> str:
    lines = [l for l in text.split("\n")]
    indents = [len(l) - len(l.lstrip()) for l in lines if l.strip()]
    cut = min(indents, default=0)
    return "\n".join(l[cut:] for l in lines).strip("\n")


def _attach_attributions(chunks: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """A Markdown quotation followed by an HTML attribution block (`<div
    class="citation">…</div>`, `<p>— …</p>`) gets it as its last line."""
    merged: list[tuple[str, str, int]] = []
    for kind, chunk, line in chunks:
        if kind == "html" and merged and merged[-1][0] == "md":
            md = merged[-1][1].rstrip()
            root = BeautifulSoup(chunk, "html.parser").find(True)
            if md.split("\n")[-1].startswith(">") and root is not None and is_attribution_paragraph(root):
                attribution = normalize_space(root.decode_contents())
                merged[-1] = ("md", f"{md}\n> <footer>{attribution}</footer>\n", merged[-1][2])
                continue
        merged.append((kind, chunk, line))
    return merged


def _markdown(text: str, context: Context, line_offset: int) -> str:
    parts = []
    for kind, chunk, line in _attach_attributions(split_html_blocks(text)):
        if kind == "md":  # already Markdown: keep it as written
            stripped = chunk.lstrip("\n")
            lead = len(chunk) - len(stripped)  # blank lines before: for line numbers
            parts.append(convert_quotes(stripped.rstrip("\n"), context, line_offset + line + lead).strip("\n"))
        else:
            parts.append(_html_chunk(chunk, context, line_offset + line))
    return "\n\n".join(part for part in parts if part.strip())


# --------------------------------------------------------------------------
# Headings: one `#` title, sections nested under it

_ATX = re.compile(r"^ {0,3}(#{1,6})(?=\s|$)(.*)$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")


def _headings(content: str):
    """Yield (line index, level, text, setext) for the headings outside code."""
    lines = content.split("\n")
    for i, line in outside_code_fences(lines):
        atx = _ATX.match(line)
        if atx:
            yield i, len(atx.group(1)), atx.group(2).strip().rstrip("#").strip(), False
        elif _SETEXT.match(line) and i and lines[i - 1].strip() and not _ATX.match(lines[i - 1]) and not lines[i - 1].lstrip().startswith((">", "-", "*", "|", "<")):
            yield i, 1 if line.strip()[0] == "=" else 2, lines[i - 1].strip(), True


def nest_headings(content: str, under_title: bool) -> str:
    """Headings as ATX, one level below the title and never skipping a level."""
    lines = content.split("\n")
    found = list(_headings(content))
    if not found:
        return content
    top = 2 if under_title else 1
    previous = top - 1
    shift = top - min(level for _, level, _, _ in found)
    drop = set()
    for index, level, text, setext in found:
        level = max(top, min(level + shift, previous + 1, 6))
        previous = level
        if setext:
            lines[index - 1] = "#" * level + " " + text
            drop.add(index)
        else:
            lines[index] = "#" * level + (" " + text if text else "")
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def _drop_repeated_title(content: str, title: str) -> str:
    """A post that opens with its own title (as a heading or a line) keeps one."""
    head, sep, rest = content.partition("\n\n")
    first = re.sub(r"^#{1,6}\s+", "", head.strip()).strip()
    if normalize_space(first) in (normalize_space(title), normalize_space(md_escape(title))):
        return rest if sep else ""
    return content


# --------------------------------------------------------------------------
# Whole documents


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


_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<img\b[^>]*?\bsrc=[\"']([^\"']+)[\"']")


def local_images(markdown: str) -> list[str]:
    """Image paths (not URLs) the document shows."""
    found = []
    for match in _IMAGE.finditer(markdown):
        src = match.group(1) or match.group(2)
        if not re.match(r"^(?:[a-z][\w+.-]*:|//|#)", src, re.IGNORECASE):
            found.append(src)
    return found


def convert(
    text: str,
    *,
    is_html: bool = False,
    source: Source | None = None,
    works: Works | None = None,
    declare_works: bool = True,
    filename: str = "",
) -> Result:
    """Convert one post to MyST.

    `works` is shared by the posts of a site; with `declare_works` the
    works this post quotes are declared (`quote-source`) at its end,
    otherwise the caller declares them (in `conf.py`).
    """
    report = Report()
    works = works if works is not None else Works()
    if source is not None:
        works.reserve(source.key)
    context = Context(works, report)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body, body_line = split_front_matter(text, report)
    title = normalize_space(str(meta.get("title") or ""))
    if is_html or re.match(r"\s*<(!doctype|html)\b", body, re.IGNORECASE):
        soup = BeautifulSoup(body, "html.parser")
        root = soup.body or soup
        page_title = soup.title.get_text() if soup.title else ""
        if re.match(r"\s*<(!doctype|html)\b", body, re.IGNORECASE):
            root = article_of(root)
        if not title and page_title and not root.find("h1"):
            title = normalize_space(page_title)
        content = html_to_markdown(root, context, body_line)
    else:
        body, raws = rewrite_liquid(body, report, body_line)
        content = restore_raw(_markdown(body, context, body_line), raws)

    if title:
        content = _drop_repeated_title(content, title)
    content = nest_headings(content, under_title=bool(title))

    head = []
    kept = {k: _plain(v) for k, v in meta.items() if k not in _DROPPED_KEYS and _is_simple(v)}
    if kept:
        dumped = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False)
        head.append(f"---\n{dumped}---")
    if title:
        head.append("# " + md_escape(title))
    has_quotes = report.converted > 0
    if source and has_quotes:
        content, placed = _place_source(content, source)
        if not placed:
            head.append(_source_directive(source))
    tail = []
    if declare_works:
        tail = [directive("quote-source", work.key, work.fields()) for work in works]
    if not head and content.startswith("---"):
        content = "\\" + content  # MyST would read it as front matter
    markdown = "\n\n".join(part for part in [*head, content, *tail] if part).strip("\n") + "\n"
    return Result(
        markdown,
        report,
        title=title,
        date=post_date(meta, filename),
        meta=meta,
        images=local_images(markdown),
    )


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

"""One quotation found in a post, and the `quote` directive it becomes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .attribution import Attribution
from .markup import comment, directive, normalize_space, outside_code_fences
from .report import Report
from .works import Works


@dataclass
class Quotation:
    body: str  # MyST Markdown
    line: int
    attribution: Attribution = field(default_factory=Attribution)
    url: str = ""  # a deep link (blockquote@cite)
    name: str = ""
    classes: str = ""
    lang: str = ""


@dataclass
class Context:
    """What quotations of one post share: its works and its report."""

    works: Works
    report: Report


_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def _without_headings(body: str) -> str:
    """Headings inside a quotation as bold lines: a quote has no sections."""
    lines = body.split("\n")
    for i, line in list(outside_code_fences(lines)):
        if heading := _HEADING.match(line):
            lines[i] = f"**{heading.group(1)}**"
    return "\n".join(lines)


def render(quote: Quotation, context: Context) -> str:
    """The directive, with a comment before it for what was not understood."""
    attribution = quote.attribution
    work = context.works.work_for(attribution)
    options: dict[str, str] = {}
    if work is not None:
        options["source"] = work.key
    options.update(attribution.locator)
    if attribution.author and (work is None or work.author != attribution.author):
        options["author"] = attribution.author
    url = quote.url or (attribution.url if work is None else "")
    options["url"] = url
    options["name"] = quote.name
    options["class"] = quote.classes
    options["lang"] = quote.lang
    context.report.quote_converted()
    text = directive("quote", "", options, _without_headings(quote.body))
    if attribution.rest:
        context.report.note(
            quote.line, f"attribution partly understood; kept as a comment: {normalize_space(attribution.rest)!r}"
        )
        return comment(f"attribution: {attribution.text}") + "\n" + text
    return text

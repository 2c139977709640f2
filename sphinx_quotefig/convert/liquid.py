"""Liquid (Jekyll) and Hugo template tags in Markdown posts.

`{% highlight lang %}…{% endhighlight %}` (and Hugo's `{{< highlight lang >}}`)
becomes a fenced code block, its indentation kept; `{% raw %}…{% endraw %}`
keeps its text exactly, markers dropped, and nothing inside it is converted.
Octopress quotations — `{% blockquote Author, Title %}` (or `Author URL
Title`) and `{% quote author:"…" title:"…" url:"…" %}` — become Markdown `>`
quotations with an attribution line, which are then converted as any other.
Any other tag — `{% include %}`, `{{ page.url }}`, a Hugo `{{< shortcode >}}`
— stays as text and is reported.
"""

from __future__ import annotations

import re

from .markup import fence_for, outside_code_fences
from .report import Report

_HIGHLIGHT = re.compile(
    r"^[ \t]*\{%-?\s*highlight\s+([\w+#.-]+)[^%]*?-?%\}[ \t]*\n(.*?)\n?[ \t]*\{%-?\s*endhighlight\s*[^%]*?-?%\}[ \t]*$",
    re.DOTALL | re.MULTILINE,
)
_HUGO_HIGHLIGHT = re.compile(
    r"^[ \t]*\{\{<\s*highlight\s+([\w+#.-]+)[^>]*>\}\}[ \t]*\n(.*?)\n?[ \t]*\{\{<\s*/highlight\s*>\}\}[ \t]*$",
    re.DOTALL | re.MULTILINE,
)
_OCTOPRESS = re.compile(
    r"^[ \t]*\{%\s*(blockquote|quote)\b(.*?)%\}[ \t]*\n(.*?)\n?[ \t]*\{%\s*end\1\s*%\}[ \t]*$",
    re.DOTALL | re.MULTILINE,
)
# Octopress's own readings of `{% blockquote … %}` arguments.
_FULL_CITE_WITH_TITLE = re.compile(r"(\S.*)\s+(https?://\S+)\s+(.+)", re.IGNORECASE)
_FULL_CITE = re.compile(r"(\S.*)\s+(https?://\S+)", re.IGNORECASE)
_AUTHOR_TITLE = re.compile(r"([^,]+),([^,]+)")
_KEYED = re.compile(r"\b(author|title|url):\s*(?:\"([^\"]*)\"|(\S+))")
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_TAG = re.compile(r"\{%-?\s*(\w+).*?%\}|\{\{[<%].*?[%>]\}\}|\{\{.*?\}\}", re.DOTALL)
#: A placeholder line standing for a raw block while the post is converted.
PLACEHOLDER = "\x00liquid-raw-{}\x00"


def _highlight(match: re.Match) -> str:
    language, code = match.group(1), match.group(2).rstrip("\n")
    fence = fence_for(code)
    return f"{fence}{language}\n{code}\n{fence}"


def _octopress_arguments(tag: str, markup: str) -> tuple[str, str, str]:
    """(author, url, title) of an Octopress quotation tag."""
    markup = " ".join(markup.split())
    if tag == "quote" or _KEYED.search(markup):
        keyed = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _KEYED.finditer(markup)}
        return keyed.get("author", ""), keyed.get("url", ""), keyed.get("title", "")
    for pattern, fields in ((_FULL_CITE_WITH_TITLE, (1, 2, 3)), (_FULL_CITE, (1, 2, None)), (_AUTHOR_TITLE, (1, None, 2))):
        match = pattern.fullmatch(markup)
        if match:
            return tuple(match.group(i).strip() if i else "" for i in fields)  # type: ignore[return-value]
    return markup, "", ""


def _octopress(match: re.Match) -> str:
    author, url, title = _octopress_arguments(match.group(1), match.group(2))
    body = "\n".join(f"> {line}".rstrip() for line in match.group(3).strip("\n").split("\n"))
    if title:
        work = f'<a href="{url}">{title}</a>' if url else title
        line = f"{author}, <cite>{work}</cite>" if author else f"<cite>{work}</cite>"
    elif author:
        line = f'<a href="{url}">{author}</a>' if url else author
    else:  # the same number of lines as the tag, for the report's line numbers
        return f"{body}\n\n"
    return f"{body}\n>\n> \u2014 {line}"


def rewrite_liquid(text: str, report: Report, line_offset: int = 0) -> tuple[str, list[str]]:
    """Return (text with highlight blocks as fences and raw blocks replaced
    by placeholders, the raw blocks' texts)."""
    raws: list[str] = []

    def hold(match: re.Match) -> str:
        # As many lines as the raw block, for the report's line numbers.
        raws.append(match.group(1))
        return PLACEHOLDER.format(len(raws) - 1) + "\n" * match.group(0).count("\n")

    text = _RAW.sub(hold, text)
    text = _HIGHLIGHT.sub(_highlight, text)
    text = _HUGO_HIGHLIGHT.sub(_highlight, text)
    text = _OCTOPRESS.sub(_octopress, text)
    _report_other_tags(text, report, line_offset)
    return text, raws


def restore_raw(text: str, raws: list[str]) -> str:
    for number, raw in enumerate(raws):
        held = PLACEHOLDER.format(number)
        padding = raw.count("\n")  # at most what `hold` added
        text = re.sub(re.escape(held) + rf"\n{{0,{padding}}}", lambda _: raw, text, count=1)
    return text


def _report_other_tags(text: str, report: Report, line_offset: int) -> None:
    for index, line in outside_code_fences(text.split("\n")):
        number = index + 1
        for tag in _TAG.finditer(line):
            kind = "Hugo shortcode" if tag.group(0)[2] in "<%" else "Liquid tag"
            shown = tag.group(0) if len(tag.group(0)) <= 60 else tag.group(0)[:57] + "…"
            report.note(line_offset + number, f"{kind} {shown} kept as text")

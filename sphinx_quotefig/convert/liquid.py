"""Liquid (Jekyll) and Hugo template tags in Markdown posts.

`{% highlight lang %}…{% endhighlight %}` becomes a fenced code block (its
indentation kept); `{% raw %}…{% endraw %}` keeps its text exactly, markers
dropped, and nothing inside it is converted.  Any other tag — `{% include %}`,
`{{ page.url }}`, a Hugo `{{< shortcode >}}` — stays as text and is reported.
"""

from __future__ import annotations

import re

from .markup import fence_for
from .report import Report

_HIGHLIGHT = re.compile(
    r"^[ \t]*\{%-?\s*highlight\s+([\w+#.-]+)[^%]*?-?%\}[ \t]*\n(.*?)\n?[ \t]*\{%-?\s*endhighlight\s*[^%]*?-?%\}[ \t]*$",
    re.DOTALL | re.MULTILINE,
)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_TAG = re.compile(r"\{%-?\s*(\w+).*?%\}|\{\{[<%].*?[%>]\}\}|\{\{.*?\}\}", re.DOTALL)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
#: A placeholder line standing for a raw block while the post is converted.
PLACEHOLDER = "\x00liquid-raw-{}\x00"


def _highlight(match: re.Match) -> str:
    language, code = match.group(1), match.group(2).rstrip("\n")
    fence = fence_for(code)
    return f"{fence}{language}\n{code}\n{fence}"


def rewrite_liquid(text: str, report: Report, line_offset: int = 0) -> tuple[str, list[str]]:
    """Return (text with highlight blocks as fences and raw blocks replaced
    by placeholders, the raw blocks' texts)."""
    raws: list[str] = []

    def hold(match: re.Match) -> str:
        raws.append(match.group(1))
        return PLACEHOLDER.format(len(raws) - 1)

    text = _RAW.sub(hold, text)
    text = _HIGHLIGHT.sub(_highlight, text)
    _report_other_tags(text, report, line_offset)
    return text, raws


def restore_raw(text: str, raws: list[str]) -> str:
    for number, raw in enumerate(raws):
        text = text.replace(PLACEHOLDER.format(number), raw)
    return text


def _report_other_tags(text: str, report: Report, line_offset: int) -> None:
    fence = None
    for number, line in enumerate(text.split("\n"), start=1):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        for tag in _TAG.finditer(line):
            kind = "Hugo shortcode" if tag.group(0)[2] in "<%" else "Liquid tag"
            shown = tag.group(0) if len(tag.group(0)) <= 60 else tag.group(0)[:57] + "…"
            report.note(line_offset + number, f"{kind} {shown} kept as text")

"""Writing MyST: escaping text, fences and directives.

Everything the converter writes goes through these helpers, so that text
from a post always reads back as the same text and option values as the
same values.
"""

from __future__ import annotations

import re

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


def comment(text: str) -> str:
    """A MyST comment line: kept in the source, not shown."""
    return "% " + normalize_space(text)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def outside_code_fences(lines: list[str]):
    """(index, line) of each line of Markdown *lines* outside fenced code
    (the fence lines themselves left out)."""
    fence = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        yield index, line

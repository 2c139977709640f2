"""Fail when a LaTeX log reports a reference or character it could not set.

    python scripts/check_latex_log.py docs/_build/latex/sphinx-quotefig.log

Prints each undefined reference or citation, multiply defined label and missing
character (a glyph the font does not have), and exits 1 if there is any.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PROBLEMS = re.compile(
    r"(?:Hyper r|R)eference `[^']*' on page \d+ undefined"
    r"|Citation `[^']*' on page \d+ undefined"
    r"|Label `[^']*' multiply defined"
    r"|Missing character: There is no .*"
)
#: TeX breaks the lines of its log after this many characters.
LOG_LINE = 79


def unwrapped(log: str) -> list[str]:
    """The log's lines as TeX wrote them, before it broke them."""
    lines, pending = [], ""
    for line in log.splitlines():
        pending += line
        if len(line) != LOG_LINE:
            lines.append(pending)
            pending = ""
    return lines + [pending] if pending else lines


def problems(log: str) -> list[str]:
    return [match[0] for line in unwrapped(log) if (match := PROBLEMS.search(line))]


def main(paths: list[str]) -> int:
    found = [(path, problem) for path in paths for problem in problems(Path(path).read_text(encoding="utf-8", errors="replace"))]
    for path, problem in found:
        print(f"{path}: {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

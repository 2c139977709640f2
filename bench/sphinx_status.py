"""Reading Sphinx's own status output: what a build read and wrote.

Sphinx prints, on stdout, without ``-q``::

    updating environment: 0 added, 1 changed, 0 removed
    reading sources... [100%] notes-0002
    writing output... [ 50%] index
    writing output... [100%] notes-0002
    generating indices... genindex quote-index done
    writing additional pages... search done

On a terminal the progress lines overwrite each other (``\\x1b[2K`` …
``\\r``); a parallel build (``-j``) reports chunks (``[ 50%] a .. f``).
:func:`parse_status` understands all of these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_UPDATING = re.compile(
    r"updating environment: (?:\[[^\]]*\] )?(\d+) added, (\d+) changed, (\d+) removed"
)
_PROGRESS = re.compile(r"^(reading sources|writing output)\.\.\. \[\s*\d+%\] (.+?)\s*$")
_INDICES = re.compile(r"^generating indices\.\.\. ?(.*?)\s*done\s*$")
_ADDITIONAL = re.compile(r"^writing additional pages\.\.\. ?(.*?)\s*done\s*$")


@dataclass
class BuildStatus:
    added: int = 0
    changed: int = 0
    removed: int = 0
    #: Documents read, in the order reported. Parallel chunks (``a .. f``)
    #: are kept as given and counted in :attr:`read_chunks`.
    read: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    indices: list[str] = field(default_factory=list)
    additional: list[str] = field(default_factory=list)
    chunked: bool = False

    @property
    def n_read(self) -> int:
        """Documents read: the environment's count (exact also for ``-j``)."""
        return self.added + self.changed

    @property
    def n_written(self) -> int:
        """Documents written (pages from sources; without indices)."""
        return len(self.written)

    @property
    def pages_written(self) -> list[str]:
        """Every HTML page written: documents, indices, additional pages."""
        return [*self.written, *self.indices, *self.additional]

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "n_read": self.n_read,
            "n_written": self.n_written,
            "read": self.read,
            "written": self.written,
            "indices": self.indices,
            "additional": self.additional,
        }


def status_lines(text: str) -> list[str]:
    text = _ANSI.sub("", text)
    return [line.strip() for line in re.split(r"[\r\n]+", text) if line.strip()]


def parse_status(text: str) -> BuildStatus:
    status = BuildStatus()
    for line in status_lines(text):
        if m := _UPDATING.search(line):
            status.added, status.changed, status.removed = map(int, m.groups())
        elif m := _PROGRESS.match(line):
            what, name = m.groups()
            if " .. " in name:
                status.chunked = True
            (status.read if what == "reading sources" else status.written).append(name)
        elif m := _INDICES.match(line):
            status.indices = m.group(1).split()
        elif m := _ADDITIONAL.match(line):
            status.additional = m.group(1).split()
    return status

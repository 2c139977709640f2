"""What happened to one post: quotations converted, left, not understood.

Every quotation found is counted once, as converted or as left (with the
reason), so that quotations in = converted + left.  Everything else the
converter could not carry over is a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Entry:
    line: int
    #: "left" (a quotation kept as written), "note" (anything else not
    #: carried over) or "inferred" (a field read from the text around a quote)
    kind: str
    message: str


@dataclass
class Report:
    converted: int = 0
    entries: list[Entry] = field(default_factory=list)

    def quote_converted(self) -> None:
        self.converted += 1

    def quote_left(self, line: int, reason: str) -> None:
        self.entries.append(Entry(line, "left", reason))

    def note(self, line: int, message: str) -> None:
        self.entries.append(Entry(line, "note", message))

    def inferred(self, line: int, message: str) -> None:
        self.entries.append(Entry(line, "inferred", message))

    def count(self, kind: str) -> int:
        return sum(entry.kind == kind for entry in self.entries)

    @property
    def left(self) -> int:
        return self.count("left")

    @property
    def clean(self) -> bool:
        """Nothing left, nothing unknown: what --strict asks for."""
        return not any(entry.kind in ("left", "note") for entry in self.entries)

    def lines(self, path: str) -> list[str]:
        """The report as `path:line: kind: message` lines and a summary."""
        labels = {"left": "quotation left as it was", "note": "not converted", "inferred": "inferred"}
        out = [f"{path}:{e.line}: {labels[e.kind]}: {e.message}" for e in sorted(self.entries, key=lambda e: e.line)]
        out.append(self.summary(path))
        return out

    def summary(self, path: str) -> str:
        quotes = _plural(self.converted, "quotation")
        others = _plural(self.count("note"), "other thing")
        return f"{path}: {quotes} converted, {self.left} left as written, {others} not converted"


def _plural(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")

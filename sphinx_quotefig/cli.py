"""``sphinx-quotefig COMMAND …`` and ``python -m sphinx_quotefig COMMAND …``.

Each command lives in its own module with a ``main(argv)``; a command whose
module needs an optional extra says which one to install when it is missing.
This module imports neither Sphinx nor any command's dependencies.
"""

from __future__ import annotations

import importlib
import sys

PROG = "sphinx-quotefig"

#: command -> (module, extra that installs its dependencies, one-line help)
COMMANDS = {
    "convert": ("sphinx_quotefig.convert", "convert", "convert blog posts that quote with citations to MyST"),
    "highlights": ("sphinx_quotefig.highlights", "pdf", "a page of quotes from the passages marked in a PDF"),
}


def usage() -> str:
    lines = [f"usage: {PROG} COMMAND [ARGS ...]", "", "commands:"]
    lines += [f"  {name:<12}{help_}" for name, (_, _, help_) in COMMANDS.items()]
    lines += ["", f"'{PROG} COMMAND --help' describes a command."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the command named by the first argument; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(usage(), file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    name = argv[0]
    if name not in COMMANDS:
        print(f"{PROG}: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module_name, extra, _ = COMMANDS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] == "sphinx_quotefig":
            raise
        print(
            f"{PROG} {name} needs the {extra!r} extra (missing: {exc.name}); "
            f"install it with: pip install 'sphinx-quotefig[{extra}]'",
            file=sys.stderr,
        )
        return 2
    return module.main(argv)

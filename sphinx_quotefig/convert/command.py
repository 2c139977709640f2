"""``sphinx-quotefig convert``: the command line.

One post goes to standard output (or ``-o FILE``); several go to
``--out-dir DIR``; a folder with ``-o DIR`` becomes a Sphinx project.  The
report — per file, what was converted, what was left and why — goes to
standard error; ``--strict`` makes anything left an error (exit status 1).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .document import Source, convert
from .site import convert_site, write_site

PROG = "sphinx-quotefig"
INPUT_SUFFIXES = (".html", ".htm", ".md", ".markdown", ".txt")
HTML_SUFFIXES = (".html", ".htm")


class UsageError(Exception):
    """A one-line error for the user; exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Tools for sphinx-quotefig.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    conv = commands.add_parser(
        "convert",
        help="convert blog posts with quotations to MyST",
        description="Convert HTML or Markdown posts into MyST documents whose quotations are "
        "quote directives with their sources; a folder with -o DIR becomes a Sphinx project.",
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
        metavar="OUT",
        help="write the MyST document to OUT (default: standard output); with one "
        "directory as INPUT, write a Sphinx project into the directory OUT",
    )
    target.add_argument(
        "--out-dir", type=Path, metavar="DIR", help="write each INPUT to DIR/<stem>.md"
    )
    conv.add_argument("--title", help="the project's title (whole sites; default: the INPUT directory's name)")
    conv.add_argument(
        "--site-root",
        type=Path,
        metavar="DIR",
        help="where images with absolute paths (/assets/…) are found (whole sites; default: INPUT's parent)",
    )
    conv.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a quotation or anything else was left"
    )
    src = conv.add_argument_group("source", "declare the quoted work with a quote-source directive")
    src.add_argument(
        "--source-key", metavar="KEY", help="key of the source (needs --source-title)"
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
    if not given["title"]:
        # A bare key would make every quote an unknown source.
        raise UsageError("--source-key needs --source-title: a source is declared with its title")
    return Source(args.source_key, **given)


def _posts_in(path: Path) -> list[Path]:
    found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES)
    if not found:
        raise UsageError(f"{path}: no {', '.join(INPUT_SUFFIXES)} files in this directory")
    return found


def _expand_inputs(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        if path.is_dir():
            files += _posts_in(path)
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or directory")
    return files


def _targets(files: list[Path], args: argparse.Namespace) -> list[Path | None]:
    """Where each input goes (None: standard output), refusing to overwrite inputs."""
    if args.out_dir is None:
        if len(files) > 1:
            raise UsageError("several inputs need --out-dir DIR (or one directory and -o DIR for a Sphinx project)")
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


def _is_html(path: Path) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES


def _print_report(path: Path, report) -> None:
    for line in report.lines(str(path)):
        print(line, file=sys.stderr)


def run_site(args: argparse.Namespace) -> int:
    folder = args.inputs[0]
    if _source_from(args) is not None:
        raise UsageError("--source-* options are for single posts; a site's sources go to conf.py")
    files = _posts_in(folder)
    out = args.output
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a directory")
    if out.resolve() == folder.resolve():
        raise UsageError(f"{out}: refusing to write the project into the posts' directory")
    site_root = args.site_root or folder.resolve().parent
    pages, works = convert_site(files, is_html=_is_html, site_root=site_root)
    title = args.title or folder.resolve().name.strip("_") or "Posts"
    try:
        write_site(pages, works, out, title=title, site_root=site_root)
    except OSError as exc:
        raise UsageError(f"{out}: cannot write: {exc.strerror or exc}") from exc
    clean = True
    for page in pages:
        _print_report(page.path, page.result.report)
        clean = clean and page.result.report.clean
    print(f"{out}: Sphinx project with {len(pages)} pages and {len(works)} sources", file=sys.stderr)
    return 1 if args.strict and not clean else 0


def run_convert(args: argparse.Namespace) -> int:
    if len(args.inputs) == 1 and args.inputs[0].is_dir() and args.output is not None:
        return run_site(args)
    source = _source_from(args)
    files = _expand_inputs(args.inputs)
    status = 0
    clean = True
    for path, target in zip(files, _targets(files, args), strict=True):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            _error(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}")
            status = 2
            continue
        try:
            result = convert(text, is_html=_is_html(path), source=source, filename=path.name)
        except Exception as exc:  # a bug; still one line, never a traceback
            _error(f"{path}: cannot convert ({type(exc).__name__}: {exc}); please report this")
            status = 2
            continue
        _print_report(path, result.report)
        clean = clean and result.report.clean
        if target is None:
            sys.stdout.write(result.markdown)
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(result.markdown, encoding="utf-8")
        except OSError as exc:
            _error(f"{target}: cannot write: {exc.strerror or exc}")
            status = 2
    if status == 0 and args.strict and not clean:
        return 1
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

"""Valid HTML and accessibility of the docs, with and without the extension.

``make check-html`` runs this (README.md here). For each theme it builds the
docs twice from copies of docs/:

- ``quotefig``: as they are, with the extension;
- ``baseline``: with ``sphinx_quotefig`` swapped for ``stock_quotes`` (a
  shim that renders the same directives and roles with stock docutils and
  Sphinx nodes only), i.e. the same pages as a theme shows them without the
  extension's markup and stylesheet.

Then (a) the Nu HTML Checker (``vnu.jar``, one JVM per build) validates every
page, and (b) axe-core runs on every page in the system Chromium in the
light and the dark colour scheme (axe.mjs), with screenshots of the seed
example and the citation index. Findings are counted per page and rule
(vnu: errors per normalised message; axe: serious and critical violation
nodes per rule id) and the quotefig build is compared with the baseline:
anything the quotefig build has more of is *added*, and the exit status is 1
if anything is added (or a run was not valid, e.g. a dark page that did not
render dark), else 0.

Usage (from the repository root, with .venv's Python)::

    python scripts/check_html/check.py [--themes furo,alabaster] [--out build/check-html]
        [--keep] [--no-vnu] [--no-axe] [--jobs 2]

Output: ``OUT/report.json``, ``OUT/summary.txt`` (also printed),
``OUT/shots/*.png``, and the builds in ``OUT/<theme>/<variant>/html``.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DOCS = ROOT / "docs"
VNU_JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = HERE / "axe.mjs"

#: theme name -> module that must be importable
THEMES = {
    "alabaster": "alabaster",
    "furo": "furo",
    "sphinx_rtd_theme": "sphinx_rtd_theme",
    "pydata_sphinx_theme": "pydata_sphinx_theme",
    "sphinx_book_theme": "sphinx_book_theme",
}
#: themes with a dark mode of their own (the others stay light when the
#: reader prefers dark; their "dark" run checks exactly that page)
DARK_THEMES = {"furo", "pydata_sphinx_theme", "sphinx_book_theme"}
VARIANTS = ("baseline", "quotefig")
SCHEMES = ("light", "dark")
#: axe rules: WCAG 2.0, 2.1 and 2.2, levels A and AA
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
GATING_IMPACTS = frozenset({"serious", "critical"})
#: axe rules about colour: judged by colour pair (see compare_axe)
COLOUR_RULES = frozenset({"color-contrast", "color-contrast-enhanced", "link-in-text-block"})
#: pages screenshotted per theme, variant and scheme
SHOT_PAGES = ("examples/seed.html", "quote-index.html")
#: output folders that hold no pages of the docs
NOT_PAGES = ("_static/", "_sources/", "_images/", "_downloads/", ".doctrees/")
#: a "dark" page whose background is lighter than this did not render dark
DARK_MAX_LUMINANCE = 0.2
LIGHT_MIN_LUMINANCE = 0.5

CONF_TAIL = """

# -- appended by scripts/check_html/check.py ({variant}) --
html_theme = {theme!r}
if html_theme != "furo":
    # theme options are per theme; furo's would be unknown elsewhere
    html_theme_options = {{}}
"""
BASELINE_TAIL = """\
import sys as _sys
_sys.path.insert(0, {shim_dir!r})
extensions = [_e for _e in extensions if _e != "sphinx_quotefig"] + ["stock_quotes"]
"""


# -- comparison (pure functions; tests/test_check_html.py) ------------------

Key = tuple[str, str]  # (page, rule)

_QUOTED = re.compile(r"(?P<lead>\b(?:element|elements|attribute|heading)\s+)?“(?P<value>[^”]*)”", re.IGNORECASE)


def vnu_rule(message: str) -> str:
    """A vnu message without its instance data: quoted values (ids, URLs,
    attribute values) become “…”; element, attribute and heading names,
    which say what the rule is about, stay."""

    def replace(match: re.Match[str]) -> str:
        if match["lead"]:
            return match[0]
        return "“…”"

    return _QUOTED.sub(replace, " ".join(message.split()))


def page_of(url: str, root: Path) -> str | None:
    """vnu's ``file:/abs/path.html`` as a page path relative to *root*."""
    path = url.removeprefix("file:")
    while path.startswith("//"):
        path = path[1:]
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def count_vnu(messages: Iterable[Mapping[str, Any]], root: Path) -> tuple[Counter[Key], Counter[Key], dict[Key, list[dict]]]:
    """(errors, warnings, examples) per (page, rule) from vnu's JSON messages."""
    errors: Counter[Key] = Counter()
    warnings: Counter[Key] = Counter()
    examples: dict[Key, list[dict]] = {}
    for message in messages:
        kind = message.get("type")
        if kind == "info" and message.get("subType") != "warning":
            continue
        page = page_of(message.get("url", ""), root) or message.get("url", "?")
        key = (page, vnu_rule(message.get("message", "")))
        if kind in ("error", "non-document-error"):
            errors[key] += 1
            examples.setdefault(key, []).append(
                {"line": message.get("lastLine"), "extract": (message.get("extract") or "")[:200]}
            )
        else:
            warnings[key] += 1
    return errors, warnings, examples


def diff_counts(baseline: Mapping[Key, int], quotefig: Mapping[Key, int]) -> list[dict[str, Any]]:
    """Every (page, rule) the quotefig build has more of than the baseline."""
    added = []
    for key in sorted(set(quotefig) | set(baseline)):
        extra = quotefig.get(key, 0) - baseline.get(key, 0)
        if extra > 0:
            added.append(
                {"page": key[0], "rule": key[1], "baseline": baseline.get(key, 0), "quotefig": quotefig.get(key, 0), "added": extra}
            )
    return added


def axe_nodes(
    records: Iterable[Mapping[str, Any]], impacts: frozenset[str] = GATING_IMPACTS
) -> Iterable[tuple[str, str, Mapping[str, Any]]]:
    """(page, rule id, node) for every violation node of the given impacts
    (the node's own impact, else its rule's)."""
    for record in records:
        for violation in record.get("violations") or ():
            for node in violation.get("nodes", ()):
                if (node.get("impact") or violation.get("impact")) in impacts:
                    yield record["page"], violation["id"], node


def count_axe(records: Iterable[Mapping[str, Any]], impacts: frozenset[str] = GATING_IMPACTS) -> Counter[Key]:
    """Violation nodes of the given impacts per (page, rule id)."""
    return Counter((page, rule) for page, rule, _node in axe_nodes(records, impacts))


_COLOUR_PAIRS = (
    re.compile(r"foreground color: (?P<fg>#\w+), background color: (?P<bg>#\w+).*?Expected contrast ratio of (?P<ratio>[\d.]+):1"),
    re.compile(r"link text: (?P<fg>#\w+), surrounding text: (?P<bg>#\w+)"),
)


def colour_signature(rule: str, node: Mapping[str, Any]) -> str:
    """What a colour failure is about: its colour pair (and the ratio the
    text needs), not where it is."""
    summary = " ".join((node.get("summary") or "").split())
    for pattern in _COLOUR_PAIRS:
        match = pattern.search(summary)
        if match:
            parts = match.groupdict()
            needs = f" (needs {parts['ratio']}:1)" if parts.get("ratio") else ""
            return f"{rule}: {parts['fg']} on {parts['bg']}{needs}"
    return f"{rule}: {summary}"


def compare_axe(baseline: Iterable[Mapping[str, Any]], quotefig: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Serious and critical violation nodes of one theme and scheme, the
    quotefig build against the baseline, per (page, rule).

    For most rules, *added* is how many more nodes the quotefig build has
    for the rule on the page. For the colour rules (COLOUR_RULES) every
    quotefig node is judged by its colour pair instead: a pair that fails
    somewhere in the baseline build is the theme's own colour failing on
    more content (the theme's link colour on the extra links of the citation
    index, say) and counts as *theme_repeat*; a pair that fails nowhere in
    the baseline is added, whether or not the page's count went up.
    """
    baseline, quotefig = list(baseline), list(quotefig)
    base_counts, quote_counts = count_axe(baseline), count_axe(quotefig)
    known = {colour_signature(rule, node) for _page, rule, node in axe_nodes(baseline) if rule in COLOUR_RULES}
    by_key: dict[Key, list[Mapping[str, Any]]] = {}
    for page, rule, node in axe_nodes(quotefig):
        by_key.setdefault((page, rule), []).append(node)
    entries = []
    for key in sorted(set(base_counts) | set(quote_counts)):
        page, rule = key
        b, q = base_counts.get(key, 0), quote_counts.get(key, 0)
        nodes = by_key.get(key, [])
        if rule in COLOUR_RULES:
            new = [node for node in nodes if colour_signature(rule, node) not in known]
            added, repeat = len(new), max(0, q - b - len(new))
        else:
            new, added, repeat = nodes, max(0, q - b), 0
        if added or repeat:
            shown = new if added else nodes
            entries.append(
                {
                    "page": page,
                    "rule": rule,
                    "baseline": b,
                    "quotefig": q,
                    "added": added,
                    "theme_repeat": repeat,
                    "signatures": sorted({colour_signature(rule, n) for n in shown}) if rule in COLOUR_RULES else [],
                    "nodes": [dict(n) for n in shown[:10]],
                }
            )
    return {
        "totals": {
            "baseline": sum(base_counts.values()),
            "quotefig": sum(quote_counts.values()),
            "added": sum(e["added"] for e in entries),
            "theme_repeat": sum(e["theme_repeat"] for e in entries),
        },
        "added": [e for e in entries if e["added"]],
        "theme_repeat": [e for e in entries if e["theme_repeat"] and not e["added"]],
    }


def totals(baseline: Mapping[Key, int], quotefig: Mapping[Key, int]) -> dict[str, int]:
    return {
        "baseline": sum(baseline.values()),
        "quotefig": sum(quotefig.values()),
        "added": sum(entry["added"] for entry in diff_counts(baseline, quotefig)),
    }


def quotefig_nodes(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Violations (any impact) on nodes inside the extension's markup."""
    found = []
    for record in records:
        for violation in record.get("violations") or ():
            for node in violation.get("nodes", ()):
                if node.get("inQuotefig"):
                    found.append(
                        {
                            "scheme": record.get("scheme"),
                            "page": record["page"],
                            "rule": violation["id"],
                            "impact": node.get("impact") or violation.get("impact"),
                            "signature": colour_signature(violation["id"], node) if violation["id"] in COLOUR_RULES else "",
                            "target": node.get("target"),
                            "html": node.get("html", "")[:160],
                        }
                    )
    return found


def dark_problems(theme: str, records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Pages whose scheme did not render as asked (themes with a dark mode)."""
    problems = []
    for record in records:
        dark = record.get("dark")
        if not dark:
            continue
        if theme in DARK_THEMES and record["scheme"] == "dark" and dark["luminance"] > DARK_MAX_LUMINANCE:
            problems.append(f"{record['variant']} {record['page']}: dark run rendered {dark['background']}")
        if record["scheme"] == "light" and dark["luminance"] < LIGHT_MIN_LUMINANCE:
            problems.append(f"{record['variant']} {record['page']}: light run rendered {dark['background']}")
    return problems


# -- building ----------------------------------------------------------------


def html_pages(html: Path) -> list[str]:
    pages = []
    for path in sorted(html.rglob("*.html")):
        relative = path.relative_to(html).as_posix()
        if not relative.startswith(NOT_PAGES):
            pages.append(relative)
    return pages


def build(out: Path, theme: str, variant: str, keep: bool) -> dict[str, Any]:
    base = out / theme / variant
    src, html, warnings_file = base / "src", base / "html", base / "warnings.txt"
    stamp = html / ".check-html-built"
    if keep and stamp.exists():
        return {"theme": theme, "variant": variant, "warnings": _read_warnings(warnings_file), "reused": True, "seconds": 0.0}
    shutil.rmtree(base, ignore_errors=True)
    shutil.copytree(DOCS, src, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    tail = CONF_TAIL.format(variant=variant, theme=theme)
    if variant == "baseline":
        tail += BASELINE_TAIL.format(shim_dir=str(HERE))
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(tail)
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-q", "--keep-going", "-w", str(warnings_file), str(src), str(html)],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    if run.returncode != 0:
        raise SystemExit(f"sphinx-build failed for {theme} ({variant}):\n{run.stdout}{run.stderr}")
    stamp.touch()
    return {"theme": theme, "variant": variant, "warnings": _read_warnings(warnings_file), "reused": False, "seconds": round(seconds, 1)}


def _read_warnings(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if "WARNING" in line or "ERROR" in line]


# -- vnu ---------------------------------------------------------------------


def run_vnu(htmls: list[Path], jobs: int) -> dict[Path, list[dict[str, Any]]]:
    """vnu's messages per build directory. The JVM is slow to start, so the
    pages of all builds go to *jobs* JVMs, one share of the builds each."""
    shares = [htmls[i::jobs] for i in range(min(jobs, len(htmls)))]

    def one(share: list[Path]) -> list[dict[str, Any]]:
        pages = [str(html / page) for html in share for page in html_pages(html)]
        run = subprocess.run(
            ["java", "-Xss8m", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *pages],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            return json.loads(run.stderr)["messages"]
        except (json.JSONDecodeError, KeyError):
            raise SystemExit(f"vnu failed (exit {run.returncode}):\n{run.stdout}{run.stderr[-2000:]}") from None

    with ThreadPoolExecutor(len(shares)) as pool:
        messages = [m for share in pool.map(one, shares) for m in share]
    by_build: dict[Path, list[dict[str, Any]]] = {html: [] for html in htmls}
    for message in messages:
        owner = next((html for html in htmls if page_of(message.get("url", ""), html) is not None), None)
        if owner is None:
            raise SystemExit(f"vnu message for no page of the builds: {message}")
        by_build[owner].append(message)
    return by_build


# -- axe ---------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run_axe(out: Path, themes: list[str], concurrency: int) -> list[dict[str, Any]]:
    runs = []
    for theme in themes:
        for variant in VARIANTS:
            html = out / theme / variant / "html"
            pages = html_pages(html)
            runs.append(
                {
                    "theme": theme,
                    "variant": variant,
                    "root": f"{theme}/{variant}/html/",
                    "pages": pages,
                    "shots": [p for p in SHOT_PAGES if p in pages],
                }
            )
    server, base_url = serve(out)
    try:
        job = {
            "baseUrl": base_url,
            "tags": AXE_TAGS,
            "schemes": list(SCHEMES),
            "concurrency": concurrency,
            "shotsDir": str(out / "shots"),
            "runs": runs,
        }
        job_file, result_file = out / "axe-job.json", out / "axe-results.json"
        job_file.write_text(json.dumps(job, indent=1), encoding="utf-8")
        result_file.unlink(missing_ok=True)
        run = subprocess.run(["node", str(AXE_SCRIPT), str(job_file), str(result_file)], check=False, cwd=HERE)
        if run.returncode != 0 or not result_file.exists():
            raise SystemExit(f"axe.mjs failed (exit {run.returncode})")
        return json.loads(result_file.read_text(encoding="utf-8"))
    finally:
        server.shutdown()


# -- report ------------------------------------------------------------------


def _fmt(t: Mapping[str, int] | None) -> str:
    return "-" if t is None else f"{t['baseline']}/{t['quotefig']}/{t['added']}"


def summary_text(report: Mapping[str, Any]) -> str:
    """The table and the notes that matter, for the terminal."""
    lines = [
        "check-html: the docs built with sphinx-quotefig against the same pages built without it",
        "  vnu: Nu HTML Checker errors; axe: serious+critical violation nodes (WCAG 2.0-2.2 A/AA),",
        "  baseline/quotefig/added per theme; 'theme' = the theme's own colour failures repeated",
        "  on content only the quotefig build has (not added: see README.md).",
        "",
    ]
    head = f"{'theme':<20} {'vnu errors':>11} {'axe light':>14} {'theme':>6} {'axe dark':>14} {'theme':>6} {'pages':>6}"
    lines += [head, "-" * len(head)]
    for theme, result in report["themes"].items():
        vnu = result.get("vnu", {}).get("errors")
        axe = result.get("axe", {})
        light, dark = (axe.get(s, {}).get("totals") for s in SCHEMES)
        repeat = [str(t["theme_repeat"]) if t else "-" for t in (light, dark)]
        lines.append(
            f"{theme:<20} {_fmt(vnu):>11} {_fmt(light):>14} {repeat[0]:>6} {_fmt(dark):>14} {repeat[1]:>6} {len(result['pages']):>6}"
        )
    lines.append("")
    for theme, result in report["themes"].items():
        notes = []
        for variant, build in result["builds"].items():
            if build["warnings"]:
                notes.append(f"  {variant} build: {len(build['warnings'])} Sphinx warning(s), e.g. {build['warnings'][0]}")
        for variant, pages in result.get("only_in", {}).items():
            if pages:
                notes.append(f"  pages only in the {variant} build: {', '.join(pages)}")
        vnu = result.get("vnu")
        if vnu:
            for entry in vnu["added"]:
                notes.append(f"  ADDED vnu error x{entry['added']} on {entry['page']}: {entry['rule']}")
                for example in entry.get("examples", [])[:2]:
                    notes.append(f"      line {example['line']}: {example['extract']!r}")
            for entry in vnu["warnings_added"]:
                notes.append(f"  (info) vnu warning +{entry['added']} on {entry['page']}: {entry['rule'][:110]}")
        for scheme, axe in result.get("axe", {}).items():
            for entry in axe["added"]:
                notes.append(
                    f"  ADDED axe {scheme} {entry['rule']} x{entry['added']} on {entry['page']} "
                    f"({entry['baseline']} -> {entry['quotefig']}) {'; '.join(entry['signatures'])}"
                )
                for node in entry["nodes"][:3]:
                    notes.append(f"      {' '.join(map(str, node['target']))}: {node['html'][:100]!r}")
            for entry in axe["theme_repeat"]:
                notes.append(
                    f"  (theme) axe {scheme} {entry['rule']} +{entry['theme_repeat']} on {entry['page']} "
                    f"({entry['baseline']} -> {entry['quotefig']}): {'; '.join(entry['signatures'])}"
                )
            grouped = Counter(
                (e["page"], e["rule"], e["impact"], e["signature"]) for e in axe["in_quotefig"]
            )
            for (page, rule, impact, signature), n in sorted(grouped.items()):
                notes.append(f"  (info) axe {scheme} {impact} {rule} x{n} inside quotefig markup on {page}{': ' + signature if signature else ''}")
            for entry in axe["other_impacts_added"]:
                notes.append(f"  (info) axe {scheme} minor/moderate {entry['rule']} +{entry['added']} on {entry['page']}")
            for problem in axe["problems"]:
                notes.append(f"  INVALID axe {scheme}: {problem}")
        if result.get("dark_backgrounds"):
            notes.append(f"  seed page background, light | dark: {result['dark_backgrounds']}")
        if notes:
            lines.append(f"{theme}:")
            lines += notes
    lines.append("")
    lines.append(
        f"Result: {'FAIL' if report['failed'] else 'ok'}: {report['verdict']} "
        f"({report['seconds']:.0f} s; {report['out']}/report.json, screenshots in {report['out']}/shots)"
    )
    return "\n".join(lines)


def theme_report(
    theme: str, out: Path, builds: dict[str, dict], vnu: dict[str, list] | None, axe: list[dict] | None
) -> dict[str, Any]:
    pages = {variant: html_pages(out / theme / variant / "html") for variant in VARIANTS}
    result: dict[str, Any] = {
        "pages": pages["quotefig"],
        "only_in": {
            "baseline": sorted(set(pages["baseline"]) - set(pages["quotefig"])),
            "quotefig": sorted(set(pages["quotefig"]) - set(pages["baseline"])),
        },
        "builds": builds,
    }
    if vnu is not None:
        counted = {variant: count_vnu(vnu[variant], out / theme / variant / "html") for variant in VARIANTS}
        (b_err, b_warn, _), (q_err, q_warn, q_examples) = counted["baseline"], counted["quotefig"]
        added = diff_counts(b_err, q_err)
        for entry in added:
            entry["examples"] = q_examples.get((entry["page"], entry["rule"]), [])[:3]
        result["vnu"] = {
            "errors": totals(b_err, q_err),
            "warnings": totals(b_warn, q_warn),
            "added": added,
            "warnings_added": diff_counts(b_warn, q_warn),
            "baseline_errors": [{"page": p, "rule": r, "count": n} for (p, r), n in sorted(b_err.items())],
            "quotefig_errors": [{"page": p, "rule": r, "count": n} for (p, r), n in sorted(q_err.items())],
        }
    if axe is not None:
        result["axe"] = {}
        mine = [r for r in axe if r["theme"] == theme]
        for scheme in SCHEMES:
            records = {v: [r for r in mine if r["variant"] == v and r["scheme"] == scheme] for v in VARIANTS}
            compared = compare_axe(records["baseline"], records["quotefig"])
            other = frozenset({"minor", "moderate"})
            problems = [f"{r['variant']} {r['page']}: {r['error']}" for v in VARIANTS for r in records[v] if r.get("error")]
            problems += [p for v in VARIANTS for p in dark_problems(theme, records[v])]
            for v in VARIANTS:
                missing = set(pages[v]) - {r["page"] for r in records[v]}
                problems += [f"{v} {page}: not checked" for page in sorted(missing)]
            result["axe"][scheme] = {
                **compared,
                "other_impacts_added": diff_counts(count_axe(records["baseline"], other), count_axe(records["quotefig"], other)),
                "in_quotefig": quotefig_nodes(records["quotefig"]),
                "problems": problems,
                "baseline": [{"page": p, "rule": r, "count": n} for (p, r), n in sorted(count_axe(records["baseline"]).items())],
                "quotefig": [{"page": p, "rule": r, "count": n} for (p, r), n in sorted(count_axe(records["quotefig"]).items())],
                "backgrounds": {r["page"]: r.get("dark") for r in records["quotefig"]},
                "screenshots": sorted(r["screenshot"] for v in VARIANTS for r in records[v] if r.get("screenshot")),
            }
        seed = {s: result["axe"][s]["backgrounds"].get("examples/seed.html") or {} for s in SCHEMES}
        result["dark_backgrounds"] = " | ".join(seed[s].get("background", "?") for s in SCHEMES)
    return result


def check_tools(args: argparse.Namespace) -> None:
    missing = []
    if not args.no_vnu:
        if shutil.which("java") is None:
            missing.append("java (apt-get install default-jre-headless)")
        if not VNU_JAR.exists():
            missing.append(f"{VNU_JAR.relative_to(ROOT)} (npm ci --prefix scripts/check_html)")
    if not args.no_axe:
        if shutil.which("node") is None:
            missing.append("node")
        if not (HERE / "node_modules" / "playwright-core").exists():
            missing.append("playwright-core, axe-core (npm ci --prefix scripts/check_html)")
        chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        if not Path(chromium).exists():
            missing.append(f"{chromium} (apt-get install chromium)")
    if missing:
        raise SystemExit("check-html needs: " + "; ".join(missing))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--themes", default=",".join(THEMES), help="comma-separated theme names (default: all five)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "check-html", help="output directory")
    parser.add_argument("--keep", action="store_true", help="reuse builds left in OUT by an earlier run")
    parser.add_argument("--no-vnu", action="store_true", help="skip the Nu HTML Checker")
    parser.add_argument("--no-axe", action="store_true", help="skip axe-core in Chromium")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="no builds, vnu or browser: compare again what the last run left in OUT (vnu-results.json, axe-results.json)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="parallel Sphinx builds, vnu runs and browser pages (default 2)")
    args = parser.parse_args(argv)
    themes = [t for t in args.themes.split(",") if t]
    unknown = set(themes) - set(THEMES)
    if unknown:
        parser.error(f"unknown theme(s): {', '.join(sorted(unknown))}; known: {', '.join(THEMES)}")
    for theme in themes:
        if importlib.util.find_spec(THEMES[theme]) is None:
            parser.error(f"theme {theme} is not installed (pip install -e '.[themes]')")
    if not args.report_only:
        check_tools(args)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    jobs = max(1, args.jobs)

    verb = "reusing the builds" if args.report_only else "building the docs"
    print(f"check-html: {verb} in {len(themes)} theme(s) x {VARIANTS} in {out}", flush=True)
    with ThreadPoolExecutor(jobs) as pool:
        keep = args.keep or args.report_only
        built = list(pool.map(lambda tv: build(out, *tv, keep), [(t, v) for t in themes for v in VARIANTS]))
    builds = {(b["theme"], b["variant"]): b for b in built}
    print(f"check-html: built in {time.monotonic() - started:.0f} s", flush=True)

    vnu: dict[tuple[str, str], list] = {}
    vnu_file = out / "vnu-results.json"
    targets = [(t, v) for t in themes for v in VARIANTS]
    if args.no_vnu:
        pass
    elif args.report_only:
        saved = json.loads(vnu_file.read_text(encoding="utf-8"))
        vnu = {(t, v): saved[f"{t}/{v}"] for t, v in targets}
    else:
        t0 = time.monotonic()
        by_build = run_vnu([out / t / v / "html" for t, v in targets], jobs)
        vnu = {(t, v): by_build[out / t / v / "html"] for t, v in targets}
        vnu_file.write_text(json.dumps({f"{t}/{v}": m for (t, v), m in vnu.items()}, indent=1), encoding="utf-8")
        print(f"check-html: vnu done in {time.monotonic() - t0:.0f} s", flush=True)

    axe = None
    if args.no_axe:
        pass
    elif args.report_only:
        axe = json.loads((out / "axe-results.json").read_text(encoding="utf-8"))
    else:
        t0 = time.monotonic()
        axe = run_axe(out, themes, jobs)
        print(f"check-html: axe done in {time.monotonic() - t0:.0f} s", flush=True)

    report: dict[str, Any] = {"out": str(out), "tags": AXE_TAGS, "themes": {}}
    for theme in themes:
        report["themes"][theme] = theme_report(
            theme,
            out,
            {v: builds[(theme, v)] for v in VARIANTS},
            None if args.no_vnu else {v: vnu[(theme, v)] for v in VARIANTS},
            axe,
        )
    added = invalid = 0
    for result in report["themes"].values():
        added += result.get("vnu", {}).get("errors", {}).get("added", 0)
        for scheme in result.get("axe", {}).values():
            added += scheme["totals"]["added"]
            invalid += len(scheme["problems"])
    report["failed"] = bool(added or invalid)
    report["verdict"] = (
        f"{added} finding(s) added by the extension" + (f", {invalid} invalid run(s)" if invalid else "")
        if report["failed"]
        else "the extension adds no validator errors and no serious or critical axe violations"
    )
    report["seconds"] = time.monotonic() - started
    (out / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    text = summary_text(report)
    (out / "summary.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())

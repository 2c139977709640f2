"""Turn ``docs/benchmarks/results-*.json`` into the docs' table and charts.

Writes into ``docs/benchmarks/``:

- ``results.inc`` — Markdown included by ``docs/benchmarks.md``: the machine,
  one table per corpus size, the targets of each quotefig shape and whether
  they were met, those of ``quotefig-bib`` against ``quotefig`` (sources
  read from ``refs.bib``), and the scaling series. (``.inc``, so that Sphinx does not
  build it as a page.)
- ``build-time.png`` — median build time per variant and corpus size.
- ``scaling.png`` — the citation index page and ``quotes.json`` against the
  number of quotes, log-log, with linear and quadratic guides.

The docs show the ``large`` results when they exist, else the ``small``
ones (``make bench``), so a quick run never replaces the real numbers.
A variant a results file lacks (one written before the variant existed) is
shown as "not measured"; the targets are judged again from the measurements
(``bench/targets.py``).

Usage: ``python bench/report.py`` (``bench/run.py`` calls it).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import BIB_VARIANT, QUOTEFIG_VARIANTS, VARIANTS
from targets import BIB_BASELINE, check_bib_targets, check_targets, measured

RESULTS_DIR = HERE.parent / "docs" / "benchmarks"
COLOURS = {
    "plain": "#9aa0a6",
    "bibtex": "#e69f00",
    "quotefig": "#0072b2",
    "quotefig-explicit": "#56b4e9",
    "quotefig-bib": "#009e73",
}
NOT_MEASURED = "not measured"


def load(results_dir: Path = RESULTS_DIR) -> dict | None:
    """The results the docs show: large if present, else small."""
    for size in ("large", "small"):
        path = results_dir / f"results-{size}.json"
        if path.exists():
            return json.loads(path.read_text())
    return None


# -- text --------------------------------------------------------------------------


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def _x(ratio: float) -> str:
    return f"{ratio:.2f}×"


def _yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


def table_head(first: list[str], columns: list[str], align: str = "---|") -> str:
    """A Markdown table's header row and rule: the *first* columns
    left-aligned, then one column per *columns* aligned by *align*. An empty
    name is a one-space cell."""
    names = [*first, *columns]
    row = "|" + "|".join(f" {name} " if name else " " for name in names) + "|"
    return row + "\n|" + "---|" * len(first) + align * len(columns) + "\n"


def _size(corpus: dict) -> str:
    return f"{corpus['documents']} × {corpus['quotes_per_document']}"


def corpus_table(c: dict) -> str:
    """One size's measurements, a column per variant (every variant, those
    the results lack marked as not measured)."""
    variants = VARIANTS
    head = table_head([""], [f"`{v}`" for v in variants], "---:|")
    rows = []

    def timed(name: str, key: str) -> None:
        cells = []
        for v in variants:
            if not measured(c, v):
                cells.append(NOT_MEASURED)
                continue
            m = c[key]["median"][v]
            cell = _s(m) if key != "rss" else f"{m:.0f} MB"
            if v != "plain":
                cell += f" ({_x(c[key]['paired_ratio'][v])})"
            cells.append(cell)
        rows.append(f"| {name} | " + " | ".join(cells) + " |")

    timed("Full build, wall time", "full")
    timed("Full build, CPU time", "full_cpu")
    timed("Incremental rebuild, wall time", "incremental")
    timed("Incremental rebuild, CPU time", "incremental_cpu")
    pages = c["incremental_pages"]
    cells = []
    for v in variants:
        if not measured(c, v):
            cells.append(NOT_MEASURED)
            continue
        p = pages[v]
        read = "/".join(map(str, p["n_read"]))
        written = "/".join(map(str, p["n_written"]))
        extra = [i for i in p["indices"] if i != "genindex"]
        cells.append(
            f"{read} / {written}" + (f" + {', '.join(extra)}" if extra else "")
        )
    rows.append("| Incremental: documents read / written | " + " | ".join(cells) + " |")
    cells = [
        ", ".join(f"`{d}`" for d in pages[v]["written"])
        if measured(c, v)
        else NOT_MEASURED
        for v in variants
    ]
    rows.append("| Incremental: pages written | " + " | ".join(cells) + " |")
    timed("Full build `-j 2`, wall time", "parallel")
    timed("Full build `-j 2`, CPU time", "parallel_cpu")
    rows.append(
        "| `-j 2` speed-up over serial | "
        + " | ".join(
            _x(c["parallel_speedup"][v]) if measured(c, v) else NOT_MEASURED
            for v in variants
        )
        + " |"
    )
    rows.append(
        "| `-j 2` output identical to serial | "
        + " | ".join(
            _yes(c["parallel_identical"][v]["identical"])
            if measured(c, v)
            else NOT_MEASURED
            for v in variants
        )
        + " |"
    )
    timed("Peak memory (RSS)", "rss")
    return head + "\n".join(rows) + "\n"


TARGET_NAMES = {
    "full": "Full build ≤ 1.05× plain (CPU time)",
    "incremental_time": "Incremental rebuild ≤ 1.10× plain (CPU time)",
    "incremental_pages": "Incremental: reads 1 document, writes only it, its toctree parent and the index",
    "parallel_time": "`-j 2` ≤ 1.05× plain's `-j 2` (CPU time)",
    "parallel": "`-j 2` output identical to serial",
    "rss": "Peak memory ≤ 1.10× plain",
}


def _target_cell(key: str, t: dict | None) -> str:
    if t is None:
        return NOT_MEASURED
    value = t["value"]
    if key == "incremental_pages":
        shown = f"read {'/'.join(map(str, value['read']))}, wrote {len(value['written'])} + {', '.join(i for i in value['indices'] if i != 'genindex')}"
    elif key == "parallel":
        shown = f"output {'identical' if value['identical'] else 'differs'}; speed-up over serial {_x(value['speedup'])}"
    elif "wall" in t:
        shown = f"CPU {_x(value)}, wall {_x(t['wall'])}"
    else:
        shown = _x(value)
    return f"{'met' if t['met'] else '**missed**'} ({shown})"


def targets_table(results: dict) -> str:
    """Each target, for each quotefig shape, at each size (judged from the
    measurements, see ``bench/targets.py``)."""
    corpora = list(results["corpora"].values())
    judged = [check_targets(c) for c in corpora]
    head = table_head(["Target", "Shape"], [_size(c) for c in corpora])
    rows = []
    for key, name in TARGET_NAMES.items():
        for shape in QUOTEFIG_VARIANTS:
            cells = [
                _target_cell(key, None if j[shape] is None else j[shape][key])
                for j in judged
            ]
            rows.append(f"| {name} | `{shape}` | " + " | ".join(cells) + " |")
    return head + "\n".join(rows) + "\n"


BIB_TARGET_NAMES = {
    "full": f"Full build ≤ 1.05× `{BIB_BASELINE}` (CPU time)",
    "incremental_bib_entry": (
        f"Rebuild after editing one `.bib` entry's title ≤ 1.10× "
        f"`{BIB_BASELINE}`'s after the same edit in `quotefig_sources` (CPU time)"
    ),
}


def _bib_target_cell(t: dict | None) -> str:
    if t is None:
        return NOT_MEASURED
    cell = f"{'met' if t['met'] else '**missed**'} (CPU {_x(t['value'])}, wall {_x(t['wall'])})"
    if t["target"].endswith("after a page edit"):
        # Results from before the quotefig_sources edit was measured.
        cell += f"; against `{BIB_BASELINE}`'s rebuild after a page edit, not the same edit"
    return cell


def bib_targets_table(results: dict) -> str:
    """The targets of ``quotefig-bib`` against ``quotefig`` at each size, and
    the pages the entry edit read and wrote beside the documents quoting
    the entry."""
    corpora = list(results["corpora"].values())
    judged = [check_bib_targets(c) for c in corpora]
    head = table_head(["Target"], [_size(c) for c in corpora])
    rows = [
        f"| {name} | "
        + " | ".join(_bib_target_cell(None if j is None else j[key]) for j in judged)
        + " |"
        for key, name in BIB_TARGET_NAMES.items()
    ]
    cells = []
    for j in judged:
        entry = None if j is None else j["incremental_bib_entry"]
        if entry is None:
            cells.append(NOT_MEASURED)
            continue
        pages = entry["pages"]
        cells.append(
            f"`{pages['entry']}`, quoted in {len(pages['quoted_in'])} documents: "
            f"read {len(pages['read'])}, wrote {len(pages['written'])} "
            f"({', '.join(f'`{d}`' for d in pages['written'][:12])}"
            + (", …" if len(pages["written"]) > 12 else "")
            + ")"
        )
    rows.append("| The entry edit: documents read and pages written | " + " | ".join(cells) + " |")
    return head + "\n".join(rows) + "\n"


def scaling_table(s: dict) -> str:
    head = "| Quotes | Index model | Index page | `quotes.json` | Total | per quote |\n|---:|---:|---:|---:|---:|---:|\n"
    rows = []
    for p in s["points"]:
        t = p["seconds"]
        rows.append(
            f"| {p['quotes']:,} | {t['generate']:.3f} s | {t['page']:.3f} s | {t['json']:.3f} s "
            f"| {t['total']:.3f} s | {t['total'] / p['quotes'] * 1e6:.0f} µs |"
        )
    slopes = {k: v for k, v in (s.get("slopes") or {}).items() if _measurable(s, k)}
    text = head + "\n".join(rows) + "\n"
    if slopes:
        text += (
            "\nLog-log slope (1 = linear, 2 = quadratic): "
            + ", ".join(
                f"{name} **{slopes[key]:.2f}**"
                for key, name in (
                    ("generate", "index model"),
                    ("page", "index page"),
                    ("json", "`quotes.json`"),
                    ("total", "total"),
                )
                if key in slopes
            )
            + ".\n"
        )
    return text


def _measurable(s: dict, key: str) -> bool:
    """A phase that takes time (the HTML builders skip the index model)."""
    return max(p["seconds"][key] for p in s["points"]) >= 0.001


def machine_list(m: dict, package: dict | None = None) -> str:
    lines = [
        f"- CPU: {m['cpu']}, {m['cores']} cores; {m.get('memory_gb')} GB memory; {m['os']}",
        (
            f"- Python {m['python']}, Sphinx {m['sphinx']}, docutils {m['docutils']}, myst-parser {m['myst_parser']}, "
            f"sphinxcontrib-bibtex {m['sphinxcontrib_bibtex']}, sphinx-quotefig {m['sphinx_quotefig']}"
        ),
        (
            f"- Run on {m['date']}; load average {m['loadavg_start'][0]:.2f} at the start, "
            f"{m.get('loadavg_end', [float('nan')])[0]:.2f} at the end (the machine was shared)"
        ),
    ]
    if package:
        lines.append(
            f"- The extension as of this run: a copy of `sphinx_quotefig`, SHA-256 `{package['sha256']}…` of its files"
        )
    return "\n".join(lines) + "\n"


def results_markdown(results: dict) -> str:
    parts = [
        f"% Generated by bench/report.py from results-{results['size']}.json: do not edit.\n",
        f"Results of `{results['command']}`"
        + (
            " (the quick size; run `make bench SIZE=large` for the real numbers)"
            if results["size"] == "small"
            else ""
        )
        + ".\n",
        "### The machine\n",
        machine_list(results["machine"], results.get("package")),
    ]
    for c in results["corpora"].values():
        parts.append(
            f"### {c['documents']:,} documents × {c['quotes_per_document']} quotations ({c['quotes']:,} quotations)\n"
        )
        parts.append(
            f"Median of {c['runs']} runs each; in brackets the ratio to `plain`, the median of the per-round ratios. "
            f"The incremental rebuild edits the page of the first quotation of `{c['edited_document']}`.\n"
        )
        parts.append(corpus_table(c))
        diffs = {
            v: d["differing_files"]
            for v, d in c["parallel_identical"].items()
            if d["differing_files"]
        }
        if diffs:
            parts.append(
                "Files that differ between the `-j 2` and the serial build: "
                + "; ".join(
                    f"`{v}`: " + ", ".join(f"`{f}`" for f in files[:8])
                    for v, files in diffs.items()
                )
                + ".\n"
            )
    parts.append("### Targets (each shape of the `quotefig` variant)\n")
    parts.append(targets_table(results))
    parts.append(
        f"### Targets of `{BIB_VARIANT}` (sources from a 2,000-entry `.bib`, against `{BIB_BASELINE}`)\n"
    )
    parts.append(bib_targets_table(results))
    if results.get("scaling"):
        parts.append("### Scaling of the citation index and `quotes.json`\n")
        parts.append(
            f"Best of {results['scaling']['repeats']}, in-process, {results['scaling']['quotes_per_document']} quotations per document.\n"
        )
        parts.append(scaling_table(results["scaling"]))
    return "\n".join(parts)


def print_summary(c: dict) -> None:
    print(corpus_table(c), flush=True)
    for shape, targets in check_targets(c).items():
        for key in TARGET_NAMES:
            print(
                f"  {shape} target {key}: {_target_cell(key, None if targets is None else targets[key])}",
                flush=True,
            )
    bib = check_bib_targets(c)
    for key in BIB_TARGET_NAMES:
        print(
            f"  {BIB_VARIANT} target {key}: {_bib_target_cell(None if bib is None else bib[key])}",
            flush=True,
        )


# -- charts ------------------------------------------------------------------------


def plot_build_times(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    corpora = list(results["corpora"].values())
    measures = [
        ("full_cpu", "Full build, CPU time"),
        ("incremental_cpu", "Incremental rebuild, CPU time"),
        ("full", "Full build, wall time"),
        ("parallel", "Full build with -j 2, wall time"),
    ]
    fig, grid = plt.subplots(2, 2, figsize=(11, 7), constrained_layout=True)
    axes = list(grid.flat)
    width = 0.8 / len(VARIANTS)
    for ax, (key, title) in zip(axes, measures):
        for i, v in enumerate(VARIANTS):
            xs = [j + (i - (len(VARIANTS) - 1) / 2) * width for j in range(len(corpora))]
            # A size that lacks the variant gets no bar (NaN).
            ys = [c[key]["median"][v] if measured(c, v) else math.nan for c in corpora]
            label = v if any(measured(c, v) for c in corpora) else f"{v} ({NOT_MEASURED})"
            bars = ax.bar(xs, ys, width, label=label, color=COLOURS[v])
            if v != "plain":
                for bar, c in zip(bars, corpora):
                    if not measured(c, v):
                        continue
                    ax.annotate(
                        f"{c[key]['paired_ratio'][v]:.2f}×",
                        (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center",
                        va="bottom",
                        fontsize=7,
                    )
        ax.set_xticks(range(len(corpora)))
        ax.set_xticklabels(
            [f"{c['documents']} × {c['quotes_per_document']}" for c in corpora]
        )
        ax.set_title(title, fontsize=10)
        ax.set_ylabel("seconds (median)")
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].legend(frameon=False, fontsize=8)
    fig.suptitle(
        "Median build time per variant and corpus size (documents × quotations); over the bars the ratio to plain",
        fontsize=10,
    )
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_scaling(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = results["scaling"]
    ns = [p["quotes"] for p in s["points"]]
    fig, ax = plt.subplots(figsize=(6.5, 4.2), constrained_layout=True)
    for key, label, colour in (
        ("total", "total", "#0072b2"),
        ("page", "index page", "#56b4e9"),
        ("json", "quotes.json", "#009e73"),
        ("generate", "index model", "#cc79a7"),
    ):
        if not _measurable(s, key):
            continue
        ts = [p["seconds"][key] for p in s["points"]]
        slope = s["slopes"].get(key)
        ax.loglog(
            ns,
            ts,
            "o-",
            color=colour,
            label=f"{label} (slope {slope:.2f})" if slope is not None else label,
        )
    t0 = s["points"][0]["seconds"]["total"]
    n0 = ns[0]
    ax.loglog(
        ns,
        [t0 * n / n0 for n in ns],
        "--",
        color="#999999",
        linewidth=1,
        label="linear",
    )
    ax.loglog(
        ns,
        [t0 * (n / n0) ** 2 for n in ns],
        ":",
        color="#999999",
        linewidth=1,
        label="quadratic",
    )
    ax.set_ylim(top=max(p["seconds"]["total"] for p in s["points"]) * 30)
    ax.set_xlabel("quotations in the project")
    ax.set_ylabel(f"seconds (best of {s['repeats']})")
    ax.set_title("Citation index page and quotes.json alone", fontsize=10)
    ax.legend(frameon=False, fontsize=8)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_all(results_dir: Path = RESULTS_DIR) -> None:
    results = load(results_dir)
    if results is None:
        print("no results yet: run bench/run.py", file=sys.stderr)
        return
    (results_dir / "results.inc").write_text(
        results_markdown(results), encoding="utf-8"
    )
    plot_build_times(results, results_dir / "build-time.png")
    if results.get("scaling"):
        plot_scaling(results, results_dir / "scaling.png")
    print(f"wrote {results_dir}/results.inc, build-time.png, scaling.png", flush=True)


if __name__ == "__main__":
    write_all()

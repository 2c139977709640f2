"""The benchmark: sphinx-quotefig against plain Sphinx and sphinxcontrib-bibtex.

For each corpus size (``bench/generate.py``: ``plain``, ``bibtex`` and the
two shapes of ``quotefig``) it measures, each as the median of ``--runs``
runs with the variants interleaved (A B C D, B C D A, …) so that the
machine's drift cancels, and reports every variant as a ratio to ``plain``
measured in the same round:

- **full**: an HTML build from scratch (``sphinx-build -b html``, empty
  output and doctree directories), and its peak memory (the build's maximum
  resident set size, from ``wait4``);
- **incremental**: a rebuild after editing one quotation's page number in
  one document (the same document and quotation in every variant), with the
  documents read and written as Sphinx itself reports them;
- **incremental after editing one ``.bib`` entry** (``quotefig-bib`` only):
  in each round, after the page edits, the title of one source's entry in
  ``refs.bib`` (the edited document's main source, quoted in several
  documents) is changed, and the rebuild's time and the pages it read and
  wrote are recorded beside the documents that quote that source;
- **parallel**: a full build with ``-j 2`` (its ratio is to plain's ``-j 2``
  build of the same round), and whether its output is byte-for-byte the
  serial build's;
- **scaling**: the citation index page and ``quotes.json`` alone, as the
  number of quotes grows (``bench/scaling.py``).

Each quotefig shape is judged against the targets in ``bench/targets.py``.
Results go to ``docs/benchmarks/results-<size>.json``; the table, the charts
and the page's generated parts are regenerated from every results file
present (``bench/report.py``).

Usage::

    python bench/run.py [--size small|large] [--runs N] [--only 200x20]
"""

from __future__ import annotations

import argparse
import compileall
import datetime as _dt
import filecmp
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import (
    BIB_FILE,
    BIB_VARIANT,
    VARIANTS,
    build_corpus,
    edit_bib_title,
    edit_conf_title,
    edit_page,
    read_page,
    read_bib_title,
    write_variant,
)
from sphinx_status import parse_status
from targets import (  # noqa: F401  (run.TARGETS, run.check_targets)
    BIB_BASELINE,
    TARGETS,
    check_bib_targets,
    check_targets,
)

RUNS_DIR = HERE / "_runs"
RESULTS_DIR = REPO / "docs" / "benchmarks"

#: name -> (corpora [(documents, quotes per document)], runs, scaling sizes)
SIZES = {
    "small": ([(40, 5)], 3, [1000, 3000, 10000]),
    "large": ([(200, 20), (1000, 10)], 5, [1000, 3000, 10000, 30000, 100000]),
}

#: Set by :func:`snapshot_package`: where the builds import sphinx_quotefig from.
PACKAGE_PATH: Path | None = None


def snapshot_package(size: str, source: Path | None = None) -> dict:
    """Copy ``sphinx_quotefig`` (or *source*) aside and import it from
    there (for the builds, via PYTHONPATH, and in-process), so that one
    benchmark run measures one version of the extension even while ``sphinx_quotefig/``
    is edited."""
    global PACKAGE_PATH
    dest = RUNS_DIR / (
        f"package-{size}" if source is None else f"package-{size}-custom"
    )
    source = source or REPO / "sphinx_quotefig"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(
        source, dest / "sphinx_quotefig", ignore=shutil.ignore_patterns("__pycache__")
    )
    digest = _package_digest(dest)
    # Byte-compiled, as pip compiles an installed package: without it every
    # build would compile the extension's source again (and nothing would
    # keep the result where PYTHONDONTWRITEBYTECODE is set).
    compileall.compile_dir(dest, quiet=1)
    PACKAGE_PATH = dest
    sys.path.insert(0, str(dest))
    return {"snapshot": str(dest.relative_to(REPO)), "sha256": digest}


def _package_digest(dest: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((dest / "sphinx_quotefig").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(
                str(path.relative_to(dest)).encode() + b"\0" + path.read_bytes()
            )
    return digest.hexdigest()[:16]


# -- one build ------------------------------------------------------------------


def sphinx_build(
    srcdir: Path,
    outdir: Path,
    doctreedir: Path,
    *,
    jobs: int = 1,
    clean: bool = True,
    log: Path | None = None,
) -> dict:
    """Run ``sphinx-build -b html`` in a subprocess; its wall time, CPU
    time, peak RSS, warnings, and what it read and wrote."""
    if clean:
        for path in (outdir, doctreedir):
            if path.exists():
                shutil.rmtree(path)
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-d",
        str(doctreedir),
        "--keep-going",
    ]
    if jobs != 1:
        cmd += ["-j", str(jobs)]
    cmd += [str(srcdir), str(outdir)]
    env = dict(os.environ, PYTHONHASHSEED="0", NO_COLOR="1")
    if PACKAGE_PATH is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(PACKAGE_PATH), env.get("PYTHONPATH")])
        )
    env.pop("FORCE_COLOR", None)
    outpath = (log or (outdir.parent / "build")).with_suffix(".out")
    errpath = outpath.with_suffix(".err")
    outpath.parent.mkdir(parents=True, exist_ok=True)
    with open(outpath, "wb") as out, open(errpath, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = outpath.read_text(encoding="utf-8", errors="replace")
    stderr = errpath.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(
            f"build failed ({proc.returncode}): {' '.join(cmd)}\n{stderr[-3000:]}"
        )
    warnings = [
        line for line in stderr.splitlines() if "WARNING" in line or "ERROR" in line
    ]
    return {
        "seconds": elapsed,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "maxrss_mb": usage.ru_maxrss / 1024,  # Linux: KiB
        "warnings": warnings,
        "status": parse_status(stdout).as_dict(),
    }


# -- statistics ---------------------------------------------------------------------


def summarise(samples: dict[str, list[dict]], key: str) -> dict:
    """Median per variant, and ratios to plain: of the medians, and the
    median of the per-round ratios (each round's builds ran back to back)."""
    medians = {
        v: statistics.median(s[key] for s in runs) for v, runs in samples.items()
    }
    out = {
        "median": medians,
        "ratio": {},
        "paired_ratio": {},
        "samples": {v: [s[key] for s in r] for v, r in samples.items()},
    }
    for v, runs in samples.items():
        out["ratio"][v] = medians[v] / medians["plain"]
        pairs = [a[key] / b[key] for a, b in zip(runs, samples["plain"])]
        out["paired_ratio"][v] = statistics.median(pairs)
    return out


def rounds(runs: int, variants: tuple[str, ...]):
    """A B C, B C A, C A B, …: interleaved, and each variant in each
    position equally often, so neither drift nor position favours one."""
    for r in range(runs):
        shift = r % len(variants)
        yield r, variants[shift:] + variants[:shift]


# -- output comparison --------------------------------------------------------------


def compare_trees(a: Path, b: Path) -> list[str]:
    """Files that differ between two output trees (or exist in one only)."""
    diffs = []
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    for rel in sorted(files_a ^ files_b):
        diffs.append(f"{rel} (only in {'serial' if rel in files_a else 'parallel'})")
    for rel in sorted(files_a & files_b):
        if not filecmp.cmp(a / rel, b / rel, shallow=False):
            diffs.append(str(rel))
    return diffs


# -- one corpus size -------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def bench_corpus(
    n_docs: int,
    n_quotes: int,
    runs: int,
    variants: tuple[str, ...] = VARIANTS,
    seed: int = 5,
    runs_dir: Path | None = None,
) -> dict:
    """Every measurement for one corpus size; builds under *runs_dir*."""
    label = f"{n_docs}x{n_quotes}"
    base = (runs_dir or RUNS_DIR) / label
    corpus = build_corpus(n_docs, n_quotes, seed)
    src = {v: write_variant(corpus, v, base / "src" / v) for v in variants}
    log(
        f"{label}: {n_docs} documents x {n_quotes} quotations = {n_docs * n_quotes} quotations, {runs} runs"
    )

    def dirs(kind: str, v: str) -> tuple[Path, Path]:
        return base / kind / v / "html", base / kind / v / "doctrees"

    # Warm-up (untimed), which is also the base of the incremental runs:
    # fills the OS's caches and compiles bytecode; and every variant must
    # build without a warning.
    edit_doc = corpus.edit_doc
    inc_src = {}
    warnings = {}
    for v in variants:
        inc_src[v] = base / "inc-src" / v
        if inc_src[v].exists():
            shutil.rmtree(inc_src[v])
        shutil.copytree(src[v], inc_src[v])
        result = sphinx_build(
            inc_src[v], *dirs("inc", v), log=base / "logs" / f"warmup-{v}"
        )
        warnings[v] = result["warnings"]
        if result["warnings"]:
            log(
                f"  WARNING: {v} has {len(result['warnings'])} warnings, e.g. {result['warnings'][0]}"
            )

    # Full builds, serial and -j 2, interleaved.
    full: dict[str, list] = {v: [] for v in variants}
    parallel: dict[str, list] = {v: [] for v in variants}
    for kind, store, jobs in (("full", full, 1), ("parallel", parallel, 2)):
        for r, order in rounds(runs, variants):
            for v in order:
                result = sphinx_build(
                    src[v],
                    *dirs(kind, v),
                    jobs=jobs,
                    log=base / "logs" / f"{kind}-{v}-{r}",
                )
                store[v].append(result)
            log(
                f"  {kind:<8} round {r + 1}/{runs}: "
                + "  ".join(
                    f"{v} {store[v][-1]['seconds']:.2f}s {store[v][-1]['maxrss_mb']:.0f}MB"
                    for v in variants
                )
            )

    identical = {}
    for v in variants:
        diffs = compare_trees(dirs("full", v)[0], dirs("parallel", v)[0])
        identical[v] = {"identical": not diffs, "differing_files": diffs}
        log(
            f"  -j 2 output vs serial, {v}: {'identical' if not diffs else f'{len(diffs)} files differ: {diffs[:5]}'}"
        )

    # Incremental: on the warm-up's build, alternately edit the page number of the
    # first quotation of one document and rebuild.
    incremental: dict[str, list] = {v: [] for v in variants}
    original = {v: read_page(v, inc_src[v] / f"{edit_doc}.md") for v in variants}
    # And, for the project whose sources are in refs.bib, alternately edit
    # one entry's title (of a source several documents quote) and rebuild.
    entry_edits: list[dict] = []
    # The same edit where the sources are in conf.py (the baseline the
    # entry edit is judged against): Sphinx reads every document again.
    conf_edits: list[dict] = []
    entry_key = corpus.edit_source
    if BIB_VARIANT in variants:
        bib_path = inc_src[BIB_VARIANT] / BIB_FILE
        entry_title = read_bib_title(bib_path, entry_key)

    def incremental_build(v: str, path: Path, log_name: str) -> dict:
        # mtime strictly later than the last build's, whatever the clock's resolution
        later = time.time() + 1
        os.utime(path, (later, later))
        result = sphinx_build(
            inc_src[v], *dirs("inc", v), clean=False, log=base / "logs" / log_name
        )
        result["n_read"] = result["status"]["n_read"]
        result["n_written"] = result["status"]["n_written"]
        return result

    for r, order in rounds(runs, variants):
        for v in order:
            path = inc_src[v] / f"{edit_doc}.md"
            edit_page(v, path, original[v] + 1 if r % 2 == 0 else original[v])
            incremental[v].append(incremental_build(v, path, f"inc-{v}-{r}"))
        log(
            f"  incremental round {r + 1}/{runs}: "
            + "  ".join(
                f"{v} {incremental[v][-1]['seconds']:.2f}s read {incremental[v][-1]['n_read']}"
                f" wrote {incremental[v][-1]['n_written']}"
                for v in variants
            )
        )
        if BIB_VARIANT in variants:
            edit_bib_title(
                bib_path,
                entry_key,
                f"{entry_title} (revised)" if r % 2 == 0 else entry_title,
            )
            entry_edits.append(
                incremental_build(BIB_VARIANT, bib_path, f"inc-bib-entry-{r}")
            )
            log(
                f"  .bib entry {entry_key} edited: {entry_edits[-1]['seconds']:.2f}s"
                f" read {entry_edits[-1]['n_read']} wrote {entry_edits[-1]['n_written']}"
            )
            if BIB_BASELINE in variants:
                conf_path = inc_src[BIB_BASELINE] / "conf.py"
                edit_conf_title(conf_path, entry_key, f"{entry_title} (revised)" if r % 2 == 0 else entry_title)
                conf_edits.append(incremental_build(BIB_BASELINE, conf_path, f"inc-conf-source-{r}"))
                log(
                    f"  {BIB_BASELINE}: quotefig_sources[{entry_key!r}] edited: {conf_edits[-1]['seconds']:.2f}s"
                    f" read {conf_edits[-1]['n_read']} wrote {conf_edits[-1]['n_written']}"
                )
    inc_pages = {
        v: {
            "read": sorted({d for s in incremental[v] for d in s["status"]["read"]}),
            "written": sorted(
                {d for s in incremental[v] for d in s["status"]["written"]}
            ),
            "indices": incremental[v][-1]["status"]["indices"],
            "additional": incremental[v][-1]["status"]["additional"],
            "n_read": sorted({s["n_read"] for s in incremental[v]}),
            "n_written": sorted({s["n_written"] for s in incremental[v]}),
        }
        for v in variants
    }

    def strip(samples: dict[str, list]) -> dict[str, list]:
        return {
            v: [{k: x for k, x in s.items() if k != "status"} for s in runs_]
            for v, runs_ in samples.items()
        }

    entry_edit = None
    if entry_edits:
        entry_edit = {
            "entry": entry_key,
            "field": "title",
            "file": BIB_FILE,
            "quoted_in": corpus.quoting_docs(entry_key),
            "median": statistics.median(s["seconds"] for s in entry_edits),
            "median_cpu": statistics.median(s["cpu_seconds"] for s in entry_edits),
            "pages": {
                "read": sorted({d for s in entry_edits for d in s["status"]["read"]}),
                "written": sorted(
                    {d for s in entry_edits for d in s["status"]["written"]}
                ),
                "indices": entry_edits[-1]["status"]["indices"],
                "n_read": sorted({s["n_read"] for s in entry_edits}),
                "n_written": sorted({s["n_written"] for s in entry_edits}),
            },
            "runs": strip({BIB_VARIANT: entry_edits})[BIB_VARIANT],
            # The same edit in the baseline's quotefig_sources, in the same rounds.
            "baseline_runs": strip({BIB_BASELINE: conf_edits})[BIB_BASELINE] if conf_edits else None,
        }

    return {
        "label": label,
        "documents": n_docs,
        "quotes_per_document": n_quotes,
        "quotes": n_docs * n_quotes,
        "runs": runs,
        "edited_document": edit_doc,
        "warmup_warnings": warnings,
        "full": summarise(full, "seconds"),
        "full_cpu": summarise(full, "cpu_seconds"),
        "rss": summarise(full, "maxrss_mb"),
        "parallel": summarise(parallel, "seconds"),
        "parallel_cpu": summarise(parallel, "cpu_seconds"),
        "parallel_speedup": {
            v: statistics.median(s["seconds"] for s in full[v])
            / statistics.median(s["seconds"] for s in parallel[v])
            for v in variants
        },
        "parallel_identical": identical,
        "incremental": summarise(incremental, "seconds"),
        "incremental_cpu": summarise(incremental, "cpu_seconds"),
        "incremental_pages": inc_pages,
        "incremental_bib_entry": entry_edit,
        "raw": {
            "full": strip(full),
            "parallel": strip(parallel),
            "incremental": strip(incremental),
        },
    }


# -- the machine -------------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass

    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sphinx": version("sphinx"),
        "docutils": version("docutils"),
        "myst_parser": version("myst-parser"),
        "sphinxcontrib_bibtex": version("sphinxcontrib-bibtex"),
        "sphinx_quotefig": version("sphinx-quotefig"),
        "loadavg_start": list(os.getloadavg()),
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# -- main ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument(
        "--runs", type=int, help="runs per measurement (default: 3 small, 5 large)"
    )
    parser.add_argument(
        "--only",
        help="run only this corpus, e.g. 200x20 (results are merged into the size's file)",
    )
    parser.add_argument(
        "--variants",
        help="run only these variants, comma-separated (plain is always run: "
        "every ratio is to it), e.g. quotefig,quotefig-explicit",
    )
    parser.add_argument(
        "--no-scaling", action="store_true", help="skip the scaling series"
    )
    parser.add_argument(
        "--package",
        type=Path,
        help="benchmark this copy of sphinx_quotefig (a directory holding the package) "
        "instead of sphinx_quotefig/, e.g. to try a change; its results go to bench/_runs/, not the docs",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="regenerate table and charts from the results",
    )
    args = parser.parse_args(argv)

    import report

    if args.report_only:
        report.write_all(RESULTS_DIR)
        return

    corpora, runs, scaling_sizes = SIZES[args.size]
    runs = args.runs or runs
    if runs < 1:
        parser.error("--runs must be at least 1")
    variants = VARIANTS
    if args.variants:
        wanted = {"plain", *args.variants.split(",")}
        if not wanted <= set(VARIANTS):
            parser.error(f"--variants: not a variant: {', '.join(sorted(wanted - set(VARIANTS)))}")
        variants = tuple(v for v in VARIANTS if v in wanted)
    if args.only:
        corpora = [c for c in corpora if f"{c[0]}x{c[1]}" == args.only] or [
            tuple(map(int, args.only.split("x")))
        ]

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    if args.package is not None:
        source = args.package.resolve()
        if (source / "sphinx_quotefig").is_dir():
            source = source / "sphinx_quotefig"
        if not (source / "__init__.py").is_file():
            parser.error(f"--package: no sphinx_quotefig package in {args.package}")
        package = snapshot_package(args.size, source)
        package["source"] = str(source)
        results_path = RUNS_DIR / f"results-{args.size}-{source.parent.name}.json"
    else:
        package = snapshot_package(args.size)
        results_path = RESULTS_DIR / f"results-{args.size}.json"
    previous = (
        json.loads(results_path.read_text())
        if args.only and results_path.exists()
        else {}
    )
    results = {
        "size": args.size,
        "machine": machine(),
        "command": f"make bench SIZE={args.size}"
        if not args.runs and not args.only and args.package is None
        else "python bench/run.py " + " ".join(argv or sys.argv[1:]),
        "corpora": dict(previous.get("corpora", {})),
        "scaling": previous.get("scaling"),
        "package": package,
    }
    started = time.perf_counter()
    log(
        f"machine: {results['machine']['cpu']}, {results['machine']['cores']} cores, load {results['machine']['loadavg_start']}"
    )
    for n_docs, n_quotes in corpora:
        corpus = bench_corpus(n_docs, n_quotes, runs, variants)
        corpus["targets"] = check_targets(corpus)
        corpus["bib_targets"] = check_bib_targets(corpus)
        results["corpora"][corpus["label"]] = corpus
        results["machine"]["loadavg_end"] = list(os.getloadavg())
        results_path.write_text(json.dumps(results, indent=1) + "\n")
        report.print_summary(corpus)
    if not args.no_scaling:
        import scaling

        log(f"scaling: {scaling_sizes}")
        results["scaling"] = scaling.run_scaling(
            scaling_sizes, repeats=3, workdir=RUNS_DIR / "scaling"
        )
        log(
            f"  scaling slopes (log-log): {', '.join(f'{k} {v:.2f}' for k, v in results['scaling']['slopes'].items())}"
        )
    results["machine"]["loadavg_end"] = list(os.getloadavg())
    results["elapsed_seconds"] = time.perf_counter() - started
    results_path.write_text(json.dumps(results, indent=1) + "\n")
    if args.package is None:
        report.write_all(RESULTS_DIR)
    log(
        f"done in {results['elapsed_seconds'] / 60:.1f} min: {results_path.relative_to(REPO)}"
    )


if __name__ == "__main__":
    main()

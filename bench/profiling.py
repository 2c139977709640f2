"""Profile one full HTML build of a benchmark corpus, per variant.

For each variant it runs, in a fresh subprocess each:

- pyinstrument (``python -m pyinstrument -m sphinx …``): a call tree as text
  (and HTML with ``--html``), for reading;
- cProfile (timing CPU time, so that other work on the machine does not
  distort it), summarised: the build's total, the time spent inside
  ``sphinx_quotefig`` itself (own time of its functions), and the
  cumulative time of the extension's entry points and of the parsers, so
  the cost of the extension can be told from Sphinx's and MyST's.

Usage::

    python bench/profiling.py bench/_runs/200x20 [--variant plain --variant quotefig]
        [--package bench/_runs/package-large] [--out bench/_runs/profile-200x20]

(the corpus directory is one ``bench/run.py`` made: ``<dir>/src/<variant>``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import VARIANTS

#: (label, file fragment, function) of interesting cumulative times.
ENTRY_POINTS = [
    ("myst: parse a document", "myst_parser/parsers/sphinx_", "parse"),
    (
        "docutils: epigraph/BlockQuote directive",
        "docutils/parsers/rst/directives/body.py",
        "run",
    ),
    ("quotefig: QuoteDirective.run", "sphinx_quotefig/directives.py", "run"),
    ("quotefig: AssignSources.apply", "sphinx_quotefig/transforms.py", "apply"),
    ("quotefig: QuoteDomain.process_doc", "sphinx_quotefig/domain.py", "process_doc"),
    ("quotefig: ResolveQuotes.run", "sphinx_quotefig/citations.py", "run"),
    ("quotefig: check_sources", "sphinx_quotefig/__init__.py", "check_sources"),
    ("quotefig: QuoteIndex.generate", "sphinx_quotefig/index.py", "generate"),
    ("quotefig: render_index_page", "sphinx_quotefig/index_page.py", "render_index_page"),
    (
        "quotefig: stream_index_listing",
        "sphinx_quotefig/index_page.py",
        "stream_index_listing",
    ),
    (
        "quotefig: general_index_entries",
        "sphinx_quotefig/index.py",
        "general_index_entries",
    ),
    (
        "quotefig: outdated_index_pages",
        "sphinx_quotefig/index.py",
        "outdated_index_pages",
    ),
    (
        "quotefig: write_quotes_json",
        "sphinx_quotefig/json_export.py",
        "write_quotes_json",
    ),
    (
        "quotefig: html visit_quote_figure",
        "sphinx_quotefig/writers/html.py",
        "visit_quote_figure",
    ),
    ("sphinx: pickle environment", "sphinx/builders/__init__.py", "pickle_environment"),
    ("sphinx: write documents", "sphinx/builders/__init__.py", "write_documents"),
    ("sphinx: read", "sphinx/builders/__init__.py", "read"),
]

_CPROFILE_DRIVER = r"""
import cProfile, pstats, sys, json, time
from sphinx.cmd.build import main
out = sys.argv[1]
args = sys.argv[2:]
profiler = cProfile.Profile(time.process_time)  # CPU time: robust on a shared machine
profiler.enable()
code = main(args)
profiler.disable()
profiler.dump_stats(out)
sys.exit(code)
"""


def _env(package: Path | None) -> dict:
    env = dict(os.environ, PYTHONHASHSEED="0", NO_COLOR="1")
    if package is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(package.resolve()), env.get("PYTHONPATH")])
        )
    return env


def summarise_cprofile(path: Path) -> dict:
    import pstats

    stats = pstats.Stats(str(path))
    total = max(ct for (_, _, _), (_, _, _, ct, _) in stats.stats.items())
    own = 0.0
    own_by_function = []
    cumulative = {}
    for (filename, line, name), (_, _, tt, ct, _) in stats.stats.items():
        if "sphinx_quotefig" in filename:
            own += tt
            own_by_function.append((tt, f"{Path(filename).name}:{line} {name}"))
        for label, fragment, function in ENTRY_POINTS:
            if fragment in filename and name == function:
                cumulative[label] = cumulative.get(label, 0.0) + ct
    own_by_function.sort(reverse=True)
    return {
        "total_seconds": total,
        "quotefig_own_seconds": own,
        "quotefig_own_share": own / total if total else 0.0,
        "top_quotefig_functions": [(round(t, 4), f) for t, f in own_by_function[:15]],
        "cumulative": {k: round(v, 4) for k, v in sorted(cumulative.items())},
    }


def profile_variant(
    src: Path, out: Path, variant: str, package: Path | None, html: bool = False
) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    build = out / f"build-{variant}"
    if build.exists():
        shutil.rmtree(build)
    sphinx_args = [
        "-b",
        "html",
        "-q",
        "-d",
        str(build / "doctrees"),
        str(src),
        str(build / "html"),
    ]
    env = _env(package)
    # pyinstrument: the readable call tree
    text = out / f"pyinstrument-{variant}.txt"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pyinstrument",
            "-r",
            "text",
            "--show-all",
            "-o",
            str(text),
            "-m",
            "sphinx",
            *sphinx_args,
        ],
        check=True,
        env=env,
    )
    if html:
        shutil.rmtree(build)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pyinstrument",
                "-r",
                "html",
                "-o",
                str(out / f"pyinstrument-{variant}.html"),
                "-m",
                "sphinx",
                *sphinx_args,
            ],
            check=True,
            env=env,
        )
    shutil.rmtree(build)
    # cProfile: exact attribution
    stats = out / f"cprofile-{variant}.pstats"
    subprocess.run(
        [sys.executable, "-c", _CPROFILE_DRIVER, str(stats), *sphinx_args],
        check=True,
        env=env,
    )
    shutil.rmtree(build)
    return summarise_cprofile(stats)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "corpus", type=Path, help="a bench/_runs/<docs>x<quotes> directory"
    )
    parser.add_argument(
        "--variant", action="append", choices=VARIANTS
    )
    parser.add_argument(
        "--package",
        type=Path,
        help="import sphinx_quotefig from here (a run's snapshot)",
    )
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--html",
        action="store_true",
        help="also write pyinstrument's HTML report (one more build)",
    )
    args = parser.parse_args(argv)
    out = args.out or (HERE / "_runs" / f"profile-{args.corpus.name}")
    summary = {}
    for variant in args.variant or ("plain", "quotefig"):
        summary[variant] = profile_variant(
            args.corpus / "src" / variant, out, variant, args.package, args.html
        )
        print(f"== {variant}")
        print(json.dumps(summary[variant], indent=1))
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(f"reports in {out}")


if __name__ == "__main__":
    main()

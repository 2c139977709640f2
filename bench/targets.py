"""The benchmark's targets, judged from one corpus size's measurements.

Each shape of the ``quotefig`` variant (``generate.QUOTEFIG_VARIANTS``) is
judged on its own against ``plain`` measured in the same rounds:

- full build: CPU time ≤ 1.05× plain's;
- incremental rebuild: CPU time ≤ 1.10× plain's, and it reads one
  document and writes only what plain Sphinx writes, plus the citation index;
- ``-j 2``: CPU time ≤ 1.05× plain's ``-j 2``, and output byte for byte the
  serial build's;
- peak memory ≤ 1.10× plain's.

The project whose sources are read from ``refs.bib``
(``generate.BIB_VARIANT``, ``quotefig-bib``) is judged against the same
project with ``quotefig_sources`` (``quotefig``), measured in the same
rounds (:func:`check_bib_targets`):

- full build: CPU time ≤ 1.05× quotefig's;
- incremental rebuild after editing one ``.bib`` entry's title: CPU time
  ≤ 1.10× quotefig's incremental rebuild after editing one quotation's page
  (the rebuild an author of the ``quotefig`` project waits for); the pages
  it reads and writes are reported beside the documents that quote the
  entry.

Time targets are judged on CPU time (user + system, of the build and its
workers): on a shared machine the wall time of a build depends on what else
runs, its CPU time hardly. The wall-time ratio is reported beside it.

``bench/run.py`` stores the verdicts in the results; ``bench/report.py``
judges again from the measurements, so a results file written before a
shape or a target existed shows what it did measure (a shape it lacks is
``None``: not measured).
"""

from __future__ import annotations

import statistics

from generate import BIB_VARIANT, QUOTEFIG_VARIANTS

#: Ratio limits to plain (for "parallel": to plain's ``-j 2`` build).
TARGETS = {"full": 1.05, "incremental": 1.10, "parallel": 1.05, "rss": 1.10}
#: Ratio limits of ``quotefig-bib`` to ``quotefig`` (for the entry edit: to
#: quotefig's incremental rebuild after a page edit).
BIB_TARGETS = {"full": 1.05, "incremental_bib_entry": 1.10}
#: What ``quotefig-bib`` is judged against.
BIB_BASELINE = "quotefig"

INDEX_DOCNAME = "quote-index"


def measured(corpus: dict, variant: str) -> bool:
    """Whether *variant* was built at this corpus size."""
    return variant in corpus["full"]["median"]


def shape_targets(corpus: dict, shape: str) -> dict | None:
    """The targets of one quotefig shape at one size; None if not measured."""
    if not measured(corpus, shape):
        return None
    inc = corpus["incremental_pages"][shape]
    edited = corpus["edited_document"]
    # Sphinx itself always rewrites the parents whose toctree lists a changed
    # document (here: its section, and the root page), in every variant;
    # allowed are those, the edited page and the citation index.
    plain_written = set(corpus["incremental_pages"]["plain"]["written"])
    extra = sorted(set(inc["written"]) - ({edited} | plain_written))

    def timed(key: str, limit: float, of: str = "plain") -> dict:
        cpu = corpus[f"{key}_cpu"]["paired_ratio"][shape]
        wall = corpus[key]["paired_ratio"][shape]
        return {
            "target": f"<= {limit:.2f}x {of}",
            "value": cpu,
            "wall": wall,
            "met": cpu <= limit,
        }

    identical = corpus["parallel_identical"][shape]["identical"]
    rss = corpus["rss"]["paired_ratio"][shape]
    return {
        "full": timed("full", TARGETS["full"]),
        "incremental_time": timed("incremental", TARGETS["incremental"]),
        "incremental_pages": {
            "target": "reads 1 document; writes it, the citation index and pages whose listed quotes changed",
            "value": {
                "read": inc["n_read"],
                "written": inc["written"],
                "indices": inc["indices"],
                "beyond_plain": extra,
            },
            "met": inc["n_read"] == [1]
            and not extra
            and INDEX_DOCNAME in inc["indices"],
        },
        "parallel_time": timed("parallel", TARGETS["parallel"], "plain's -j 2"),
        "parallel": {
            "target": "-j 2 output identical to serial",
            "value": {
                "speedup": corpus["parallel_speedup"][shape],
                "identical": identical,
            },
            "met": identical,
        },
        "rss": {
            "target": f"<= {TARGETS['rss']:.2f}x plain",
            "value": rss,
            "met": rss <= TARGETS["rss"],
        },
    }


def check_targets(corpus: dict) -> dict[str, dict | None]:
    """{quotefig shape: its targets at this size, or None if not measured}."""
    return {shape: shape_targets(corpus, shape) for shape in QUOTEFIG_VARIANTS}


def _paired(samples: list[dict], baseline: list[dict], key: str) -> float:
    """The median of the per-round ratios (round *i* of each list ran in the
    same round)."""
    return statistics.median(a[key] / b[key] for a, b in zip(samples, baseline))


def check_bib_targets(corpus: dict) -> dict | None:
    """The targets of ``quotefig-bib`` against ``quotefig`` at this size;
    None if either was not measured. The entry edit's target is None when
    the results lack it (a results file older than the measurement)."""
    if not (measured(corpus, BIB_VARIANT) and measured(corpus, BIB_BASELINE)):
        return None
    raw = corpus["raw"]

    def judged(samples: list[dict], baseline: list[dict], limit: float, of: str) -> dict:
        cpu = _paired(samples, baseline, "cpu_seconds")
        return {
            "target": f"<= {limit:.2f}x {of}",
            "value": cpu,
            "wall": _paired(samples, baseline, "seconds"),
            "met": cpu <= limit,
        }

    full = judged(
        raw["full"][BIB_VARIANT],
        raw["full"][BIB_BASELINE],
        BIB_TARGETS["full"],
        f"{BIB_BASELINE}'s full build",
    )
    edit = corpus.get("incremental_bib_entry")
    entry = None
    if edit is not None:
        # The baseline: the same source edited where the same corpus
        # declares it, in quotefig_sources. Results without that measurement
        # fall back to the baseline's rebuild after a page edit (other work:
        # one page written, not every page showing the source).
        baseline_runs = edit.get("baseline_runs")
        entry = judged(
            edit["runs"],
            baseline_runs or raw["incremental"][BIB_BASELINE],
            BIB_TARGETS["incremental_bib_entry"],
            f"{BIB_BASELINE}'s rebuild after the same edit in quotefig_sources"
            if baseline_runs
            else f"{BIB_BASELINE}'s incremental rebuild after a page edit",
        )
        entry["pages"] = {
            "entry": edit["entry"],
            "read": edit["pages"]["read"],
            "written": edit["pages"]["written"],
            "quoted_in": edit["quoted_in"],
        }
    return {"full": full, "incremental_bib_entry": entry}

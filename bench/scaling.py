"""How the citation index and ``quotes.json`` scale with the number of quotes.

Builds a tiny quotefig project once (in-process), then replaces the quote
domain's records with *n* synthetic quotations (10 per document, over the
corpus's 50 sources, some without a source) and times, best of
``repeats``, exactly what an HTML build does with them at the end of every
build:

``generate``
    ``QuoteIndex.generate()``: the domain index Sphinx computes in
    ``prepare_writing`` (the model: grouping and sorting by locator).
``page``
    the HTML builder's ``write_domain_indices()``: the ``quote-index`` page,
    rendered through ``render_index_page`` into the theme's template and
    written to disk, and its listing streamed into it
    (``stream_index_listing``).
``json``
    ``write_quotes_json``: the ``quotes.json`` document, serialised and
    written.

Every entry is rendered afresh in each run, as in a full build (what the
last run wrote is forgotten before each, so no part of it is copied).

The log-log slope of time against *n* is the empirical exponent: 1 for
linear, about 1.1 for n log n at these sizes, 2 for quadratic.

Usage::

    python bench/scaling.py [--sizes 1000 10000 100000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import build_corpus, write_variant

PHASES = ("generate", "page", "json")
QUOTES_PER_DOC = 10


def _synthetic_records(
    n: int, source_keys: list[str], seed: int = 5
) -> tuple[dict, dict]:
    from docutils import nodes

    from sphinx_quotefig.records import QuoteRecord
    from sphinx_quotefig.locators import free_locator, parse_page, sort_key

    rng = random.Random(seed)
    words = [
        "the",
        "quick",
        "brown",
        "fox",
        "jumps",
        "over",
        "the",
        "lazy",
        "dog",
        "while",
        "citizens",
        "report",
        "potholes",
        "to",
        "councils",
    ]
    quotes: dict[str, list] = {}
    titles = {}
    for i in range(n):
        docname = f"notes-{i // QUOTES_PER_DOC:06d}"
        serial = i % QUOTES_PER_DOC
        roll = rng.random()
        if roll < 0.85:
            locator = parse_page(str(rng.randint(1, 600)))
        elif roll < 0.92:
            start = rng.randint(1, 599)
            locator = parse_page(f"{start}-{start + 2}")
        elif roll < 0.96:
            locator = parse_page(rng.choice(["ii", "iv", "ix", "xii"]))
        else:
            locator = free_locator(f"ch. {rng.randint(1, 20)}")
        text = "\n\n".join(
            " ".join(rng.choice(words) for _ in range(rng.randint(20, 40)))
            for _ in range(2)
        )
        source = rng.choice(source_keys) if rng.random() < 0.98 else None
        record = QuoteRecord(
            docname=docname,
            anchor=f"figure-{serial + 1}",
            kind="block",
            source=source,
            **dict(zip(("locator_kind", "locator_text", "locator_range"), locator.summary())),
            **dict(zip(("order_group", "order_first", "order_last", "order_text"), sort_key(locator))),
            text=text,
            lineno=10 + 12 * serial,
            serial=serial,
        )
        quotes.setdefault(docname, []).append(record)
        if docname not in titles:
            titles[docname] = nodes.title("", f"Notes {i // QUOTES_PER_DOC + 1}")
    return quotes, titles


def _best(fn, repeats: int) -> float:
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def fit_slope(ns: list[int], ts: list[float]) -> float:
    """Least-squares slope of log t against log n."""
    xs = [math.log(n) for n in ns]
    ys = [math.log(t) for t in ts]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx


def run_scaling(
    sizes: list[int], repeats: int = 3, workdir: Path | None = None
) -> dict:
    from sphinx.util.docutils import docutils_namespace

    # As sphinx-build does: what the in-process build registers with
    # docutils (nodes, directives, roles) is undone after it, so that a
    # later Sphinx application in the same process starts clean.
    with docutils_namespace():
        return _run_scaling(sizes, repeats, workdir)


def _run_scaling(sizes: list[int], repeats: int, workdir: Path | None) -> dict:
    from sphinx.application import Sphinx

    from sphinx_quotefig.index import QuoteIndex
    from sphinx_quotefig.index_page import write_index_listing
    from sphinx_quotefig.json_export import FILENAME, write_quotes_json
    from sphinx_quotefig.records import pack, parts_of

    tmp = None
    if workdir is None:
        tmp = tempfile.TemporaryDirectory()
        workdir = Path(tmp.name)
    corpus = build_corpus(1, 1)
    src = write_variant(corpus, "quotefig", Path(workdir) / "scaling-src")
    out = Path(workdir) / "scaling-out"
    app = Sphinx(
        src,
        src,
        out / "html",
        out / "doctrees",
        "html",
        status=None,
        warning=StringIO(),
        freshenv=True,
    )
    app.build()
    env, builder = app.env, app.builder
    domain = env.domains["quote"]
    source_keys = [s.key for s in corpus.sources]
    original_titles = dict(env.titles)

    points = []
    for n in sizes:
        quotes, titles = _synthetic_records(n, source_keys)
        for key in ("quotes", "parts", "titles"):
            domain.data[key] = {}
        for docname, records in quotes.items():
            domain.data["quotes"][docname] = pack(records)
            domain.data["parts"][docname] = parts_of(records)
            domain.data["titles"][docname] = titles[docname].astext()
        env.titles.clear()
        env.titles.update(original_titles)
        env.titles.update(titles)
        domain._changed()
        stores = Path(builder.doctreedir) / "quotefig"

        def generate() -> None:
            builder.domain_indices = [
                ("quote-index", QuoteIndex, *QuoteIndex(domain).generate())
            ]

        def page() -> None:
            # Every entry rendered: no fragments kept from the run before.
            (stores / f"fragments-{builder.name}-page.pickle").unlink(missing_ok=True)
            builder.write_domain_indices()
            write_index_listing(app)

        def write_json() -> None:
            (stores / f"fragments-{builder.name}-json.pickle").unlink(missing_ok=True)
            path = Path(builder.outdir) / FILENAME
            path.unlink(missing_ok=True)  # so that it is written every time
            write_quotes_json(app, None)

        timings = {
            "generate": _best(generate, repeats),
            "page": _best(page, repeats),
            "json": _best(write_json, repeats),
        }
        timings["total"] = sum(timings[p] for p in PHASES)
        html_bytes = (Path(builder.outdir) / "quote-index.html").stat().st_size
        json_bytes = (Path(builder.outdir) / FILENAME).stat().st_size
        point = {
            "quotes": n,
            "seconds": timings,
            "index_html_bytes": html_bytes,
            "json_bytes": json_bytes,
        }
        points.append(point)
        print(
            f"  scaling: {n:>7} quotes  generate {timings['generate']:.3f}s  page {timings['page']:.3f}s"
            f"  json {timings['json']:.3f}s  total {timings['total']:.3f}s",
            flush=True,
        )
    ns = [p["quotes"] for p in points]
    slopes = (
        {
            k: fit_slope(ns, [p["seconds"][k] for p in points])
            for k in (*PHASES, "total")
        }
        if len(ns) > 1
        else {}
    )
    if tmp is not None:
        tmp.cleanup()
    return {
        "repeats": repeats,
        "quotes_per_document": QUOTES_PER_DOC,
        "points": points,
        "slopes": slopes,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    result = run_scaling(args.sizes, args.repeats)
    print(json.dumps(result["slopes"], indent=2))


if __name__ == "__main__":
    main()

"""Measure quotecheck: extraction of a ~300-page PDF (tests/pdfs/shishi.pdf,
280 pages), and re-runs over 4,000 quotations taken from it (40 pages of
100 quotes: verified, wrong page, misquoted and not found mixed): warm (the
text and what was found of each quotation cached), and with only the text
cached (every quotation matched again, as after editing them all).

    .venv/bin/python bench/quotecheck_rerun.py
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sphinx.application import Sphinx

from sphinx_quotefig.extract import extract
from sphinx_quotefig.matching import SourceIndex

PDF = Path(__file__).parents[1] / "tests" / "pdfs" / "shishi.pdf"


def main() -> None:
    start = time.perf_counter()
    text = extract(PDF)
    extracted = time.perf_counter() - start
    start = time.perf_counter()
    index = SourceIndex(text)
    indexed = time.perf_counter() - start
    print(f"extract {len(text.pages)} pages: {extracted:.2f} s; index {len(index.keys)} words: {indexed:.2f} s")

    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "src")
        src.mkdir()
        shutil.copyfile(PDF, src / "shishi.pdf")
        (src / "conf.py").write_text(
            'extensions = ["myst_parser", "sphinx_quotefig"]\n'
            'quotefig_sources = {"shishi": {"title": "Shishi", "file": "shishi.pdf"}}\n'
            'suppress_warnings = ["quotefig"]\n'
        )
        docs = []
        for doc in range(40):
            blocks = []
            for _ in range(100):
                start_word = rng.randrange(len(index.words) - 30)
                words = index.words[start_word : start_word + rng.randrange(6, 25)]
                page = text.labels[index.page_of(start_word)]
                kind = rng.random()
                if kind < 0.1:
                    page = text.labels[(index.page_of(start_word) + 5) % len(text.labels)]
                elif kind < 0.2:
                    words = [*words[:3], "zzzword", *words[4:]]
                elif kind < 0.25:
                    words = ["nowhere"] * 8
                body = " ".join(w.replace("*", "").replace("`", "") for w in words)
                blocks.append(f"```{{quote}}\n:source: shishi\n:page: {page}\n\n{body}\n```\n")
            (src / f"d{doc}.md").write_text(f"# D{doc}\n\n" + "\n".join(blocks))
            docs.append(f"d{doc}")
        (src / "index.md").write_text("# I\n\n```{toctree}\n" + "\n".join(docs) + "\n```\n")
        out, doctrees = Path(tmp, "out"), Path(tmp, "doctrees")
        for run in ("cold", "warm", "warm text, every quotation matched again"):
            if run.startswith("warm text"):
                for found in (doctrees / "quotefig-text").glob("*.found.pickle"):
                    found.unlink()
            start = time.perf_counter()
            app = Sphinx(src, src, out, doctrees, "quotecheck", status=None, warning=sys.stderr, freshenv=False)
            before = time.perf_counter()
            app.build()
            total = time.perf_counter() - start
            print(f"{run}: sphinx-build -b quotecheck over 4,000 quotations: {total:.2f} s (build {time.perf_counter() - before:.2f} s)")
        statuses = {}
        for line in (out / "output.txt").read_text().splitlines():
            status = line.split("[", 1)[1].split("]", 1)[0]
            statuses[status] = statuses.get(status, 0) + 1
        print(statuses)


if __name__ == "__main__":
    main()

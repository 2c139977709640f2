"""The benchmark's generator and runner work (bench/; `make bench`).

No timings are asserted here: this only checks that the corpora are
deterministic, that every variant builds without a warning, and that the
runner reads Sphinx's status output correctly — on a tiny size.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import generate
import run
from sphinx_status import parse_status


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_generator_is_deterministic(tmp_path):
    first = generate.generate(tmp_path / "a", 4, 3, seed=11)
    second = generate.generate(tmp_path / "b", 4, 3, seed=11)
    other = generate.generate(tmp_path / "c", 4, 3, seed=12)
    for variant in generate.VARIANTS:
        tree = _tree(first[variant])
        assert tree == _tree(second[variant])
        assert tree != _tree(other[variant])
        assert {
            "conf.py",
            "index.md",
            "section-01.md",
            "notes-0001.md",
            "notes-0004.md",
        } <= set(tree)
    assert "sources.bib" in _tree(first["bibtex"])


def test_variants_share_the_text(tmp_path):
    corpus = generate.build_corpus(3, 4, seed=2)
    written = {
        v: generate.write_variant(corpus, v, tmp_path / v) for v in generate.VARIANTS
    }
    doc = corpus.docs[1]
    for variant, root in written.items():
        text = (root / f"{doc.name}.md").read_text(encoding="utf-8")
        for quote in doc.quotes:
            for paragraph in quote.paragraphs:
                assert paragraph in text, variant
            assert f"{quote.page}" in text
    assert (
        len(
            {q.source for d in corpus.docs for q in d.quotes}
            | {d.main_source for d in corpus.docs}
        )
        <= generate.N_SOURCES
    )
    assert "```{epigraph}" in (written["plain"] / f"{doc.name}.md").read_text()
    assert "{cite:p}`" in (written["bibtex"] / f"{doc.name}.md").read_text()
    assert "```{quote-source}" in (written["quotefig"] / f"{doc.name}.md").read_text()


@pytest.mark.parametrize("variant", generate.VARIANTS)
def test_edit_page(tmp_path, variant):
    corpus = generate.build_corpus(3, 2, seed=3)
    root = generate.write_variant(corpus, variant, tmp_path / variant)
    path = root / f"{corpus.edit_doc}.md"
    before = path.read_text(encoding="utf-8")
    page = generate.read_page(variant, path)
    assert page == int(corpus.docs[1].quotes[0].page)
    generate.edit_page(variant, path, page + 1)
    assert generate.read_page(variant, path) == page + 1
    after = path.read_text(encoding="utf-8")
    assert after != before and after.replace(str(page + 1), str(page), 1) == before


def test_bibtex_variant_builds_without_warnings(tmp_path):
    pytest.importorskip("sphinxcontrib.bibtex")
    root = generate.write_variant(
        generate.build_corpus(3, 2), "bibtex", tmp_path / "bibtex"
    )
    result = run.sphinx_build(
        root, tmp_path / "out", tmp_path / "doctrees", log=tmp_path / "log"
    )
    assert result["warnings"] == []
    assert (tmp_path / "out" / "bibliography.html").exists()
    assert "pg " in (tmp_path / "out" / "notes-0002.html").read_text(encoding="utf-8")


def test_runner_end_to_end_on_a_tiny_size(tmp_path):
    """plain and quotefig through every measurement, one run each."""
    corpus = run.bench_corpus(
        3, 2, runs=1, variants=("plain", "quotefig"), runs_dir=tmp_path
    )
    assert corpus["warmup_warnings"] == {"plain": [], "quotefig": []}
    for key in (
        "full",
        "full_cpu",
        "rss",
        "parallel",
        "incremental",
        "incremental_cpu",
    ):
        assert corpus[key]["ratio"]["plain"] == 1.0
        assert corpus[key]["median"]["quotefig"] > 0
    pages = corpus["incremental_pages"]
    edited = corpus["edited_document"]
    # Sphinx's own output says: one document read; it and its toctree
    # parent written; the citation index regenerated.
    for variant in ("plain", "quotefig"):
        assert pages[variant]["n_read"] == [1]
        assert pages[variant]["read"] == [edited]
        # Sphinx 8 also rewrites the root page, whose toctree holds the section.
        assert set(pages[variant]["written"]) - {"index"} == {"section-01", edited}
    assert "quote-index" in pages["quotefig"]["indices"]
    assert "quote-index" not in pages["plain"]["indices"]
    assert corpus["parallel_identical"]["quotefig"]["identical"], corpus[
        "parallel_identical"
    ]
    targets = run.check_targets(corpus)
    assert targets["incremental_pages"]["met"]

    import report

    text = report.corpus_table(corpus)
    # 2 written (the page and its section; Sphinx 8 adds the root page)
    assert re.search(r"\| Incremental: documents read / written \| 1 / ([23]) \| 1 / \1 \+ quote-index \|", text)


SERIAL = (
    "Running Sphinx v9.0.4\n"
    "building [html]: targets for 1 source files that are out of date\n"
    "updating environment: 0 added, 1 changed, 0 removed\n"
    "\x1b[2Kreading sources... [100%] notes-0002\r\n"
    "looking for now-outdated files... none found\n"
    "\x1b[2Kwriting output... [ 50%] index\r\x1b[2Kwriting output... [100%] notes-0002\r\n"
    "generating indices... genindex quote-index done\n"
    "writing additional pages... search done\n"
)
PARALLEL = (
    "updating environment: [new config] 4 added, 0 changed, 0 removed\n"
    "reading sources... [ 50%] index .. notes-0001\n"
    "reading sources... [100%] notes-0002 .. notes-0003\n"
    "writing output... [100%] notes-0001 .. notes-0003\n"
    "generating indices... genindex done\n"
)


def test_parse_status():
    serial = parse_status(SERIAL)
    assert (serial.added, serial.changed, serial.removed) == (0, 1, 0)
    assert serial.read == ["notes-0002"] and serial.n_read == 1
    assert serial.written == ["index", "notes-0002"] and serial.n_written == 2
    assert serial.indices == ["genindex", "quote-index"]
    assert serial.additional == ["search"]
    assert not serial.chunked
    parallel = parse_status(PARALLEL)
    assert parallel.n_read == 4 and parallel.chunked
    assert parallel.indices == ["genindex"]


def test_the_snapshot_of_the_extension_is_byte_compiled(tmp_path, monkeypatch):
    """As pip compiles a package it installs: otherwise every build of the
    benchmark would compile the extension's source again."""
    source = run.REPO / "sphinx_quotefig"
    monkeypatch.setattr(run, "REPO", tmp_path)
    monkeypatch.setattr(run, "RUNS_DIR", tmp_path / "runs")
    monkeypatch.setattr(run, "PACKAGE_PATH", None)
    monkeypatch.setattr(sys, "path", list(sys.path))
    info = run.snapshot_package("tiny", source)
    snapshot = tmp_path / "runs" / "package-tiny-custom"
    package = snapshot / "sphinx_quotefig"
    modules = {path.stem for path in package.rglob("*.py")}
    compiled = {path.name.split(".")[0] for path in package.rglob("__pycache__/*.pyc")}
    assert modules and modules <= compiled
    # The digest names the source, not the compiled files beside it.
    assert info["sha256"] == run._package_digest(snapshot)

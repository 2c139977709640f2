"""The index page's and quotes.json's entries are rendered again only when
what they show changed (rendered.py), and the files stay exactly what a
clean build writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import build_project

import sphinx_quotefig.index as index_module
import sphinx_quotefig.json_export as json_module

CONF = 'extensions = ["myst_parser", "sphinx_quotefig"]\nproject = "Caf\u00e9 <b>&amp;</b> \\"q\\""\n'


def _doc(name: str, pages: list[int], source: str = "report") -> str:
    quotes = "".join(f"```{{quote}}\n:source: {source}\n:page: {page}\n\nWords of {name} on page {page}.\n```\n\n" for page in pages)
    return f"# Doc {name}\n\n" + quotes


def _project(project) -> Path:
    return project(
        **{
            "conf.py": CONF,
            "index.md": "# Home\n\n```{quote-source} report\n:title: The Report\n```\n\n"
            "```{toctree}\nalpha\nbeta\ngamma\n```\n",
            "alpha.md": _doc("alpha", [3, 1, 2]),
            "beta.md": _doc("beta", [9, 8]),
            "gamma.md": _doc("gamma", [5]) + "A {quote-source}`report` link: {q}`inline <report, 7>`.\n",
        }
    )


@pytest.fixture
def counted(monkeypatch):
    """How many index entries and quotes.json entries each build renders."""
    counts = {"html": 0, "json": 0}
    quote_html, quote_entry = index_module._quote_html, json_module._quote_entry

    def html(*args, **kwargs):
        counts["html"] += 1
        return quote_html(*args, **kwargs)

    def entry(*args, **kwargs):
        counts["json"] += 1
        return quote_entry(*args, **kwargs)

    monkeypatch.setattr(index_module, "_quote_html", html)
    monkeypatch.setattr(json_module, "_quote_entry", entry)

    def take() -> dict[str, int]:
        taken = dict(counts)
        counts.update(html=0, json=0)
        return taken

    return take


def _outputs(outdir: Path) -> dict[str, str]:
    return {name: (outdir / name).read_text(encoding="utf-8") for name in ("quote-index.html", "quotes.json")}


def _clean(src: Path, tmp_path: Path, **confoverrides) -> dict[str, str]:
    copy = tmp_path / "clean-src"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(src, copy, ignore=shutil.ignore_patterns("_build"))
    return _outputs(build_project(copy, confoverrides=confoverrides).outdir)


def test_quotes_json_is_exactly_the_json_dump_of_the_document(project):
    result = build_project(_project(project))
    domain, builder = result.app.env.domains["quote"], result.app.builder
    expected = json.dumps(json_module.quotes_document(domain, builder), ensure_ascii=False, indent=2) + "\n"
    assert result.text("quotes.json") == expected


def test_quotes_json_without_quotes_or_sources_is_the_json_dump_too(project):
    result = build_project(project(**{"conf.py": CONF, "index.md": "# Nothing quoted\n"}))
    document = json.loads(result.text("quotes.json"))
    assert document["sources"] == [] and document["quotes"] == []
    assert result.text("quotes.json") == json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def test_an_edit_renders_only_the_edited_documents_entries_again(project, counted, tmp_path):
    src = _project(project)
    build_project(src)
    assert counted() == {"html": 7, "json": 7}

    build_project(src, freshenv=False)  # nothing changed
    assert counted() == {"html": 0, "json": 0}

    (src / "alpha.md").write_text(_doc("alpha", [3, 4, 2]), encoding="utf-8")
    edited = build_project(src, freshenv=False)
    assert counted() == {"html": 3, "json": 3}
    assert _outputs(edited.outdir) == _clean(src, tmp_path)


def test_retitled_document_or_source_named_in_the_text_renders_its_entries_again(project, counted, tmp_path):
    src = _project(project)
    named = "```{quote}\n:source: report\n\nAs {quote-source}`other` says.\n```\n"
    (src / "gamma.md").write_text(_doc("gamma", [5]) + named, encoding="utf-8")
    beta = _doc("beta", [9, 8]) + "```{quote-source} other\n:title: Other Title\n```\n"
    (src / "beta.md").write_text(beta, encoding="utf-8")
    build_project(src)
    counted()

    (src / "beta.md").write_text(beta.replace("# Doc beta", "# Beta, retitled"), encoding="utf-8")
    retitled = build_project(src, freshenv=False)
    assert counted() == {"html": 2, "json": 2}  # beta's two quotations
    assert "Beta, retitled" in retitled.text("quote-index.html")
    assert _outputs(retitled.outdir) == _clean(src, tmp_path)
    counted()  # not the clean build's

    (src / "beta.md").write_text(beta.replace("Other Title", "New Other"), encoding="utf-8")
    renamed = build_project(src, freshenv=False)
    assert counted() == {"html": 3, "json": 3}  # beta's (title back) and gamma's naming "other"
    texts = [q["text"] for q in json.loads(renamed.text("quotes.json"))["quotes"]]
    assert "As New Other says." in texts
    assert _outputs(renamed.outdir) == _clean(src, tmp_path)


def test_a_changed_label_renders_every_entry_again(project, counted, tmp_path):
    src = _project(project)
    build_project(src)
    counted()
    relabelled = build_project(src, confoverrides={"quotefig_page_label": "p."}, freshenv=False)
    assert counted() == {"html": 7, "json": 7}
    assert "p. 1" in relabelled.text("quote-index.html")
    assert _outputs(relabelled.outdir) == _clean(src, tmp_path, quotefig_page_label="p.")


def test_an_unreadable_store_is_rendered_anew(project, counted, tmp_path):
    src = _project(project)
    first = build_project(src)
    counted()
    stores = sorted(Path(first.app.doctreedir).glob("quotefig/rendered-*/*.pickle"))
    assert {p.parent.name for p in stores} == {"rendered-html"}
    for store in stores:
        store.write_bytes(b"not a pickle")
    (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
    again = build_project(src, freshenv=False)
    assert counted() == {"html": 7, "json": 7}
    assert _outputs(again.outdir) == _clean(src, tmp_path)


def test_entries_a_build_does_not_write_are_kept_for_the_next(project, counted, tmp_path):
    """A build that writes quotes.json but not the index page (as Sphinx 8
    does when nothing changed) keeps the page's entries for the next one."""
    src = _project(project)
    build_project(src)
    counted()
    build_project(src, confoverrides={"quotefig_index": False}, freshenv=False)
    assert counted()["html"] == 0
    (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
    again = build_project(src, freshenv=False)
    assert counted() == {"html": 2, "json": 2}
    assert _outputs(again.outdir) == _clean(src, tmp_path)


def test_an_edit_rewrites_only_the_shards_of_the_documents_it_changed(project, counted, tmp_path):
    from sphinx_quotefig.rendered import _shard

    src = _project(project)
    first = build_project(src)
    store = Path(first.app.doctreedir) / "quotefig" / "rendered-html"
    before = {p.name: p.stat().st_ino for p in store.glob("*.pickle")}
    assert before  # one file per shard that holds a document with quotations
    counted()

    (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
    again = build_project(src, freshenv=False)
    assert counted() == {"html": 2, "json": 2}
    after = {p.name: p.stat().st_ino for p in store.glob("*.pickle")}
    replaced = {name for name in after if before.get(name) != after[name]}
    assert replaced == {f"{_shard('beta'):02d}.pickle"}
    assert _outputs(again.outdir) == _clean(src, tmp_path)
    counted()  # not the clean build's

    (src / "beta.md").write_text("# Doc beta\n\nNo quotations now.\n", encoding="utf-8")
    gone = build_project(src, freshenv=False)
    assert counted() == {"html": 0, "json": 0}
    assert _outputs(gone.outdir) == _clean(src, tmp_path)

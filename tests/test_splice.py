"""The index page's and quotes.json's parts and entries are copied from the
files written last unless what they show changed (splice.py), and the files
stay exactly what a clean build writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import build_project
from hypothesis import given
from hypothesis import strategies as st

import sphinx_quotefig.index_page as page_module
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
    quote_html, quote_entry = page_module._quote_html, json_module._quote_entry

    def html(*args, **kwargs):
        counts["html"] += 1
        return quote_html(*args, **kwargs)

    def entry(*args, **kwargs):
        counts["json"] += 1
        return quote_entry(*args, **kwargs)

    monkeypatch.setattr(page_module, "_quote_html", html)
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
    # beta's two (title back) and gamma's two, one of which names "other"
    assert counted() == {"html": 4, "json": 4}
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
    stores = sorted(Path(first.app.doctreedir).glob("quotefig/splice-*.pickle"))
    assert [p.name for p in stores] == ["splice-html-json.pickle", "splice-html-page.pickle"]
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


def _two_sources(project) -> Path:
    src = _project(project)
    other = "```{quote-source} other\n:title: Other\n```\n\n" + _doc("delta", [4, 6], source="other")
    (src / "delta.md").write_text(other, encoding="utf-8")
    (src / "index.md").write_text((src / "index.md").read_text(encoding="utf-8") + "delta\n```\n", encoding="utf-8")
    index = (src / "index.md").read_text(encoding="utf-8").replace("gamma\n```\ndelta\n```\n", "gamma\ndelta\n```\n")
    (src / "index.md").write_text(index, encoding="utf-8")
    return src


def test_a_source_whose_quotations_did_not_change_is_copied_whole(project, counted, tmp_path):
    src = _two_sources(project)
    build_project(src)
    assert counted() == {"html": 9, "json": 9}

    (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
    again = build_project(src, freshenv=False)
    assert counted() == {"html": 2, "json": 2}  # beta's; "other" copied whole
    assert _outputs(again.outdir) == _clean(src, tmp_path)
    counted()

    (src / "delta.md").write_text((src / "delta.md").read_text(encoding="utf-8").replace(":title: Other", ":title: Else"), encoding="utf-8")
    retitled = build_project(src, freshenv=False)
    assert "Else" in retitled.text("quote-index.html")
    assert _outputs(retitled.outdir) == _clean(src, tmp_path)


def test_a_file_changed_since_it_was_written_is_rendered_anew(project, counted, tmp_path):
    src = _project(project)
    first = build_project(src)
    counted()
    for name in ("quote-index.html", "quotes.json"):
        written = Path(first.outdir) / name
        written.write_bytes(written.read_bytes().replace(b"Words of", b"Wrods of"))
    (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
    again = build_project(src, freshenv=False)
    assert counted() == {"html": 7, "json": 7}
    assert _outputs(again.outdir) == _clean(src, tmp_path)


def test_no_copy_of_the_page_is_left_beside_the_environment(project):
    src = _project(project)
    first = build_project(src)
    (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
    build_project(src, freshenv=False)
    assert sorted(p.name for p in (Path(first.app.doctreedir) / "quotefig").iterdir()) == [
        "splice-html-json.pickle",
        "splice-html-page.pickle",
    ]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_an_entry_is_encoded_exactly_as_json_dumps_indents_it(entry):
    # split("\n"), not splitlines(): JSON strings may hold U+0085 or U+2028.
    expected = json.dumps([[entry]], ensure_ascii=False, indent=2).split("\n")[2:-2]
    assert json_module._encoded(entry).split("\n") == expected


def test_a_retitled_document_is_known_from_its_recorded_title(project):
    src = _project(project)
    first = build_project(src)
    assert first.app.env.domains["quote"].data["quote_titles"] == {"alpha": "Doc alpha", "beta": "Doc beta", "gamma": "Doc gamma"}
    (src / "beta.md").write_text(_doc("beta", [9, 8]).replace("# Doc beta", "# Beta"), encoding="utf-8")
    again = build_project(src, freshenv=False)
    assert again.app.env.domains["quote"].data["quote_titles"]["beta"] == "Beta"


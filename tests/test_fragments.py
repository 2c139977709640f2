"""The index page's and quotes.json's parts and entries are rendered again
only when what they show changed (the rendered fragments are kept between
builds, fragments.py), and the files stay exactly what a clean build writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import re

from conftest import Built, build_project
from hypothesis import given
from hypothesis import strategies as st

from sphinx_quotefig import render_json

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


_RENDERED = re.compile(r"^(quote-index|quotes\.json): (\d+) of (\d+) sources rendered \((\d+) quotations\)$", re.M)


def build(src: Path, **kwargs) -> Built:
    """Build with -v, which says how much of each listing was rendered."""
    return build_project(src, verbosity=1, **kwargs)


def rendered(result: Built) -> dict[str, int]:
    """How many quotations each file's listing rendered (not kept) in *result*."""
    found = {"quote-index": "html", "quotes.json": "json"}
    counts = {"html": 0, "json": 0}
    for name, _sources, _total, quotes in _RENDERED.findall(result.status):
        counts[found[name]] = int(quotes)
    return counts


def _outputs(outdir: Path) -> dict[str, str]:
    return {name: (outdir / name).read_text(encoding="utf-8") for name in ("quote-index.html", "quotes.json")}


def _clean(src: Path, tmp_path: Path, **confoverrides) -> dict[str, str]:
    copy = tmp_path / "clean-src"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(src, copy, ignore=shutil.ignore_patterns("_build"))
    return _outputs(build_project(copy, confoverrides=confoverrides).outdir)


def test_quotes_json_is_exactly_the_json_dump_of_the_document(project):
    result = build_project(_project(project))
    written = result.text("quotes.json")
    document = json.loads(written)
    assert written == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    assert [q["locator"]["value"] for q in document["quotes"]] == ["1", "2", "3", "5", "7", "8", "9"]
    assert [s["key"] for s in document["sources"]] == ["report"]


def test_quotes_json_without_quotes_or_sources_is_the_json_dump_too(project):
    result = build_project(project(**{"conf.py": CONF, "index.md": "# Nothing quoted\n"}))
    document = json.loads(result.text("quotes.json"))
    assert document["sources"] == [] and document["quotes"] == []
    assert result.text("quotes.json") == json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def test_an_edit_renders_only_the_edited_documents_entries_again(project, tmp_path):
    src = _project(project)
    assert rendered(build(src)) == {"html": 7, "json": 7}

    nothing = build(src, freshenv=False)  # nothing changed
    assert rendered(nothing) == {"html": 0, "json": 0}

    (src / "alpha.md").write_text(_doc("alpha", [3, 4, 2]), encoding="utf-8")
    edited = build(src, freshenv=False)
    assert rendered(edited) == {"html": 3, "json": 3}
    assert _outputs(edited.outdir) == _clean(src, tmp_path)


def test_retitled_document_or_source_named_in_the_text_renders_its_entries_again(project, tmp_path):
    src = _project(project)
    named = "```{quote}\n:source: report\n\nAs {quote-source}`other` says.\n```\n"
    (src / "gamma.md").write_text(_doc("gamma", [5]) + named, encoding="utf-8")
    beta = _doc("beta", [9, 8]) + "```{quote-source} other\n:title: Other Title\n```\n"
    (src / "beta.md").write_text(beta, encoding="utf-8")
    build(src)

    (src / "beta.md").write_text(beta.replace("# Doc beta", "# Beta, retitled"), encoding="utf-8")
    retitled = build(src, freshenv=False)
    assert rendered(retitled) == {"html": 2, "json": 2}  # beta's two quotations
    assert "Beta, retitled" in retitled.text("quote-index.html")
    assert _outputs(retitled.outdir) == _clean(src, tmp_path)

    (src / "beta.md").write_text(beta.replace("Other Title", "New Other"), encoding="utf-8")
    renamed = build(src, freshenv=False)
    # beta's two (title back) and gamma's two, one of which names "other"
    assert rendered(renamed) == {"html": 4, "json": 4}
    texts = [q["text"] for q in json.loads(renamed.text("quotes.json"))["quotes"]]
    assert "As New Other says." in texts
    assert _outputs(renamed.outdir) == _clean(src, tmp_path)


def test_a_changed_label_renders_every_entry_again(project, tmp_path):
    src = _project(project)
    build(src)
    relabelled = build(src, confoverrides={"quotefig_page_label": "p."}, freshenv=False)
    assert rendered(relabelled) == {"html": 7, "json": 7}
    assert "p. 1" in relabelled.text("quote-index.html")
    assert _outputs(relabelled.outdir) == _clean(src, tmp_path, quotefig_page_label="p.")


@pytest.mark.parametrize("damage", ["garbage", "cut short"])
def test_an_unreadable_store_is_rendered_anew(project, tmp_path, damage):
    src = _project(project)
    first = build(src)
    stores = sorted(Path(first.app.doctreedir).glob("quotefig/fragments-*.pickle"))
    assert [p.name for p in stores] == ["fragments-html-json.pickle", "fragments-html-page.pickle"]
    for store in stores:
        kept = store.read_bytes()
        store.write_bytes(b"not a pickle" if damage == "garbage" else kept[: len(kept) - 20])
    (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
    again = build(src, freshenv=False)
    assert rendered(again) == {"html": 7, "json": 7}
    assert _outputs(again.outdir) == _clean(src, tmp_path)


def test_fragments_outlive_a_build_that_writes_nothing(project, tmp_path):
    """A build with nothing to do writes no index page (Sphinx says "no
    targets are out of date"); the next one still uses the fragments."""
    src = _project(project)
    build(src)
    nothing = build(src, freshenv=False)
    assert "no targets are out of date" in nothing.status
    (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
    again = build(src, freshenv=False)
    assert rendered(again) == {"html": 2, "json": 2}
    assert _outputs(again.outdir) == _clean(src, tmp_path)


def _two_sources(project) -> Path:
    src = _project(project)
    other = "```{quote-source} other\n:title: Other\n```\n\n" + _doc("delta", [4, 6], source="other")
    (src / "delta.md").write_text(other, encoding="utf-8")
    index = (src / "index.md").read_text(encoding="utf-8").replace("gamma\n```\n", "gamma\ndelta\n```\n")
    (src / "index.md").write_text(index, encoding="utf-8")
    return src


def test_a_source_whose_quotations_did_not_change_is_kept_whole(project, tmp_path):
    src = _two_sources(project)
    assert rendered(build(src)) == {"html": 9, "json": 9}

    (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
    again = build(src, freshenv=False)
    assert rendered(again) == {"html": 2, "json": 2}  # beta's; "other" kept whole
    assert re.search(r"^quote-index: 1 of 2 sources rendered", again.status, re.M)
    assert _outputs(again.outdir) == _clean(src, tmp_path)

    delta = (src / "delta.md").read_text(encoding="utf-8")
    (src / "delta.md").write_text(delta.replace(":title: Other", ":title: Else"), encoding="utf-8")
    retitled = build(src, freshenv=False)
    assert "Else" in retitled.text("quote-index.html")
    assert _outputs(retitled.outdir) == _clean(src, tmp_path)


def test_a_source_edited_in_conf_is_listed_anew_in_both_files(project, tmp_path):
    """Each source's heading on the page and its entry in quotes.json's
    list of sources are kept between builds: quoted or not, a source whose
    declaration changed is shown as a clean build shows it."""
    src = _two_sources(project)
    declared = '\nquotefig_sources = {"unquoted": {"title": "Never Quoted", "year": "1901"}}\n'
    (src / "conf.py").write_text(CONF + declared, encoding="utf-8")
    build(src)

    (src / "conf.py").write_text(CONF + declared.replace("Never Quoted", "Still Unquoted"), encoding="utf-8")
    edited = build(src, freshenv=False)
    sources = json.loads(edited.text("quotes.json"))["sources"]
    assert [s["title"] for s in sources if s["key"] == "unquoted"] == ["Still Unquoted"]
    assert "Still Unquoted" in edited.text("quote-index.html")
    assert _outputs(edited.outdir) == _clean(src, tmp_path)


def test_output_files_are_never_read_back(project, tmp_path):
    """A tampered page and quotes.json are written anew by the next build
    that changes anything; they were never the source of what is kept."""
    src = _project(project)
    first = build(src)
    for name in ("quote-index.html", "quotes.json"):
        written = Path(first.outdir) / name
        written.write_bytes(written.read_bytes().replace(b"Words of", b"Wrods of"))
    (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
    again = build(src, freshenv=False)
    assert rendered(again) == {"html": 2, "json": 2}
    assert _outputs(again.outdir) == _clean(src, tmp_path)


@pytest.mark.parametrize("how", ["fresh environment (-E)", "all files (-a)"])
def test_a_tampered_output_with_its_size_and_mtime_restored_is_repaired_by_E_and_a(project, tmp_path, how):
    src = _project(project)
    first = build(src)
    for name in ("quote-index.html", "quotes.json"):
        written = Path(first.outdir) / name
        stat = written.stat()
        written.write_bytes(written.read_bytes().replace(b"Words of", b"Wrods of"))
        os.utime(written, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = build(src, freshenv=how.startswith("fresh"), force_all=how.startswith("all"))
    assert _outputs(again.outdir) == _clean(src, tmp_path)


def test_what_is_kept_beside_the_environment(project):
    src = _project(project)
    first = build(src)
    (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
    build(src, freshenv=False)
    assert sorted(p.name for p in (Path(first.app.doctreedir) / "quotefig").iterdir()) == [
        "fragments-html-json.pickle",
        "fragments-html-page.pickle",
        "pages-html.pickle",
    ]


def test_a_store_that_cannot_be_written_is_a_warning_and_the_outputs_are_whole(project, tmp_path):
    src = _project(project)
    first = build(src)
    store = Path(first.app.doctreedir) / "quotefig"
    shutil.rmtree(store)
    store.write_text("a file where the folder was", encoding="utf-8")
    (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
    again = build(src, freshenv=False)
    assert again.app.statuscode == 0
    assert "[quotefig.cache]" in again.warnings
    assert _outputs(again.outdir) == _clean(src, tmp_path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.dictionaries(st.text(max_size=5), inner, max_size=4) | st.lists(inner, max_size=3),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_an_entry_is_encoded_exactly_as_json_dumps_indents_it(entry):
    # split("\n"), not splitlines(): JSON strings may hold U+0085 or U+2028.
    expected = json.dumps([[entry]], ensure_ascii=False, indent=2).split("\n")[2:-2]
    assert render_json.encoded(entry).split("\n") == expected


def test_fragments_are_used_with_the_doctrees_on_another_file_system(project, tmp_path):
    """Nothing is moved between the doctree and output directories."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system at /dev/shm")
    src = _project(project)
    doctrees = Path(tempfile.mkdtemp(dir=shm))
    try:

        def build_there() -> str:
            command = [sys.executable, "-m", "sphinx", "-v", "-b", "html", "-d", str(doctrees), str(src), str(src / "_build" / "html")]
            return subprocess.run(command, capture_output=True, text=True, check=True).stdout

        build_there()
        (src / "beta.md").write_text(_doc("beta", [9, 7]), encoding="utf-8")
        assert "quote-index: 1 of 1 sources rendered (2 quotations)" in build_there()
        assert (doctrees / "quotefig" / "fragments-html-page.pickle").exists()
    finally:
        shutil.rmtree(doctrees, ignore_errors=True)

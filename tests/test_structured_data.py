"""Citations a machine can read: schema.org ``Quotation`` items as one
JSON-LD block per page, COinS spans on the citation index page, and each
source as CSL-JSON in ``quotes.json``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs

import jsonschema
import pytest
from bs4 import BeautifulSoup
from conftest import build_project

CSL_SCHEMA = Path(__file__).parent / "material" / "csl-schema" / "csl-data.json"
HOSTILE = 'Bad </script><script>alert(1)</script> "quoted" & <b>'

SOURCES = {
    "carr-book": {
        "type": "book",
        "title": "Notes on the Canal",
        "author": "Edith Carr",
        "year": "1999",
        "publisher": "Lock Press",
        "place": "Leeds",
        "isbn": "978-0-00-000000-2",
        "edition": "2",
        "url": "https://example.org/canal",
    },
    "escher-2015": {
        "type": "article-journal",
        "title": "Online Citizen Empowerment",
        "author": "Tobias Escher",
        "year": "2015-05",
        "container": "Journal of Civic Tech",
        "volume": "7",
        "issue": "2",
        "pages": "101-120",
        "doi": "10.1234/jct.2015.7",
    },
    "chapter": {
        "type": "chapter",
        "title": "Water Ways",
        "author": "Ann Lee",
        "editor": "Bo Chen",
        "container": "Collected Rivers",
        "publisher": "River House",
        "year": "2001",
        "pages": "3-19",
    },
    "hostile": {"title": HOSTILE, "author": "</script>& Co", "year": "2020"},
    "unquoted": {"title": "Never Quoted", "type": "report", "year": "2010"},
}
CONF = (
    'extensions = ["myst_parser", "sphinx_quotefig"]\nproject = "Canal"\n'
    f"quotefig_sources = {SOURCES!r}\n"
)
DOCS = {
    "index.md": "# Canal\n\n```{toctree}\nlocks\nother\n```\n",
    "locks.md": (
        "# Locks\n\n"
        "```{quote}\n:source: carr-book\n:page: 42\n\nThe lock keeps the water.\n```\n\n"
        "As one study put it, {q}`citizens were empowered <escher-2015, 105-106>` online.\n\n"
        "```{quote}\n:source: hostile\n:page: 1\n\nShe wrote </script> & left.\n```\n"
    ),
    "other.md": "# Other\n\n```{quote}\n:source: chapter\n:author: A lock keeper\n\nRivers run.\n```\n\nNo quotation here but that one.\n",
}


def _project(tmp_path: Path, name: str = "src", **extra: str) -> Path:
    srcdir = tmp_path / name
    for filename, text in {**DOCS, "conf.py": CONF, **extra}.items():
        path = srcdir / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return srcdir


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_project(_project(tmp_path_factory.mktemp("structured")), "html")
    assert not built.warning_lines(), built.warnings
    return built


def _blocks(html: str) -> list[dict]:
    soup = BeautifulSoup(html, "html.parser")
    return [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]


def _graph(outdir: Path, page: str) -> list[dict]:
    blocks = _blocks((outdir / page).read_text(encoding="utf-8"))
    assert len(blocks) == 1
    assert blocks[0]["@context"] == "https://schema.org"
    return blocks[0]["@graph"]


def _ids(outdir: Path, page: str) -> set[str]:
    soup = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")
    return {tag["id"] for tag in soup.find_all(id=True)}


def test_a_quote_figure_is_a_quotation_of_its_work_at_its_page(site):
    graph = _graph(site.outdir, "locks.html")
    figure = next(item for item in graph if item["text"] == "The lock keeps the water.")
    assert figure["@type"] == "Quotation"
    assert figure["url"] == figure["@id"] and figure["url"].startswith("#")
    assert figure["url"][1:] in _ids(site.outdir, "locks.html")
    soup = site.html("locks")
    assert soup.find(id=figure["url"][1:]).name == "figure"
    assert figure["pagination"] == "42" and figure["pageStart"] == "42"
    assert figure["creator"] == [{"@type": "Person", "name": "Edith Carr"}]
    book = figure["isBasedOn"]
    assert book["@type"] == "Book"
    assert book["name"] == "Notes on the Canal"
    assert book["author"] == [{"@type": "Person", "name": "Edith Carr"}]
    assert book["datePublished"] == "1999"
    assert book["isbn"] == "978-0-00-000000-2" and book["bookEdition"] == "2"
    assert book["publisher"] == {"@type": "Organization", "name": "Lock Press", "address": "Leeds"}
    assert book["url"] == "https://example.org/canal"


def test_an_inline_quote_is_a_quotation_of_a_scholarly_article(site):
    graph = _graph(site.outdir, "locks.html")
    inline = next(item for item in graph if item["text"] == "citizens were empowered")
    anchor = site.html("locks").find(id=inline["url"][1:])
    assert anchor is not None and anchor.name == "q"
    assert (inline["pagination"], inline["pageStart"], inline["pageEnd"]) == ("105\u2013106", "105", "106")
    article = inline["isBasedOn"]
    assert article["@type"] == "ScholarlyArticle"
    assert article["sameAs"] == "https://doi.org/10.1234/jct.2015.7"
    assert article["datePublished"] == "2015-05"
    assert article["pagination"] == "101-120" and article["pageEnd"] == "120"
    issue = article["isPartOf"]
    assert issue["@type"] == "PublicationIssue" and issue["issueNumber"] == "2"
    assert issue["isPartOf"]["volumeNumber"] == "7"
    assert issue["isPartOf"]["isPartOf"] == {"@type": "Periodical", "name": "Journal of Civic Tech"}


def test_a_chapter_is_part_of_its_book_and_the_quoted_speaker_is_the_creator(site):
    (quote,) = _graph(site.outdir, "other.html")
    assert quote["creator"] == {"@type": "Person", "name": "A lock keeper"}
    assert "pagination" not in quote
    chapter = quote["isBasedOn"]
    assert chapter["@type"] == "Chapter" and chapter["pagination"] == "3-19"
    assert chapter["isPartOf"] == {
        "@type": "Book",
        "name": "Collected Rivers",
        "editor": [{"@type": "Person", "name": "Bo Chen"}],
    }


def test_pages_without_quotations_carry_no_json_ld_and_the_figures_are_unchanged(site):
    assert _blocks(site.text("index.html")) == []
    assert _blocks(site.text("quote-index.html")) == []
    soup = site.html("locks")
    script = soup.find("script", type="application/ld+json")
    assert script.parent.name == "head"
    for figure in soup.select("figure.quote"):
        assert [child.name for child in figure.find_all(recursive=False)] == ["blockquote", "footer"]
        assert figure.find("script") is None


def test_json_ld_cannot_close_its_script_element(site):
    html = site.text("locks.html")
    start = html.index('<script type="application/ld+json">')
    body = html[start + len('<script type="application/ld+json">') : html.index("</script>", start)]
    assert "<" not in body and ">" not in body and "&" not in body
    graph = json.loads(body)["@graph"]
    hostile = next(item for item in graph if item["isBasedOn"]["name"] == HOSTILE)
    assert hostile["text"] == "She wrote </script> & left."
    assert hostile["isBasedOn"]["author"] == [{"@type": "Person", "name": "</script>& Co"}]
    soup = BeautifulSoup(html, "html.parser")
    assert not any("alert(1)" in (script.string or "") for script in soup.find_all("script") if script.get("type") != "application/ld+json")


def _coins(site) -> dict[str, dict[str, list[str]]]:
    soup = site.html("quote-index")
    found = {}
    for span in soup.select("span.Z3988"):
        assert span.get_text() == "" and not span.find_all()
        container = span.find_parent("div", class_="quote-index-source")
        assert span.find_previous_sibling("p")["class"] == ["quote-index-heading"]
        found[container["id"]] = parse_qs(span["title"], strict_parsing=True)
    return found


def test_each_declared_source_has_a_coins_span_on_the_index_page(site):
    coins = _coins(site)
    assert set(coins) == {f"source-{key}" for key in SOURCES}
    book = coins["source-carr-book"]
    assert book["ctx_ver"] == ["Z39.88-2004"]
    assert book["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:book"]
    assert book["rft.btitle"] == ["Notes on the Canal"]
    assert book["rft.isbn"] == ["978-0-00-000000-2"]
    assert book["rft.pub"] == ["Lock Press"] and book["rft.place"] == ["Leeds"]
    assert book["rft.date"] == ["1999"] and book["rft.au"] == ["Edith Carr"]
    assert book["rft_id"] == ["https://example.org/canal"]
    article = coins["source-escher-2015"]
    assert article["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:journal"]
    assert article["rft.atitle"] == ["Online Citizen Empowerment"]
    assert article["rft.jtitle"] == ["Journal of Civic Tech"]
    assert (article["rft.volume"], article["rft.issue"]) == (["7"], ["2"])
    assert (article["rft.spage"], article["rft.epage"]) == (["101"], ["120"])
    assert article["rft_id"] == ["info:doi/10.1234/jct.2015.7"]
    chapter = coins["source-chapter"]
    assert chapter["rft.genre"] == ["bookitem"]
    assert (chapter["rft.atitle"], chapter["rft.btitle"]) == (["Water Ways"], ["Collected Rivers"])
    assert coins["source-hostile"]["rft.title"] == [HOSTILE]
    assert coins["source-unquoted"]["rft.genre"] == ["report"]


def test_the_coins_span_escapes_its_title(site):
    html = site.text("quote-index.html")
    spans = re.findall(r'<span class="Z3988" title="([^"<>]*)"></span>', html)
    assert len(spans) == html.count("Z3988") == len(SOURCES)
    assert all("&" not in title.replace("&amp;", "") for title in spans)
    assert "<script>alert" not in html


def test_quotes_json_gives_each_source_as_valid_csl_json(site):
    document = json.loads(site.text("quotes.json"))
    items = {source["key"]: source["csl"] for source in document["sources"]}
    assert set(items) == set(SOURCES)
    schema = json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(list(items.values()), schema)
    article = items["escher-2015"]
    assert article["type"] == "article-journal"
    assert article["issued"] == {"date-parts": [[2015, 5]]}
    assert article["DOI"] == "10.1234/jct.2015.7" and article["page"] == "101-120"
    assert article["container-title"] == "Journal of Civic Tech"
    assert items["carr-book"]["ISBN"] == "978-0-00-000000-2"
    assert items["hostile"]["title"] == HOSTILE


def test_an_undeclared_source_has_null_csl(tmp_path):
    extra = {"other.md": "# Other\n\n```{quote}\n:source: nowhere\n\nWords.\n```\n"}
    built = build_project(_project(tmp_path, **extra), "html")
    sources = {source["key"]: source for source in json.loads(built.text("quotes.json"))["sources"]}
    assert sources["nowhere"]["declared"] is False and sources["nowhere"]["csl"] is None
    (quote,) = _graph(built.outdir, "other.html")
    assert "isBasedOn" not in quote


def test_editing_a_declared_source_rewrites_the_pages_quoting_it(tmp_path):
    """The source is declared on one page and quoted on another, which is
    not read again: it is written again with the new date in its JSON-LD."""
    files = {
        "conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\nproject = "P"\n',
        "index.md": "# Home\n\n```{quote-source} diary\n:title: A Diary\n:year: 1901\n:type: manuscript\n```\n\n"
        "```{toctree}\nquoting\nbystander\n```\n",
        "quoting.md": "# Quoting\n\n```{quote}\n:source: diary\n:page: 3\n\nDear diary.\n```\n",
        "bystander.md": "# Bystander\n\nNothing quoted.\n",
    }
    srcdir = _project(tmp_path, **files)
    for name in ("locks.md", "other.md"):
        (srcdir / name).unlink()
    build_project(srcdir, "html")
    (quote,) = _graph(srcdir / "_build" / "html", "quoting.html")
    assert quote["isBasedOn"]["datePublished"] == "1901"
    assert quote["isBasedOn"]["@type"] == "Manuscript"
    (srcdir / "index.md").write_text(files["index.md"].replace("1901", "1902"), encoding="utf-8")
    again = build_project(srcdir, "html", freshenv=False)
    read = re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", again.status)
    written = re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", again.status)
    assert (read, written) == (["index"], ["index", "quoting"])
    (quote,) = _graph(again.outdir, "quoting.html")
    assert quote["isBasedOn"]["datePublished"] == "1902"


def _outputs(outdir: Path) -> dict[str, str]:
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(outdir.glob("*.html"))
        if path.name not in {"search.html", "genindex.html"}
    }


def test_a_parallel_build_writes_the_same_json_ld_and_coins(site, tmp_path):
    parallel = build_project(_project(tmp_path), "html", parallel=2)
    serial, together = _outputs(site.outdir), _outputs(parallel.outdir)
    assert set(serial) == set(together)
    for name, html in serial.items():
        assert _blocks(together[name]) == _blocks(html), name
    assert _coins(parallel) == _coins(site)


def test_singlehtml_has_one_block_with_every_quotation_at_its_single_page_anchor(tmp_path):
    built = build_project(_project(tmp_path), "singlehtml")
    graph = _graph(built.outdir, "index.html")
    assert len(graph) == 4
    ids = _ids(built.outdir, "index.html")
    for item in graph:
        assert item["url"][1:] in ids
    assert any(item["url"].startswith("#locks:") for item in graph)


def test_a_base_url_makes_the_ids_absolute(tmp_path):
    built = build_project(_project(tmp_path), "dirhtml", confoverrides={"html_baseurl": "https://example.org/book/"})
    (quote,) = _graph(built.outdir, "other/index.html")
    assert quote["url"].startswith("https://example.org/book/other/#")


def test_epub_has_no_json_ld(tmp_path):
    conf = CONF + 'epub_copyright = "2026"\nversion = "1.0"\nepub_exclude_files = ["quotes.json"]\n'
    built = build_project(_project(tmp_path, **{"conf.py": conf}), "epub")
    pages = list(built.outdir.glob("*.xhtml"))
    assert pages
    assert not any("application/ld+json" in page.read_text(encoding="utf-8") for page in pages)


def test_a_quotation_the_builder_leaves_out_is_not_in_the_json_ld(tmp_path):
    extra = {
        "other.md": "# Other\n\n````{only} latex\n```{quote}\n:source: carr-book\n\nIn print only.\n```\n````\n\n"
        "```{quote}\n:source: carr-book\n\nEverywhere.\n```\n"
    }
    built = build_project(_project(tmp_path, **extra), "html")
    (quote,) = _graph(built.outdir, "other.html")
    assert quote["text"] == "Everywhere."
    assert quote["url"][1:] in _ids(built.outdir, "other.html")


def test_furo_writes_the_block_in_the_head(tmp_path):
    pytest.importorskip("furo")
    built = build_project(_project(tmp_path), "html", confoverrides={"html_theme": "furo"})
    soup = built.html("other")
    (script,) = soup.find_all("script", type="application/ld+json")
    assert script.parent.name == "head"
    assert json.loads(script.string)["@graph"][0]["text"] == "Rivers run."

"""What the citation index lists is what the builder shows: quotes under
``only`` and ``ifconfig``, substitutions, the index page turned off, and
the order of titles in the project's language."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import build_project

RST_CONF = (
    'extensions = ["sphinx_quotefig", "sphinx.ext.ifconfig"]\n'
    'quotefig_sources = {"report": {"title": "The Report"}}\n'
    "def setup(app):\n    app.add_config_value('show_it', False, 'env')\n"
)

CONDITIONAL = """Home
====

.. only:: latex

   .. quote::
      :source: report
      :page: 1

      Only in print.

.. only:: html

   .. quote::
      :source: report
      :page: 2

      Only on the web.

.. ifconfig:: show_it

   .. quote::
      :source: report
      :page: 3

      Shown when show_it.

.. ifconfig:: not show_it

   Inline: :q:`hidden unless not show_it <report, 4>`.

.. |unused| replace:: :q:`never shown <report, 5>`
.. |twice| replace:: :q:`shown twice <report, 6>`

Once |twice| and again |twice|.
"""


def _listed(result) -> list[str]:
    return [q["locator"]["value"] for q in json.loads(result.text("quotes.json"))["quotes"]]


def _index_locators(result) -> list[str]:
    return [li.a.get_text() for li in result.html("quote-index").select("ul.quote-index-quotes li")]


def test_the_index_lists_exactly_the_quotes_the_builder_renders(project):
    result = build_project(project(**{"conf.py": RST_CONF, "index.rst": CONDITIONAL}))
    assert result.warning_lines() == []
    assert _listed(result) == ["2", "4", "6", "6"]
    assert _index_locators(result) == ["pg 2", "pg 4", "pg 6", "pg 6"]
    page = result.html("index")
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids)), Counter(ids).most_common(3)
    # Every listed quote links to an element of the page.
    for quote in json.loads(result.text("quotes.json"))["quotes"]:
        anchor = quote["url"].partition("#")[2]
        assert page.find(id=anchor) is not None, anchor
    assert result.html("quote-index").select_one(".quote-index-count").get_text() == "(4 quotations)"


def test_ifconfig_is_decided_with_the_builds_configuration(project):
    result = build_project(project(**{"conf.py": RST_CONF, "index.rst": CONDITIONAL}), confoverrides={"show_it": True})
    assert _listed(result) == ["2", "3", "6", "6"]


def test_a_substitution_used_twice_is_two_quotes_with_ids_of_their_own(project):
    result = build_project(project(**{"conf.py": RST_CONF, "index.rst": CONDITIONAL}))
    twice = [q for q in json.loads(result.text("quotes.json"))["quotes"] if q["text"] == "shown twice"]
    assert len(twice) == 2 and twice[0]["url"] != twice[1]["url"]


TURNED_OFF = {
    "conf.py": 'extensions = ["myst_parser", "sphinx_quotefig"]\n',
    "index.md": "# Home\n\n```{quote-source} report\n:title: The Report\n```\n\n"
    "See {ref}`quote-index` and {ref}`the index <quote-index>`.\n\n```{toctree}\nother\n```\n",
    "other.md": "# Other\n\nA {quote-source}`report` link, {ref}`quote-index` too.\n",
}


@pytest.mark.parametrize(
    "override", [{"quotefig_index": False}, {"html_domain_indices": False}, {"html_domain_indices": ["py-modindex"]}]
)
def test_with_the_index_page_turned_off_its_links_are_plain_text_with_one_warning_per_document(project, override):
    result = build_project(project(**TURNED_OFF), confoverrides=override)
    assert not (result.outdir / "quote-index.html").exists()
    for docname in ("index", "other"):
        hrefs = [a.get("href", "") for a in result.html(docname).select("a")]
        assert not any("quote-index" in href for href in hrefs), hrefs
    warnings = [line for line in result.warning_lines() if "[quotefig.no_index]" in line]
    assert sorted(line.split(":")[0].rsplit("/", 1)[-1] for line in warnings) == ["index.md", "other.md"]
    assert len(result.warning_lines()) == 2
    # The source link still leads to where the source is declared.
    assert result.html("other").select_one("a[href^='index.html#']") is not None


def test_with_html_domain_indices_naming_it_the_index_page_is_written(project):
    result = build_project(project(**TURNED_OFF), confoverrides={"html_domain_indices": ["quote-index"]})
    assert result.warning_lines() == []
    assert (result.outdir / "quote-index.html").exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Der Bericht", "Le Livre", "The Report"]),
        ("de", ["Der Bericht", "Le Livre", "The Report"]),
        ("fr", ["Der Bericht", "Le Livre", "The Report"]),
    ],
)
def test_titles_sort_without_the_leading_article_of_the_projects_language(project, language, expected):
    sources = {"b": {"title": "Der Bericht"}, "l": {"title": "Le Livre"}, "r": {"title": "The Report"}}
    conf = f'extensions = ["myst_parser", "sphinx_quotefig"]\nquotefig_sources = {sources!r}\nlanguage = {language!r}\n'
    quotes = "".join(f"```{{quote}}\n:source: {key}\n\nWords.\n```\n\n" for key in sources)
    result = build_project(project(**{"conf.py": conf, "index.md": "# Home\n\n" + quotes}))
    page = result.html("quote-index")
    letters = {
        section["id"]: [h.cite.get_text() for h in section.select(".quote-index-heading")]
        for section in page.select(".quote-index-letter")
    }
    filed = {title: letter for letter, titles in letters.items() for title in titles}
    article_free = {"en": {"The Report": "letter-R"}, "de": {"Der Bericht": "letter-B"}, "fr": {"Le Livre": "letter-L"}}
    for title, letter in article_free[language].items():
        assert filed[title] == letter
    # Articles of other languages are words like any other.
    other = {"en": ("Der Bericht", "letter-D"), "de": ("The Report", "letter-T"), "fr": ("Der Bericht", "letter-D")}
    title, letter = other[language]
    assert filed[title] == letter
    assert sorted(filed) == expected

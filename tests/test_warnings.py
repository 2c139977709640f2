"""Bad input: a typed warning with file and line, and the build goes on."""

from __future__ import annotations

import re

import pytest
from conftest import build_project, squash

# subtype -> line of index.md the warning must point at
EXPECTED = {
    "unknown_source": [3, 48],
    "empty_quote": [10],
    "locator_conflict": [13],
    "malformed_page": [20],
    "source_conflict": [26],
    "unsafe_url": [30],
    "invalid_lang": [36],
    "unknown_option": [42],
    "invalid_role": [48],
}


@pytest.fixture(scope="module")
def bad(built):
    return built("bad")


def parsed(result):
    found: dict[str, list[int]] = {}
    for line in result.warning_lines():
        match = re.search(r"index\.md:(\d+): WARNING: .* \[quotefig\.(\w+)\]$", line)
        if match:
            found.setdefault(match[2], []).append(int(match[1]))
    return found


def test_every_problem_is_a_typed_warning_at_its_line(bad):
    found = parsed(bad)
    assert {k: sorted(v) for k, v in found.items() if k in EXPECTED} == EXPECTED


def test_unsafe_conf_url_is_reported_against_conf_py(bad):
    assert any(
        re.search(r"conf\.py:3: WARNING: .*'javascript'.*\[quotefig\.unsafe_url\]$", line) for line in bad.warning_lines()
    )


def test_conflicting_declarations_name_both_places(bad):
    line = next(line for line in bad.warning_lines() if "[quotefig.source_conflict]" in line)
    assert "conf.py" in line and "index:26" in line


def test_no_other_warnings_and_no_traceback(bad):
    others = [line for line in bad.warning_lines() if "[quotefig." not in line]
    assert others == []
    assert "Traceback" not in bad.warnings


def test_build_goes_on_and_keeps_every_quote_with_a_body(bad):
    page = bad.html()
    texts = [squash(f.blockquote.get_text()) for f in page.select("figure.quote")]
    assert texts == [
        "Unknown source.",
        "Both page and locator.",
        "Malformed page.",
        "Unsafe URL.",
        "Bad language.",
        "Unknown option.",
        "Still here after all that.",
    ]


def test_bad_values_are_dropped_or_shown_as_written(bad):
    figures = bad.html().select("figure.quote")
    assert squash(figures[0].footer.get_text()) == "nowhere, pg 5"
    assert squash(figures[1].footer.get_text()) == "pg 5"  # :page: wins
    assert squash(figures[2].footer.get_text()) == "pg 12-4"
    assert not figures[3].blockquote.has_attr("cite")
    assert not figures[4].has_attr("lang")
    assert "colour" not in str(figures[5])


def test_suppress_warnings_silences_one_subtype(project):
    src = project("bad")
    with open(src / "conf.py", "a", encoding="utf-8") as conf:
        conf.write('suppress_warnings = ["quotefig.unknown_source"]\n')
    found = parsed(build_project(src))
    assert "unknown_source" not in found
    assert "empty_quote" in found


RST_CONF = 'extensions = ["myst_parser", "sphinx_quotefig"]\n'


def build_page(project, name, text):
    """A project of one page, *name* holding *text*, built with html."""
    return build_project(project(**{"conf.py": RST_CONF, name: text}))


def typed(result):
    """(file, line, subtype) of every warning; untyped ones as subtype None."""
    found = []
    for line in result.warning_lines():
        match = re.search(r"([\w.]+):(\d+): (?:WARNING|ERROR): .*?(?:\[quotefig\.(\w+)\])?$", line)
        assert match, line
        found.append((match[1], int(match[2]), match[3]))
    return found


@pytest.mark.parametrize("value", ["???", "\U0001f600", "\u05e6\u05d9\u05d8\u05d5\u05d8"])
@pytest.mark.parametrize("suffix", ["rst", "md"])
def test_class_that_makes_no_class_name_is_dropped_not_the_quote(project, value, suffix):
    quote = (
        f"T\n=\n\n.. quote::\n   :class: {value} kept\n\n   Still quoted.\n"
        if suffix == "rst"
        else f"# T\n\n```{{quote}}\n:class: {value} kept\n\nStill quoted.\n```\n"
    )
    result = build_page(project, f"index.{suffix}", quote)
    assert typed(result) == [(f"index.{suffix}", 4 if suffix == "rst" else 3, "invalid_option")]
    figure = result.html().find("figure")
    assert figure["class"] == ["quote", "kept"]
    assert figure.blockquote.get_text().strip() == "Still quoted."


def test_hidden_flag_with_a_value_still_declares_the_source(project):
    result = build_page(
        project,
        "index.rst",
        "T\n=\n\n.. quote-source:: k\n   :title: The Title\n   :hidden: yes\n\n"
                ".. quote::\n   :source: k\n\n   Body.\n",
    )
    assert typed(result) == [("index.rst", 4, "invalid_option")]
    page = result.html()
    assert page.find("p", class_="quote-source") is None and page.find(id="source-k") is not None
    assert result.html("quote-index").find(id="source-k").cite.get_text() == "The Title"


@pytest.mark.parametrize(
    ("name", "text"),
    [("index.rst", "T\n=\n\n.. quote-index::\n   :colour: red\n"), ("index.md", "# T\n\n```{quote-index}\n:colour: red\n```\n")],
)
def test_unknown_quote_index_option_is_ignored_and_the_index_kept(project, name, text):
    result = build_page(project, name, text)
    assert typed(result) == [(name, 4 if name.endswith("rst") else 3, "unknown_option")]
    assert result.html().find("div", class_="quote-index") is not None


def test_quote_of_comments_only_is_empty_and_comments_never_reach_the_output(project):
    import json

    result = build_page(
        project,
        "index.md",
        "# T\n\n```{quote}\n% a private note\n```\n\n"
                "```{quote}\n:name: c\n:source: k\n\nSeen words.[^1]\n\n% another private note\n```\n\n"
                "[^1]: A footnote.\n\n```{quote-source} k\n:title: K\n```\n\nSee {ref}`c`.\n",
    )
    assert typed(result) == [("index.md", 3, "empty_quote")]
    page = result.html()
    assert len(page.find_all("figure")) == 1
    assert page.find("a", href="#c").get_text() == "Seen words."
    data = json.loads(result.text("quotes.json"))
    assert [q["text"] for q in data["quotes"]] == ["Seen words."]
    assert "private" not in result.text("quote-index.html")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("index.md", "# T\n\n- ```{quote-source} k\n  :title: T\n  ```\n- two\n"),
        ("index.rst", "T\n=\n\n- .. quote-source:: k\n     :title: T\n\n- two\n"),
    ],
)
def test_source_line_alone_in_a_list_item_builds(project, name, text):
    result = build_page(project, name, text)
    assert result.warning_lines() == []
    assert result.html().select_one("section li p.quote-source") is not None


def test_every_source_has_its_own_anchor_on_the_index_page(project):
    from collections import Counter

    keys = ["none", "Report", "report", "REPORT", "\U0001f600", "\u05e2\u05d1\u05e8\u05d9\u05ea"]
    declarations = "".join(f"```{{quote-source}} {key}\n:title: Title {n}\n```\n\n" for n, key in enumerate(keys))
    links = " ".join(f"{{quote-source}}`{key}`" for key in keys)
    result = build_page(project, "index.md", f"# T\n\n```{{quote}}\nNo source.\n```\n\n{declarations}{links}\n")
    assert typed(result) == []
    index = result.html("quote-index")
    ids = Counter(tag["id"] for tag in index.find_all(id=True))
    assert [id_ for id_, count in ids.items() if count > 1] == []
    for n, link in enumerate(result.html().select("a:has(span.quote-source)")):
        anchor = link["href"].split("#")[1]
        assert index.find(id=anchor).select_one(".quote-index-heading").get_text().startswith(f"Title {n}")


def test_titles_without_a_leading_letter_are_one_group(project):
    result = build_page(
        project,
        "index.md",
        "# T\n\n```{quote}\nNo source.\n```\n\n"
                + "".join(
                    f"```{{quote-source}} {key}\n:title: {title}\n```\n\n"
                    for key, title in [("a", "1984"), ("b", "Animal Farm"), ("c", "\u00abZed\u00bb")]
                ),
    )
    index = result.html("quote-index")
    letters = [section.get("id") for section in index.select("div.quote-index-letter")]
    assert letters == ["letter-A", "letter-other"]
    other = index.find(id="letter-other")
    assert [h.strong.get_text() for h in other.select(".quote-index-heading")] == [
        "1984",
        "\u00abZed\u00bb",
        "Quotations without a source",
    ]


def test_a_quote_dropped_as_empty_leaves_no_label_or_id_behind(project):
    result = build_page(
        project,
        "index.md",
        "# T\n\n```{quote}\n:name: figure-2\n\n% only a comment\n```\n\n"
                "```{quote}\nOne.\n```\n\n```{quote}\nTwo.\n```\n",
    )
    assert typed(result) == [("index.md", 3, "empty_quote")]
    assert [f["id"] for f in result.html().find_all("figure")] == ["figure-1", "figure-2"]


def test_conf_keys_differing_only_in_whitespace_are_one_source_named_as_written(project):
    conf = (
        RST_CONF
        + 'quotefig_sources = {\n    "report": {"title": "A"},\n    " report": {"title": "B"},\n'
        + '    "same ": {"title": "S"},\n    "same": {"title": "S"},\n}\n'
    )
    result = build_project(project(**{"conf.py": conf, "index.md": "# T\n\n{quote-source}`report`\n"}))
    lines = result.warning_lines()
    assert len(lines) == 1, lines
    assert re.search(
        r"conf\.py:2: WARNING: quotefig_sources: keys 'report' and ' report' are the same source 'report'"
        r" with different data; using the first \[quotefig\.source_conflict\]$",
        lines[0],
    )
    assert squash(result.html().find("p").get_text()) == "A"
    assert squash(result.html("quote-index").find(id="source-report").cite.get_text()) == "A"

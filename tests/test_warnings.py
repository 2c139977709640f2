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

"""The comparison logic of scripts/check_html/check.py (``make check-html``),
on fixture data: no Sphinx build, no Java, no browser."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

CHECK = Path(__file__).parents[1] / "scripts" / "check_html" / "check.py"


@pytest.fixture(scope="module")
def check():
    spec = importlib.util.spec_from_file_location("check_html_check", CHECK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def vnu_message(root: Path, page: str, message: str, kind: str = "error", sub: str | None = None, line: int = 1) -> dict:
    entry = {"type": kind, "url": f"file:{root / page}", "message": message, "lastLine": line, "extract": "<x>"}
    if sub:
        entry["subType"] = sub
    return entry


def test_vnu_rule_drops_instance_values_keeps_names(check):
    assert check.vnu_rule("Duplicate ID “figure-1”.") == "Duplicate ID “…”."
    assert (
        check.vnu_rule("Bad value “{{ pathto('x', 1) }}?digest=abc” for attribute “href” on element “link”: Illegal character.")
        == "Bad value “…” for attribute “href” on element “link”: Illegal character."
    )
    assert check.vnu_rule("Element “head” is missing a required instance of child element “title”.") == (
        "Element “head” is missing a required instance of child element “title”."
    )
    # the same rule on two ids is one rule
    assert check.vnu_rule("Duplicate ID “a”.") == check.vnu_rule("Duplicate ID “b”.")


def test_page_of(check, tmp_path):
    assert check.page_of(f"file:{tmp_path}/reference/roles.html", tmp_path) == "reference/roles.html"
    assert check.page_of(f"file://{tmp_path}/index.html", tmp_path) == "index.html"
    assert check.page_of("file:/elsewhere/index.html", tmp_path) is None


def test_count_vnu_separates_errors_warnings_and_info(check, tmp_path):
    messages = [
        vnu_message(tmp_path, "index.html", "Duplicate ID “x”."),
        vnu_message(tmp_path, "index.html", "Duplicate ID “y”."),
        vnu_message(tmp_path, "search.html", "Bad value “” for attribute “action” on element “form”: Must be non-empty."),
        vnu_message(tmp_path, "index.html", "Article lacks heading.", kind="info", sub="warning"),
        vnu_message(tmp_path, "index.html", "Trailing slash on void elements has no effect.", kind="info"),
        vnu_message(tmp_path, "index.html", "I/O error", kind="non-document-error"),
    ]
    errors, warnings, examples = check.count_vnu(messages, tmp_path)
    assert errors == Counter(
        {
            ("index.html", "Duplicate ID “…”."): 2,
            ("search.html", "Bad value “…” for attribute “action” on element “form”: Must be non-empty."): 1,
            ("index.html", "I/O error"): 1,
        }
    )
    assert warnings == Counter({("index.html", "Article lacks heading."): 1})
    assert len(examples[("index.html", "Duplicate ID “…”.")]) == 2


def test_diff_counts_per_page_and_rule(check):
    baseline = Counter({("a.html", "r1"): 2, ("a.html", "r2"): 1, ("b.html", "r1"): 3})
    quotefig = Counter({("a.html", "r1"): 2, ("a.html", "r2"): 3, ("b.html", "r1"): 1, ("c.html", "r3"): 1})
    assert check.diff_counts(baseline, quotefig) == [
        {"page": "a.html", "rule": "r2", "baseline": 1, "quotefig": 3, "added": 2},
        {"page": "c.html", "rule": "r3", "baseline": 0, "quotefig": 1, "added": 1},
    ]
    # fewer findings on one page do not offset more on another
    assert check.totals(baseline, quotefig) == {"baseline": 6, "quotefig": 7, "added": 3}
    assert check.totals(baseline, baseline)["added"] == 0
    assert check.diff_counts(quotefig, Counter()) == []


def axe_record(page: str, *violations: tuple[str, str, list[str | None]], variant: str = "quotefig", scheme: str = "light") -> dict:
    return {
        "theme": "furo",
        "variant": variant,
        "scheme": scheme,
        "page": page,
        "violations": [
            {
                "id": rule,
                "impact": impact,
                "nodes": [{"target": [f"#n{i}"], "impact": node_impact, "html": "<p>", "inQuotefig": i == 0} for i, node_impact in enumerate(nodes)],
            }
            for rule, impact, nodes in violations
        ],
    }


def test_count_axe_counts_serious_and_critical_nodes(check):
    records = [
        axe_record("a.html", ("color-contrast", "serious", ["serious", "serious"]), ("region", "moderate", ["moderate"])),
        # a node's own impact wins over the rule's
        axe_record("b.html", ("color-contrast", "serious", ["minor", None]), ("image-alt", "critical", [None])),
        {"page": "c.html", "error": "timeout"},
    ]
    assert check.count_axe(records) == Counter(
        {("a.html", "color-contrast"): 2, ("b.html", "color-contrast"): 1, ("b.html", "image-alt"): 1}
    )
    assert check.count_axe(records, frozenset({"moderate"})) == Counter({("a.html", "region"): 1})


def test_axe_added_only_where_quotefig_has_more(check):
    baseline = [axe_record("a.html", ("color-contrast", "serious", ["serious"] * 3), variant="baseline")]
    same = [axe_record("a.html", ("color-contrast", "serious", ["serious"] * 3))]
    more = [axe_record("a.html", ("color-contrast", "serious", ["serious"] * 4), ("list", "serious", ["serious"]))]
    assert check.diff_counts(check.count_axe(baseline), check.count_axe(same)) == []
    added = check.diff_counts(check.count_axe(baseline), check.count_axe(more))
    assert [(e["rule"], e["added"]) for e in added] == [("color-contrast", 1), ("list", 1)]


def contrast(fg: str, bg: str, ratio: str = "4.5") -> str:
    return (
        "Fix any of the following:\n  Element has insufficient color contrast of 3.1 "
        f"(foreground color: {fg}, background color: {bg}, font size: 12.0pt (16px), font weight: normal). "
        f"Expected contrast ratio of {ratio}:1"
    )


def colour_record(page: str, rule: str, summaries: list[str], variant: str) -> dict:
    return {
        "page": page,
        "variant": variant,
        "violations": [
            {"id": rule, "impact": "serious", "nodes": [{"target": [f"#n{i}"], "impact": "serious", "html": "<a>", "summary": s} for i, s in enumerate(summaries)]}
        ],
    }


def test_colour_signature(check):
    node = {"summary": contrast("#2980b9", "#fcfcfc")}
    assert check.colour_signature("color-contrast", node) == "color-contrast: #2980b9 on #fcfcfc (needs 4.5:1)"
    link = {
        "summary": "Fix any of the following:\n  The link has insufficient color contrast of 1.08:1 with the surrounding text. "
        "(Minimum contrast is 3:1, link text: #2980b9, surrounding text: #808080)"
    }
    assert check.colour_signature("link-in-text-block", link) == "link-in-text-block: #2980b9 on #808080"
    # font size does not matter, the ratio the text needs does
    other_size = {"summary": contrast("#2980b9", "#fcfcfc").replace("16px", "14px")}
    assert check.colour_signature("color-contrast", other_size) == check.colour_signature("color-contrast", node)
    assert check.colour_signature("color-contrast", {"summary": contrast("#2980b9", "#fcfcfc", "3")}) != (
        check.colour_signature("color-contrast", node)
    )


def test_compare_axe_theme_colours_on_more_content_are_not_added(check):
    link = contrast("#2980b9", "#fcfcfc")
    baseline = [colour_record("a.html", "color-contrast", [link] * 2, "baseline"), colour_record("index.html", "color-contrast", [link], "baseline")]
    quotefig = [colour_record("a.html", "color-contrast", [link] * 2, "quotefig"), colour_record("index.html", "color-contrast", [link] * 5, "quotefig")]
    result = check.compare_axe(baseline, quotefig)
    assert result["totals"] == {"baseline": 3, "quotefig": 7, "added": 0, "theme_repeat": 4}
    assert [(e["page"], e["theme_repeat"]) for e in result["theme_repeat"]] == [("index.html", 4)]


def test_compare_axe_new_colour_pair_is_added_even_at_equal_count(check):
    link, muted = contrast("#2980b9", "#fcfcfc"), contrast("#999999", "#ffffff")
    baseline = [colour_record("a.html", "color-contrast", [link, link], "baseline")]
    quotefig = [colour_record("a.html", "color-contrast", [link, muted], "quotefig")]
    result = check.compare_axe(baseline, quotefig)
    assert result["totals"]["added"] == 1
    assert result["added"][0]["signatures"] == ["color-contrast: #999999 on #ffffff (needs 4.5:1)"]


def test_compare_axe_other_rules_by_count(check):
    baseline = [axe_record("a.html", ("list", "serious", ["serious"]), variant="baseline")]
    quotefig = [axe_record("a.html", ("list", "serious", ["serious", "serious"]), ("aria-allowed-attr", "critical", ["critical"]))]
    result = check.compare_axe(baseline, quotefig)
    assert result["totals"] == {"baseline": 1, "quotefig": 3, "added": 2, "theme_repeat": 0}
    assert [(e["rule"], e["added"]) for e in result["added"]] == [("aria-allowed-attr", 1), ("list", 1)]


def test_quotefig_nodes_listed_whatever_the_counts(check):
    records = [axe_record("a.html", ("color-contrast", "serious", ["serious", "serious"]), ("region", "moderate", ["moderate"]))]
    found = check.quotefig_nodes(records)
    assert [(f["rule"], f["impact"], f["target"]) for f in found] == [
        ("color-contrast", "serious", ["#n0"]),
        ("region", "moderate", ["#n0"]),
    ]


def test_dark_problems(check):
    def record(scheme: str, luminance: float) -> dict:
        return {"variant": "quotefig", "page": "index.html", "scheme": scheme, "dark": {"luminance": luminance, "background": "rgb()"}}

    assert check.dark_problems("furo", [record("dark", 0.01), record("light", 1.0)]) == []
    assert len(check.dark_problems("furo", [record("dark", 1.0)])) == 1
    # themes without a dark mode stay light when the reader prefers dark
    assert check.dark_problems("alabaster", [record("dark", 1.0)]) == []
    assert len(check.dark_problems("alabaster", [record("light", 0.0)])) == 1


def test_summary_text_table(check):
    totals = {"baseline": 2, "quotefig": 3, "added": 1}
    report = {
        "out": "build/check-html",
        "failed": True,
        "verdict": "1 finding(s) added by the extension",
        "seconds": 12.0,
        "themes": {
            "furo": {
                "pages": ["index.html"],
                "builds": {"baseline": {"warnings": []}, "quotefig": {"warnings": []}},
                "only_in": {"baseline": [], "quotefig": []},
                "vnu": {
                    "errors": totals,
                    "warnings": {"baseline": 0, "quotefig": 0, "added": 0},
                    "added": [{"page": "index.html", "rule": "Duplicate ID “…”.", "baseline": 2, "quotefig": 3, "added": 1, "examples": []}],
                    "warnings_added": [],
                },
            }
        },
    }
    text = check.summary_text(report)
    assert "furo" in text and "2/3/1" in text
    assert "ADDED vnu error x1 on index.html: Duplicate ID “…”." in text
    assert text.rstrip().splitlines()[-1].startswith("Result: FAIL")

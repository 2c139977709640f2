"""The real bibliography exports in tests/material/bibliographies/ parse,
and hold what their README says they hold.

The README's feature table (feature, file, key, what it is) is read here and
every row is checked against the file, so the table the reader's tests pick
their entries from cannot drift from the files.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

pybtex_database = pytest.importorskip("pybtex.database")
import pybtex.errors  # noqa: E402  (after the importorskip above)

MATERIAL = Path(__file__).resolve().parent / "material" / "bibliographies"
README = MATERIAL / "README.md"

#: The features every reader test may ask for: each must have a row.
REQUIRED_FEATURES = {
    "accents",
    "editor",
    "corporate-author",
    "crossref",
    "inbook",
    "incollection",
    "emphasis",
    "page-range",
    "doi",
    "isbn",
    "url",
    "no-title",
}

_ROW = re.compile(r"^\| `([a-z-]+)` \| `([^`]+)` \| `([^`]+)` \| .+ \|$")
_FILE_ROW = re.compile(r"^\| `([^`]+\.(?:bib|json))` \|")
#: A LaTeX accent command: \'e, \"o, {\"O}, \`e, \^o, \~n, \c{C}, \i, …
_LATEX_ACCENT = re.compile(r"\\(?:['\"`^~=.]|[cvuHkr]\{|[cvuHk] |i\b|i\})")


def feature_rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in README.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            rows.append(match.groups())
    return rows


def listed_files() -> list[str]:
    return [
        m.group(1)
        for line in README.read_text(encoding="utf-8").splitlines()
        if (m := _FILE_ROW.match(line))
    ]


@functools.cache
def parse_bib(name: str) -> tuple[object, tuple[str, ...]]:
    """The file parsed by pybtex, and the errors pybtex reported (captured,
    not raised: one file holds names pybtex cannot parse)."""
    with pybtex.errors.capture() as errors:
        data = pybtex_database.parse_file(str(MATERIAL / name), bib_format="bibtex")
    return data, tuple(str(e) for e in errors)


@functools.cache
def load_csl(name: str) -> dict[str, dict]:
    items = json.loads((MATERIAL / name).read_text(encoding="utf-8"))
    assert isinstance(items, list)
    return {item["id"]: item for item in items}


def raw_entry(name: str, key: str) -> str:
    """The entry's text as written in the file, up to the next entry."""
    text = (MATERIAL / name).read_text(encoding="utf-8")
    start = re.search(r"^@\w+\{" + re.escape(key) + ",", text, re.MULTILINE)
    assert start, f"{key} not found in {name}"
    end = re.compile(r"^@", re.MULTILINE).search(text, start.end())
    return text[start.start() : end.start() if end else len(text)]


# -- checks per feature: (entry of a .bib, raw text) and (CSL item) --------------


def _bib_persons(entry, role: str) -> list[str]:
    return [str(p) for p in entry.persons.get(role, [])]


def _all_bib_text(entry) -> str:
    return " ".join(
        [*entry.fields.values(), *(str(p) for ps in entry.persons.values() for p in ps)]
    )


def _braced_whole(person) -> bool:
    """A name kept whole in braces: one last name, ``{…}``, nothing else."""
    return (
        not person.first_names
        and not person.middle_names
        and not person.prelast_names
        and len(person.last_names) == 1
        and person.last_names[0].startswith("{")
        and person.last_names[0].endswith("}")
    )


def check_bib(feature: str, name: str, key: str) -> None:
    data, _ = parse_bib(name)
    assert key in data.entries, f"{key} is not an entry of {name}"
    entry = data.entries[key]
    raw = raw_entry(name, key)
    fields = entry.fields
    if feature == "accents":
        assert _LATEX_ACCENT.search(_all_bib_text(entry))
    elif feature == "editor":
        assert entry.persons.get("editor") and entry.persons.get("author")
    elif feature == "editor-only":
        assert entry.persons.get("editor") and not entry.persons.get("author")
    elif feature == "corporate-author":
        authors = entry.persons["author"]
        assert authors and all(_braced_whole(p) for p in authors)
        assert re.search(r"author\s*=\s*\{\{[^{}]+\}\}", raw)
    elif feature == "name-particle":
        (author,) = entry.persons["author"]
        last = " ".join(author.last_names)
        assert re.match(r"\{[a-z]+ ", last), last
    elif feature == "biblatex-extended-name":
        assert re.search(r"author\s*=\s*\{family=", raw)
        _, errors = parse_bib(name)
        assert any("Too many commas" in e and key.split("-")[-1].capitalize() in e for e in errors)
    elif feature == "crossref":
        target = fields["crossref"]
        assert target in data.entries, f"crossref target {target} missing"
        assert "booktitle" not in fields and "booktitle" in data.entries[target].fields
    elif feature in ("inbook", "incollection"):
        assert entry.type == feature
        assert "booktitle" in fields or "crossref" in fields
    elif feature == "emphasis":
        assert "\\emph{" in fields["title"]
    elif feature == "page-range":
        assert "--" in fields["pages"]
    elif feature in ("doi", "isbn", "url"):
        assert fields[feature].strip()
    elif feature == "no-title":
        assert "title" not in fields
    elif feature == "no-author":
        assert not entry.persons.get("author") and not entry.persons.get("editor")
    elif feature == "string-macro":
        macro = re.search(r"publisher\s*=\s*([a-z]+),", raw).group(1)
        assert re.search(r"@string\{" + macro + r"\s*=", (MATERIAL / name).read_text(encoding="utf-8"))
        assert fields["publisher"] != macro  # pybtex expanded it
    else:
        pytest.fail(f"no check for feature {feature!r} in a .bib file")


def check_csl(feature: str, name: str, key: str) -> None:
    items = load_csl(name)
    assert key in items, f"{key} is not an item of {name}"
    item = items[key]
    if feature == "accents":
        assert any(ord(c) > 127 for c in item["title"])
    elif feature == "editor":
        assert item.get("editor") and item.get("author")
    elif feature == "editor-only":
        assert item.get("editor") and not item.get("author")
    elif feature == "corporate-author":
        assert item["author"] and all("literal" in a for a in item["author"])
    elif feature == "chapter":
        assert item["type"] == "chapter"
        assert item["container-title"] and item["editor"] and item["ISBN"]
    elif feature == "emphasis":
        assert "<i>" in item["title"]
    elif feature == "page-range":
        assert re.fullmatch(r"\d+[–-]\d+", item["page"])
    elif feature in ("doi", "isbn", "url"):
        assert item[feature.upper()].strip()
    elif feature == "no-title":
        assert "title" not in item
    elif feature == "no-author":
        assert not item.get("author") and not item.get("editor")
    elif feature == "date-range":
        assert len(item["issued"]["date-parts"]) == 2
    elif feature == "string-year":
        assert isinstance(item["issued"]["date-parts"][0][0], str)
    else:
        pytest.fail(f"no check for feature {feature!r} in a CSL-JSON file")


# -- tests --------------------------------------------------------------------------


def test_the_readme_lists_every_file_and_only_files_that_exist():
    present = sorted(p.name for p in MATERIAL.iterdir() if p.suffix in (".bib", ".json"))
    assert sorted(listed_files()) == present
    for path in MATERIAL.iterdir():
        if path.suffix in (".bib", ".json"):
            assert path.stat().st_size < 60_000, path.name


@pytest.mark.parametrize("name", sorted(p.name for p in MATERIAL.glob("*.bib")))
def test_each_bib_file_parses_with_pybtex(name):
    data, errors = parse_bib(name)
    assert len(data.entries) >= 30
    if name == "bbt-name-particles.bib":
        # biblatex's extended name format: pybtex reports each such name.
        assert len(errors) == 17 and all("Too many commas" in e for e in errors)
    else:
        assert errors == ()


def test_strict_pybtex_stops_at_the_extended_name_format():
    """What a reader that leaves pybtex strict would meet: the whole file
    fails on its first biblatex-style name."""
    with pytest.raises(pybtex_database.InvalidNameString, match="family=Hakim"):
        pybtex_database.parse_file(str(MATERIAL / "bbt-name-particles.bib"))


@pytest.mark.parametrize("name", sorted(p.name for p in MATERIAL.glob("*.json")))
def test_each_csl_json_file_is_a_list_of_csl_items(name):
    items = load_csl(name)
    assert items
    for item in items.values():
        assert isinstance(item["type"], str) and item["type"]
        for role in ("author", "editor"):
            for person in item.get(role, []):
                assert "literal" in person or "family" in person


def test_every_required_feature_has_an_entry():
    rows = feature_rows()
    features = {feature for feature, _, _ in rows}
    assert REQUIRED_FEATURES <= features, REQUIRED_FEATURES - features
    # BibTeX and CSL-JSON both show a corporate author, an editor, a DOI and a URL.
    for feature in ("corporate-author", "editor", "doi", "url", "no-title"):
        suffixes = {Path(name).suffix for f, name, _ in rows if f == feature}
        assert suffixes == {".bib", ".json"}, feature


@pytest.mark.parametrize(
    ("feature", "name", "key"), feature_rows(), ids=lambda v: str(v)
)
def test_the_readme_row_holds(feature, name, key):
    assert (MATERIAL / name).is_file(), name
    if name.endswith(".bib"):
        check_bib(feature, name, key)
    else:
        check_csl(feature, name, key)

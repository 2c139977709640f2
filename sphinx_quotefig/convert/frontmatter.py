"""YAML front matter, read tolerantly.

Jekyll reads front matter that strict YAML refuses — tabs for indentation,
above all.  Tabs are read as spaces; when the YAML still cannot be read,
each `key: value` line is taken as it is, so that a title and a date are
never lost to one odd line.
"""

from __future__ import annotations

import re
from datetime import date

import yaml

from .markup import normalize_space
from .report import Report

_FRONT_MATTER = re.compile(r"(?:---|\+\+\+)[ \t]*\n(.*?\n)??(?:---|\.\.\.|\+\+\+)[ \t]*(?:\n|\Z)", re.DOTALL)
_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*[:=][ \t]*(.*?)[ \t]*$")


def split_front_matter(text: str, report: Report) -> tuple[dict, str, int]:
    """Return (front matter, body, number of lines before the body)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, 0
    source = match.group(1) or ""
    toml = text.startswith("+++")
    data = None if toml else _yaml(source.replace("\t", "    "))
    if data is None:
        data = _lines(source)
        if not toml:
            report.note(1, "front matter is not valid YAML; read line by line")
    return data, text[match.end() :], match.group(0).count("\n")


def _yaml(source: str) -> dict | None:
    try:
        data = yaml.safe_load(source) or {}
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _lines(source: str) -> dict:
    data = {}
    for line in source.splitlines():
        match = _LINE.match(line)
        if match and match.group(2):
            value = match.group(2).strip()
            if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            data[match.group(1)] = value
    return data


def post_date(meta: dict, filename: str) -> str:
    """`YYYY-MM-DD…` from the front matter's date, else the file name."""
    value = meta.get("date")
    if isinstance(value, date):
        return value.isoformat()
    if value:
        text = normalize_space(str(value))
        compact = re.match(r"(\d{4})(\d\d)(\d\d)T", text)  # 20200826T1523
        return "-".join(compact.groups()) if compact else text
    named = re.match(r"(\d{4}-\d\d-\d\d)", filename)
    return named.group(1) if named else ""

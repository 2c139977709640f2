"""Build small sample projects, one per theme and markup style, for screenshots.

Usage (from the repository root):

    .venv/bin/python scripts/screenshots/build_samples.py [OUTDIR] [--themes furo,alabaster]

Each project is written to OUTDIR/<theme>-<markup>/ and built with
``sphinx-build -b html`` into OUTDIR/<theme>-<markup>/_build/html/.  The page
is docs/examples/seed.md plus a few extra quotations (an author, another
source, an inline quote) so every citation shape is shown.  A theme whose
package is not installed is skipped with a note.  The list of built pages is
written to OUTDIR/pages.json for screenshots.mjs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "docs" / "examples" / "seed.md"

# theme name -> module that must be importable for it
THEMES = {
    "alabaster": "alabaster",
    "furo": "furo",
    "sphinx_rtd_theme": "sphinx_rtd_theme",
    "pydata_sphinx_theme": "pydata_sphinx_theme",
    "sphinx_book_theme": "sphinx_book_theme",
}
MARKUPS = ("footer", "figcaption")

CONF = """\
project = "quotefig sample ({theme}, {markup})"
extensions = ["myst_parser", "sphinx_quotefig"]
myst_enable_extensions = ["colon_fence"]
html_theme = {theme!r}
quotefig_markup = {markup!r}
quotefig_sources = {{
    "other": {{
        "title": "Another Book",
        "author": "Jane Doe",
        "year": "2001",
        "url": "https://example.org",
    }},
}}
"""

EXTRA = """

## More citation shapes

A paragraph with an inline quotation, {q}`inline words that run on <other, 12>`,
followed by more ordinary prose so the line wraps and the inline citation sits
in running text.

```{quote}
:page: 40
:author: A. N. Author

A short quotation with an author, from the current source.
```

```{quote}
:source: other
:page: 5

A quotation from another declared source, so the footer shows the longer
citation with its author and title.

It has a second paragraph too.
```
"""


def make_page() -> str:
    text = SEED.read_text(encoding="utf-8")
    # The seed page links to the citation index, which samples do not build.
    text = text.replace("[citation index](quote-index)", "citation index")
    # The extra shapes go last, so the top of the page stays the seed design.
    return text.rstrip("\n") + "\n" + EXTRA


def build(outdir: Path, themes: list[str]) -> list[dict[str, str]]:
    page = make_page()
    built = []
    for theme in themes:
        if importlib.util.find_spec(THEMES[theme]) is None:
            print(f"skip {theme}: not installed", file=sys.stderr)
            continue
        for markup in MARKUPS:
            src = outdir / f"{theme}-{markup}"
            src.mkdir(parents=True, exist_ok=True)
            (src / "conf.py").write_text(CONF.format(theme=theme, markup=markup), encoding="utf-8")
            (src / "index.md").write_text(page, encoding="utf-8")
            # A fresh output directory: Sphinx does not overwrite a changed
            # quotefig.css in an existing one (it warns misc.copy_overwrite).
            shutil.rmtree(src / "_build", ignore_errors=True)
            html = src / "_build" / "html"
            subprocess.run(
                [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", str(src), str(html)],
                check=True,
            )
            built.append({"theme": theme, "markup": markup, "page": str(html / "index.html")})
    (outdir / "pages.json").write_text(json.dumps(built, indent=2), encoding="utf-8")
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir", nargs="?", default="/tmp/quotefig-samples", type=Path)
    parser.add_argument("--themes", default=",".join(THEMES), help="comma-separated theme names")
    args = parser.parse_args()
    themes = [t for t in args.themes.split(",") if t]
    unknown = set(themes) - set(THEMES)
    if unknown:
        parser.error(f"unknown theme(s): {', '.join(sorted(unknown))}")
    for entry in build(args.outdir, themes):
        print(entry["page"])


if __name__ == "__main__":
    main()

"""A folder of posts -> a ready Sphinx project.

One MyST page per post (its front matter title and date kept), an
`index.md` whose toctree lists the posts newest first, a `conf.py` with the
extension and every quoted work declared once (`quotefig_sources`), and the
posts' local images copied under `images/` with their links rewritten.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .document import Result, convert
from .markup import md_escape
from .works import Works, slug


@dataclass
class Page:
    path: Path  # the post
    docname: str
    result: Result


def docname_for(path: Path, taken: set[str]) -> str:
    name = slug(path.stem) or "post"
    candidate, number = name, 1
    while candidate in taken or candidate in ("index", "conf"):
        number += 1
        candidate = f"{name}-{number}"
    taken.add(candidate)
    return candidate


def convert_site(files: list[Path], *, is_html, site_root: Path) -> tuple[list[Page], Works]:
    works = Works()
    taken: set[str] = set()
    pages = []
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        result = convert(text, is_html=is_html(path), works=works, declare_works=False, filename=path.name)
        pages.append(Page(path, docname_for(path, taken), result))
    return pages, works


def write_site(pages: list[Page], works: Works, out: Path, *, title: str, site_root: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for page in pages:
        markdown = _copy_images(page, out, site_root)
        if not page.result.title:
            markdown = f"# {md_escape(page.docname)}\n\n{markdown}"
        (out / f"{page.docname}.md").write_text(markdown, encoding="utf-8")
    (out / "index.md").write_text(index_page(pages, title), encoding="utf-8")
    (out / "conf.py").write_text(conf_py(works, title), encoding="utf-8")


def _by_date(pages: list[Page]) -> list[Page]:
    return sorted(pages, key=lambda page: (page.result.date, page.docname), reverse=True)


def index_page(pages: list[Page], title: str) -> str:
    entries = "\n".join(page.docname for page in _by_date(pages))
    return f"# {md_escape(title)}\n\n```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n"


def conf_py(works: Works, title: str) -> str:
    sources = {work.key: work.fields() for work in works}
    lines = [
        '"""Sphinx configuration written by `sphinx-quotefig convert`."""',
        "",
        f"project = {title!r}",
        'extensions = ["myst_parser", "sphinx_quotefig"]',
        "# Links stay as the posts wrote them (most point into the old site).",
        "myst_all_links_external = True",
        'exclude_patterns = ["_build"]',
        "",
        "# Every work the posts quote, declared once.",
        "quotefig_sources = {",
    ]
    for key, fields in sources.items():
        lines.append(f"    {key!r}: {{")
        lines += [f"        {name!r}: {value!r}," for name, value in fields.items()]
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _copy_images(page: Page, out: Path, site_root: Path) -> str:
    """Copy the page's local images to `out/images/…`; rewrite their paths.
    An image that cannot be found is reported and shown from its old path."""
    markdown = page.result.markdown
    for src in dict.fromkeys(page.result.images):
        clean = src.split("?")[0].split("#")[0]
        candidates = [site_root / clean.lstrip("/"), page.path.parent / clean]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            post = page.path.read_text(encoding="utf-8-sig")
            line = post.count("\n", 0, max(post.find(src), 0)) + 1
            page.result.report.note(line, f"image {src} not found; kept as an HTML <img> with its old path")
            markdown = re.sub(
                rf"!\[([^\]]*)\]\(\s*<?{re.escape(src)}>?(?:\s+\"[^\"]*\")?\s*\)",
                lambda m: f'<img src="{src}" alt="{m.group(1)}">',
                markdown,
            )
            continue
        target = PurePosixPath("images", *PurePosixPath(clean.lstrip("/")).parts[-2:])
        (out / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found, out / target)
        markdown = markdown.replace(f"({src})", f"({target})").replace(f'src="{src}"', f'src="{target}"')
    return markdown

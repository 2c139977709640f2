"""`convert` on real posts from other people's blogs (tests/data/posts/,
origins in its README.rst), and on the attribution forms they use.

Per post: every quotation found is either converted or left with a reason
(quotations in = quotations out), each attribution field reaches the MyST,
and the post's other blocks (headings, lists, links, images, code) are all
still there.  One test converts the folder into a Sphinx project and builds
it with -W.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from sphinx_quotefig.convert import convert, main
from sphinx_quotefig.convert.attribution import from_html_text, parse_text

POSTS = Path(__file__).parent / "data" / "posts"
FILES = sorted(p for p in POSTS.iterdir() if p.suffix in (".md", ".html"))

#: file -> (quotations in the post, of which converted, attribution values
#: that must reach the output).  Counted by reading each post.
EXPECTED = {
    "2013-03-24-tschichold-democratic-design.md": (2, 2, ["Jan Tschichold: A titan of typography", "https://www.guardian.co.uk/artanddesign/2008/dec/05/jan-tschichold-typography", "On Typography", "(via Jason Santa Maria’s article Change of Heart)"]),
    "2013-10-20-morrissey-is-old-and-so-are-you.md": (2, 0, []),
    "2015-05-18-labour.md": (1, 1, ["The Smiths", "Still Ill"]),
    "2015-06-07-the-last-liberal-centre-broke.md": (1, 1, ["A fitting tribute to Charles Kennedy would be a revival of popular liberalism"]),
    "2015-09-06-show-me-the-next.md": (1, 1, ["Show Me The Next strips down online reading and discovery to their most basic components"]),
    "2015-10-27-old-zizek.md": (1, 1, ["Slavoj Zizek on Obama, Bernie, sex and democracy", "https://www.salon.com/2015/10/11/slavoj_zizek_on_obama_bernie_sex_and_democracy_thats_the_reality_of_global_capitalism_everyone_is_violating_the_rules/"]),
    "2016-10-23-do-not-use-google-amp.md": (2, 2, ["Why do websites publish AMP pages?", "What is AMP?", "https://www.ampproject.org/learn/about-amp/"]),
    "2018-02-14-sickness.md": (1, 0, []),
    "2020-05-08-endless-utopia.md": (0, 0, []),
    "dz4k-2020-06-08-11ty-layout-as-partial.excerpt.md": (2, 2, ["Bantu Tu", "Missing Semester: Lecture 3: Editors (vim) (2020)", "Eleventy docs", "https://www.11ty.dev/docs/filters/collection-items/#also-getcollectionitem"]),
    "dz4k-2020-08-27-road-to-indieweb.excerpt.md": (1, 1, ["indieweb.org", "//indieweb.org/"]),
    "ferreira-cc-snippets-markdown.excerpt.md": (0, 0, []),
    "hugo-coder-markdown-syntax.md": (2, 0, []),
    "minimal-mistakes-2010-02-05-post-quote.md": (1, 1, ["Mark Twain", "http://www.brainyquote.com/quotes/quotes/m/marktwain163473.html"]),
    "octopress-quote-tag-source.md": (7, 5, ["Bobby Jones", "Some Book", "Some Article", "http://foo.com/blahboogersblahasdfoasdfasdf"]),
    "octopress-quote-tag-expected.html": (7, 5, ["Bobby Jones", "Some Book", "Some Article", "http://foo.com/blahboogersblahasdfoasdfasdf"]),
}


def test_at_least_fifteen_real_posts_each_listed_in_the_readme():
    readme = (POSTS / "README.rst").read_text(encoding="utf-8")
    assert len(FILES) >= 15
    assert sorted(EXPECTED) == [p.name for p in FILES]
    for path in FILES:
        assert path.name in readme


def _convert(path: Path):
    return convert(path.read_text(encoding="utf-8"), is_html=path.suffix == ".html", filename=path.name)


def _quotes_out(markdown: str) -> tuple[int, int]:
    """(quote directives, quotations left as Markdown or HTML blockquotes)."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    directives = sum(t.type == "fence" and t.info.strip() == "{quote}" for t in tokens)
    left = sum(t.type == "blockquote_open" and t.level == 0 for t in tokens)
    left += sum(t.content.count("<blockquote") for t in tokens if t.type == "html_block")
    return directives, left


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_quotation_is_converted_or_left_with_a_reason(path):
    quotes_in, converted, _ = EXPECTED[path.name]
    result = _convert(path)
    assert result.report.converted == converted
    assert result.report.converted + result.report.left == quotes_in
    directives, left = _quotes_out(result.markdown)
    assert (directives, left) == (converted, quotes_in - converted)
    lines = path.read_text(encoding="utf-8").split("\n")
    for entry in result.report.entries:
        if entry.kind == "left":  # the report points at the quotation
            assert re.match(r"\s*(?:>|<blockquote|<figure|\{%)", lines[entry.line - 1]), entry


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_attribution_field_reaches_the_document(path):
    result = _convert(path)
    for value in EXPECTED[path.name][2]:
        assert value in result.markdown


def _blocks_outside_quotes(markdown: str) -> dict[str, list[str]]:
    """Headings, list items, link and image targets, code outside quotations."""
    found: dict[str, list[str]] = {"heading": [], "item": [], "link": [], "image": [], "code": []}
    depth = 0
    tokens = MarkdownIt("commonmark").parse(markdown)
    for i, token in enumerate(tokens):
        depth += token.nesting if token.type.startswith("blockquote") else 0
        if depth:
            continue
        if token.type == "heading_open":
            found["heading"].append(tokens[i + 1].content)
        elif token.type == "list_item_open" and tokens[i + 2].type == "inline":
            found["item"].append(tokens[i + 2].content)
        elif token.type == "fence" and not token.info.startswith("{"):
            found["code"].append(token.content.strip())
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "link_open":
                    found["link"].append(child.attrs["href"])
                elif child.type == "image":
                    found["image"].append(child.attrs["src"])
    return found


@pytest.mark.parametrize("path", [p for p in FILES if p.suffix == ".md"], ids=lambda p: p.name)
def test_headings_lists_links_images_and_code_are_all_still_there(path):
    markdown = _convert(path).markdown
    body = re.sub(r"\A---\n.*?\n---\n", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    for kind, values in _blocks_outside_quotes(body).items():
        for value in values:
            if kind == "heading":
                value = re.sub(r"\s+", " ", value)
            assert value in markdown, (kind, value)


# --------------------------------------------------------------------------
# Attribution forms


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("— R. D. Tennent, *Principles of Programming Languages* (1981), pp. 127–8",
         {"author": "R. D. Tennent", "title": "Principles of Programming Languages", "year": "1981", "locator": {"page": "127-8"}}),
        ("-- Sato, <cite>Canary</cite>, p. 133", {"author": "Sato", "title": "Canary", "locator": {"page": "133"}}),
        ("~ Newton, *Opticks*, vol. 2, § 4", {"author": "Newton", "title": "Opticks", "locator": {"locator": "vol. 2, § 4"}}),
        ("— <cite>Steve Wozniak</cite>", {"author": "Steve Wozniak", "title": ""}),
        ("— Author in <cite>[Source](http://example.com)</cite>", {"author": "Author", "title": "Source", "url": "http://example.com"}),
        ("— Hume, *Treatise*, pg xii", {"author": "Hume", "title": "Treatise", "locator": {"page": "xii"}}),
        ("— Darwin, *Origin*, ch. 4", {"author": "Darwin", "title": "Origin", "locator": {"locator": "ch. 4"}}),
    ],
)
def test_attribution_line_gives_author_title_year_and_locator(line, fields):
    found = from_html_text(MarkdownIt("commonmark").renderInline(line))
    for name, value in fields.items():
        assert getattr(found, name) == value, name
    assert found.rest == ""


def test_figcaption_with_author_cite_and_page_keeps_all_three():
    html = (
        '<figure class="quote"><blockquote><p>Q</p></blockquote>'
        "<figcaption>Isaac Newton, <cite>Experiments on Colour</cite>, p. 130</figcaption></figure>"
    )
    markdown = convert(html, is_html=True).markdown
    assert markdown.startswith("```{quote}\n:source: newton-experiments\n:page: 130\n\nQ\n```")
    assert "```{quote-source} newton-experiments\n:title: Experiments on Colour\n:author: Isaac Newton\n```" in markdown


def test_a_work_quoted_twice_is_declared_once_and_keyed_by_author_and_year():
    post = "".join(
        f"> Quote {n}.\n> — R. D. Tennent, *Principles of Programming Languages* (1981), p. {n}\n\n" for n in (1, 2)
    )
    markdown = convert(post).markdown
    assert markdown.count(":source: tennent-1981") == 2
    assert markdown.count("{quote-source} tennent-1981") == 1


def test_what_cannot_be_parsed_is_kept_as_a_comment_and_reported():
    result = convert("> Q\n> — <cite>On Typography</cite> (via an article)\n")
    assert "% attribution: On Typography (via an article)" in result.markdown
    assert any("partly understood" in e.message for e in result.report.entries)


def test_liquid_highlight_becomes_a_fence_and_other_tags_are_reported():
    post = "Intro\n\n{% highlight pascal %}\nbegin\n    write(i)\nend\n{% endhighlight %}\n\n{% include x.html %}\n"
    result = convert(post)
    assert "```pascal\nbegin\n    write(i)\nend\n```" in result.markdown
    assert [e.message for e in result.report.entries] == ["Liquid tag {% include x.html %} kept as text"]


def test_quotations_in_code_blocks_and_liquid_raw_blocks_are_left_alone():
    post = "```\n> Q\n> — Newton, *Opticks*\n```\n\n{% raw %}\n> R\n> — Newton, *Opticks*\n{% endraw %}\n"
    result = convert(post)
    assert "{quote" not in result.markdown
    assert "```\n> Q\n> — Newton, *Opticks*\n```" in result.markdown
    assert "\n> R\n> — Newton, *Opticks*\n" in result.markdown
    assert result.report.entries == [] and result.report.converted == 0


def test_front_matter_with_tabs_keeps_title_and_date():
    result = convert("---\ntitle: Tabbed\ntags:\n\t- a\ndate: 2020-01-02\n---\n\n# Tabbed\n\n# Part\n\nText\n")
    assert result.markdown.startswith("---\ntags:\n- a\ndate: '2020-01-02'\n---\n\n# Tabbed\n\n## Part\n")
    assert result.markdown.count("Tabbed") == 1


def test_hugo_toml_front_matter_gives_title_and_date():
    result = convert('+++\ntitle = "Hugo post"\ndate = "2016-02-20T11:32:54-08:00"\n+++\n\nText\n')
    assert result.markdown == "---\ndate: '2016-02-20T11:32:54-08:00'\n---\n\n# Hugo post\n\nText\n"
    assert result.date == "2016-02-20T11:32:54-08:00" and result.report.clean


def test_html_page_keeps_only_the_article_without_icon_links():
    page = (
        "<!DOCTYPE html><html><head><title>T</title></head><body><nav><a href='/'>Home</a></nav>"
        "<div class='search'>0 Results</div><article><h1>Post</h1><p>Text.</p>"
        "<div class='share'>Share</div><p><a href='https://x.example/'><svg></svg></a></p></article>"
        "<footer>Site footer</footer></body></html>"
    )
    markdown = convert(page, is_html=True).markdown
    assert markdown == "# Post\n\nText.\n"


def test_markdown_quotation_with_an_html_citation_block_and_a_page_in_the_lead_in():
    post = (
        "> This is known as\n> the **_principle of correspondence_**.\n  \n"
        '<div class="citation">R.D. Tennent, <cite>Principles of Programming\n'
        "  Languages, §9.1 Definitions and Blocks, p.130.</cite></div>\n\n"
        "On p. 133, Tennent states:\n\n> A further consequence.\n"
    )
    result = convert(post)
    assert result.markdown.startswith(
        "```{quote}\n:source: tennent-principles\n:locator: §9.1 Definitions and Blocks, p.130\n\n"
        "This is known as\nthe **_principle of correspondence_**.\n```"
    )
    assert "```{quote}\n:page: 133\n\nA further consequence.\n```" in result.markdown
    assert "```{quote-source} tennent-principles\n:title: Principles of Programming Languages\n:author: R.D. Tennent\n```" in result.markdown
    assert [(e.kind, e.line) for e in result.report.entries] == [("inferred", 9)]
    assert result.report.clean


def test_octopress_quotation_tags_become_quotes_with_their_sources():
    post = (
        "{% blockquote Bobby Jones http://example.com/a Some Article %}\nQ1\n{% endblockquote %}\n\n"
        '{% quote author:"Ann Lee" title:"A Book" %}\nQ2\n{% endquote %}\n'
    )
    markdown = convert(post).markdown
    assert "```{quote}\n:source: jones-some\n\nQ1\n```" in markdown
    assert "```{quote}\n:source: lee-book\n\nQ2\n```" in markdown
    assert "```{quote-source} jones-some\n:title: Some Article\n:author: Bobby Jones\n:url: http://example.com/a\n```" in markdown


def test_markdown_one_block_is_read_as_markdown():
    post = '<aside markdown="1">\nFirst *one*.\n\nSecond.\n</aside>\n'
    assert convert(post).markdown == "First *one*.\n\nSecond.\n"


# --------------------------------------------------------------------------
# Whole sites and the report


def test_strict_exits_1_when_a_quotation_was_left_and_reports_it(tmp_path, capsys):
    post = tmp_path / "post.md"
    post.write_text("> no attribution\n", encoding="utf-8")
    assert main(["convert", str(post), "--strict"]) == 1
    out = capsys.readouterr()
    assert out.out == "> no attribution\n"
    assert f"{post}:1: quotation left as it was: quotation without an attribution" in out.err
    assert f"{post}: 0 quotations converted, 1 left as written" in out.err


def test_site_copies_local_images_and_reports_missing_ones(tmp_path, capsys):
    posts = tmp_path / "_posts"
    (tmp_path / "assets").mkdir(parents=True)
    posts.mkdir()
    (tmp_path / "assets" / "a.png").write_bytes(b"\x89PNG")
    (posts / "2020-01-01-a.md").write_text("---\ntitle: A\n---\n\n![A](/assets/a.png)\n\n![B](/assets/b.png)\n")
    assert main(["convert", str(posts), "-o", str(tmp_path / "notes")]) == 0
    page = (tmp_path / "notes" / "2020-01-01-a.md").read_text()
    assert "![A](images/assets/a.png)" in page and '<img src="/assets/b.png" alt="B">' in page
    assert (tmp_path / "notes" / "images" / "assets" / "a.png").read_bytes() == b"\x89PNG"
    assert "image /assets/b.png not found" in capsys.readouterr().err


def test_converted_site_builds_with_sphinx_without_warnings(tmp_path, capsys):
    pytest.importorskip("myst_parser")
    from sphinx.cmd.build import build_main

    out = tmp_path / "notes"
    assert main(["convert", str(POSTS), "-o", str(out), "--title", "Notes"]) == 0
    err = capsys.readouterr().err
    assert f"{out}: Sphinx project with {len(FILES)} pages" in err
    index = (out / "index.md").read_text(encoding="utf-8")
    dated = re.findall(r"^(\d{4}-\d\d-\d\d)", index, re.MULTILINE)
    assert dated == sorted(dated, reverse=True) and len(dated) >= 9
    status = build_main(["-b", "html", "-W", "-q", str(out), str(tmp_path / "html")])
    assert status == 0, capsys.readouterr().err
    labour = BeautifulSoup((tmp_path / "html" / "2015-05-18-labour.html").read_text(encoding="utf-8"), "html.parser")
    assert labour.select_one("figure.quote footer cite").get_text() == "Still Ill"
    conf = (out / "conf.py").read_text(encoding="utf-8")
    assert conf.count("'smiths-still'") == 1 and "'author': 'The Smiths'" in conf


# --------------------------------------------------------------------------
# The migration guide shows what the converter really writes

GUIDE = Path(__file__).parents[1] / "docs" / "migrating.md"
_PAIR = re.compile(r"^````(html|markdown)\n((?:(?!^````).)*?)\n````\n\nbecomes\n\n````markdown\n(.*?)\n````", re.DOTALL | re.MULTILINE)


def test_every_shape_in_the_migration_guide_converts_as_shown():
    pairs = _PAIR.findall(GUIDE.read_text(encoding="utf-8"))
    assert len(pairs) >= 11
    for language, before, after in pairs:
        assert convert(before + "\n", is_html=language == "html").markdown == after + "\n"


def test_the_guides_whole_site_example_and_report_are_what_convert_writes(tmp_path, monkeypatch, capsys):
    guide = GUIDE.read_text(encoding="utf-8")
    posts = tmp_path / "_posts"
    posts.mkdir()
    for name in ("2015-05-18-labour.md", "2016-10-23-do-not-use-google-amp.md", "2018-02-14-sickness.md", "2020-05-08-endless-utopia.md"):
        (posts / name).write_bytes((POSTS / name).read_bytes())
    monkeypatch.chdir(tmp_path)
    assert main(["convert", "_posts/", "-o", "notes/", "--title", "Notes", "--strict"]) == 1
    report = capsys.readouterr().err
    assert f"```text\n{report}```" in guide
    assert f"````markdown\n{(tmp_path / 'notes' / 'index.md').read_text()}````" in guide
    assert f"```python\n{(tmp_path / 'notes' / 'conf.py').read_text()}```" in guide

"""Tests for ``python -m sphinx_quotefig convert`` (sphinx_quotefig.convert).

Most tests parse the converted MyST with myst-parser (docutils, no Sphinx)
and stand-in ``quote``/``quote-source`` directives that record their options
and body: that checks the output is MyST that parses as intended, not just
text that looks right.  One test builds the converted seed with the real
extension and compares it with the seed.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives

import sphinx_quotefig
from sphinx_quotefig.convert import Source, citation_options, convert, main

SEED = Path(__file__).parents[2] / "shared" / "seed" / "000_6d3b55a4797ea580.txt"
SEED_TITLE = "Quick notes from mySociety’s report on the impact of their civic tech projects"
SOURCE_TITLE = "The Third Sector and Online Citizen Empowerment: the Case of mySociety"
SEED_PAGES = ["5", "6", "27", "33", "33", "35", "36", "38"]


@pytest.fixture
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"reference post not found: {SEED}")
    return SEED.read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# Parsing the output as MyST


class _Recorder(Directive):
    """Stand-in for the extension's directives: records what MyST parsed."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = dict.fromkeys(
        "source page locator author url name class lang title year".split(), directives.unchanged
    )

    def run(self):
        node = nodes.container(directive=self.name, arguments=self.arguments, options=self.options)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


@pytest.fixture
def parse_myst(monkeypatch):
    """Parse MyST with myst-parser; fail on any parser warning."""
    myst_docutils = pytest.importorskip("myst_parser.docutils_")
    for name in ("quote", "quote-source"):
        monkeypatch.setitem(directives._directives, name, _Recorder)

    def parse(text: str) -> nodes.document:
        warnings = io.StringIO()
        doctree = publish_doctree(
            text,
            parser=myst_docutils.Parser(),
            settings_overrides={"warning_stream": warnings, "report_level": 2, "halt_level": 5},
        )
        assert warnings.getvalue() == ""
        return doctree

    return parse


def directive_nodes(doctree: nodes.document, name: str) -> list[nodes.container]:
    return [n for n in doctree.findall(nodes.container) if n.get("directive") == name]


def paragraphs(node: nodes.Element) -> list[str]:
    return [p.astext() for p in node.findall(nodes.paragraph)]


def top_paragraphs(doctree: nodes.document) -> list[str]:
    """Paragraphs of the page itself, not of directives or front matter."""
    return [
        p.astext()
        for p in doctree.findall(nodes.paragraph)
        if isinstance(p.parent, nodes.Structural)
    ]


def top_blocks(doctree: nodes.document) -> list[nodes.Element]:
    return [n for n in doctree.findall(nodes.Body) if isinstance(n.parent, nodes.Structural)]


def quote_figure(inner: str, attrs: str = 'class="quote"') -> str:
    return f"<figure {attrs}>\n{inner}\n</figure>\n"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # Run the same package the tests import, wherever it is installed.
    package_root = str(Path(sphinx_quotefig.__file__).parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "sphinx_quotefig", "convert", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


# --------------------------------------------------------------------------
# The reference post


def test_seed_becomes_eight_quote_directives_with_pages_in_order(seed_text, parse_myst):
    doctree = parse_myst(convert(seed_text).markdown)
    quotes = directive_nodes(doctree, "quote")
    assert [q["options"] for q in quotes] == [{"page": page} for page in SEED_PAGES]


def test_seed_title_becomes_h1_with_curly_apostrophe(seed_text, parse_myst):
    markdown = convert(seed_text).markdown
    assert f"\n# {SEED_TITLE}\n" in markdown
    titles = [t.astext() for t in parse_myst(markdown).findall(nodes.title)]
    assert titles == [SEED_TITLE]


def test_seed_multi_paragraph_quote_keeps_its_paragraphs(seed_text, parse_myst):
    quotes = directive_nodes(parse_myst(convert(seed_text).markdown), "quote")
    assert [len(paragraphs(q)) for q in quotes] == [1] * 7 + [2]
    assert paragraphs(quotes[7])[1].startswith("Interestingly it does appear")


def test_seed_entities_become_unicode_characters(seed_text):
    markdown = convert(seed_text).markdown
    assert "&hellip;" not in markdown
    assert "community … Despite being" in markdown


def test_seed_quote_text_is_whitespace_normalised(seed_text, parse_myst):
    quotes = directive_nodes(parse_myst(convert(seed_text).markdown), "quote")
    seed_quotes = BeautifulSoup(seed_text, "html.parser").select("figure.quote blockquote")
    for quote, seed_quote in zip(quotes, seed_quotes, strict=True):
        assert " ".join(paragraphs(quote)) == " ".join(seed_quote.get_text().split())


def test_seed_without_source_title_keeps_the_title_line_as_a_paragraph(seed_text, parse_myst):
    result = convert(seed_text)
    assert "```{quote-source}" not in result.markdown
    assert result.report.clean and result.report.converted == 8
    assert top_paragraphs(parse_myst(result.markdown)) == [SOURCE_TITLE]


def test_seed_front_matter_keeps_simple_keys_and_drops_jekyll_ones(seed_text):
    markdown = convert(seed_text).markdown
    front_matter = markdown.split("---\n")[1]
    assert "categories: journal" in front_matter
    assert "date: '2015-01-30 11:23:00'" in front_matter
    for dropped in ("layout", "title", "description"):
        assert f"{dropped}:" not in front_matter


# --------------------------------------------------------------------------
# Sources


def test_source_title_matching_the_title_line_replaces_it_with_the_directive(seed_text, parse_myst):
    source = Source("mysociety-2015", title=SOURCE_TITLE, year="2015")
    doctree = parse_myst(convert(seed_text, source=source).markdown)
    (declared,) = directive_nodes(doctree, "quote-source")
    assert declared["arguments"] == ["mysociety-2015"]
    assert declared["options"] == {"title": SOURCE_TITLE, "year": "2015"}
    assert SOURCE_TITLE not in top_paragraphs(doctree)
    blocks = top_blocks(doctree)
    assert blocks.index(declared) < blocks.index(directive_nodes(doctree, "quote")[0])


def test_source_directive_goes_after_the_h1_and_has_only_the_options_given(parse_myst):
    post = "---\ntitle: Notes\n---\n\nSome intro.\n\n" + quote_figure("<blockquote>Q</blockquote>")
    markdown = convert(post, source=Source("key-1", author="A. Author")).markdown
    assert markdown.startswith(
        "# Notes\n\n```{quote-source} key-1\n:author: A. Author\n```\n\nSome intro."
    )
    (declared,) = directive_nodes(parse_myst(markdown), "quote-source")
    assert declared["options"] == {"author": "A. Author"}


def test_seed_converts_byte_for_byte_as_the_stored_result(seed_text):
    data = Path(__file__).parent / "data"
    assert convert(seed_text).markdown == (data / "seed-converted.md").read_text(encoding="utf-8")
    source = Source("mysociety-2015", title=SOURCE_TITLE, year="2015")
    expected = (data / "seed-converted-with-source.md").read_text(encoding="utf-8")
    assert convert(seed_text, source=source).markdown == expected


def test_source_is_not_declared_in_a_post_without_quotations():
    markdown = convert("Just text.\n", source=Source("k", title="T")).markdown
    assert markdown == "Just text.\n"


def test_source_key_without_a_title_is_a_one_line_error(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("text\n")
    proc = run_cli(str(post), "--source-key", "k", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "sphinx-quotefig: error: --source-key needs --source-title: a source is declared with its title\n"


def test_source_options_need_a_source_key(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("text\n")
    proc = run_cli(str(post), "--source-title", "T", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("sphinx-quotefig: error: ") and proc.stderr.count("\n") == 1


# --------------------------------------------------------------------------
# Figures


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        ("pg 5", {"page": "5"}),
        ("p. 5", {"page": "5"}),
        ("pp. 5-7", {"page": "5-7"}),
        ("page 5", {"page": "5"}),
        ("pages 5–7", {"page": "5-7"}),
        ("pg xii", {"page": "xii"}),
        ("PG 12", {"page": "12"}),
        ("pp. 27–28, 30", {"page": "27-28, 30"}),
        ("5", {"page": "5"}),
        ("\n   pg 38\n  ", {"page": "38"}),
        ("— pg 5", {"page": "5"}),
        ("ch. 3", {"locator": "ch. 3"}),
        ("00:14:32", {"locator": "00:14:32"}),
        ("§ 2.1", {"locator": "§ 2.1"}),
        ("mix", {"locator": "mix"}),
        ("", {}),
    ],
)
def test_citation_maps_to_page_or_locator(citation, expected):
    assert citation_options(citation) == expected


def test_figcaption_citation_is_used_when_there_is_no_footer(parse_myst):
    html = quote_figure("<blockquote><p>Q</p></blockquote><figcaption>p. 9</figcaption>")
    (quote,) = directive_nodes(parse_myst(convert(html, is_html=True).markdown), "quote")
    assert quote["options"] == {"page": "9"}


@pytest.mark.parametrize(
    ("figure_id", "name"),
    [
        ("figure-3", None),
        ("quote-efficacy", "quote-efficacy"),
        ("figure-3b", "figure-3b"),
        (None, None),
    ],
)
def test_name_is_kept_only_for_ids_that_are_not_automatic(figure_id, name, parse_myst):
    attrs = 'class="quote"' + (f' id="{figure_id}"' if figure_id else "")
    markdown = convert(quote_figure("<blockquote>Q</blockquote>", attrs), is_html=True).markdown
    (quote,) = directive_nodes(parse_myst(markdown), "quote")
    assert quote["options"].get("name") == name


def test_blockquote_cite_attribute_becomes_url_and_lang_and_classes_survive(parse_myst):
    html = quote_figure(
        '<blockquote cite="https://example.org/r.pdf#p5">Q</blockquote>'
        "<footer><cite>pg 5</cite></footer>",
        'class="quote wide" lang="fr"',
    )
    (quote,) = directive_nodes(parse_myst(convert(html, is_html=True).markdown), "quote")
    assert quote["options"] == {
        "page": "5",
        "url": "https://example.org/r.pdf#p5",
        "class": "wide",
        "lang": "fr",
    }


def test_footer_inside_the_blockquote_is_the_citation_not_quoted_text(parse_myst):
    html = quote_figure("<blockquote><p>Q</p><footer>— <cite>p. iv</cite></footer></blockquote>")
    (quote,) = directive_nodes(parse_myst(convert(html, is_html=True).markdown), "quote")
    assert quote["options"] == {"page": "iv"}
    assert paragraphs(quote) == ["Q"]


def test_nested_quote_keeps_its_own_citation(parse_myst):
    inner = quote_figure("<blockquote>Inner</blockquote><footer><cite>pg 2</cite></footer>")
    outer = quote_figure(
        f"<blockquote><p>Outer</p>{inner}</blockquote><footer><cite>pg 1</cite></footer>"
    )
    markdown = convert(outer, is_html=True).markdown
    outer_quote, inner_quote = directive_nodes(parse_myst(markdown), "quote")
    assert outer_quote["options"] == {"page": "1"} and inner_quote["options"] == {"page": "2"}
    assert paragraphs(inner_quote) == ["Inner"]


def test_inline_quotation_becomes_the_q_role():
    html = "<p>They called it <q>a booster shot</q>.</p>"
    assert convert(html, is_html=True).markdown == "They called it {q}`a booster shot`.\n"


def test_inline_markup_survives_as_markdown(parse_myst):
    html = quote_figure(
        "<blockquote><p>An <em>emphasised</em> and <strong>strong</strong> claim, "
        '<a href="https://example.org/">a link</a>, <code>x = 1</code> '
        "and &ldquo;curly&rdquo;.</p></blockquote>"
    )
    markdown = convert(html, is_html=True).markdown
    assert (
        "An *emphasised* and **strong** claim, [a link](https://example.org/), `x = 1` and “curly”."
        in markdown
    )
    (quote,) = directive_nodes(parse_myst(markdown), "quote")
    assert [type(n).__name__ for n in quote[0].children if not isinstance(n, nodes.Text)] == [
        "emphasis",
        "strong",
        "reference",
        "literal",
    ]
    assert quote.astext() == "An emphasised and strong claim, a link, x = 1 and “curly”."


def test_text_that_looks_like_markup_stays_text(parse_myst):
    html = quote_figure(
        "<blockquote><p>1984. was &lt;b&gt;bold&lt;/b&gt; * 2_3 `tick`</p>"
        "<p>% of all</p></blockquote>"
    )
    (quote,) = directive_nodes(parse_myst(convert(html, is_html=True).markdown), "quote")
    assert paragraphs(quote) == ["1984. was <b>bold</b> * 2_3 `tick`", "% of all"]


def test_body_with_a_code_fence_gets_a_longer_fence(parse_myst):
    code = "```\nx = 1\n```"
    html = quote_figure(f"<blockquote><p>Code:</p><pre><code>{code}</code></pre></blockquote>")
    markdown = convert(html, is_html=True).markdown
    assert markdown.startswith("`````{quote}\n")
    (quote,) = directive_nodes(parse_myst(markdown), "quote")
    assert [n.astext().rstrip("\n") for n in quote.findall(nodes.literal_block)] == [code]


def test_option_values_with_newlines_colons_and_hashes_are_sanitised(parse_myst):
    html = quote_figure(
        '<blockquote>Q</blockquote><footer><cite>pg 5</cite> :odd\n # locator "x"</footer>'
    )
    markdown = convert(html, is_html=True).markdown
    (quote,) = directive_nodes(parse_myst(markdown), "quote")
    assert quote["options"] == {"locator": 'pg 5 :odd # locator "x"'}
    assert paragraphs(quote) == ["Q"]
    html = quote_figure('<blockquote>Q</blockquote><footer><cite>:odd\n # title "x"</cite></footer>')
    (source,) = directive_nodes(parse_myst(convert(html, is_html=True).markdown), "quote-source")
    assert source["options"] == {"title": ':odd # title "x"'}


def test_unmappable_figure_is_kept_as_raw_html_with_a_warning_naming_its_line(tmp_path, parse_myst):
    post = tmp_path / "post.md"
    post.write_text(
        "---\ntitle: T\n---\n\nIntro.\n\n"
        + quote_figure("<blockquote>Fine</blockquote>")
        + "\n"
        + quote_figure(
            "  <p>No blockquote</p>\n\n  <p>and a blank line</p>", 'id="odd" class="quote"'
        ),
        encoding="utf-8",
    )
    proc = run_cli(str(post), cwd=tmp_path)
    assert proc.returncode == 0
    message = 'could not convert figure "odd": no <blockquote>; kept as raw HTML'
    assert proc.stderr.splitlines() == [
        f"{post}:11: quotation left as it was: {message}",
        f"{post}: 1 quotation converted, 1 left as written, 0 other things not converted",
    ]
    doctree = parse_myst(proc.stdout)
    assert len(directive_nodes(doctree, "quote")) == 1
    (raw,) = doctree.findall(nodes.raw)  # one HTML block, in spite of the blank line
    assert raw["format"] == "html"
    assert "No blockquote" in raw.astext() and "blank line" in raw.astext()


# --------------------------------------------------------------------------
# The rest of the content


def test_markdown_outside_html_blocks_is_kept_as_written():
    text = (
        "Some *Markdown*  with [a link][1].\n\n"
        '```html\n<figure class="quote"><blockquote>Q</blockquote></figure>\n```\n\n'
        "[1]: https://example.org\n"
    )
    assert convert(text).markdown == text


def test_html_outside_figures_becomes_markdown(parse_myst):
    html = (
        "<!DOCTYPE html><html><head><title>Page title</title></head><body>"
        "<h2>Notes</h2><p>Intro &amp; more</p><ul><li>one</li><li>two</li></ul>"
        '<figure><img src="a.png" alt="A"><figcaption>Cap</figcaption></figure>'
        "</body></html>"
    )
    markdown = convert(html, is_html=True).markdown
    assert markdown.startswith(
        "# Page title\n\n## Notes\n\nIntro & more\n\n- one\n- two\n\n<figure>"
    )
    parse_myst(markdown)


# --------------------------------------------------------------------------
# Command line


def test_one_input_prints_to_stdout_and_dash_o_writes_a_file(seed_text, tmp_path):
    post = tmp_path / "post.txt"
    post.write_text(seed_text, encoding="utf-8")
    printed = run_cli(str(post), cwd=tmp_path)
    assert printed.returncode == 0
    assert printed.stderr == f"{post}: 8 quotations converted, 0 left as written, 0 other things not converted\n"
    assert printed.stdout == convert(seed_text).markdown
    written = run_cli(str(post), "-o", "out/post.md", cwd=tmp_path)
    assert written.returncode == 0 and written.stdout == ""
    assert (tmp_path / "out" / "post.md").read_text(encoding="utf-8") == printed.stdout


def test_directory_input_with_out_dir_converts_every_post(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    for name in ("b.html", "a.md", "c.markdown", "d.txt", "e.htm"):
        (posts / name).write_text(
            quote_figure("<blockquote>Q</blockquote><footer><cite>pg 5</cite></footer>")
        )
    (posts / "notes.rst").write_text("not a post\n")
    proc = run_cli("posts", "--out-dir", "converted/md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.name for p in (tmp_path / "converted" / "md").iterdir())
    assert written == ["a.md", "b.md", "c.md", "d.md", "e.md"]
    for path in (tmp_path / "converted" / "md").iterdir():
        assert path.read_text().startswith("```{quote}\n:page: 5\n\nQ\n```")


def test_several_inputs_without_out_dir_is_a_one_line_error(tmp_path):
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("text\n")
    proc = run_cli("a.md", "b.md", cwd=tmp_path)
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "--out-dir" in proc.stderr


def test_missing_input_exits_2_with_a_one_line_error_and_no_traceback(tmp_path):
    proc = run_cli("no-such-post.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "sphinx-quotefig: error: no-such-post.md: no such file or directory\n"
    assert "Traceback" not in proc.stderr


def test_undecodable_input_exits_2_with_a_one_line_error(tmp_path, capsys):
    (tmp_path / "latin1.html").write_bytes("<p>caf\xe9</p>".encode("latin-1"))
    assert main(["convert", str(tmp_path / "latin1.html")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sphinx-quotefig: error: ") and err.count("\n") == 1


def test_output_never_overwrites_an_input(tmp_path, capsys):
    (tmp_path / "post.md").write_text("text\n")
    assert main(["convert", str(tmp_path / "post.md"), "--out-dir", str(tmp_path)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert (tmp_path / "post.md").read_text() == "text\n"


# --------------------------------------------------------------------------
# The converted seed, built with the extension


def test_converted_seed_builds_to_the_seeds_quotes_and_citations(seed_text, tmp_path, capsys):
    extension = pytest.importorskip("sphinx_quotefig")
    if not hasattr(extension, "setup"):
        pytest.skip("the sphinx_quotefig extension is not there yet")
    pytest.importorskip("myst_parser")
    from sphinx.cmd.build import build_main

    source = Source("mysociety-2015", title=SOURCE_TITLE)
    srcdir, outdir = tmp_path / "src", tmp_path / "html"
    srcdir.mkdir()
    (srcdir / "index.md").write_text(convert(seed_text, source=source).markdown, encoding="utf-8")
    # smartquotes would curl the seed's straight quotes; the seed shows them as typed.
    (srcdir / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_quotefig"]\nsmartquotes = False\n'
    )
    status = build_main(
        ["-b", "html", "-W", "-q", "-d", str(tmp_path / "doctrees"), str(srcdir), str(outdir)]
    )
    assert status == 0, capsys.readouterr().err

    def quotes(html: str) -> list[tuple[str, str, str]]:
        return [
            (
                figure.get("id"),
                " ".join(figure.blockquote.get_text().split()),
                figure.select_one("footer cite").get_text(strip=True),
            )
            for figure in BeautifulSoup(html, "html.parser").select("figure.quote")
        ]

    built = quotes((outdir / "index.html").read_text(encoding="utf-8"))
    assert built == quotes(seed_text)
    assert [cite for _, _, cite in built] == [f"pg {page}" for page in SEED_PAGES]

"""Deterministic benchmark corpora: the same notes in four markups.

``N`` MyST documents, each with prose and ``M`` multi-paragraph quotations
citing some of ~50 sources with page numbers, written three ways with the
same words:

``plain``
    Sphinx and MyST alone: each quotation is Sphinx's built-in ``epigraph``
    with an attribution line (``-- Author, *Title*, pg 5``). The floor: what
    Sphinx costs without any extension.
``bibtex``
    sphinxcontrib-bibtex: a ``.bib`` of the sources; each quotation a block
    quote followed by a citation carrying the page
    (``{cite:p}`key{pg 5}```), and a bibliography page.
``quotefig``
    this extension, with a current source: the sources in
    ``quotefig_sources``, a ``quote-source`` directive making the document's
    main source current, ``quote`` directives with ``:page:`` (and
    ``:source:`` for the other sources), the citation index and
    ``quotes.json`` on (the defaults).
``quotefig-explicit``
    this extension, every source named: the same sources in
    ``quotefig_sources``, no ``quote-source`` directive (the main source is
    a line of text, as in ``plain``), so no document has a current source,
    and every ``quote`` directive carries ``:source:`` and ``:page:``.

The two ``quotefig`` variants (:data:`QUOTEFIG_VARIANTS`) are two shapes of
the same project: the same quotations, sources and pages.

Usage::

    python bench/generate.py OUT --docs 200 --quotes 20 [--seed 5]

writes ``OUT/plain``, ``OUT/bibtex``, ``OUT/quotefig`` and
``OUT/quotefig-explicit``. Importable: :func:`generate` and
:func:`edit_page` (the incremental benchmark's edit).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

VARIANTS = ("plain", "bibtex", "quotefig", "quotefig-explicit")
#: The variants that use this extension: the shapes its targets are judged on.
QUOTEFIG_VARIANTS = ("quotefig", "quotefig-explicit")
N_SOURCES = 50
DEFAULT_SEED = 5

_WORDS_TEXT = (
    "the of and to in that is was for on with as by at from this which be are it not or have an their "
    "more has been were its but one all also these other they can into such than between community "
    "political action citizens online sites report results evidence public government local services "
    "councils democracy participation engagement civic technology data users research survey effect "
    "subtle ways people problems reported fixed street lights potholes accountability transparency "
    "representatives letters responses petitions volunteers charity organisation sector social change "
    "policy impact measure findings suggest expanding numbers radically however while although "
    "because therefore perhaps clearly often rarely seldom history archive library record memory "
    "witness account testimony diary letter journal question answer argument claim reason cause "
    "consequence practice theory method analysis"
)
_WORDS = _WORDS_TEXT.split()
_TITLE_WORDS_TEXT = (
    "Citizens Online Democracy Notes Power Voices Letters Archive Memory Public Sphere Civic "
    "Technology Councils Streets Participation Accountability Survey Report Essays Account History "
    "Practice Theory Reason Witness Records Change Society Networks Rights Reform"
)
_TITLE_WORDS = _TITLE_WORDS_TEXT.split()
_FIRST_TEXT = (
    "Ada Alan Beatrice Carlos Dana Edith Farid Grace Hiro Imogen Jonas Kemal Lena Mateo Nadia Omar "
    "Priya Quentin Rosa Sven"
)
_FIRST = _FIRST_TEXT.split()
_LAST_TEXT = (
    "Abbott Baker Castillo Dubois Eriksen Fischer Garcia Haddad Ito Jansen Kowalski Laurent Mensah "
    "Novak Okafor Petrov Quinn Rossi Sato Varga"
)
_LAST = _LAST_TEXT.split()


@dataclass(frozen=True)
class SourceInfo:
    key: str
    title: str
    author: str  # "First Last"
    year: int
    url: str

    @property
    def bib_author(self) -> str:
        first, last = self.author.split(" ", 1)
        return f"{last}, {first}"


@dataclass(frozen=True)
class Quote:
    source: str
    page: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Doc:
    name: str
    title: str
    prose: tuple[str, ...]
    main_source: str
    quotes: tuple[Quote, ...]
    commentary: tuple[str, ...]


@dataclass(frozen=True)
class Corpus:
    seed: int
    n_docs: int
    n_quotes: int
    sources: tuple[SourceInfo, ...]
    docs: tuple[Doc, ...]

    @property
    def edit_doc(self) -> str:
        """The document whose first quote's page the incremental run edits."""
        return self.docs[len(self.docs) // 2].name

    @property
    def source_map(self) -> dict[str, SourceInfo]:
        return {s.key: s for s in self.sources}


# -- the model ------------------------------------------------------------------


def _sentence(rng: random.Random, lo: int = 8, hi: int = 20) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(lo, hi))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 4)) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(*sentences)))


def _page(rng: random.Random, first: bool) -> str:
    if first:  # the incremental benchmark edits this one: a plain number
        return str(rng.randint(1, 400))
    roll = rng.random()
    if roll < 0.08:
        start = rng.randint(1, 399)
        return f"{start}-{start + rng.randint(1, 3)}"
    if roll < 0.12:
        return rng.choice(["ii", "iv", "vii", "ix", "xii", "xiv"])
    return str(rng.randint(1, 400))


def build_corpus(n_docs: int, n_quotes: int, seed: int = DEFAULT_SEED) -> Corpus:
    rng = random.Random(seed)
    sources = []
    for i in range(N_SOURCES):
        title = " ".join(rng.sample(_TITLE_WORDS, rng.randint(2, 5)))
        title = ("The " if rng.random() < 0.3 else "") + title
        author = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        year = rng.randint(1890, 2024)
        key = f"src{i:02d}-{year}"
        sources.append(
            SourceInfo(
                key, title, author, year, f"https://example.org/sources/{key}.pdf"
            )
        )
    keys = [s.key for s in sources]
    docs = []
    for d in range(n_docs):
        main = rng.choice(keys)
        title = f"Notes {d + 1}: " + " ".join(rng.sample(_TITLE_WORDS, 3))
        prose = tuple(_paragraph(rng, (3, 5)) for _ in range(2))
        quotes = []
        commentary = []
        for q in range(n_quotes):
            source = main if q == 0 or rng.random() < 0.75 else rng.choice(keys)
            paragraphs = tuple(_paragraph(rng) for _ in range(rng.randint(2, 3)))
            quotes.append(Quote(source, _page(rng, first=q == 0), paragraphs))
            commentary.append(_paragraph(rng, (1, 3)))
        docs.append(
            Doc(
                f"notes-{d + 1:04d}",
                title,
                prose,
                main,
                tuple(quotes),
                tuple(commentary),
            )
        )
    return Corpus(seed, n_docs, n_quotes, tuple(sources), tuple(docs))


# -- writing the variants ---------------------------------------------------

_COMMON_CONF = """\
# Generated by bench/generate.py: do not edit.
project = "Reading notes ({variant})"
author = "Benchmark"
extensions = {extensions!r}
exclude_patterns = ["_build"]
html_theme = "alabaster"
"""


def _conf(corpus: Corpus, variant: str) -> str:
    extensions = ["myst_parser"]
    if variant == "bibtex":
        extensions.append("sphinxcontrib.bibtex")
    if variant in QUOTEFIG_VARIANTS:
        extensions.append("sphinx_quotefig")
    text = _COMMON_CONF.format(variant=variant, extensions=extensions)
    if variant == "bibtex":
        text += 'bibtex_bibfiles = ["sources.bib"]\nbibtex_reference_style = "author_year"\n'
    if variant in QUOTEFIG_VARIANTS:
        text += "quotefig_sources = {\n"
        for s in corpus.sources:
            text += (
                f"    {s.key!r}: {{'title': {s.title!r}, 'author': {s.author!r}, "
                f"'year': '{s.year}', 'url': {s.url!r}}},\n"
            )
        text += "}\n"
    return text


def _bib(corpus: Corpus) -> str:
    out = []
    for s in corpus.sources:
        out.append(
            f"@book{{{s.key},\n"
            f"  author = {{{s.bib_author}}},\n"
            f"  title = {{{s.title}}},\n"
            f"  year = {{{s.year}}},\n"
            f"  publisher = {{Example Press}},\n"
            f"  url = {{{s.url}}},\n"
            f"}}\n"
        )
    return "\n".join(out)


#: Documents per section: a large project is organised in sections, each
#: a page with its own toctree (a flat toctree of 1000 pages would make
#: alabaster's sidebar, which lists it on every page, cost O(N²) in every
#: variant alike).
SECTION_SIZE = 50


def sections(corpus: Corpus) -> list[tuple[str, list[Doc]]]:
    """(section docname, its documents), in order."""
    docs = list(corpus.docs)
    return [
        (f"section-{i // SECTION_SIZE + 1:02d}", docs[i : i + SECTION_SIZE])
        for i in range(0, len(docs), SECTION_SIZE)
    ]


def _index(corpus: Corpus, variant: str) -> str:
    entries = [name for name, _ in sections(corpus)]
    if variant == "bibtex":
        entries.append("bibliography")
    toctree = "\n".join(entries)
    return (
        "# Reading notes\n\n"
        "Notes on the works quoted below, one page per reading session.\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n"
    )


def _section(name: str, docs: list[Doc]) -> str:
    first, last = (
        docs[0].name.split("-")[-1].lstrip("0"),
        docs[-1].name.split("-")[-1].lstrip("0"),
    )
    toctree = "\n".join(d.name for d in docs)
    return (
        f"# Sessions {first} to {last}\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n"
    )


def _source_line(s: SourceInfo) -> str:
    return f"{s.author}, *{s.title}* ({s.year})"


def _quote(variant: str, quote: Quote, doc: Doc, sources: dict[str, SourceInfo]) -> str:
    s = sources[quote.source]
    body = "\n\n".join(quote.paragraphs)
    if variant == "plain":
        return f"```{{epigraph}}\n{body}\n\n-- {s.author}, *{s.title}*, pg {quote.page}\n```\n"
    if variant == "bibtex":
        quoted = "\n>\n".join("> " + p for p in quote.paragraphs)
        return f"{quoted}\n\n{{cite:p}}`{s.key}{{pg {quote.page}}}`\n"
    options = f":page: {quote.page}\n"
    # With a current source (``quotefig``) only the other sources are named.
    if variant == "quotefig-explicit" or quote.source != doc.main_source:
        options = f":source: {quote.source}\n" + options
    return f"```{{quote}}\n{options}\n{body}\n```\n"


def _document(corpus: Corpus, doc: Doc, variant: str) -> str:
    sources = corpus.source_map
    main = sources[doc.main_source]
    parts = [f"# {doc.title}\n", *(p + "\n" for p in doc.prose), "## Quotations\n"]
    if variant == "quotefig":  # makes the main source current
        parts.append(f"```{{quote-source}} {main.key}\n```\n")
    else:
        parts.append(_source_line(main) + "\n")
    for quote, comment in zip(doc.quotes, doc.commentary):
        parts.append(_quote(variant, quote, doc, sources))
        parts.append(comment + "\n")
    return "\n".join(parts)


def write_variant(corpus: Corpus, variant: str, dest: Path) -> Path:
    """Write one variant's project into *dest* (emptied first)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    files = {"conf.py": _conf(corpus, variant), "index.md": _index(corpus, variant)}
    if variant == "bibtex":
        files["sources.bib"] = _bib(corpus)
        files["bibliography.md"] = "# Bibliography\n\n```{bibliography}\n```\n"
    for name, docs in sections(corpus):
        files[f"{name}.md"] = _section(name, docs)
    for doc in corpus.docs:
        files[f"{doc.name}.md"] = _document(corpus, doc, variant)
    for name, text in files.items():
        (dest / name).write_text(text, encoding="utf-8")
    return dest


def generate(
    out: Path,
    n_docs: int,
    n_quotes: int,
    seed: int = DEFAULT_SEED,
    variants: tuple[str, ...] = VARIANTS,
) -> dict[str, Path]:
    """Write every variant under *out*; returns {variant: project dir}."""
    corpus = build_corpus(n_docs, n_quotes, seed)
    return {v: write_variant(corpus, v, Path(out) / v) for v in variants}


# -- the incremental benchmark's edit ---------------------------------------------

#: The first page number of a document, as each variant writes it.
_PAGE_PATTERNS = {
    "plain": re.compile(r"^(-- .*, pg )(\d+)$", re.MULTILINE),
    "bibtex": re.compile(r"(\{cite:p\}`[^`{]+\{pg )(\d+)(?=\}`)"),
    "quotefig": re.compile(r"^(:page: )(\d+)$", re.MULTILINE),
}
_PAGE_PATTERNS["quotefig-explicit"] = _PAGE_PATTERNS["quotefig"]


def read_page(variant: str, path: Path) -> int:
    match = _PAGE_PATTERNS[variant].search(Path(path).read_text(encoding="utf-8"))
    if match is None:
        raise ValueError(f"no page number found in {path}")
    return int(match.group(2))


def edit_page(variant: str, path: Path, page: int) -> None:
    """Set the page number of the first quotation in *path* to *page*."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    new, count = _PAGE_PATTERNS[variant].subn(
        lambda m: f"{m.group(1)}{page}", text, count=1
    )
    if count != 1:
        raise ValueError(f"no page number found in {path}")
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--quotes", type=int, default=5)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--variant", action="append", choices=VARIANTS)
    args = parser.parse_args(argv)
    written = generate(
        args.out, args.docs, args.quotes, args.seed, tuple(args.variant or VARIANTS)
    )
    for variant, path in written.items():
        print(f"{variant}: {path}")


if __name__ == "__main__":
    main()

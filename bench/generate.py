"""Deterministic benchmark corpora: the same notes in five markups.

``N`` MyST documents, each with prose and ``M`` multi-paragraph quotations
citing some of ~50 sources with page numbers, written three ways with the
same words:

``plain``
    Sphinx and MyST alone: each quotation is Sphinx's built-in ``epigraph``
    with an attribution line (``-- Author, *Title*, pg 5``). The floor: what
    Sphinx costs without any extension.
``bibtex``
    sphinxcontrib-bibtex: ``refs.bib`` (below) in ``bibtex_bibfiles``; each
    quotation a block quote followed by a citation carrying the page
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
``quotefig-bib``
    this extension, its sources read from a bibliography file: the
    ``quotefig`` project, word for word, but with
    ``quotefig_bibliography = ["refs.bib"]`` instead of ``quotefig_sources``.

``refs.bib`` is the same file in ``bibtex`` and ``quotefig-bib``: the 50
sources' entries (their keys, titles, authors, years and URLs) among
1,950 other entries (:data:`BIB_ENTRIES` in all) of a reference manager's
library, in key order: ``@article``, ``@book`` and ``@incollection`` with
several authors, journals, volumes, pages, DOIs, ISBNs, a few LaTeX accents.

The two ``quotefig`` variants (:data:`QUOTEFIG_VARIANTS`) are two shapes of
the same project: the same quotations, sources and pages.

Usage::

    python bench/generate.py OUT --docs 200 --quotes 20 [--seed 5]

writes ``OUT/plain``, ``OUT/bibtex``, ``OUT/quotefig``,
``OUT/quotefig-explicit`` and ``OUT/quotefig-bib``. Importable:
:func:`generate`, :func:`edit_page` (the incremental benchmark's edit) and
:func:`edit_bib_title` (the edit of one ``.bib`` entry).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

VARIANTS = ("plain", "bibtex", "quotefig", "quotefig-explicit", "quotefig-bib")
#: The shapes of the quotefig project judged against plain Sphinx.
QUOTEFIG_VARIANTS = ("quotefig", "quotefig-explicit")
#: The quotefig project with its sources in ``refs.bib``: judged against
#: ``quotefig`` (bench/targets.py).
BIB_VARIANT = "quotefig-bib"
#: The variants whose documents are ``quotefig``'s, word for word.
_CURRENT_SOURCE_VARIANTS = ("quotefig", BIB_VARIANT)
#: The variants that load this extension.
_EXTENSION_VARIANTS = (*QUOTEFIG_VARIANTS, BIB_VARIANT)
N_SOURCES = 50
#: Entries in ``refs.bib``: the sources and the rest of a library.
BIB_ENTRIES = 2000
BIB_FILE = "refs.bib"
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
    def edit_source(self) -> str:
        """The source whose ``.bib`` title the incremental run edits: the
        main source of :attr:`edit_doc`, quoted there and elsewhere."""
        return self.docs[len(self.docs) // 2].main_source

    def quoting_docs(self, key: str) -> list[str]:
        """The documents that quote *key* or make it current."""
        return [
            d.name
            for d in self.docs
            if d.main_source == key or any(q.source == key for q in d.quotes)
        ]

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
    if variant in _EXTENSION_VARIANTS:
        extensions.append("sphinx_quotefig")
    text = _COMMON_CONF.format(variant=variant, extensions=extensions)
    if variant == "bibtex":
        text += f'bibtex_bibfiles = ["{BIB_FILE}"]\nbibtex_reference_style = "author_year"\n'
    if variant == BIB_VARIANT:
        text += f'quotefig_bibliography = ["{BIB_FILE}"]\n'
    if variant in QUOTEFIG_VARIANTS:
        text += "quotefig_sources = {\n"
        for s in corpus.sources:
            text += (
                f"    {s.key!r}: {{'title': {s.title!r}, 'author': {s.author!r}, "
                f"'year': '{s.year}', 'url': {s.url!r}}},\n"
            )
        text += "}\n"
    return text


def _source_entry(s: SourceInfo) -> str:
    return (
        f"@book{{{s.key},\n"
        f"  author = {{{s.bib_author}}},\n"
        f"  title = {{{s.title}}},\n"
        f"  year = {{{s.year}}},\n"
        f"  publisher = {{Example Press}},\n"
        f"  url = {{{s.url}}},\n"
        f"}}\n"
    )


# The rest of the library: names (a few with LaTeX accents, as exports
# write them), journals, publishers.
_BIB_FAMILIES = _LAST + [
    "M{\\\"u}ller",
    "Garc{\\'\\i}a",
    "Fran{\\c{c}}ois",
    "{\\O}stergaard",
    "Sch{\\\"o}n",
    "Nu{\\~n}ez",
    "Dvo{\\v{r}}{\\'a}k",
    "{van der Berg}",
]
_BIB_JOURNALS = (
    "Journal of Civic Technology",
    "Public Administration Review",
    "Information, Communication \\& Society",
    "Political Studies",
    "Journal of Documentation",
    "Archival Science",
    "Memory Studies",
    "Social Science Computer Review",
)
_BIB_PUBLISHERS = (
    ("Oxford University Press", "Oxford"),
    ("Cambridge University Press", "Cambridge"),
    ("MIT Press", "Cambridge, MA"),
    ("Routledge", "London"),
    ("Polity", "Cambridge"),
    ("University of Chicago Press", "Chicago"),
)


def _bib_names(rng: random.Random, lo: int, hi: int) -> list[str]:
    """Names as BibTeX writes them: ``Family, Given``."""
    return [
        f"{rng.choice(_BIB_FAMILIES)}, {rng.choice(_FIRST)}"
        for _ in range(rng.randint(lo, hi))
    ]


def _bib_title(rng: random.Random, lo: int = 3, hi: int = 9) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(lo, hi))]
    head = " ".join(rng.sample(_TITLE_WORDS, 2))
    return f"{head}: {' '.join(words)}"


def _other_entry(
    rng: random.Random, key: str, year: int, authors: list[str]
) -> str:
    """One generated entry of the library that no document quotes."""
    kind = rng.choices(("article", "book", "incollection"), (6, 3, 2))[0]
    fields = [("author", " and ".join(authors)), ("title", _bib_title(rng))]
    first_page = rng.randint(1, 600)
    pages = f"{first_page}--{first_page + rng.randint(4, 40)}"
    publisher, address = rng.choice(_BIB_PUBLISHERS)
    if kind == "article":
        fields += [
            ("journal", rng.choice(_BIB_JOURNALS)),
            ("year", str(year)),
            ("volume", str(rng.randint(1, 80))),
            ("number", str(rng.randint(1, 12))),
            ("pages", pages),
            ("doi", f"10.{rng.randint(1000, 9999)}/{key.replace(':', '.')}"),
        ]
    elif kind == "book":
        fields += [
            ("publisher", publisher),
            ("address", address),
            ("year", str(year)),
            ("isbn", f"978-{rng.randint(0, 1)}-{rng.randint(100, 999)}-{rng.randint(10000, 99999)}-{rng.randint(0, 9)}"),
        ]
    else:
        fields += [
            ("booktitle", _bib_title(rng, 2, 5)),
            ("editor", " and ".join(_bib_names(rng, 1, 3))),
            ("publisher", publisher),
            ("address", address),
            ("year", str(year)),
            ("pages", pages),
            ("doi", f"10.{rng.randint(1000, 9999)}/{key.replace(':', '.')}"),
        ]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{kind}{{{key},\n{body}}}\n"


def bib_text(corpus: Corpus, entries: int = BIB_ENTRIES) -> str:
    """``refs.bib``: the sources' entries and ``entries - 50`` others, in key
    order (as reference managers export), deterministic for the seed."""
    rng = random.Random(f"refs.bib {corpus.seed}")
    taken = {s.key for s in corpus.sources}
    texts = {s.key: _source_entry(s) for s in corpus.sources}
    while len(texts) < entries:
        authors = _bib_names(rng, 1, 4)
        year = rng.randint(1950, 2024)
        # As Better BibTeX's default: first author's family name, year, a word.
        family = re.sub(r"\\[a-zA-Z]+|[^a-z]", "", authors[0].split(",")[0].lower())
        key = f"{family}{year}{rng.choice(_WORDS)}"
        if key in taken:
            continue
        taken.add(key)
        texts[key] = _other_entry(rng, key, year, authors)
    return "\n".join(texts[key] for key in sorted(texts))


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
    if variant in _CURRENT_SOURCE_VARIANTS:  # makes the main source current
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
    if variant in ("bibtex", BIB_VARIANT):
        files[BIB_FILE] = bib_text(corpus)
    if variant == "bibtex":
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
_PAGE_PATTERNS[BIB_VARIANT] = _PAGE_PATTERNS["quotefig"]


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


# -- the edit of one bibliography entry ---------------------------------------------


def _title_field(key: str) -> re.Pattern[str]:
    """The ``title`` line of the entry *key* (the generator writes one
    field a line, and no braces inside a source's title)."""
    return re.compile(
        r"(^@\w+\{" + re.escape(key) + r",\n(?:  (?!title )[^\n]*\n)*  title = \{)([^{}\n]*)(\},$)",
        re.MULTILINE,
    )


def read_bib_title(path: Path, key: str) -> str:
    match = _title_field(key).search(Path(path).read_text(encoding="utf-8"))
    if match is None:
        raise ValueError(f"no title of {key!r} found in {path}")
    return match.group(2)


def edit_bib_title(path: Path, key: str, title: str) -> None:
    """Set the title of the entry *key* in the ``.bib`` file *path*."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    new, count = _title_field(key).subn(
        lambda m: m.group(1) + title + m.group(3), text, count=1
    )
    if count != 1:
        raise ValueError(f"no title of {key!r} found in {path}")
    path.write_text(new, encoding="utf-8")


def _conf_title(key: str) -> re.Pattern[str]:
    """The title of source *key* in a ``quotefig_sources`` the generator wrote."""
    return re.compile(r"(^    " + re.escape(repr(key)) + r": \{'title': )('[^'\n]*')", re.MULTILINE)


def edit_conf_title(path: Path, key: str, title: str) -> None:
    """Set the title of source *key* in the ``quotefig_sources`` of the
    ``conf.py`` *path*: the same edit as :func:`edit_bib_title`, for a
    project that declares its sources in ``conf.py``."""
    path = Path(path)
    new, count = _conf_title(key).subn(lambda m: m.group(1) + repr(title), path.read_text(encoding="utf-8"), count=1)
    if count != 1:
        raise ValueError(f"no title of {key!r} found in {path}")
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

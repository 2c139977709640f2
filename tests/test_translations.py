"""Reader-facing strings in the project's language: the seed example built
with ``language`` set to each shipped language, and the catalogs themselves
(complete, compiled, in the template)."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import squash

import sphinx_quotefig

LOCALE = Path(sphinx_quotefig.__file__).parent / "locale"
DOMAIN = "sphinx_quotefig"

#: language -> (index title, "8 quotations", "declared in", page 5, numref
#: text of quote 1, heading of the quotations without a source)
EXPECTED = {
    "en": ("Citation index", "8 quotations", "declared in", "pg 5", "Quote 9", "Quotations without a source"),
    "de": ("Zitatverzeichnis", "8 Zitate", "angegeben in", "S. 5", "Zitat 9", "Zitate ohne Quelle"),
    "fr": ("Index des citations", "8 citations", "déclarée dans", "p. 5", "Citation 9", "Citations sans source"),
    "es": ("Índice de citas", "8 citas", "declarada en", "p. 5", "Cita 9", "Citas sin fuente"),
    "it": ("Indice delle citazioni", "8 citazioni", "dichiarata in", "p. 5", "Citazione 9", "Citazioni senza fonte"),
    "nl": ("Citatenindex", "8 citaten", "vermeld in", "p. 5", "Citaat 9", "Citaten zonder bron"),
    # docutils knows pt_BR, not pt; gettext finds the pt catalog for it.
    "pt_BR": ("Índice de citações", "8 citações", "declarada em", "p. 5", "Citação 9", "Citações sem fonte"),
    "ja": ("引用索引", "引用 8 件", "に記載", "5頁", "引用 9", "出典のない引用"),
    "zh_CN": ("引文索引", "8 条引文", "记载于", "第5页", "引文 9", "无出处的引文"),
}

#: The msgids a reader sees: every shipped language translates all of them.
READER_FACING = {
    ("%d quotation", "%d quotations"),
    "Citation index",
    "citations",
    "No quotations yet.",
    "Quotations without a source",
    "Quote %s",
    "declared in %s",
    "pg",
    "quotation",
    "source",
}


def catalog_paths() -> list[Path]:
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_seed_example_reads_in_the_project_language(built, language):
    title, count, declared, page, numbered, unsourced = EXPECTED[language]
    project = built("i18n", language=language)
    assert project.warning_lines() == []
    figures = project.html().select("figure.quote")
    assert squash(figures[0].footer.cite.get_text()).endswith(page)
    index = project.html("quote-index")
    assert squash(index.find("h1").get_text()).rstrip("¶") == title
    headings = [squash(p.get_text()) for p in index.select("p.quote-index-heading")]
    assert f"({count})" in headings[0] and declared in headings[0]
    assert headings[-1].startswith(unsourced)
    assert squash(project.html("more").select_one("a[href='#unsourced']").get_text()) == numbered


def test_page_label_set_in_conf_wins_over_the_language(built):
    project = built("i18n", language="de", quotefig_page_label="Seite")
    assert squash(project.html().select("figure.quote")[0].footer.cite.get_text()).endswith("Seite 5")
    index = project.html("quote-index")
    assert "Seite 5" in squash(index.select_one("p.quote-index-quote").get_text())


@pytest.mark.parametrize("path", catalog_paths(), ids=lambda p: p.parts[-3])
def test_every_language_translates_what_a_reader_sees(path):
    with path.open("rb") as po_file:
        catalog = read_po(po_file)
    untranslated = sorted(m for m in READER_FACING if not (catalog.get(m) and catalog[m].string and not catalog[m].fuzzy))
    assert untranslated == []
    for message in catalog:
        if message.id and message.string and "%" in message.id:
            # the same placeholders, or the label's own %s (see default_page_label)
            assert message.string.count("%") == message.id.count("%"), message.id


@pytest.mark.parametrize("path", catalog_paths(), ids=lambda p: p.parts[-3])
def test_compiled_catalog_matches_its_po_file(path):
    """The ``.mo`` the package loads is the ``.po`` as it stands (an edited
    ``.po`` needs ``make catalogs`` or a reinstall)."""
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: install the package (pip install -e .) or run make catalogs"
    with path.open("rb") as po_file:
        fresh = io.BytesIO()
        write_mo(fresh, read_po(po_file))
    fresh.seek(0)
    with mo_path.open("rb") as mo_file:
        assert gettext.GNUTranslations(mo_file)._catalog == gettext.GNUTranslations(fresh)._catalog


def test_template_lists_every_translatable_string_of_the_code():
    """``make pot`` has been run since a string was added or changed."""
    keywords = {"_": None, "__": None, "ngettext": (1, 2)}
    found = {message for _file, _line, message, _comments, _context in extract_from_dir(
        LOCALE.parent, method_map=[("**.py", "python")], keywords=keywords
    )}
    with (LOCALE / f"{DOMAIN}.pot").open("rb") as pot_file:
        template = {message.id for message in read_po(pot_file) if message.id}
    assert found == template
    assert READER_FACING <= template

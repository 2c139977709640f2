"""Compile the message catalogs (``.po`` -> ``.mo``) whenever the package is
built: ``pip install .``, ``pip install -e .``, ``python -m build`` (sdist
and wheel). Everything else is declared in ``pyproject.toml``.

The ``.mo`` files are written next to their ``.po`` files, inside the
package, so that an editable install finds them where a wheel puts them;
they are not kept in the repository (``.gitignore``).
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

LOCALE_DIR = Path(__file__).parent / "sphinx_quotefig" / "locale"


def compile_catalogs() -> None:
    """Every ``locale/<lang>/LC_MESSAGES/*.po`` to its ``.mo`` (fuzzy
    entries left out, as ``msgfmt`` does)."""
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parents[1].name)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        compile_catalogs()
        super().run()


class SdistWithCatalogs(sdist):
    def run(self) -> None:
        compile_catalogs()
        super().run()


setup(cmdclass={"build_py": BuildPyWithCatalogs, "sdist": SdistWithCatalogs})

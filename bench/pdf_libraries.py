"""Compare pypdf and pypdfium2 on real PDFs: time, page labels, and signs of
poor text (words run together, line-end hyphens left in words, replacement
characters). The numbers in docs/checking-quotations.md come from here.

    .venv/bin/python bench/pdf_libraries.py [PDF ...]
"""

from __future__ import annotations

import logging
import re
import sys
import time
from pathlib import Path

import pypdf
import pypdfium2 as pdfium

DEFAULT = sorted((Path(__file__).parents[1] / "tests" / "pdfs").glob("*.pdf"))
_LONG = re.compile(r"[^\W\d_]{25,}")
_BROKEN = re.compile(r"[^\W\d_]-\n[^\W\d_]")


def with_pypdf(path: Path) -> tuple[list[str], list[str]]:
    reader = pypdf.PdfReader(path)
    return [page.extract_text() for page in reader.pages], list(reader.page_labels)


def with_pdfium(path: Path) -> tuple[list[str], list[str]]:
    document = pdfium.PdfDocument(path)
    texts, labels = [], []
    for number in range(len(document)):
        page = document[number]
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range().replace("\r\n", "\n"))
        labels.append(document.get_page_label(number) or str(number + 1))
    return texts, labels


def main(paths: list[Path]) -> None:
    logging.disable(logging.WARNING)  # pypdf's font warnings
    for path in paths:
        for name, read in (("pypdf", with_pypdf), ("pypdfium2", with_pdfium)):
            start = time.perf_counter()
            texts, labels = read(path)
            elapsed = time.perf_counter() - start
            text = "\n".join(texts)
            print(
                f"{path.name:14} {name:10} {len(texts):4} pages {elapsed:6.2f} s  "
                f"labels {labels[:3]}…  words {len(text.split()):6}  run-together {len(_LONG.findall(text)):4}  "
                f"hyphen-broken {len(_BROKEN.findall(text)):4}  U+FFFD {text.count(chr(0xFFFD)):3}"
            )


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]] or DEFAULT)

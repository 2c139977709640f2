"""Convert blog posts whose quotations cite their sources into MyST.

``sphinx-quotefig convert POST … [-o OUT | --out-dir DIR]`` — see
:mod:`.command`.  The modules, each with one job:

- :mod:`.markup` — writing MyST (escaping, fences, directives);
- :mod:`.attribution` — reading an attribution into author, work, year, locator;
- :mod:`.works` — the works quoted, each under one key;
- :mod:`.quotation` — one quotation -> one ``quote`` directive;
- :mod:`.html` — HTML -> Markdown, with the HTML quotation shapes;
- :mod:`.mdquotes` — Markdown ``>`` quotations with an attribution;
- :mod:`.liquid`, :mod:`.frontmatter` — Jekyll's template tags and front matter;
- :mod:`.document` — one post -> one document; :mod:`.site` — a folder -> a project;
- :mod:`.report` — what was converted, left, or not understood.

This package must import fast and without Sphinx: it is a command-line tool.
"""

from __future__ import annotations

from .attribution import Attribution, citation_options
from .command import main
from .document import Result, Source, convert

__all__ = ["Attribution", "Result", "Source", "citation_options", "convert", "main"]

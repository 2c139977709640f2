"""Documentation of sphinx-quotefig, built with sphinx-quotefig."""

import runpy
from pathlib import Path

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle

from sphinx_quotefig import __version__

project = "sphinx-quotefig"
author = "sphinx-quotefig contributors"
copyright = "2026, sphinx-quotefig contributors"
release = version = __version__

extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_quotefig"]
myst_enable_extensions = ["colon_fence", "deflist"]
numfig = True

exclude_patterns = ["_build", "snippets"]
html_theme = "furo"
html_title = "sphinx-quotefig"

# The docs' BibTeX file, read by sphinxcontrib-bibtex and, through it, by
# sphinx-quotefig (no quotefig_bibliography needed): the reference design's
# source (examples/seed.md) is one of its entries, listed on references.md,
# so its quotations link to that entry. Ids named after the key keep those
# links stable when the page changes.
bibtex_bibfiles = ["references.bib"]
bibtex_cite_id = "cite-{key}"


class DocsBibliographyStyle(UnsrtStyle):
    """pybtex's unsrt, which knows no BibLaTeX @report (the seed's
    source's type), with @report formatted as @misc."""

    def get_report_template(self, e):
        return self.get_misc_template(e)


register_plugin("pybtex.style.formatting", "quotefig-docs", DocsBibliographyStyle)
bibtex_default_style = "quotefig-docs"

# The sources of the getting-started walk (its conf.py, shown on that page)
# are the docs' sources, so that its pages render here exactly as shown.

quotefig_sources = runpy.run_path(str(Path(__file__).parent / "snippets" / "start" / "conf.py"))["quotefig_sources"]

# PDF (`make docs-pdf`): XeLaTeX with the GNU FreeFont faces Sphinx chooses
# for it (Debian: fonts-freefont-otf), which cover the docs' Latin, Greek and
# symbols (≤, →, ×, « », …); pdflatex knows only the characters declared to
# it. FreeFont has no CJK ideographs (the translations' 頁, 第5页, 引用):
# XeTeX's character classes set every character from U+3000 to U+9FFF in
# WenQuanYi Micro Hei (Debian: fonts-wqy-microhei), whatever the font around
# it. The general index is sorted by makeindex, so xindy is not needed.
latex_engine = "xelatex"
latex_use_xindy = False
latex_documents = [("index", "sphinx-quotefig.tex", "sphinx-quotefig", author, "manual")]
latex_elements = {
    "preamble": r"""
\newfontfamily\quotefigdocscjk{WenQuanYi Micro Hei}
\XeTeXinterchartokenstate=1
\newXeTeXintercharclass\quotefigdocscjkclass
\count255="3000
\loop\ifnum\count255<"A000
  \XeTeXcharclass\count255=\quotefigdocscjkclass \advance\count255 by 1
\repeat
\XeTeXinterchartoks 0 \quotefigdocscjkclass = {\begingroup\quotefigdocscjk}
\XeTeXinterchartoks 4095 \quotefigdocscjkclass = {\begingroup\quotefigdocscjk}
\XeTeXinterchartoks \quotefigdocscjkclass 0 = {\endgroup}
\XeTeXinterchartoks \quotefigdocscjkclass 4095 = {\endgroup}
""",
}

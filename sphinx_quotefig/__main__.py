"""``python -m sphinx_quotefig COMMAND …`` (see :mod:`sphinx_quotefig.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())

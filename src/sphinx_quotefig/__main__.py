"""``python -m sphinx_quotefig convert …`` (see :mod:`sphinx_quotefig.convert`)."""

import sys

from .convert import main

if __name__ == "__main__":
    sys.exit(main())

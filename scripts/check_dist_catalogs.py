"""Every message catalog of the checkout is in the built sdist and wheel,
compiled: ``python scripts/check_dist_catalogs.py dist`` (make check-dist)."""

from __future__ import annotations

import sys
import tarfile
import zipfile
from pathlib import Path

PACKAGE = "sphinx_quotefig"
LOCALE = Path(__file__).parents[1] / PACKAGE / "locale"


def main(dist: Path) -> int:
    wanted = {
        f"{PACKAGE}/locale/{po.parents[1].name}/LC_MESSAGES/{po.stem}{suffix}"
        for po in LOCALE.glob("*/LC_MESSAGES/*.po")
        for suffix in (".po", ".mo")
    }
    problems = []
    for wheel in dist.glob("*.whl"):
        problems += [f"{wheel.name}: {name} missing" for name in sorted(wanted - set(zipfile.ZipFile(wheel).namelist()))]
    for sdist in dist.glob("*.tar.gz"):
        names = {name.split("/", 1)[1] for name in tarfile.open(sdist).getnames() if "/" in name}
        problems += [f"{sdist.name}: {name} missing" for name in sorted(wanted - names)]
    if not wanted or not list(dist.glob("*.whl")) or not list(dist.glob("*.tar.gz")):
        problems.append(f"nothing to check: catalogs {len(wanted)}, distributions in {dist}")
    print("\n".join(problems) or f"{len(wanted) // 2} catalogs, compiled, in the sdist and the wheel")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "dist")))

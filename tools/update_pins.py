"""Write the pinned versions of ``.venv`` into ``requirements.lock`` and ``environment.yml``.

Maintainers run ``make pins`` after installing or upgrading a package in ``.venv``;
``tests/test_pins.py`` fails whenever the two files disagree.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON_VERSION = "3.11"

HEADER = """\
# Binder (repo2docker) and conda users: `conda env create -f environment.yml`.
# The pip pins are those of requirements.lock, which `make lab` and `make test` install;
# regenerate both with `make pins`; tests/test_pins.py keeps them equal.
name: reading-the-curves
channels:
  - conda-forge
dependencies:
  - python={python}
  - pip
  - pip:
"""


def frozen_requirements() -> list[str]:
    """Exact ``name==version`` lines of the running environment, without the course itself."""
    output = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [line for line in output.splitlines() if "==" in line and not line.lower().startswith(("lessons", "pip=="))]
    return sorted(lines, key=str.lower)


def main() -> None:
    pins = frozen_requirements()
    (ROOT / "requirements.lock").write_text(
        "# Exact versions for every machine; regenerate with `make pins`.\n" + "\n".join(pins) + "\n"
    )
    pip_lines = "".join(f"      - {pin}\n" for pin in pins)
    (ROOT / "environment.yml").write_text(HEADER.format(python=PYTHON_VERSION) + pip_lines + "      - -e .\n")
    print(f"pinned {len(pins)} packages in requirements.lock and environment.yml")


if __name__ == "__main__":
    main()

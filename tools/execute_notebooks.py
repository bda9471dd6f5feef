"""Restart and Run All for lessons, with the test suite's settings, and save them in place.

    .venv/bin/python tools/execute_notebooks.py                 # every lesson
    .venv/bin/python tools/execute_notebooks.py notebooks/01_*.ipynb

Notebooks are committed executed (GitHub and nbviewer show the plots, nbval compares the
checked cells against them), so run this after editing a lesson. It prints each lesson's
wall time: every lesson must stay under 90 s on a 2-core machine.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 90.0


def execute(path: Path) -> float:
    """Run ``path`` top to bottom in a fresh kernel, save it, and return the wall time."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nbformat.write(notebook, path)
    return elapsed


def main(arguments: list[str]) -> int:
    os.environ.update({"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"})
    paths = [Path(argument) for argument in arguments] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    slow = 0
    for path in paths:
        elapsed = execute(path)
        flag = "" if elapsed <= BUDGET_S else f"  over the {BUDGET_S:.0f} s budget"
        slow += elapsed > BUDGET_S
        print(f"{elapsed:6.1f} s  {path.name}{flag}", flush=True)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

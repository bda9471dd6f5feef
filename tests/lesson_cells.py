"""Run a lesson's own cells on a run made by a test, to prove that a checked line can fail.

A "what you should see" line is a test of the teaching claim only if it would print the other
answer when the phenomenon is gone. The can-fail tests (``tests/test_can_fail_*.py``) train
the lesson's scenario with its cause removed, then run the lesson's checked cell, as saved in
the notebook, on that run: the same code that nbval checks, so a test cannot drift from it.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def cell_source(notebook: str, contains: str) -> str:
    """The source of the one code cell of ``notebook`` whose text contains ``contains``."""
    cells = json.loads((NOTEBOOKS / notebook).read_text())["cells"]
    found = [
        "".join(cell["source"]) for cell in cells if cell["cell_type"] == "code" and contains in "".join(cell["source"])
    ]
    if len(found) != 1:
        raise LookupError(f"{notebook}: {len(found)} code cells contain {contains!r}, expected exactly 1")
    return found[0]


def saved_lines(notebook: str, contains: str) -> list[str]:
    """What that cell printed in the saved notebook (the lines nbval compares)."""
    cells = json.loads((NOTEBOOKS / notebook).read_text())["cells"]
    for cell in cells:
        if cell["cell_type"] == "code" and contains in "".join(cell["source"]):
            text = "".join(
                "".join(output["text"]) for output in cell.get("outputs", []) if output.get("name") == "stdout"
            )
            return text.splitlines()
    raise LookupError(f"{notebook}: no code cell contains {contains!r}")


def run_cell(notebook: str, contains: str, namespace: dict[str, Any]) -> list[str]:
    """Execute that cell in ``namespace`` (updated in place) and return the lines it printed."""
    source = cell_source(notebook, contains)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(source, f"{notebook}:{contains}", "exec"), namespace)  # noqa: S102 - the lesson's own code
    return printed.getvalue().splitlines()


def line_with(lines: list[str], start: str) -> str:
    """The one printed line that starts with ``start``."""
    found = [line for line in lines if line.startswith(start)]
    if len(found) != 1:
        raise LookupError(f"{len(found)} printed lines start with {start!r}: {lines}")
    return found[0]


def lesson_namespace(notebook: str, *contains: str, seed: int = 42) -> dict[str, Any]:
    """A fresh namespace in which the lesson's set-up cells have run, as after its first cells.

    ``contains`` names the cells to run, in order (the helper cell with ``yes_no`` first, say),
    after ``lessons_lib.setup(seed)``, with ``SEED`` set as the lesson's first cell sets it.
    """
    import matplotlib

    matplotlib.use("Agg")
    import lessons_lib

    lessons_lib.setup(seed)
    namespace: dict[str, Any] = {"lessons_lib": lessons_lib, "SEED": seed}
    for text in contains:
        run_cell(notebook, text, namespace)
    return namespace


def explorer_of(notebook: str, contains: str, namespace: dict[str, Any]) -> Any:
    """The explorer a lesson's explorer cell displays: the cell runs in ``namespace``, its last line is the value."""
    import ast

    tree = ast.parse(cell_source(notebook, contains))
    exec(compile(ast.Module(body=tree.body[:-1], type_ignores=[]), notebook, "exec"), namespace)  # noqa: S102
    return eval(compile(ast.Expression(tree.body[-1].value), notebook, "eval"), namespace)  # noqa: S307


def assert_same_curves(explorer_history: dict, lesson_history: dict) -> None:
    """Every curve of the lesson's run, epoch for epoch, in the explorer's (float rounding allowed)."""
    import numpy as np

    for name, values in lesson_history.items():
        np.testing.assert_allclose(explorer_history[name], values, rtol=1e-4, atol=1e-7, err_msg=name)

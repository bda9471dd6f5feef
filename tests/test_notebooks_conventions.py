"""Every lesson follows the notebook conventions of CONTRIBUTING.md, as saved in the repository.

nbval re-runs the lessons and compares their checked cells; these tests read the saved files
and catch what nbval does not: a notebook saved from a half-run kernel, an error or a
TensorFlow log line left in an output, a progress bar, or code that downloads its data.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from IPython.core.inputtransformer2 import TransformerManager

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))

#: What TensorFlow, absl and Python warnings write to stderr; none of it belongs in a lesson.
LOG_MARKERS = ("Warning", "I0000", "E0000", "W0000")
#: Anything that downloads (fails offline) or is gone from Keras 3.
FORBIDDEN_CODE = ("keras.datasets", "load_data(", "fetch_openml", "input_dim=")
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def code_cells(path: Path) -> list[dict]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def source(cell: dict) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def output_text(output: dict) -> str:
    text = output.get("text", "")
    return text if isinstance(text, str) else "".join(text)


def python_of(cell: dict) -> str:
    """The cell's source as IPython runs it (magics and shell escapes become calls), so ``ast`` can parse it."""
    return TransformerManager().transform_cell(source(cell))


#: Keywords that only Keras's ``fit`` takes: a ``fit`` call with one of them trains a Keras model.
KERAS_FIT_KEYWORDS = {
    "epochs",
    "batch_size",
    "validation_data",
    "validation_split",
    "validation_freq",
    "validation_steps",
    "validation_batch_size",
    "steps_per_epoch",
    "initial_epoch",
    "callbacks",
    "verbose",
}


def looks_like_keras_fit(code: str, node: ast.Call) -> bool:
    """A Keras ``fit``: it passes a Keras-only keyword or ``**kwargs``, or is called on a ``...model...``.

    scikit-learn's ``fit`` (``StandardScaler().fit(X)``) has no ``verbose`` to pass, so it is left alone.
    """
    if any(keyword.arg is None or keyword.arg in KERAS_FIT_KEYWORDS for keyword in node.keywords):
        return True
    receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
    return receiver is not None and "model" in (ast.get_source_segment(code, receiver) or "").lower()


def fit_calls_without_verbose_0(cell: dict) -> list[str]:
    """Source of every Keras ``fit(...)`` call in the cell that does not pass ``verbose=0``."""
    code = python_of(cell)
    bad = []
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if name != "fit" or not looks_like_keras_fit(code, node):
            continue
        verbose = [keyword.value for keyword in node.keywords if keyword.arg == "verbose"]
        if not (verbose and isinstance(verbose[0], ast.Constant) and verbose[0].value == 0):
            bad.append(ast.get_source_segment(code, node) or "fit(...)")
    return bad


@pytest.fixture(params=NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def cells(request) -> list[dict]:
    return code_cells(request.param)


def test_first_code_cell_is_the_setup_cell(cells):
    assert cells, "the notebook has no code cells"
    assert re.search(r"\blessons_lib\.setup\(", source(cells[0])), "the first code cell must call lessons_lib.setup()"
    assert "except ModuleNotFoundError:" in source(cells[0]), "the first cell must fetch the course where it is missing"


def test_every_lesson_fetches_the_course_the_same_way():
    """The Colab bootstrap is one block, the same in every lesson, up to its setup() line."""

    def bootstrap(path: Path) -> str:
        first = next(cell for cell in json.loads(path.read_text())["cells"] if cell["cell_type"] == "code")
        lines = source(first).splitlines()
        return "\n".join(lines[: next(i for i, line in enumerate(lines) if "lessons_lib.setup(" in line)])

    assert len({bootstrap(path) for path in NOTEBOOKS}) == 1


def test_saved_from_one_clean_top_to_bottom_run(cells):
    counts = [cell["execution_count"] for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        f"execution counts are {counts}: Restart and Run All (tools/execute_notebooks.py), then save"
    )


def test_no_errors_in_outputs(cells):
    errors = [
        f"cell {cell['execution_count']}: {output.get('ename')}: {output.get('evalue')}"
        for cell in cells
        for output in cell.get("outputs", [])
        if output["output_type"] == "error"
    ]
    assert not errors, errors


def test_no_warnings_or_log_lines_on_stderr(cells):
    noisy = [
        f"cell {cell['execution_count']}: {output_text(output).strip()[:200]}"
        for cell in cells
        for output in cell.get("outputs", [])
        if output["output_type"] == "stream"
        and output.get("name") == "stderr"
        and any(marker in output_text(output) for marker in LOG_MARKERS)
    ]
    assert not noisy, noisy


def test_has_a_checked_what_you_should_see_cell_with_saved_output(cells):
    checked = [cell for cell in cells if CHECK_MARK in source(cell)]
    assert checked, f"no cell is marked {CHECK_MARK}"
    with_output = [
        cell
        for cell in checked
        if any(output_text(output).strip() or output.get("data") for output in cell.get("outputs", []))
    ]
    assert with_output, f"no {CHECK_MARK} cell has saved output: run the notebook and save it"


def test_every_fit_call_passes_verbose_0(cells):
    bad = [call for cell in cells for call in fit_calls_without_verbose_0(cell)]
    assert not bad, f"these fit calls print progress bars, pass verbose=0: {bad}"


def test_no_downloads_and_no_removed_keras_arguments(cells):
    found = [
        f"cell {cell['execution_count']}: {word}" for cell in cells for word in FORBIDDEN_CODE if word in source(cell)
    ]
    assert not found, f"use the shipped data and Keras 3 (keras.Input instead of input_dim): {found}"


def test_the_fit_check_finds_progress_bars_and_leaves_scikit_learn_alone():
    lines = [
        "%matplotlib inline",
        "model.fit(x, y, epochs=3)",
        "model.fit(x, y, verbose=0)",
        "net.fit(x, y, validation_data=(a, b))",
        "fit(x, verbose=1)",
        "small_model.fit(x, y)",
        "scaler = StandardScaler().fit(X_train)",
    ]
    assert fit_calls_without_verbose_0({"source": "\n".join(lines)}) == [
        "model.fit(x, y, epochs=3)",
        "net.fit(x, y, validation_data=(a, b))",
        "fit(x, verbose=1)",
        "small_model.fit(x, y)",
    ]

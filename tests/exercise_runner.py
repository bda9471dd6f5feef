"""Prove every exercise's check: the unmodified starter says "not yet", the worked solution passes.

A lesson's exercise is a starter code cell that ends with
``lessons_lib.exercises.check("06.2", ...)`` and, in the markdown cell below it, a folded
``<details>`` block whose ``python`` code fence is the worked solution (ending with the same
call). A lesson's test file (``tests/test_exercises_lessonNN.py``) names the lesson's cells the
exercises need (data, the model-building function ...) and calls ``exercise_tests``; the tests
then run the starter and the solution exactly as saved in the notebook, in a namespace where
those cells have run, with the session seed (``LESSONS_SEED=7 pytest ...`` tries another).
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from lesson_cells import NOTEBOOKS, lesson_namespace

import lessons_lib
from lessons_lib.exercises import CheckResult, exercises_for
from lessons_lib.session import session_seed

_FENCE = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _cells(notebook: str) -> list[dict[str, Any]]:
    return json.loads((NOTEBOOKS / notebook).read_text())["cells"]


def _call(exercise_id: str) -> str:
    return f'check("{exercise_id}"'


def starter_source(notebook: str, exercise_id: str) -> str:
    """The one code cell that calls the exercise's check: its starter."""
    found = [
        "".join(cell["source"])
        for cell in _cells(notebook)
        if cell["cell_type"] == "code" and _call(exercise_id) in "".join(cell["source"])
    ]
    if len(found) != 1:
        raise LookupError(f"{notebook}: {len(found)} code cells call check({exercise_id!r}), expected exactly 1")
    return found[0]


def solution_source(notebook: str, exercise_id: str) -> str:
    """The python fence, inside a folded ``<details>`` block, that calls the exercise's check."""
    found = []
    for cell in _cells(notebook):
        text = "".join(cell["source"])
        if cell["cell_type"] != "markdown" or "<details>" not in text:
            continue
        found += [code for code in _FENCE.findall(text) if _call(exercise_id) in code]
    if len(found) != 1:
        raise LookupError(f"{notebook}: {len(found)} folded solutions call check({exercise_id!r}), expected exactly 1")
    return found[0]


def run_exercise_code(source: str, namespace: dict[str, Any], name: str) -> CheckResult:
    """Run a starter or solution in ``namespace``; its last line's value is the check's answer."""
    tree = ast.parse(source)
    last = tree.body[-1]
    if not isinstance(last, ast.Expr):
        raise AssertionError(f"{name}: the last line must be the check call, so that its answer shows")
    body = ast.Module(body=tree.body[:-1], type_ignores=[])
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(body, name, "exec"), namespace)  # noqa: S102 - the lesson's own code
        result = eval(compile(ast.Expression(last.value), name, "eval"), namespace)  # noqa: S307
    if not isinstance(result, CheckResult):
        raise AssertionError(f"{name}: the last line gave {type(result).__name__}, not a check's answer")
    return result


def exercise_tests(notebook: str, lesson: str, context: Sequence[str]) -> tuple[Callable, Callable, Callable]:
    """The fixture and two tests a lesson's exercise test file exposes (assign them to names).

    ``context`` lists, in order, text found in the lesson cells that every exercise needs
    (as for ``lesson_cells.lesson_namespace``); they run once per test module.
    """
    ids = [entry.id for entry in exercises_for(lesson)]

    @pytest.fixture(scope="module")
    def lesson_context() -> dict[str, Any]:
        return lesson_namespace(notebook, *context, seed=session_seed())

    @pytest.mark.parametrize("exercise_id", ids)
    def test_starter_is_not_yet(exercise_id: str, lesson_context: dict[str, Any]) -> None:
        lessons_lib.setup(session_seed())
        result = run_exercise_code(
            starter_source(notebook, exercise_id), dict(lesson_context), f"{exercise_id} starter"
        )
        assert not result.passed, f"the unmodified starter already passes, so the check cannot fail:\n{result}"
        assert result.hint, "a 'not yet' must come with a hint"

    @pytest.mark.parametrize("exercise_id", ids)
    def test_solution_passes(exercise_id: str, lesson_context: dict[str, Any]) -> None:
        lessons_lib.setup(session_seed())
        result = run_exercise_code(
            solution_source(notebook, exercise_id), dict(lesson_context), f"{exercise_id} solution"
        )
        assert result.passed, f"the worked solution does not pass its own check:\n{result}"

    return lesson_context, test_starter_is_not_yet, test_solution_passes

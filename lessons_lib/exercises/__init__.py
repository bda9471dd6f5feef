"""Exercises that check themselves by reading the learner's own run.

In a lesson, after the starter cell has trained::

    lessons_lib.exercises.check("06.2", history)

answers ``pass`` or ``not yet``, with the evidence it read from the run and, when not yet,
one hint. The worked solution sits under the exercise, folded, to open on purpose.
"""

from __future__ import annotations

import inspect
from typing import Any

from lessons_lib.exercises.registry import (
    LESSONS,
    Exercise,
    Reading,
    all_exercises,
    exercise,
    exercises_for,
    get,
)
from lessons_lib.exercises.result import CheckResult

__all__ = [
    "LESSONS",
    "CheckResult",
    "Exercise",
    "Reading",
    "all_exercises",
    "check",
    "exercise",
    "exercises_for",
    "get",
]


def check(exercise_id: str, *run: Any, **numbers: Any) -> CheckResult:
    """Read the learner's run for exercise ``exercise_id`` and say whether its goal is reached."""
    entry = get(exercise_id)
    try:
        inspect.signature(entry.judge).bind(*run, **numbers)
    except TypeError as error:
        raise TypeError(
            f"check({exercise_id!r}, ...) reads ({entry.reads}), as in the exercise's starter cell; {error}"
        ) from None
    return CheckResult(entry, entry.judge(*run, **numbers))

"""The exercises of every lesson, and the checks that read a learner's run.

An exercise is a goal that shows in the curves or the numbers ("make this model overfit within
30 epochs"). Its check reads the run the learner made (a ``History``, a model's scores) with
the curve doctor and plain arithmetic, never the learner's code, so any way of reaching the
goal passes. Each lesson registers its exercises in its own module (``lesson06.py``), loaded
the first time one of its exercises is asked for.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The lessons that have exercises, in course order; ``08b`` is lesson 08's part 2.
LESSONS = ("00", "01", "02", "03", "04", "05", "06", "07", "08", "08b", "09", "10", "11")

_ID = re.compile(r"^(\d\db?)\.(\d+)$")


@dataclass(frozen=True)
class Reading:
    """What a check found: passed or not, the evidence it read, and a hint fitted to the run."""

    passed: bool
    evidence: Sequence[str]
    hint: str | None = None


@dataclass(frozen=True)
class Exercise:
    """One exercise: where it is, what to reach, how to get unstuck, and the check."""

    id: str
    title: str
    goal: str
    hint: str
    judge: Callable[..., Reading] = field(repr=False)

    @property
    def lesson(self) -> str:
        return self.id.split(".")[0]

    @property
    def reads(self) -> str:
        """The check's arguments, as a learner would pass them: ``history, n_train=...``."""
        return ", ".join(
            name if parameter.default is inspect.Parameter.empty else f"{name}=..."
            for name, parameter in inspect.signature(self.judge).parameters.items()
        )


_REGISTRY: dict[str, Exercise] = {}


def exercise(exercise_id: str, *, title: str, goal: str, hint: str) -> Callable[[Callable[..., Reading]], Any]:
    """Register the decorated function as the check of exercise ``exercise_id`` ("06.2")."""
    match = _ID.match(exercise_id)
    if not match or match.group(1) not in LESSONS:
        lessons = ", ".join(LESSONS)
        raise ValueError(f"exercise_id must look like '06.2' with a lesson of {lessons}, got {exercise_id!r}")

    def register(judge: Callable[..., Reading]) -> Callable[..., Reading]:
        if exercise_id in _REGISTRY:
            raise ValueError(f"exercise {exercise_id} is registered twice")
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, goal, hint, judge)
        return judge

    return register


def _load(lesson: str) -> None:
    importlib.import_module(f"lessons_lib.exercises.lesson{lesson}")


def exercises_for(lesson: str) -> tuple[Exercise, ...]:
    """The exercises of one lesson ("06", or "08b" for lesson 08's part 2), in order."""
    if lesson not in LESSONS:
        raise ValueError(f"lesson must be one of {', '.join(LESSONS)}, got {lesson!r}")
    _load(lesson)
    found = [entry for entry in _REGISTRY.values() if entry.lesson == lesson]
    return tuple(sorted(found, key=lambda entry: int(entry.id.split(".")[1])))


def all_exercises() -> tuple[Exercise, ...]:
    """Every exercise of the course, lesson by lesson."""
    return tuple(entry for lesson in LESSONS for entry in exercises_for(lesson))


def get(exercise_id: str) -> Exercise:
    """The exercise with this id, or one sentence that says which ids exist."""
    match = _ID.match(exercise_id) if isinstance(exercise_id, str) else None
    if not match or match.group(1) not in LESSONS:
        raise ValueError(
            f"exercise_id must be a lesson and a number such as '06.2' (lessons {', '.join(LESSONS)}), "
            f"got {exercise_id!r}"
        )
    known = exercises_for(match.group(1))
    for entry in known:
        if entry.id == exercise_id:
            return entry
    ids = ", ".join(entry.id for entry in known) or "none"
    raise ValueError(f"exercise_id {exercise_id!r} does not exist; lesson {match.group(1)} has {ids}")

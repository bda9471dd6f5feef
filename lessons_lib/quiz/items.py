"""The quiz's items: real training histories shipped in ``data/quiz_histories.json``, checksummed.

``tools/make_quiz.py`` made every item from a seeded run with a cause put in on purpose; this
module only reads them. The file is verified against its SHA-256 (``lessons_lib.data``) before
use: a missing or altered file is refused with one sentence that names it and the fix.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lessons_lib import checklist
from lessons_lib.data import verified_path
from lessons_lib.doctor import CODES, Diagnosis, diagnose

#: The shipped file (its checksum is in ``lessons_lib.data.SHIPPED_FILES``).
FILE_NAME = "quiz_histories.json"
#: What a NaN or inf is stored as (JSON has no number for them).
_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def history_from_json(history: Mapping[str, Sequence[Any]]) -> dict[str, list[float]]:
    """A stored history as floats: the strings ``"nan"``, ``"inf"`` and ``"-inf"`` become those values."""
    return {
        key: [_NONFINITE[value] if isinstance(value, str) else float(value) for value in values]
        for key, values in history.items()
    }


@dataclass(frozen=True)
class QuizItem:
    """One run of the quiz: its curves, the doctor's hints, and what was put in (told after answering)."""

    id: str
    history: Mapping[str, tuple[float, ...]]
    hints: Mapping[str, Any]
    expect: str
    cause: str
    fixes: tuple[str, ...]
    lesson: str
    story: str
    settings: str

    def curves(self) -> dict[str, list[float]]:
        """The history as a fresh dict of lists (for ``plot_history`` and ``diagnose``)."""
        return {key: list(values) for key, values in self.history.items()}

    def diagnosis(self) -> Diagnosis:
        """The curve doctor's reading of this item, computed now (the quiz grades against it)."""
        return _diagnosis(self)

    @property
    def codes(self) -> list[str]:
        """The codes the doctor finds on this item: the right answer to "what do you see?"."""
        return self.diagnosis().codes

    @property
    def cause_title(self) -> str:
        return "nothing: a healthy run" if self.cause == "none" else checklist.item(self.cause).title


@functools.cache
def _diagnosis(item: QuizItem) -> Diagnosis:
    return diagnose(item.curves(), **item.hints)


def _item(entry: Mapping[str, Any]) -> QuizItem:
    history = history_from_json(entry["history"])
    return QuizItem(
        id=str(entry["id"]),
        history=_Frozen({key: tuple(values) for key, values in history.items()}),
        hints=_Frozen(dict(entry.get("hints", {}))),
        expect=str(entry["expect"]),
        cause=str(entry["cause"]),
        fixes=tuple(entry["fixes"]),
        lesson=str(entry["lesson"]),
        story=str(entry["story"]),
        settings=str(entry.get("settings", "")),
    )


class _Frozen(dict):
    """A read-only, hashable dict, so items can be cached and shared safely."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted((key, str(value)) for key, value in self.items())))

    def _readonly(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("quiz items are read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _readonly  # type: ignore[assignment]


@functools.lru_cache(maxsize=1)
def load_items() -> tuple[QuizItem, ...]:
    """Every quiz item, in the file's order, after checking the file's SHA-256."""
    document = json.loads(verified_path(FILE_NAME).read_text(encoding="utf-8"))
    items = tuple(_item(entry) for entry in document["items"])
    for entry in items:
        if entry.expect not in CODES:  # pragma: no cover - the checksum guards the file
            raise ValueError(f"quiz item {entry.id!r} expects an unknown code {entry.expect!r}")
    return items


def item(item_id: str) -> QuizItem:
    """The item with this id, e.g. ``item("unstable_adam_lr_0.05")``."""
    found = {entry.id: entry for entry in load_items()}
    if item_id not in found:
        raise KeyError(f"no quiz item {item_id!r}; the ids are listed by lessons_lib.quiz.load_items()")
    return found[item_id]

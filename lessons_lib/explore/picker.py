"""Lesson 08's explorer: pick a reason from seed 000's checklist, see its broken run, then the fix.

The runs are the lesson's own (each section trains a broken run and its fix), handed over
as histories: the picker trains nothing, so it is true to the lesson by construction and
answers at once. Toggling the fix draws the fixed run with the broken one faint behind it,
and the reading gives the curve doctor's verdict on what is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lessons_lib import checklist
from lessons_lib.explore.controls import slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.runs import Settings, TrainingRun
from lessons_lib.training import History, Progress


def broken_run_picker(
    runs: Mapping[str, tuple[Any, Any]],
    *,
    hints: Mapping[str, Mapping[str, float]] | None = None,
    metrics: tuple[str, ...] = ("loss", "accuracy"),
) -> Explorer:
    """An explorer over the lesson's runs: ``{reason id: (broken history, fixed history)}``.

    Reason ids are those of ``lessons_lib.checklist`` (``"reason.lr_too_high"``, ...); a
    history is a Keras ``History`` or its ``.history`` dict. ``hints`` gives the doctor what
    it may know per reason (``{"reason.class_imbalance": {"baseline_accuracy": 0.9}}``).
    """
    if not isinstance(runs, Mapping) or not runs:
        raise ValueError("runs must be a non-empty dict {reason id: (broken history, fixed history)}")
    known = {entry.id for entry in checklist.items("reasons")}
    stored: dict[str, tuple[History, History]] = {}
    for reason, pair in runs.items():
        if reason not in known:
            raise ValueError(f"runs has an unknown reason {reason!r}; reasons are {', '.join(sorted(known))}")
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"runs[{reason!r}] must be a pair (broken history, fixed history)")
        stored[reason] = (_as_history(reason, pair[0]), _as_history(reason, pair[1]))
    hints = {reason: dict((hints or {}).get(reason, {})) for reason in stored}
    names = [metric for metric in metrics if all(metric in run for pair in stored.values() for run in pair)]

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        reason, fixed = settings["reason"], settings["fixed"]
        history = stored[reason][1 if fixed else 0]
        entry = checklist.item(reason)
        note = f"the fix: {entry.fix}" if fixed else f"what went wrong: {entry.title}"
        return TrainingRun(history, note=lambda _: note, epochs=len(history["loss"]), hints=hints[reason])

    options = [(checklist.item(reason).title, reason) for reason in stored]
    sliders = {
        "reason": slider("Dropdown", "reason", options=options, value=next(iter(stored)), width="420px"),
        "fixed": slider("Checkbox", "apply the fix", value=False),
    }
    return Explorer(sliders, train, names or ["loss"])


def _as_history(reason: str, run: Any) -> History:
    logs = getattr(run, "history", run)
    if not isinstance(logs, Mapping) or "loss" not in logs:
        raise ValueError(f"runs[{reason!r}] must hold histories with a 'loss' curve (a History or its .history)")
    return {name: [float(value) for value in values] for name, values in logs.items()}

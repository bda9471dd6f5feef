"""Lesson 08's explorer: pick a reason from the checklist, see its broken run, then the fix.

The runs are the lesson's own (each section trains a broken run and its fix), handed over
as histories: the picker trains nothing, so it is true to the lesson by construction and
answers at once. Toggling the fix draws the fixed run with the broken one faint behind it,
and the reading gives the curve doctor's verdict on what is shown.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

from lessons_lib import checklist
from lessons_lib.explore.controls import slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.reading import doctor_verdict, reading_for
from lessons_lib.explore.runs import Settings, TrainingRun
from lessons_lib.history import first_nonfinite_epoch
from lessons_lib.training import History, Progress

#: The checklist groups a picker's entries come from: seed 000's reasons and seed 002's culprits.
GROUPS = ("reasons", "culprits")

Hints = dict[str, float]


def broken_run_picker(
    runs: Mapping[str, Any],
    *,
    hints: Mapping[str, Any] | None = None,
    metrics: tuple[str, ...] = ("loss", "accuracy"),
) -> Explorer:
    """An explorer over the lesson's runs: ``{reason id: (broken history, fixed history)}``.

    Reason ids are those of ``lessons_lib.checklist``: seed 000's reasons
    (``"reason.lr_too_high"``, ...) or seed 002's culprits (``"culprit.validation_leak"``).
    A history is a Keras ``History`` or its ``.history`` dict. A reason shown by several
    broken runs maps to ``{case: (broken, fixed), ...}`` instead of one pair; each case is
    an entry of its own. ``hints`` gives the doctor what it may know per reason
    (``{"reason.class_imbalance": {"baseline_accuracy": 0.98}}``), or a pair of such dicts
    (broken run, fixed run) where the two runs need different hints (another loss, say).
    The panels are the ``metrics`` that at least one run has (a regression has no accuracy).
    """
    if not isinstance(runs, Mapping) or not runs:
        raise ValueError("runs must be a non-empty dict {reason id: (broken history, fixed history)}")
    known = {entry.id for group in GROUPS for entry in checklist.items(group)}
    hints = dict(hints or {})
    for reason in hints:
        if reason not in runs:
            raise ValueError(f"hints has a reason {reason!r} that runs does not have")
    # one entry per (reason, case): its value in the dropdown -> (reason, case, histories, hints)
    entries: dict[str, tuple[str, str | None, tuple[History, History], tuple[Hints, Hints]]] = {}
    for reason, value in runs.items():
        if reason not in known:
            raise ValueError(f"runs has an unknown reason {reason!r}; reasons are {', '.join(sorted(known))}")
        pair_hints = _hint_pair(reason, hints.get(reason, {}))
        cases = value.items() if isinstance(value, Mapping) else [(None, value)]
        for case, pair in cases:
            where = f"runs[{reason!r}]" + (f"[{case!r}]" if case is not None else "")
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ValueError(f"{where} must be a pair (broken history, fixed history)")
            key = reason if case is None else f"{reason}: {case}"
            entries[key] = (reason, case, (_as_history(where, pair[0]), _as_history(where, pair[1])), pair_hints)
    if not entries:
        raise ValueError("runs must hold at least one pair (broken history, fixed history)")
    names = [metric for metric in metrics if any(metric in run for entry in entries.values() for run in entry[2])]

    def note_for(settings: Settings) -> str:
        entry = checklist.item(entries[settings["reason"]][0])
        return f"the fix: {entry.fix}" if settings["fixed"] else f"what went wrong: {entry.title}"

    def hints_for(settings: Settings) -> Hints:
        return entries[settings["reason"]][3][1 if settings["fixed"] else 0]

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        history = entries[settings["reason"]][2][1 if settings["fixed"] else 0]
        note = note_for(settings)
        return TrainingRun(history, note=lambda _: note, epochs=len(history["loss"]), hints=hints_for(settings))

    options = []
    for key, (reason, case, _, _) in entries.items():
        title = checklist.item(reason).title
        options.append((title if case is None else f"{title}: {case}", key))
    sliders = {
        "reason": slider("Dropdown", "reason", options=options, value=next(iter(entries)), width="460px"),
        "fixed": slider("Checkbox", "apply the fix", value=False),
    }
    return _Picker(
        sliders,
        train,
        names or ["loss"],
        note_for=note_for,
        hints_for=hints_for,
        broken_for=lambda settings: entries[settings["reason"]][2][0],
    )


class _Picker(Explorer):
    """The explorer, drawing a fixed run over its own broken run, with a reading that names the
    reason also for a run whose loss became NaN, and panels that say so when a run lacks their
    metric (a regression among classifiers).

    ``reading_for`` ends at a NaN loss with "the learning rate is too high", which is the
    explorers' knob elsewhere but not here: a NaN run here is exploding gradients or raw
    inputs, and the picker's point is to name its reason.
    """

    def __init__(self, *args: Any, note_for: Any, hints_for: Any, broken_for: Any, **kwargs: Any) -> None:
        self._note_for, self._hints_for, self._broken_for = note_for, hints_for, broken_for
        super().__init__(*args, **kwargs)

    def _draw(self, history: History, epochs: int, faint: History | None, **options: Any) -> None:
        """The fixed run with its own broken run faint behind it (not whatever was shown last).

        The legend calls the faint run "broken run"; a panel whose metric this run lacks stays empty
        and says so.
        """
        settings = self.settings
        faint = self._broken_for(settings) if settings["fixed"] else None
        with warnings.catch_warnings():  # an empty panel has no legend to draw
            warnings.filterwarnings("ignore", message="No artists with labels found")
            self.panel.draw(history, epochs, faint, **options)
        for ax, metric in zip(self.panel.axes, self.panel.metrics, strict=True):
            legend = ax.get_legend()
            for text in legend.get_texts() if legend is not None else []:  # the faint run is the broken one
                text.set_text(text.get_text().replace("previous ", "broken run, "))
            if metric not in history:
                ax.text(0.5, 0.5, f"this run has no {metric}", transform=ax.transAxes, ha="center", color="C7")
        self._render()

    def _set_reading(self, text: str) -> None:
        if self.history is not None and not text.startswith("training…"):
            text = picker_reading(self.history, self._hints_for(self.settings), self._note_for(self.settings))
        super()._set_reading(text)


def picker_reading(history: History, hints: Hints, note: str) -> str:
    """The reading under a picked run: divergence, best epoch, gap, the doctor, and the reason or fix."""
    losses = history.get("loss", []) + history.get("val_loss", [])
    if all(math.isfinite(value) for value in losses):
        return reading_for(history, note=lambda _: note, hints=hints)
    epochs = [first_nonfinite_epoch(history.get(name, [])) for name in ("loss", "val_loss")]
    epoch = min(epoch for epoch in epochs if epoch is not None)
    kind = "nan" if any(math.isnan(value) for value in losses) else "inf"
    parts = [f"diverged at epoch {epoch} (loss became {kind})"]
    verdict = doctor_verdict(history, **hints)
    if verdict:
        parts.append(f"doctor: {verdict}")
    return " · ".join([*parts, note])


def _hint_pair(reason: str, value: Any) -> tuple[Hints, Hints]:
    if isinstance(value, Mapping):
        return dict(value), dict(value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(part, Mapping) for part in value):
        return dict(value[0]), dict(value[1])
    raise ValueError(f"hints[{reason!r}] must be a dict of hints, or a pair of them (broken run, fixed run)")


def _as_history(where: str, run: Any) -> History:
    logs = getattr(run, "history", run)
    if not isinstance(logs, Mapping) or "loss" not in logs:
        raise ValueError(f"{where} must hold histories with a 'loss' curve (a History or its .history)")
    return {name: [float(value) for value in values] for name, values in logs.items()}

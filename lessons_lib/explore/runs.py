"""One slider setting's training run, and the small pieces every explorer's trainer shares."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lessons_lib.training import FastFit, History, Progress

#: Seconds between two redraws of growing curves: a few redraws a second at most.
REDRAW_INTERVAL = 0.5

Settings = dict[str, Any]


class CannotTrain(ValueError):
    """A setting the explorer cannot train with; its message says why, in one sentence."""


@dataclass
class TrainingRun:
    """What one slider setting produced: its curves and what to say about them."""

    history: History
    #: The untrained model's loss on the training rows: where the run started.
    start_loss: float | None = None
    #: Lesson-specific remark computed from the curves (a baseline, a recall, ...).
    note: Callable[[History], str | None] | None = None
    #: Epochs asked for; the history is shorter when the run stopped on a NaN or inf.
    epochs: int = 0
    #: What the curve doctor may know beyond the curves (``n_classes``, ``baseline_accuracy``, ...).
    hints: dict[str, float] = field(default_factory=dict)
    #: Epochs to mark on every panel, by label ("early stop": 14, "restored weights": 9).
    marks: dict[str, int] = field(default_factory=dict)

    def first(self, epochs: int | None) -> TrainingRun:
        """The same run cut to its first ``epochs`` epochs (a shorter run is its beginning)."""
        if epochs is None:
            return self
        history = {name: values[:epochs] for name, values in self.history.items()}
        return TrainingRun(history, self.start_loss, self.note, min(epochs, self.epochs), self.hints, dict(self.marks))

    def covers(self, epochs: int | None) -> bool:
        """True if this run answers a request for ``epochs`` epochs (None: as many as it has)."""
        if epochs is None:
            return True
        ran = len(self.history.get("loss", []))
        return epochs <= ran or ran < self.epochs  # a run ends early only on a NaN or inf loss


Trainer = Callable[[Settings, Progress], TrainingRun]


def train_fast(
    fast: FastFit,
    data: tuple[Any, Any, Any, Any],
    settings: Settings,
    progress: Progress,
    *,
    seed: int,
    note: Callable[[History], str | None] | None = None,
    class_weight: Mapping[int, float] | None = None,
    hints: dict[str, float] | None = None,
    orders: np.ndarray | None = None,
) -> TrainingRun:
    """Train on ``data`` (x, y, x_val, y_val) with the sliders' learning rate and epochs.

    ``orders`` (one row order per epoch, at least ``epochs`` of them) replaces the batch
    order ``fit(shuffle=True)`` takes after ``keras.utils.set_random_seed(seed)``.
    """
    x, y, x_val, y_val = data
    start_loss = fast.starting_loss(x, y, class_weight=class_weight)
    history = fast.fit(
        x,
        y,
        epochs=settings["epochs"],
        validation_data=(x_val, y_val),
        learning_rate=settings.get("learning_rate"),  # None: the optimizer's own
        class_weight=class_weight,
        seed=seed,
        orders=None if orders is None else orders[: settings["epochs"]],
        progress=progress,
        progress_interval=REDRAW_INTERVAL,
    )
    return TrainingRun(history, start_loss, note, settings["epochs"], hints or {})


def start_from(seed: int) -> None:
    """Seed Keras before an explorer builds its model: ``seed`` alone fixes the starting weights.

    Without it the weights depend on whatever the lesson drew from the random generators
    before, and two explorers made with the same ``seed`` would not start alike.
    """
    import keras

    keras.utils.set_random_seed(seed)


def one_hot(labels: np.ndarray, classes: int = 10) -> np.ndarray:
    return np.eye(classes, dtype=np.float32)[labels]


def dataset_cache(make: Callable[..., Any]) -> Callable[..., Any]:
    """Remember ``make``'s results per arguments (data sets are small and sliders revisit them)."""
    memory: dict[tuple, Any] = {}

    def cached(*args: Any) -> Any:
        if args not in memory:
            memory[args] = make(*args)
        return memory[args]

    return cached


def early_stop(val_losses: list[float], patience: int) -> tuple[int, int] | None:
    """Where ``EarlyStopping(patience=patience, restore_best_weights=True)`` stops, and what it restores.

    Returns (the last epoch ``fit`` runs, the epoch whose weights it puts back), 1-based, or
    None if it never stops. The callback changes nothing before it stops, so a full run cut
    here is exactly the run ``fit`` with the callback would give: the explorer trains once
    and shows every patience without training again.
    """
    best, best_epoch, wait = math.inf, 0, 0
    for epoch, value in enumerate(val_losses, start=1):
        wait += 1
        if value < best:
            best, best_epoch, wait = value, epoch, 0
        if wait >= patience and epoch > 1:
            return epoch, best_epoch
    return None


def stopped_early(run: TrainingRun, patience: int | None) -> TrainingRun:
    """``run`` as ``fit`` with early stopping (monitor ``val_loss``) would have returned it, marked."""
    if not patience:
        return run
    stop = early_stop(run.history["val_loss"], patience)
    if stop is None:
        return run
    last, restored = stop
    history = {name: values[:last] for name, values in run.history.items()}
    marks = {**run.marks, "early stop": last, "restored weights": restored}
    return TrainingRun(history, run.start_loss, run.note, last, run.hints, marks)

"""Small readers the exercise checks share: a run's curves, its best epoch, the doctor's codes."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np


def curves(history: Any, *names: str) -> dict[str, list[float]]:
    """The per-epoch lists of a ``History`` (or its ``.history`` dict), with ``names`` required.

    A check is handed what the learner has; if it is not a run, the learner reads one sentence
    that says what to pass instead of a KeyError from deep inside.
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, Mapping):
        raise TypeError(
            f"history must be the History that model.fit returned (or its .history dict), got {type(history).__name__}"
        )
    missing = [name for name in names if name not in logs]
    if missing:
        have = ", ".join(sorted(logs)) or "nothing"
        raise ValueError(
            f"history has no {', '.join(repr(name) for name in missing)} (it has {have}): "
            "train with validation_data and the metrics the starter cell uses"
        )
    return {name: [float(value) for value in values] for name, values in logs.items()}


def best_epoch(values: Sequence[float], *, highest: bool = False) -> int:
    """The 1-based epoch of the lowest value (the highest with ``highest=True``), NaN ignored."""
    finite = [(value, index) for index, value in enumerate(values) if math.isfinite(value)]
    if not finite:
        return 0
    pick = max if highest else min
    return pick(finite, key=lambda pair: pair[0])[1] + 1


def doctor_codes(history: Any, **hints: Any) -> list[str]:
    """The curve doctor's codes for this run, most important first."""
    from lessons_lib.doctor import diagnose

    return diagnose(history, **hints).codes


def blew_up(values: Sequence[float]) -> int | None:
    """The 1-based epoch at which a loss became NaN or infinite, if it did."""
    for index, value in enumerate(values):
        if not math.isfinite(value):
            return index + 1
    return None


def trained_model_and_digits(model: Any, images: Any) -> np.ndarray:
    """Check that ``model`` can predict and ``images`` are digits shaped (n, 28, 28, 1); return them as float32."""
    if not hasattr(model, "predict"):
        raise TypeError(f"model must be the trained Keras model, got {type(model).__name__}")
    batch = np.asarray(images, dtype="float32")
    if batch.ndim != 4 or batch.shape[1:3] != (28, 28):
        raise ValueError(f"images must be the validation digits shaped (n, 28, 28, 1), got shape {batch.shape}")
    return batch

"""One shape for training histories: ``dict[str, list[float]]`` with Keras's key names.

Training code produces histories, plots and the curve doctor consume them; this module is
the seam between the two. It accepts what a learner has at hand: the ``History`` object
``model.fit`` returns, its ``.history`` dict, or any dict of equally long lists.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

HistoryLike = Any  # a keras.callbacks.History or a Mapping[str, Sequence[float]]

#: Metrics for which a larger value is better; every other metric (losses, errors) is
#: better when smaller.
HIGHER_IS_BETTER = ("accuracy", "acc", "auc", "precision", "recall", "f1", "r2")


def as_history_dict(history: HistoryLike, name: str = "history") -> dict[str, list[float]]:
    """Return the curves of ``history`` as a new dict of float lists, checking their shape."""
    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping):
        raise TypeError(f"{name} must be a Keras History or a dict of lists, got {type(history).__name__}")
    if not curves:
        raise ValueError(f"{name} is empty: train for at least one epoch first")
    result: dict[str, list[float]] = {}
    for key, values in curves.items():
        if not isinstance(key, str) or isinstance(values, (str, bytes)):
            raise TypeError(f"{name}[{key!r}] must be a list of numbers, got {type(values).__name__}")
        try:
            result[key] = [float(value) for value in values]
        except (TypeError, ValueError):
            raise TypeError(f"{name}[{key!r}] must be a list of numbers, got {type(values).__name__}") from None
    lengths = {len(values) for values in result.values()}
    if len(lengths) != 1:
        raise ValueError(f"all curves in {name} must have one value per epoch, got lengths {sorted(lengths)}")
    if 0 in lengths:
        raise ValueError(f"{name} has no epochs: train for at least one epoch first")
    return result


def metric_names(curves: Mapping[str, Sequence[float]]) -> list[str]:
    """Training metrics in display order: ``loss`` first, then the others as Keras logged them."""
    names = [key for key in curves if not key.startswith("val_") and key not in ("learning_rate", "lr")]
    return sorted(names, key=lambda key: key != "loss")


def higher_is_better(metric: str) -> bool:
    """True for accuracy-like metrics, False for losses and errors."""
    base = metric.removeprefix("val_")
    return any(base == word or base.endswith("_" + word) or base.startswith(word) for word in HIGHER_IS_BETTER)


def best_epoch(values: Sequence[float], metric: str) -> int | None:
    """1-based epoch of the best finite value of ``metric``, or None if none is finite."""
    finite = [(value, epoch) for epoch, value in enumerate(values, start=1) if math.isfinite(value)]
    if not finite:
        return None
    if higher_is_better(metric):
        return max(finite, key=lambda pair: (pair[0], -pair[1]))[1]
    return min(finite, key=lambda pair: (pair[0], pair[1]))[1]


def first_nonfinite_epoch(values: Sequence[float]) -> int | None:
    """1-based epoch where a curve first became NaN or infinite, or None if it never did."""
    for epoch, value in enumerate(values, start=1):
        if not math.isfinite(value):
            return epoch
    return None

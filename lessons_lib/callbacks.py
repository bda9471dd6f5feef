"""Keras callbacks that measure a data set at every epoch end, the way ``evaluate`` would.

Why the course needs them (the Keras FAQ, "Why is my training loss much higher than my
testing loss?"): the ``loss`` and ``accuracy`` that ``fit`` reports for the training set are

1. measured in training mode: dropout drops units (and other regularizers are active), so a
   handicapped network is scored; and
2. averaged over the batches of the epoch while the weights change from batch to batch, so
   the early, worse batches of the epoch pull the number down.

``val_loss`` and ``val_accuracy`` have neither handicap: they come from the model as it is at
the end of the epoch, in inference mode. :class:`InferenceModeMetrics` adds the missing
curve, the training set scored like the validation set. :class:`TrainingModeMetrics` scores
it at the epoch end with dropout still on, which separates the two causes: ``fit``'s number
minus it is the averaging, it minus the inference-mode number is the dropout.

Both write into the epoch logs, so their curves land in ``history.history`` next to Keras's
own, and neither changes training: the ``loss``/``val_loss`` curves are the same with and
without them for a fixed seed (``tests/test_callbacks.py`` checks it).

Importing this module imports Keras (a callback must subclass ``keras.callbacks.Callback``),
so call ``lessons_lib.setup()`` first in a notebook.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from lessons_lib.checks import check_int, check_number

#: Prefixes that would overwrite the curves ``fit`` writes itself.
_RESERVED_PREFIXES = ("", "val_")


class _EpochEndMetrics(keras.callbacks.Callback):
    """Shared part: argument checks and writing ``prefix + metric`` into the epoch logs."""

    def __init__(self, x: Any, y: Any, *, prefix: str, batch_size: int) -> None:
        super().__init__()
        if not isinstance(prefix, str) or prefix in _RESERVED_PREFIXES:
            raise ValueError(f"prefix must be a non-empty string other than 'val_', got {prefix!r}")
        self.x, self.y = _check_samples(x, y)
        self.prefix = prefix
        self.batch_size = check_int("batch_size", batch_size, low=1)

    def measure(self) -> dict[str, float]:
        """Loss and compiled metrics of ``self.model`` on ``(x, y)``, without prefix."""
        raise NotImplementedError

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if logs is None:  # fit always passes logs; a direct call has nowhere to write
            return
        results = {self.prefix + name: value for name, value in self.measure().items()}
        taken = sorted(set(results) & set(logs))
        if taken:
            raise ValueError(
                f"the epoch logs already have {taken[0]!r}: give each {type(self).__name__} its own prefix"
            )
        logs.update(results)


class InferenceModeMetrics(_EpochEndMetrics):
    """At each epoch end, evaluate ``(x, y)`` in inference mode and log it as ``prefix + metric``.

    With ``prefix="eval_"`` and a model compiled with ``metrics=["accuracy"]``,
    ``history.history`` gains ``eval_loss`` and ``eval_accuracy``: what ``model.evaluate(x, y)``
    would return at the end of that epoch (dropout off, the model as it is then). Pass the
    training set to get a training curve measured exactly like the validation curve.

    This is the "callback that saves your model at each epoch, then evaluate each saved
    model on both sets" that the answer in seed 001 suggests, without writing any file.

    It draws no random numbers and changes no weights, so training is not disturbed. It
    costs one forward pass over ``x`` per epoch, in batches of ``batch_size`` (large: no
    gradients are kept). Put it before ``EarlyStopping`` or ``ModelCheckpoint`` in
    ``callbacks=[...]`` if those should monitor one of its keys: callbacks see the logs in
    list order.
    """

    def __init__(self, x: Any, y: Any, *, prefix: str = "eval_", batch_size: int = 256) -> None:
        super().__init__(x, y, prefix=prefix, batch_size=batch_size)

    def measure(self) -> dict[str, float]:
        results = self.model.evaluate(self.x, self.y, batch_size=self.batch_size, verbose=0, return_dict=True)
        return {name: float(value) for name, value in results.items()}


class TrainingModeMetrics(_EpochEndMetrics):
    """At each epoch end, score ``(x, y)`` in training mode (dropout on) and log ``prefix + metric``.

    ``fit``'s training accuracy is a dropout-on accuracy averaged over the epoch; this is the
    dropout-on accuracy of the model as it is at the end of the epoch. The difference between
    the two is what averaging over the epoch costs, with dropout held the same.

    Running the model in training mode draws dropout masks from the layers' random-number
    state (and would update batch-normalization statistics); all of the model's
    non-trainable variables are saved before and restored after, so the masks ``fit`` draws
    next are the ones it would have drawn without this callback. Needs ``x`` and ``y`` as
    arrays that can be sliced into batches. ``x`` and ``y`` are passed to ``model.compute_loss``
    and ``model.compute_metrics``, the same calls ``fit`` makes.
    """

    def __init__(self, x: Any, y: Any, *, prefix: str = "dropout_on_", batch_size: int = 256) -> None:
        super().__init__(x, y, prefix=prefix, batch_size=batch_size)

    def measure(self) -> dict[str, float]:
        model = self.model
        saved = [variable.numpy() for variable in model.non_trainable_variables]
        model.reset_metrics()
        total_loss, count = 0.0, 0
        try:
            for start in range(0, len(self.x), self.batch_size):
                x = self.x[start : start + self.batch_size]
                y = self.y[start : start + self.batch_size]
                y_pred = model(x, training=True)
                loss = model.compute_loss(x=x, y=y, y_pred=y_pred, training=True)
                model.compute_metrics(x, y, y_pred)
                total_loss += float(loss) * len(x)
                count += len(x)
            results = {name: float(value) for name, value in model.get_metrics_result().items()}
        finally:
            model.reset_metrics()
            for variable, value in zip(model.non_trainable_variables, saved, strict=True):
                variable.assign(value)
        results["loss"] = total_loss / count  # the loss tracker only counts what fit and evaluate add
        return results


def _check_samples(x: Any, y: Any) -> tuple[Any, Any]:
    """Return ``x, y`` if both hold the same, non-zero number of samples."""
    sizes = []
    for name, data in (("x", x), ("y", y)):
        try:
            sizes.append(len(data))
        except TypeError:
            raise ValueError(f"{name} must be an array of samples, got {type(data).__name__}") from None
    if sizes[0] == 0:
        raise ValueError("x must hold at least one sample, got 0")
    if sizes[0] != sizes[1]:
        raise ValueError(f"x and y must hold the same number of samples, got {sizes[0]} and {sizes[1]}")
    return x, y


def half_epoch_estimate(end_of_epoch: Sequence[float], before_training: float) -> list[float]:
    """The epoch averages a steadily improving model would give: each epoch's start and end, averaged.

    ``end_of_epoch[k]`` is a metric measured at the end of epoch ``k + 1`` (for example
    ``dropout_on_accuracy`` or ``eval_accuracy``) and ``before_training`` the same metric before
    the first step. If the model improved at a constant rate during each epoch, ``fit``'s
    average over epoch ``k + 1`` would be the curve's value half an epoch before its end: the
    mean of the epoch's first and last value. This is why plotting the training curve half an
    epoch to the left (``plot_history(..., shift_training=True)``) lines it up with curves
    measured at epoch ends. Early in training, when most of the progress happens in the first
    steps of an epoch, the real average is above this estimate.
    """
    start = check_number("before_training", before_training)
    values = [check_number(f"end_of_epoch[{index}]", value) for index, value in enumerate(end_of_epoch)]
    if not values:
        raise ValueError("end_of_epoch must hold at least one value, got none")
    starts = np.array([start, *values[:-1]])
    return [float(value) for value in (starts + np.array(values)) / 2]

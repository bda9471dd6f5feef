"""Lesson 08 part 1's exercises: the model and its training (steps, learning rate, capacity, gradients)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from lessons_lib.exercises.reading import best_epoch, blew_up, curves, doctor_codes
from lessons_lib.exercises.registry import Reading, exercise

#: The loss of a 10-class model that guesses: ln 10.
_GUESSING = math.log(10)


def _rises(values: Sequence[float]) -> int:
    """How many times a curve goes up from one epoch to the next."""
    return sum(later > earlier for earlier, later in zip(values, values[1:], strict=False))


def _codes(logs: dict[str, list[float]]) -> str:
    return ", ".join(doctor_codes(logs, n_classes=10))


@exercise(
    "08.1",
    title="Train until the curves level off",
    goal="Give the reference network enough epochs that the doctor no longer says still_improving.",
    hint="Same network, same seed: only the number of epochs changes; try 6 first, then more.",
)
def _long_enough(history: Any) -> Reading:
    logs = curves(history, "loss", "val_loss", "val_accuracy")
    codes = doctor_codes(logs, n_classes=10)
    accuracy = logs["val_accuracy"][-1]
    evidence = [
        f"{len(logs['loss'])} epochs; lowest validation loss at epoch {best_epoch(logs['val_loss'])}",
        f"validation accuracy at the end: {accuracy:.3f}",
        "doctor: " + ", ".join(codes),
    ]
    return Reading("still_improving" not in codes and accuracy > 0.85, evidence)


@exercise(
    "08.2",
    title="The largest learning rate that stays smooth",
    goal="Find a learning rate of 0.005 or more at which the training loss falls in every epoch, in all three seeds.",
    hint="Come down from 0.05 in steps (0.02, 0.01, 0.005) and count the rises in each seed.",
)
def _smooth_learning_rate(runs: Sequence[Any], learning_rate: float) -> Reading:
    if isinstance(runs, (str, bytes)) or not isinstance(runs, Sequence) or len(runs) < 3:
        raise ValueError("runs must be the list of the three histories (one per seed) that the starter cell trains")
    if not isinstance(learning_rate, (int, float)) or not 0 < learning_rate < 10:
        raise ValueError(f"learning_rate must be the positive number the runs used, got {learning_rate!r}")
    rises = [_rises(curves(run, "loss")["loss"]) for run in runs]
    evidence = [
        f"learning rate {learning_rate:g} (the reference uses 0.002)",
        "training loss went up from one epoch to the next: "
        + ", ".join("once" if count == 1 else f"{count} times" for count in rises)
        + f" (in the {len(runs)} seeds)",
    ]
    hint = None if learning_rate >= 0.005 else "That is not much above the reference's 0.002: look at 0.005 or more."
    return Reading(learning_rate >= 0.005 and not any(rises), evidence, hint)


def _frozen_from(loss: Sequence[float]) -> int | None:
    """The first epoch after which the loss changes by less than 1% of its value, if any before the last."""
    for start in range(len(loss) - 1):
        if all(abs(later - loss[start]) < 0.01 * loss[start] for later in loss[start + 1 :]):
            return start + 1
    return None


@exercise(
    "08.3",
    title="A decay slow enough to learn",
    goal="Keep halving the learning rate but less often, until the training loss ends below 0.4 and the "
    "doctor no longer says underfitting.",
    hint="Raise decay_steps: each epoch is 32 steps, so decay_steps=32 halves the rate every epoch.",
)
def _slow_decay(history: Any) -> Reading:
    logs = curves(history, "loss", "val_loss")
    loss = logs["loss"]
    frozen = _frozen_from(loss)
    codes = doctor_codes(logs, n_classes=10)
    evidence = [
        f"training loss at the end: {loss[-1]:.3f}",
        (
            f"frozen from epoch {frozen} (after it the loss changes by less than 1%)"
            if frozen
            else "still moving at the last epoch"
        ),
        "doctor: " + ", ".join(codes),
    ]
    return Reading(math.isfinite(loss[-1]) and loss[-1] < 0.4 and "underfitting" not in codes, evidence)


@exercise(
    "08.4",
    title="A validation loss that does not turn up",
    goal="Keep the 100 images and the 256 units, and regularise until the validation loss ends within 2% "
    "of its lowest value.",
    hint="Try dropout or an L2 penalty; if the validation loss still turns up, make the penalty stronger.",
)
def _no_turn_up(history: Any) -> Reading:
    logs = curves(history, "loss", "val_loss", "accuracy", "val_accuracy")
    val_loss = logs["val_loss"]
    lowest = min(val_loss)
    rise = val_loss[-1] / lowest - 1
    gap = logs["accuracy"][-1] - logs["val_accuracy"][-1]
    evidence = [
        f"validation loss lowest at epoch {best_epoch(val_loss)} of {len(val_loss)}, ends {rise:.1%} above it",
        f"training accuracy {logs['accuracy'][-1]:.3f}, validation accuracy {logs['val_accuracy'][-1]:.3f}:"
        f" a gap of {gap:.3f}",
        "doctor: " + _codes(logs),
    ]
    return Reading(math.isfinite(rise) and rise <= 0.02, evidence)


@exercise(
    "08.5",
    title="How deep can sigmoid layers go?",
    goal="Keep the sigmoid, glorot_normal and plain SGD at 0.01, and change the number of layers until the "
    "network learns in 10 epochs: validation accuracy above 0.4 (four times chance).",
    hint="Each sigmoid layer shrinks the gradient on its way back: take layers away.",
)
def _sigmoid_depth(history: Any) -> Reading:
    logs = curves(history, "loss", "val_loss", "val_accuracy")
    accuracy = logs["val_accuracy"][-1]
    evidence = [
        f"validation accuracy at the end: {accuracy:.3f} (chance: 0.1)",
        f"lowest validation loss: {min(logs['val_loss']):.3f} (guessing: ln 10 = 2.303)",
        "doctor: " + _codes(logs),
    ]
    return Reading(accuracy > 0.4, evidence)


@exercise(
    "08.6",
    title="Better than guessing, from the start",
    goal="Make the six-layer ReLU network's lowest validation loss fall below ln 10 = 2.30 (the loss of "
    "guessing) within 6 epochs.",
    hint="Clipping only limits the damage of the large weights: change how the weights start.",
)
def _better_than_guessing(history: Any) -> Reading:
    logs = curves(history, "loss", "val_loss")
    lowest = min((value for value in logs["val_loss"] if math.isfinite(value)), default=math.inf)
    broke = blew_up(logs["loss"])
    evidence = [
        f"training loss in epoch 1: {logs['loss'][0]:.3g}",
        f"lowest validation loss: {lowest:.3g} (guessing: ln 10 = 2.30)",
        "doctor: " + _codes(logs),
    ]
    return Reading(broke is None and lowest < _GUESSING, evidence)


@exercise(
    "08.7",
    title="Zeros in the output layer only",
    goal="Start the output layer at zeros and make the 64 hidden units end up different, with a validation "
    "accuracy above 0.8.",
    hint="Units stay identical only if they start alike: which layer's units must start different?",
)
def _output_zeros(model: Any, history: Any) -> Reading:
    kernels = [weights for weights in getattr(model, "get_weights", list)() if np.ndim(weights) == 2]
    if not kernels:
        raise ValueError("model must be the trained Keras model of the starter cell (it has no weight matrix)")
    hidden = kernels[0]
    identical = bool(np.allclose(hidden, hidden[:, :1]))
    accuracy = curves(history, "val_accuracy")["val_accuracy"][-1]
    evidence = [
        f"the {hidden.shape[1]} hidden units after training: "
        + (
            "identical"
            if identical
            else f"different (columns differ by up to {np.abs(hidden - hidden[:, :1]).max():.3g})"
        ),
        f"validation accuracy at the end: {accuracy:.3f}",
    ]
    return Reading(not identical and accuracy > 0.8, evidence)

"""Lesson 08 part 2's exercises: the data and the code (scaling, the loss, imbalance, leaks, small sets)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from lessons_lib.exercises.reading import blew_up, curves, doctor_codes
from lessons_lib.exercises.registry import Reading, exercise

#: The loss of a 10-class model that guesses: ln 10.
_GUESSING = math.log(10)


def _numbers(values: Any, name: str, *, at_least: int, unit_interval: bool = True) -> np.ndarray:
    """``values`` as a 1-D float array, or one sentence that says what the check wants instead."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        array = None
    if array is None or array.ndim != 1 or array.size < at_least or not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be a list of at least {at_least} numbers, as the starter cell makes it")
    if unit_interval and np.any((array < 0) | (array > 1)):
        raise ValueError(f"{name} must hold numbers from 0 to 1, as the starter cell makes it")
    return array


def _images(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 2 or array.shape[0] == 0:
        raise ValueError(f"{name} must be a set of flattened images (rows of pixels), as the starter cell makes it")
    return array


@exercise(
    "08b.1",
    title="Raw square feet without the blow-up",
    goal="Keep the raw square feet and find a learning rate at which every loss of the 10 epochs is a finite "
    "number and the doctor no longer says diverging.",
    hint="Lower the learning rate by a factor of ten at a time, and look at the first epoch's loss each time.",
)
def _raw_units_without_blow_up(history: Any) -> Reading:
    logs = curves(history, "loss", "val_loss")
    loss = logs["loss"]
    broke = blew_up(loss) or blew_up(logs["val_loss"])
    codes = doctor_codes(logs)
    evidence = [
        "every loss a finite number: " + ("yes" if broke is None else f"no (nan or inf from epoch {broke})"),
        f"training loss {loss[0]:.4g} in epoch 1, {loss[-1]:.4g} in epoch {len(loss)};"
        f" validation loss at the end {logs['val_loss'][-1]:.4g}",
        "doctor: " + ", ".join(codes),
    ]
    return Reading(broke is None and "diverging" not in codes, evidence)


@exercise(
    "08b.2",
    title="Pixels from 0 to 255",
    goal="Train on pixels from 0 to 255 and find the optimizer, Adam or plain SGD, with which the network "
    "stops learning: its validation accuracy ends below 0.2 (chance is 0.1).",
    hint="One of the two optimizers rescales every weight's step by the size of its recent gradients; "
    "try the one that does not.",
)
def _pixels_0_to_255(history: Any) -> Reading:
    logs = curves(history, "loss", "val_accuracy")
    first, accuracy = logs["loss"][0], logs["val_accuracy"][-1]
    large_inputs = not math.isfinite(first) or first > 10 * _GUESSING
    evidence = [
        f"training loss in epoch 1: {first:.3g} (guessing scores ln 10 = 2.30; far above it, the inputs are large)",
        f"validation accuracy at the end: {accuracy:.3f}",
        "doctor: " + ", ".join(doctor_codes(logs, n_classes=10)),
    ]
    hint = (
        None
        if large_inputs
        else "The first epoch's loss is not large, so the pixels look like 0 to 1: "
        "multiply both x_train and x_val by 255."
    )
    return Reading(large_inputs and accuracy < 0.2, evidence, hint)


@exercise(
    "08b.3",
    title="The squared error, trained with Adam",
    goal="Keep the mean squared error and make the network learn: validation accuracy above 0.8 after 10 epochs.",
    hint="Keep the loss; change what turns its small gradients into steps.",
)
def _squared_error_with_adam(history: Any) -> Reading:
    logs = curves(history, "loss", "val_accuracy")
    first, accuracy = logs["loss"][0], logs["val_accuracy"][-1]
    squared_error = math.isfinite(first) and first < 0.5
    evidence = [
        f"training loss in epoch 1: {first:.3f} (the squared error of one-hot labels starts near 0.09,"
        " the cross-entropy near 2.3)",
        f"validation accuracy at the end: {accuracy:.3f}",
    ]
    hint = (
        None
        if squared_error
        else "The first loss is not on the squared error's scale: keep loss='mean_squared_error' and one-hot labels."
    )
    return Reading(squared_error and accuracy > 0.8, evidence, hint)


@exercise(
    "08b.4",
    title="Raw scores need from_logits=True",
    goal="Keep the last layer without a softmax and make the network learn: validation accuracy above 0.8 "
    "after 10 epochs.",
    hint="Tell the loss that the outputs are raw scores, not probabilities.",
)
def _logits(history: Any) -> Reading:
    logs = curves(history, "loss", "val_accuracy")
    accuracy = logs["val_accuracy"]
    evidence = [
        f"validation accuracy: {accuracy[0]:.3f} after epoch 1, {accuracy[-1]:.3f} after epoch {len(accuracy)}",
        "doctor: " + ", ".join(doctor_codes(logs, n_classes=10)),
    ]
    return Reading(accuracy[-1] > 0.8, evidence)


@exercise(
    "08b.5",
    title="Enough 9s to find them",
    goal="Without class weights, give the training set more 9s until the model finds more than half of the "
    "50 validation 9s.",
    hint="Raise n_nines: the 1,000 training images hold 100 nines in all.",
)
def _enough_nines(nine_probabilities: Any) -> Reading:
    scores = _numbers(nine_probabilities, "nine_probabilities", at_least=10)
    found = int(np.sum(scores > 0.5))
    evidence = [
        f"finds {found} of the {scores.size} validation 9s (probability of a 9 above 0.5): {found / scores.size:.0%}"
    ]
    return Reading(found > scores.size / 2, evidence)


@exercise(
    "08b.6",
    title="Copies on one side of the split",
    goal="With every image copied twice, split so that no validation image has a copy in the training set.",
    hint="Twins must land on the same side of the split: what could you split before you copy?",
)
def _copies_on_one_side(x_tr: Any, x_va: Any) -> Reading:
    train, validation = _images(x_tr, "x_tr"), _images(x_va, "x_va")
    if train.shape[1] != validation.shape[1]:
        raise ValueError(f"x_tr and x_va must hold images of the same size, got {train.shape} and {validation.shape}")
    seen = {image.tobytes() for image in train}
    leaked = sum(image.tobytes() in seen for image in validation)
    counts: dict[bytes, int] = {}
    for image in (*train, *validation):
        counts[image.tobytes()] = counts.get(image.tobytes(), 0) + 1
    copies = max(counts.values())
    evidence = [
        f"{leaked} of the {len(validation)} validation images ({leaked / len(validation):.0%}) have a copy in the"
        " training set",
        f"{len(train) + len(validation)} images, {len(counts)} different ones: each appears up to {copies} times",
    ]
    hint = (
        None
        if copies >= 2
        else "Keep the copies: copy each of the 500 images twice, then find a split that keeps twins together."
    )
    return Reading(leaked == 0 and copies >= 2, evidence, hint)


@exercise(
    "08b.7",
    title="A validation set big enough to trust",
    goal="Choose a validation set size at which the same model's scores on random sets of that size spread "
    "over less than 10 points (90% of them).",
    hint="Try 5, then 10, then 20 images of each digit: the spread shrinks like one over the square root of the size.",
)
def _big_enough(history: Any, scores: Sequence[float]) -> Reading:
    accuracy = curves(history, "val_accuracy")["val_accuracy"]
    values = _numbers(scores, "scores", at_least=50)
    low, high = np.percentile(values, [5, 95])
    moves = [abs(later - earlier) for earlier, later in zip(accuracy[3:], accuracy[4:], strict=False)]
    evidence = [
        f"{values.size} random validation sets: 90% of the scores between {low:.3f} and {high:.3f},"
        f" a spread of {100 * (high - low):.1f} points",
    ]
    if moves:
        evidence.append(
            f"validation accuracy curve: largest move between two epochs from epoch 4 on: {100 * max(moves):.1f} points"
        )
    return Reading(high - low < 0.10, evidence)

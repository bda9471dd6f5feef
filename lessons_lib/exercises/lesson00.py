"""Lesson 00's exercises: read the three shapes of curves, and what accuracy and loss each count."""

from __future__ import annotations

from typing import Any

import numpy as np

from lessons_lib.exercises.reading import best_epoch, curves, doctor_codes
from lessons_lib.exercises.registry import Reading, exercise

#: The tiny example of the lesson: five images, the correct answers and the model's probabilities.
_LESSON_LABELS = np.array([1, 0, 0, 1, 0])
_LESSON_PROBABILITIES = np.array([0.9, 0.2, 0.6, 0.4, 0.1])

_FOUR = ("loss", "val_loss", "accuracy", "val_accuracy")


def _end_gap(logs: dict[str, list[float]]) -> float:
    """Training minus validation accuracy at the last epoch, in points of accuracy (0..1)."""
    return logs["accuracy"][-1] - logs["val_accuracy"][-1]


def _turn(values: list[float]) -> str:
    """Where the validation loss was lowest, and how far above that it ended."""
    best = best_epoch(values)
    rise = values[-1] / min(values) - 1
    return f"validation loss lowest at epoch {best} of {len(values)}, {rise:.1%} above that at the end"


@exercise(
    "00.1",
    title="Feed the overfitting model more data",
    goal="With the same 256-unit model, bring the gap between training and validation accuracy at the end "
    "below 10 points, with a validation accuracy above 90%.",
    hint="The model is not the problem to change here: what limits memorising is how many images it learns from.",
)
def _more_data(history: Any) -> Reading:
    logs = curves(history, *_FOUR)
    gap, val_accuracy = _end_gap(logs), logs["val_accuracy"][-1]
    evidence = [
        f"accuracy at the end: training {logs['accuracy'][-1]:.1%}, validation {val_accuracy:.1%} "
        f"(gap {100 * gap:.1f} points; goal: under 10)",
        _turn(logs["val_loss"]),
    ]
    passed = gap < 0.10 and val_accuracy > 0.90
    hint = None
    if gap < 0.10 and not passed:
        hint = "The gap is small but the validation accuracy is low: keep the 256-unit model and feed it more images."
    return Reading(passed, evidence, hint)


@exercise(
    "00.2",
    title="Give the underfitting model more room",
    goal="Find a size of the hidden layer at which the curve doctor no longer reads underfitting "
    "and the validation accuracy ends above 80%.",
    hint="A hidden layer of one unit squeezes every image into a single number: let it keep more numbers.",
)
def _more_room(history: Any) -> Reading:
    logs = curves(history, *_FOUR)
    codes = doctor_codes(history, n_classes=10)
    val_accuracy = logs["val_accuracy"][-1]
    evidence = [
        f"doctor (n_classes=10): {', '.join(codes) or 'no reading'}",
        f"training loss at the end {logs['loss'][-1]:.3f}; validation accuracy {val_accuracy:.1%} (goal: above 80%)",
    ]
    return Reading("underfitting" not in codes and val_accuracy > 0.80, evidence)


@exercise(
    "00.3",
    title="Train the healthy model longer",
    goal="Train the healthy model until its validation loss has turned: its lowest point (the dot) at least "
    "15 epochs before the last epoch, and the last epoch at least 3% above it.",
    hint="The dot sits on the last epoch: a turn that comes after the run stops cannot show.",
)
def _longer(history: Any) -> Reading:
    logs = curves(history, *_FOUR)
    val_loss = logs["val_loss"]
    if not np.all(np.isfinite(val_loss)):
        raise ValueError("the validation loss has NaN or infinite values: train the healthy model of the lesson")
    best, rise = best_epoch(val_loss), val_loss[-1] / min(val_loss) - 1
    codes = doctor_codes(history, n_classes=10)
    evidence = [
        f"{_turn(val_loss)} (goal: lowest at least 15 epochs before the end, at least 3% above it at the end)",
        f"training loss: {logs['loss'][best - 1]:.3f} at epoch {best}, {logs['loss'][-1]:.3f} at the end",
        f"doctor (n_classes=10): {', '.join(codes) or 'no reading'}",
    ]
    return Reading(len(val_loss) - best >= 15 and rise >= 0.03, evidence)


def _accuracy_and_loss(labels: np.ndarray, probabilities: np.ndarray) -> tuple[float, float]:
    predicted = (probabilities > 0.5).astype(int)
    picked = np.where(labels == 1, probabilities, 1 - probabilities)
    return float(np.mean(predicted == labels)), float(-np.log(np.clip(picked, 1e-12, 1)).mean())


@exercise(
    "00.4",
    title="Same accuracy, lower loss",
    goal="Change the model's probabilities so that the accuracy stays at 60% while the mean loss falls.",
    hint="Accuracy only changes when a probability crosses 0.5: move one a little towards its right answer, "
    "on the side of 0.5 where it is now.",
)
def _same_accuracy_lower_loss(is_a_one: np.ndarray, probability: np.ndarray) -> Reading:
    labels = np.asarray(is_a_one)
    probabilities = np.asarray(probability, dtype=float)
    if probabilities.shape != labels.shape or np.any((probabilities < 0) | (probabilities > 1)):
        raise ValueError(f"probability must be {labels.size} numbers from 0 to 1, one per image, got {probability!r}")
    accuracy, loss = _accuracy_and_loss(labels, probabilities)
    lesson_accuracy, lesson_loss = _accuracy_and_loss(_LESSON_LABELS, _LESSON_PROBABILITIES)
    same_labels = np.array_equal(labels, _LESSON_LABELS)
    evidence = [
        f"accuracy {accuracy:.0%} (the lesson's: {lesson_accuracy:.0%})",
        f"mean loss {loss:.3f} (the lesson's: {lesson_loss:.3f})",
    ]
    passed = same_labels and accuracy == lesson_accuracy and loss < lesson_loss - 1e-6
    hint = None if same_labels else "Keep the correct answers is_a_one as they are; change only probability."
    return Reading(passed, evidence, hint)

"""Lesson 02's exercises: accuracy read against the majority-class baseline, and mistakes counted."""

from __future__ import annotations

from typing import Any

import numpy as np

from lessons_lib.checks import check_number
from lessons_lib.exercises.reading import best_epoch, curves
from lessons_lib.exercises.registry import Reading, exercise


def _scores(probabilities: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    """The model's probabilities of "1" and the 0/1 labels, checked to go together."""
    probability, label = np.asarray(probabilities, dtype=float).reshape(-1), np.asarray(labels).reshape(-1)
    if probability.shape != label.shape or not np.all((probability >= 0) & (probability <= 1)):
        raise ValueError(
            f"pass the model's probabilities (numbers from 0 to 1, one per validation image) and the labels, "
            f"as the starter does; got {probability.size} probabilities for {label.size} labels"
        )
    if not np.all(np.isin(label, (0, 1))):
        raise ValueError("labels must be 0 and 1, as after the lesson's labelling line")
    return probability, label.astype(int)


def _mistakes(probability: np.ndarray, label: np.ndarray, bar: float = 0.5) -> tuple[int, int]:
    """Missed 1s and false 1s when the answer is "1" above ``bar``."""
    predicted = probability > bar
    return int(np.sum(~predicted & (label == 1))), int(np.sum(predicted & (label == 0)))


@exercise(
    "02.1",
    title="Another digit against the rest",
    goal="Find a digit that the seed's model picks out less well than the 1: at least 12 mistakes on the "
    "1,000 validation images, and still fewer than always answering 0 makes.",
    hint="Some digits share strokes with others (a 3, a 5, an 8, a 9): label one of those 1 in both lines.",
)
def _another_digit(probabilities: Any, labels: Any) -> Reading:
    probability, label = _scores(probabilities, labels)
    missed, false = _mistakes(probability, label)
    share, baseline = float(label.mean()), int(label.sum())
    evidence = [
        f"labelled 1: {share:.0%} of {label.size} validation images; always answering 0 makes {baseline} mistakes",
        f"the model's mistakes: {missed + false} ({missed} missed 1s, {false} other digits called a 1); "
        "goal: at least 12, fewer than the baseline's",
    ]
    one_digit = 0.05 <= share <= 0.2
    hint = None if one_digit else "Label one digit 1 and the other nine 0, as the lesson's labelling line does."
    return Reading(one_digit and 12 <= missed + false < baseline, evidence, hint)


@exercise(
    "02.2",
    title="A harder pair",
    goal="Find a pair of digits that the seed's model tells apart less perfectly than 0 and 1: at least 2 "
    "mistakes on the 200 validation images of the pair, whose baseline is about 50%.",
    hint="0 and 1 share no stroke; pick two digits that are easy to confuse when written fast.",
)
def _harder_pair(probabilities: Any, labels: Any) -> Reading:
    probability, label = _scores(probabilities, labels)
    missed, false = _mistakes(probability, label)
    share = float(label.mean())
    baseline = max(share, 1 - share)
    mistakes = missed + false
    evidence = [
        f"labelled 1: {share:.0%} of {label.size} validation images; majority-class baseline {baseline:.0%}",
        f"the model's mistakes: {mistakes} (accuracy {1 - mistakes / label.size:.1%}); goal: at least 2",
    ]
    pair = 0.3 <= share <= 0.7
    hint = None if pair else "Keep two digits, in about equal numbers, so that the baseline stays near 50%."
    return Reading(pair and mistakes >= 2, evidence, hint)


@exercise(
    "02.3",
    title="Less data",
    goal="Train on fewer images until the model, still above 99% on its training images, ends at 99.0% or "
    "less on the 1,000 validation images (10 mistakes or more).",
    hint="Slice fewer training images into the run: X_train[:n_train] and y_train[:n_train].",
)
def _less_data(history: Any) -> Reading:
    logs = curves(history, "accuracy", "val_accuracy")
    train, val = logs["accuracy"][-1], logs["val_accuracy"][-1]
    evidence = [
        f"accuracy at the end: training {train:.1%}, validation {val:.1%} (gap {100 * (train - val):.1f} points)",
        "goal: training above 99%, validation 99.0% or less",
    ]
    return Reading(train > 0.99 and val < 0.9905, evidence)


@exercise(
    "02.4",
    title="Train longer",
    goal="Train the seed's model long enough that its validation loss has clearly turned: lowest at least "
    "10 epochs before the end, and at least 10% above that at the end.",
    hint="With 10 epochs the dot cannot be 10 epochs before the end: give the run more epochs.",
)
def _train_longer(history: Any) -> Reading:
    logs = curves(history, "loss", "val_loss", "val_accuracy")
    val_loss, val_accuracy = logs["val_loss"], logs["val_accuracy"]
    if not np.all(np.isfinite(val_loss)):
        raise ValueError("the validation loss has NaN or infinite values: train the seed's model of the lesson")
    best = best_epoch(val_loss)
    rise = val_loss[-1] / min(val_loss) - 1
    evidence = [
        f"validation loss lowest at epoch {best} of {len(val_loss)}, {rise:.0%} above that at the end "
        "(goal: at least 10 epochs before the end, at least 10% above)",
        f"validation accuracy: {val_accuracy[best - 1]:.1%} at epoch {best}, {val_accuracy[-1]:.1%} at the end",
    ]
    return Reading(len(val_loss) - best >= 10 and rise >= 0.10, evidence)


@exercise(
    "02.5",
    title="A higher bar for 1",
    goal="Raise the bar for answering 1 above 0.5 until the model calls fewer other digits a 1 than at 0.5, "
    "and read what it costs in missed 1s.",
    hint="The bar is the probability above which the answer is 1: a higher bar means fewer answers 1.",
)
def _higher_bar(probabilities: Any, labels: Any, *, bar: float) -> Reading:
    bar = check_number("bar", bar, low=0, high=1, low_inclusive=False, high_inclusive=False)
    probability, label = _scores(probabilities, labels)
    missed_half, false_half = _mistakes(probability, label)
    missed, false = _mistakes(probability, label, bar)
    evidence = [
        f"at 0.5: {missed_half} missed 1s, {false_half} other digits called a 1",
        f"at {bar:g}: {missed} missed 1s, {false} other digits called a 1",
    ]
    hint = None
    if bar > 0.5 and false_half == 0:
        hint = "At 0.5 this model already calls no other digit a 1: nothing to lower; read the missed 1s instead."
    return Reading(bar > 0.5 and (false < false_half or false_half == 0), evidence, hint)

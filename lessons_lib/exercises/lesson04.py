"""Lesson 04's exercises: a rare class, read with per-class numbers instead of accuracy.

Each check reads the learner's run: a ``History`` (its validation recall, accuracy and PR AUC
curves) or the labels and the model's probabilities of the validation images.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lessons_lib.exercises.reading import curves
from lessons_lib.exercises.registry import Reading, exercise


def _labels_and_probabilities(y_true: Any, probability: Any) -> tuple[np.ndarray, np.ndarray]:
    """The 0/1 labels and the probabilities of "rare class", one per image, checked."""
    labels = np.asarray(y_true).ravel()
    probabilities = np.asarray(probability, dtype=float).ravel()
    if labels.size == 0 or not np.isin(labels, (0, 1)).all():
        raise ValueError(f"y_true must be the validation labels, 0 or 1 (y_val), got {y_true!r}")
    if probabilities.shape != labels.shape:
        raise ValueError(
            f"probability must hold one probability per label ({labels.size}), got {probabilities.size}: "
            "pass model.predict(x_val).ravel()"
        )
    if not np.isfinite(probabilities).all() or (probabilities < 0).any() or (probabilities > 1).any():
        raise ValueError("probability must be numbers from 0 to 1, the sigmoid outputs of model.predict(x_val)")
    if labels.sum() == 0:
        raise ValueError("y_true holds no image of the rare class (label 1): pass the validation labels, y_val")
    return labels.astype(int), probabilities


def _moves(values: list[float]) -> int:
    """How many times a curve changes from one epoch to the next."""
    return sum(abs(after - before) > 1e-9 for before, after in zip(values, values[1:], strict=False))


def _recall_precision(labels: np.ndarray, predicted: np.ndarray) -> tuple[float, float, int, int]:
    found = int((predicted & (labels == 1)).sum())
    flagged = int(predicted.sum())
    return found / int(labels.sum()), (found / flagged if flagged else 0.0), found, flagged


@exercise(
    "04.1",
    title="Rarer and rarer",
    goal="Make the rare class so rare that the accuracy curve stays above 0.98 in every epoch "
    "while the unweighted model ends with a recall of the rare digit below 0.15.",
    hint="A model that always answers 'not the rare digit' scores 1 minus the rare class's share: "
    "change how rare the class is, not the model.",
)
def _rarer_and_rarer(history: Any) -> Reading:
    logs = curves(history, "val_accuracy", "val_recall")
    accuracy, recall = logs["val_accuracy"], logs["val_recall"]
    lowest = min(accuracy)
    evidence = [
        f"validation accuracy over {len(accuracy)} epochs: lowest {lowest:.3f}, last {accuracy[-1]:.3f}",
        f"validation recall of the rare digit at the last epoch: {recall[-1]:.3f} (best {max(recall):.3f})",
    ]
    passed = lowest > 0.98 and recall[-1] < 0.15
    hint = None
    if lowest > 0.98:
        hint = (
            "The accuracy curve is high enough; train as the starter does, without class weights, and read the recall."
        )
    return Reading(passed, evidence, hint)


@exercise(
    "04.2",
    title="Move the threshold instead",
    goal="Find the largest threshold at which the unweighted model's recall of the 9s reaches 0.9.",
    hint="A 9 counts as found when its probability is above the threshold: lower the threshold until "
    "nine in ten 9s are above it, and no further.",
)
def _move_the_threshold(y_true: Any, probability: Any, threshold: Any) -> Reading:
    labels, probabilities = _labels_and_probabilities(y_true, probability)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.number)) or not 0 <= threshold <= 1:
        raise ValueError(f"threshold must be a number from 0 to 1, got {threshold!r}")
    threshold = float(threshold)
    recall, precision, found, flagged = _recall_precision(labels, probabilities > threshold)
    n_rare = int(labels.sum())
    needed = math.ceil(0.9 * n_rare)
    rare_sorted = np.sort(probabilities[labels == 1])[::-1]  # the 9s' probabilities, highest first
    reaches = found >= needed
    # the largest such threshold lies just below the needed-th highest probability of a 9: a
    # threshold at or above the next one down would find no more 9s than the one below it
    largest = reaches and (needed >= n_rare or threshold >= rare_sorted[needed])
    evidence = [
        f"threshold {threshold:.4g}: {found} of {n_rare} 9s found (recall {recall:.3f}; 0.9 needs {needed})",
        f"images called a 9: {flagged}, of which real 9s: precision {precision:.3f}",
    ]
    hint = None
    if reaches and not largest:
        hint = "Recall reaches 0.9, but a higher threshold would too: raise it until one more 9 would be lost."
    return Reading(reaches and largest, evidence, hint)


@exercise(
    "04.3",
    title="A model that can separate the classes",
    goal="Without class weights or resampling, bring the validation recall of the 9s above 0.5 at the last epoch.",
    hint="One sigmoid unit draws a single straight boundary through pixel space; a 9 and a 4 need more than that.",
)
def _a_model_that_separates(history: Any) -> Reading:
    logs = curves(history, "val_recall", "val_accuracy")
    recall, accuracy = logs["val_recall"], logs["val_accuracy"]
    evidence = [
        f"validation recall of the 9s at the last epoch ({len(recall)}): {recall[-1]:.3f} (best {max(recall):.3f})",
        f"validation accuracy at the last epoch: {accuracy[-1]:.3f}",
    ]
    return Reading(recall[-1] > 0.5, evidence)


@exercise(
    "04.4",
    title="Milder weights",
    goal="Pick class weights that land between the two operating points: "
    "precision of the 9s above 0.35 while their recall stays above 0.5, at the threshold 0.5.",
    hint="The balanced weights make a 9 count about 32 times as much as another digit; "
    "somewhere between 1 and that the model stops calling so many other digits 9s.",
)
def _milder_weights(y_true: Any, probability: Any) -> Reading:
    labels, probabilities = _labels_and_probabilities(y_true, probability)
    recall, precision, found, flagged = _recall_precision(labels, probabilities > 0.5)
    evidence = [
        f"recall of the 9s at 0.5: {recall:.3f} ({found} of {int(labels.sum())} found)",
        f"precision of the 9s at 0.5: {precision:.3f} ({found} of the {flagged} images called a 9)",
    ]
    hint = None
    if precision > 0.35 and recall <= 0.5:
        hint = "Precision is there, but too many 9s are missed now: give the 9s a little more weight."
    return Reading(precision > 0.35 and recall > 0.5, evidence, hint)


@exercise(
    "04.5",
    title="Monitor what matters",
    goal="Log the PR AUC of the validation set as a curve (val_pr_auc) and find epochs in which it "
    "already rises above 0.15, five times chance, while the recall curve still says 0.",
    hint="Add keras.metrics.AUC(curve='PR', name='pr_auc') to the metrics the model is compiled with.",
)
def _monitor_what_matters(history: Any) -> Reading:
    logs = curves(history, "val_recall")
    recall = logs["val_recall"]
    if "val_pr_auc" not in logs:
        evidence = [f"the run has no val_pr_auc curve (it has {', '.join(sorted(logs))})"]
        return Reading(False, evidence)
    pr_auc = logs["val_pr_auc"]
    silent = [epoch for epoch, value in enumerate(recall, start=1) if value == 0]
    best_silent = max((pr_auc[epoch - 1] for epoch in silent), default=float("nan"))
    evidence = [
        f"epochs with validation recall 0: {len(silent)} of {len(recall)}",
        f"PR AUC in those epochs: up to {best_silent:.3f}" if silent else "no epoch has recall 0",
        f"epoch to epoch, the recall curve moved {_moves(recall)} times, the PR AUC curve {_moves(pr_auc)} times "
        f"(of {len(recall) - 1})",
    ]
    hint = None
    if not silent:
        hint = "Recall is above 0 from the first epoch: train as the starter does (no weights, zero-bias start)."
    return Reading(bool(silent) and best_silent > 0.15, evidence, hint)

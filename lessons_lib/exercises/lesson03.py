"""Lesson 03's exercises: what makes fit's training curve differ from the validation curve.

Each check reads the learner's run: the curves of a ``History`` (those ``fit`` writes, and those
the lesson's measuring callbacks add), the model's weight penalty, or the accuracies
``evaluate`` returned.
"""

from __future__ import annotations

import math
from typing import Any

from lessons_lib.exercises.reading import best_epoch, curves
from lessons_lib.exercises.registry import Reading, exercise


def _number(name: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    return number


def _epochs(flags: list[bool]) -> str:
    chosen = [str(epoch) for epoch, flag in enumerate(flags, start=1) if flag]
    return ", ".join(chosen) if chosen else "none"


@exercise(
    "03.1",
    title="Heavier dropout",
    goal="Make fit's training accuracy trail the same weights scored with dropout off (eval_accuracy) "
    "by more than 0.25 at the last epoch.",
    hint="The distance between fit's training curve and the dropout-off curve is what dropout costs "
    "the network that fit scores: change how much it drops.",
)
def _heavier_dropout(history: Any) -> Reading:
    logs = curves(history, "accuracy", "eval_accuracy", "val_accuracy")
    fit_accuracy, dropout_off, validation = logs["accuracy"][-1], logs["eval_accuracy"][-1], logs["val_accuracy"][-1]
    gap = dropout_off - fit_accuracy
    evidence = [
        f"last epoch ({len(logs['accuracy'])}): training accuracy as fit reports it {fit_accuracy:.3f}, "
        f"dropout off {dropout_off:.3f}, validation {validation:.3f}",
        f"dropout off minus fit's: {gap:.3f} (the goal: more than 0.25)",
    ]
    return Reading(gap > 0.25, evidence)


@exercise(
    "03.2",
    title="The question's 50 epochs, in small",
    goal="Train both models long enough that the one without dropout passes its lowest validation loss "
    "(at least 3 epochs before the end) and ends with a higher validation loss than the one with dropout.",
    hint="Where a validation loss has its lowest point shows only once the run has gone past it.",
)
def _fifty_epochs(history_dropout: Any, history_no_dropout: Any) -> Reading:
    with_dropout = curves(history_dropout, "val_loss", "accuracy", "val_accuracy")
    without = curves(history_no_dropout, "val_loss")
    epochs = len(without["val_loss"])
    best_with, best_without = best_epoch(with_dropout["val_loss"]), best_epoch(without["val_loss"])
    last_with, last_without = with_dropout["val_loss"][-1], without["val_loss"][-1]
    above = [v > t for v, t in zip(with_dropout["val_accuracy"], with_dropout["accuracy"], strict=True)]
    evidence = [
        f"without dropout: lowest validation loss {min(without['val_loss']):.3f} at epoch {best_without} "
        f"of {epochs}, last {last_without:.3f}",
        f"with dropout: lowest validation loss {min(with_dropout['val_loss']):.3f} at epoch {best_with} "
        f"of {len(with_dropout['val_loss'])}, last {last_with:.3f}",
        f"with dropout, validation accuracy above fit's training accuracy in {sum(above)} of {len(above)} epochs",
    ]
    passed = 0 < best_without <= epochs - 3 and last_without > last_with
    return Reading(passed, evidence)


@exercise(
    "03.3",
    title="Batch size",
    goal="Run epoch 1 in at least 150 steps (the starter makes 47) and measure both parts of the gap: "
    "epoch averaging and dropout.",
    hint="The number of steps in an epoch is the number of images divided by the batch size.",
)
def _batch_size(history: Any) -> Reading:
    logs = curves(history, "accuracy", "dropout_on_accuracy", "eval_accuracy", "val_accuracy")
    steps = (getattr(history, "params", None) or {}).get("steps")
    if not isinstance(steps, int):
        raise ValueError("history must be the History that model.fit returned: its .params hold the steps per epoch")
    averaging = logs["dropout_on_accuracy"][0] - logs["accuracy"][0]
    dropout = logs["eval_accuracy"][0] - logs["dropout_on_accuracy"][0]
    evidence = [
        f"steps per epoch: {steps}",
        f"epoch 1: epoch averaging {averaging:.3f}, dropout {dropout:.3f}, "
        f"validation accuracy at the end of the epoch {logs['val_accuracy'][0]:.3f}",
    ]
    return Reading(steps >= 150, evidence)


@exercise(
    "03.4",
    title="A sanity check of the callback",
    goal="Add a curve again_accuracy (and again_loss) that equals val_accuracy (and val_loss) in every epoch.",
    hint="InferenceModeMetrics scores whatever data you give it, as evaluate would, and names its curves "
    "with its prefix.",
)
def _sanity_check(history: Any) -> Reading:
    logs = curves(history, "val_accuracy", "val_loss")
    if "again_accuracy" not in logs or "again_loss" not in logs:
        have = ", ".join(sorted(logs))
        return Reading(False, [f"the run has no again_accuracy and again_loss curves (it has {have})"])
    accuracy_gap = max(abs(a - b) for a, b in zip(logs["again_accuracy"], logs["val_accuracy"], strict=True))
    loss_gap = max(abs(a - b) for a, b in zip(logs["again_loss"], logs["val_loss"], strict=True))
    evidence = [
        f"largest difference over {len(logs['val_loss'])} epochs: accuracy {accuracy_gap:.2g}, loss {loss_gap:.2g}",
    ]
    passed = accuracy_gap < 1e-6 and loss_gap < 1e-4
    hint = None if passed else "The again_ curves differ from the validation curves: score the validation set."
    return Reading(passed, evidence, hint)


@exercise(
    "03.5",
    title="Another regularizer",
    goal="With a weight penalty in the loss instead of dropout, get validation accuracy above fit's "
    "training accuracy in epoch 1 and below it in the last epoch.",
    hint="A penalty such as kernel_regularizer=keras.regularizers.L2(1e-3) stays in both losses; "
    "the Dropout layers are what handicap fit's training accuracy in every epoch.",
)
def _another_regularizer(history: Any, model: Any) -> Reading:
    logs = curves(history, "accuracy", "val_accuracy")
    if not hasattr(model, "losses"):
        raise ValueError(f"model must be the Keras model that was trained, got {type(model).__name__}")
    penalty = float(sum(float(loss) for loss in model.losses))
    fit_accuracy, validation = logs["accuracy"], logs["val_accuracy"]
    above = [v > t for v, t in zip(validation, fit_accuracy, strict=True)]
    evidence = [
        f"weight penalty in the loss after training: {penalty:.4f}",
        f"validation accuracy above fit's training accuracy in epochs: {_epochs(above)} of {len(above)}",
        f"last epoch: fit's training accuracy {fit_accuracy[-1]:.3f}, validation {validation[-1]:.3f}",
    ]
    passed = penalty > 0 and above[0] and not above[-1]
    hint = None
    if penalty <= 0:
        hint = "This model has no weight penalty in its loss: give the Dense(32) layer a kernel_regularizer."
    return Reading(passed, evidence, hint)


@exercise(
    "03.6",
    title="More wrong labels",
    goal="Make evaluate's validation accuracy beat its training accuracy by more than 0.2.",
    hint="The training accuracy is counted against the training labels, wrong ones included.",
)
def _more_wrong_labels(train_accuracy: Any, val_accuracy: Any) -> Reading:
    train = _number("train_accuracy", train_accuracy, 0, 1)
    validation = _number("val_accuracy", val_accuracy, 0, 1)
    evidence = [
        f"evaluate: training accuracy {train:.3f}, validation accuracy {validation:.3f}",
        f"validation minus training: {validation - train:.3f} (the goal: more than 0.2)",
    ]
    return Reading(validation - train > 0.2, evidence)


@exercise(
    "03.7",
    title="Batch normalization's momentum",
    goal="Make the two modes agree from epoch 1: a training-set loss gap between moving averages "
    "and batch statistics under 0.1 at the end of epoch 1.",
    hint="The momentum sets how much of the old moving average each step keeps.",
)
def _momentum(history: Any) -> Reading:
    logs = curves(history, "batch_stats_loss", "moving_avg_loss", "val_loss")
    lag = [moving - batch for moving, batch in zip(logs["moving_avg_loss"], logs["batch_stats_loss"], strict=True)]
    agree = [abs(value) < 0.1 for value in lag]
    evidence = [
        "training-set loss, moving averages minus batch statistics, per epoch: "
        + ", ".join(f"{value:.3f}" for value in lag),
        f"epochs in which the two modes agree (within 0.1): {_epochs(agree)}",
        f"epoch-1 validation loss {logs['val_loss'][0]:.3f} (training set, batch statistics: "
        f"{logs['batch_stats_loss'][0]:.3f})",
    ]
    return Reading(agree[0], evidence)


@exercise(
    "03.8",
    title="Small batches",
    goal="Score the training set in training mode with batches so small that its loss at the last epoch "
    "is at least 0.05 above the score with batches of 64.",
    hint="The batch_size of TrainingModeMetrics sets how many images share their batch statistics.",
)
def _small_batches(history: Any) -> Reading:
    logs = curves(history, "batch_stats_loss", "small_batch_loss")
    batch64, small = logs["batch_stats_loss"][-1], logs["small_batch_loss"][-1]
    evidence = [
        f"last epoch, training mode: loss {batch64:.3f} with batches of 64, {small:.3f} with small_batch_",
        f"difference: {small - batch64:.3f} (the goal: at least 0.05)",
    ]
    return Reading(small - batch64 >= 0.05, evidence)

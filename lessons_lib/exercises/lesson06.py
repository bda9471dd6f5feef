"""Lesson 06's exercises: where overfitting starts, more data, L1, too much regularization, early stopping."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from lessons_lib.checks import check_number
from lessons_lib.exercises.reading import best_epoch, curves, doctor_codes
from lessons_lib.exercises.registry import Reading, exercise

#: The lesson's large model, [512, 512] on 784 pixels: the size the other models are compared with.
LARGE_WEIGHTS = 669_706


def _turn(values: Sequence[float]) -> tuple[int, float]:
    """The 1-based epoch of the lowest value, and how far the mean of the last 3 epochs rose above it."""
    low = best_epoch(values)
    tail = float(np.mean(values[-3:]))
    return low, tail / values[low - 1] - 1


def _count_weights(model: Any) -> int:
    if not hasattr(model, "count_params"):
        raise TypeError(f"model must be the Keras model the starter cell trained, got {type(model).__name__}")
    return int(model.count_params())


def _first_kernel(model: Any) -> np.ndarray:
    """The weights of the model's first Dense layer (its kernel), the one that sees the pixels."""
    for layer in getattr(model, "layers", None) or []:
        weights = layer.get_weights()
        if weights and np.ndim(weights[0]) == 2:
            return np.asarray(weights[0])
    raise TypeError(f"model must be the Keras model the starter cell trained, got {type(model).__name__}")


def _kept_number(scores: Any, name: str) -> float:
    """One number of ``model.evaluate(..., return_dict=True)``, checked."""
    if not isinstance(scores, dict) or name not in scores:
        raise ValueError(
            f"scores must be the dict model.evaluate(x_val, y_val, verbose=0, return_dict=True) returns, with {name!r}"
        )
    return check_number(f"scores[{name!r}]", float(scores[name]), low=0)


@exercise(
    "06.1",
    title="Find the edge of overfitting",
    goal="Find a model with fewer than half the large model's weights whose validation loss turns back up: "
    "lowest at least 5 epochs before the end, and at least 3% above that lowest value at the end.",
    hint="Width is not the only knob: try a second hidden layer.",
)
def _edge_of_overfitting(history: Any, model: Any) -> Reading:
    val_loss = curves(history, "loss", "val_loss")["val_loss"]
    weights = _count_weights(model)
    low, rise = _turn(val_loss)
    evidence = [
        f"{weights:,d} weights (the large model: {LARGE_WEIGHTS:,d})",
        f"validation loss lowest at epoch {low} of {len(val_loss)} ({val_loss[low - 1]:.3f}), "
        f"{rise:+.1%} at the end (mean of the last 3 epochs)",
    ]
    turns_up = low <= len(val_loss) - 5 and rise >= 0.03
    small_enough = weights < LARGE_WEIGHTS / 2
    hint = None
    if turns_up and not small_enough:
        hint = "This one turns up, but it is not much smaller than the large model: remove weights."
    return Reading(turns_up and small_enough, evidence, hint)


@exercise(
    "06.2",
    title="How much data is enough?",
    goal="Bring the large model's lowest validation loss below 0.35 without changing the model.",
    hint="The model is the same; what it learns from is not: give it more of the images you loaded.",
)
def _more_data(history: Any, model: Any) -> Reading:
    logs = curves(history, "loss", "val_loss")
    val_loss = logs["val_loss"]
    weights = _count_weights(model)
    low, rise = _turn(val_loss)
    steps = (getattr(history, "params", None) or {}).get("steps")
    evidence = [
        f"validation loss lowest at epoch {low} of {len(val_loss)}: {val_loss[low - 1]:.3f}; "
        f"{rise:+.1%} at the end (mean of the last 3 epochs)",
        f"{steps} training steps per epoch" if steps else "training steps per epoch: unknown",
        f"{weights:,d} weights",
    ]
    same_model = weights == LARGE_WEIGHTS
    hint = None if same_model else "Keep the large model (build_model(sizes['large'])): change the data only."
    return Reading(same_model and val_loss[low - 1] < 0.35, evidence, hint)


@exercise(
    "06.3",
    title="L1 instead of L2",
    goal="Make at least half of the first layer's weights (almost) zero, under 0.001 in size, while the "
    "training cross-entropy still ends below 0.1.",
    hint="L2 shrinks every weight a little; the other penalty pushes weights all the way to zero.",
)
def _l1(history: Any, model: Any) -> Reading:
    logs = curves(history, "cross_entropy", "val_cross_entropy")
    kernel = _first_kernel(model)
    share = float(np.mean(np.abs(kernel) < 1e-3))
    fitted = logs["cross_entropy"][-1]
    evidence = [
        f"{share:.1%} of the first layer's {kernel.size:,d} weights are under 0.001 in size",
        f"training cross-entropy at the end {fitted:.3f}, validation {logs['val_cross_entropy'][-1]:.3f}",
    ]
    hint = None
    if share >= 0.5 and not fitted < 0.1:
        hint = "That many zeros, but the model no longer fits its training set: weaken the penalty."
    return Reading(share >= 0.5 and fitted < 0.1, evidence, hint)


def _cross_entropy_curves(history: Any) -> dict[str, list[float]]:
    logs = curves(history, "cross_entropy", "val_cross_entropy", "accuracy", "val_accuracy")
    return {
        "loss": logs["cross_entropy"],
        "val_loss": logs["val_cross_entropy"],
        "accuracy": logs["accuracy"],
        "val_accuracy": logs["val_accuracy"],
    }


@exercise(
    "06.4",
    title="Too much of a good thing",
    goal="Regularize the large model so much that it underfits: the curve doctor, reading the cross-entropy "
    "curves, finds underfitting (or not_learning), and the training cross-entropy ends above 0.5.",
    hint="Turn one dial far up: a much larger penalty, or a much larger dropout rate.",
)
def _too_much(history: Any) -> Reading:
    logs = _cross_entropy_curves(history)
    codes = doctor_codes(logs, n_classes=10)
    fitted = logs["loss"][-1]
    evidence = [
        f"training cross-entropy at the end {fitted:.3f}, validation {logs['val_loss'][-1]:.3f}",
        f"training accuracy at the end {logs['accuracy'][-1]:.3f}",
        f"the doctor, on the cross-entropy curves: {', '.join(codes)}",
    ]
    underfits = bool({"underfitting", "not_learning"} & set(codes))
    return Reading(underfits and math.isfinite(fitted) and fitted > 0.5, evidence)


@exercise(
    "06.5",
    title="What restore_best_weights does",
    goal="Let early stopping stop the run, and make the model end with the weights of the epoch at which it "
    "stopped rather than those of its best epoch.",
    hint="When the callback stops, one argument decides which weights the model keeps.",
)
def _no_restore(history: Any, scores: Any) -> Reading:
    val_loss = curves(history, "val_loss")["val_loss"]
    kept = _kept_number(scores, "loss")
    low = best_epoch(val_loss)
    lowest, last = val_loss[low - 1], val_loss[-1]
    asked = (getattr(history, "params", None) or {}).get("epochs")
    evidence = [
        f"stopped at epoch {len(val_loss)}" + (f" of {asked}" if asked else "") + f"; best epoch {low} ({lowest:.3f})",
        f"validation loss of the weights kept: {kept:.3f}; at the last epoch it was {last:.3f}",
    ]
    if low < len(val_loss):
        evidence.append(f"the last epoch's weights cost {last - lowest:+.3f} against the best epoch's")
    stopped = asked is None or len(val_loss) < asked
    is_last = abs(kept - last) <= 1e-3 and last - lowest > 1e-3
    hint = None if stopped else "The run used all its epochs: let the callback stop it (more epochs, or less patience)."
    return Reading(stopped and is_last, evidence, hint)


@exercise(
    "06.6",
    title="Early stopping with L2 on",
    goal="Make early stopping stop the L2 model before its epochs run out, and keep the weights of its lowest "
    "validation cross-entropy.",
    hint="With a penalty in the loss, val_loss keeps falling as the weights shrink: watch a curve without it.",
)
def _l2_early_stopping(history: Any, scores: Any) -> Reading:
    logs = curves(history, "val_loss", "val_cross_entropy")
    cross_entropy = logs["val_cross_entropy"]
    kept = _kept_number(scores, "cross_entropy")
    low = best_epoch(cross_entropy)
    ran = len(cross_entropy)
    asked = (getattr(history, "params", None) or {}).get("epochs")
    evidence = [
        f"ran {ran} epochs" + (f" of {asked}" if asked else ""),
        f"val_loss lowest at epoch {best_epoch(logs['val_loss'])}; val_cross_entropy lowest at epoch {low} "
        f"({cross_entropy[low - 1]:.3f})",
        f"validation cross-entropy of the weights kept: {kept:.3f}",
    ]
    stopped = asked is None or ran < asked
    restored = abs(kept - cross_entropy[low - 1]) <= 0.005
    return Reading(stopped and restored, evidence)

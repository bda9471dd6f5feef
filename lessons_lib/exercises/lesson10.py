"""Lesson 10's exercises: the loss, the initialisation, label noise, patience, and the step size."""

from __future__ import annotations

import math
from typing import Any

from lessons_lib.checks import check_number
from lessons_lib.exercises.reading import best_epoch, blew_up, curves
from lessons_lib.exercises.registry import Reading, exercise

#: Cross-entropy for 10 classes when every digit gets 1/10: the loss of guessing.
GUESSING_LOSS = math.log(10)


def _epochs_asked(history: Any) -> int | None:
    """The ``epochs`` the run was asked for (a History knows it; a plain dict does not)."""
    params = getattr(history, "params", None) or {}
    return params.get("epochs")


def _steps_per_epoch(history: Any) -> int | None:
    params = getattr(history, "params", None) or {}
    return params.get("steps")


@exercise(
    "10.1",
    title="Does mean squared error catch up?",
    goal="Train the softmax classifier with mean squared error until its validation accuracy reaches 0.80.",
    hint="Mean squared error learns slowly through a softmax: give it more epochs (or, if you like, larger steps).",
)
def _mse_catches_up(history: Any) -> Reading:
    logs = curves(history, "loss", "val_accuracy")
    accuracy = logs["val_accuracy"]
    reached = next((epoch for epoch, value in enumerate(accuracy, start=1) if value >= 0.80), None)
    evidence = [
        f"validation accuracy {accuracy[-1]:.3f} after {len(accuracy)} epochs (best {max(accuracy):.3f})",
        f"0.80 first reached at epoch {reached}" if reached else "0.80 not reached",
    ]
    return Reading(accuracy[-1] >= 0.80, evidence)


@exercise(
    "10.2",
    title="An initialisation that is too large",
    goal="Find an initialisation with which the deep network's training loss is not a number (NaN) or at least "
    "three times the guessing loss ln 10 = 2.3 in its first epoch.",
    hint="Too small made every layer shrink the signal; make the standard deviation far larger instead.",
)
def _too_large(history: Any) -> Reading:
    loss = curves(history, "loss")["loss"]
    broken = blew_up(loss)
    first = loss[0]
    evidence = [
        f"training loss in epoch 1: {first:.3f}" if math.isfinite(first) else "training loss in epoch 1: not a number",
        f"the loss of guessing: ln 10 = {GUESSING_LOSS:.3f}",
    ]
    if broken and broken > 1:
        evidence.append(f"the loss became NaN or infinite at epoch {broken}")
    passed = broken == 1 or (math.isfinite(first) and first >= 3 * GUESSING_LOSS)
    hint = None
    if math.isfinite(first) and abs(first - GUESSING_LOSS) < 0.05 * GUESSING_LOSS:
        hint = "A loss at ln 10 is the uniform guess of a signal that has shrunk to nothing: scale the weights up."
    return Reading(passed, evidence, hint)


@exercise(
    "10.3",
    title="The large model on clean labels",
    goal="Make the large model's validation accuracy end at 0.85 or more, within 2 points of its best epoch.",
    hint="Every wrong label it memorises costs it on new images: what happens with no wrong labels at all?",
)
def _clean_labels(history: Any) -> Reading:
    logs = curves(history, "accuracy", "val_accuracy")
    accuracy = logs["val_accuracy"]
    top = best_epoch(accuracy, highest=True)
    drop = max(accuracy) - accuracy[-1]
    evidence = [
        f"validation accuracy at the end {accuracy[-1]:.3f}, best {max(accuracy):.3f} (epoch {top}): "
        f"{100 * drop:.1f} points lost since",
        f"training accuracy at the end {logs['accuracy'][-1]:.3f}",
    ]
    return Reading(accuracy[-1] >= 0.85 and drop <= 0.02, evidence)


@exercise(
    "10.4",
    title="What patience costs",
    goal="Let the callback watch the validation loss for at least 10 epochs past its best epoch, stop before the "
    "epochs run out, and still end with the best epoch's weights.",
    hint="patience is the number of epochs the callback waits for a new best before it stops.",
)
def _patience(history: Any, kept_loss: float) -> Reading:
    val_loss = curves(history, "val_loss")["val_loss"]
    kept = check_number("kept_loss", kept_loss, low=0)
    best = best_epoch(val_loss)
    lowest = val_loss[best - 1]
    ran, asked = len(val_loss), _epochs_asked(history)
    evidence = [
        f"stopped at epoch {ran}"
        + (f" of {asked}" if asked else "")
        + f", {ran - best} epochs after the best, epoch {best}",
        f"validation loss lowest {lowest:.3f}, at the end {val_loss[-1]:.3f} ({val_loss[-1] / lowest - 1:+.0%})",
        f"validation loss with the weights kept: {kept:.3f}",
    ]
    restored = abs(kept - lowest) <= 0.002 + 0.002 * lowest
    stopped = asked is None or ran < asked
    passed = ran - best >= 10 and stopped and restored
    hint = None
    if not restored:
        hint = "The kept weights are not the best epoch's: which EarlyStopping argument puts them back?"
    elif not stopped:
        hint = "The run used all its epochs: the callback never stopped it, so ask for more epochs."
    return Reading(passed, evidence, hint)


@exercise(
    "10.5",
    title="Few large batches, larger steps",
    goal="At batch size 512 (2 steps per epoch on 1,000 images), bring the training loss below 0.5 in 5 epochs.",
    hint="Fewer steps per epoch need larger steps: change the learning rate, not the batch size.",
)
def _large_batch(history: Any) -> Reading:
    loss = curves(history, "loss")["loss"]
    steps = _steps_per_epoch(history)
    evidence = [
        f"training loss after {len(loss)} epochs: {loss[-1]:.3f}" if math.isfinite(loss[-1]) else "training loss: NaN",
        f"{steps} steps per epoch" if steps else "steps per epoch: unknown (pass the History itself)",
    ]
    large_batches = steps is not None and steps <= 4
    passed = large_batches and len(loss) <= 5 and math.isfinite(loss[-1]) and loss[-1] < 0.5
    hint = None
    if not large_batches:
        hint = "Keep batch_size=512 (at most 4 steps per epoch) and pass the History fit returned."
    elif len(loss) > 5:
        hint = "Keep epochs=5: the goal is to learn as much with the same 10 steps."
    return Reading(passed, evidence, hint)

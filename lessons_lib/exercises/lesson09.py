"""Lesson 09's exercises: the data recipes pushed until they break (or show what they cannot do)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lessons_lib.exercises.reading import curves, trained_model_and_digits
from lessons_lib.exercises.registry import Reading, exercise


@exercise(
    "09.1",
    title="Memorised wrong labels",
    goal="Train the label-noise model long enough that it memorises the flipped labels: at most 80% of the "
    "50 highest-loss training examples carry a flipped label (§2's 5-epoch run: nearly all of them).",
    hint="A flipped label keeps a high loss only while the model has not learned it by heart: train longer.",
)
def _memorised(per_example_loss: Any, flipped: Any) -> Reading:
    losses = np.asarray(per_example_loss, dtype=float).ravel()
    wrong = np.asarray(flipped, dtype=bool).ravel()
    if losses.shape != wrong.shape or len(losses) < 100 or not np.isfinite(losses).all():
        raise ValueError(
            "per_example_loss and flipped must give one finite loss and one flag per training example, "
            f"got {losses.shape[0]} losses and {wrong.shape[0]} flags"
        )
    ranking = np.argsort(-losses)
    top50, top200 = wrong[ranking[:50]].mean(), wrong[ranking[:200]].mean()
    evidence = [
        f"flipped labels among the 50 highest losses: {top50:.0%} (the goal: 80% or less)",
        f"among the 200 highest: {top200:.0%}; in a random pick: {wrong.mean():.0%}",
    ]
    return Reading(bool(top50 <= 0.8), evidence)


@exercise(
    "09.2",
    title="A learning rate small enough for raw units",
    goal="Find a learning rate at which the raw-units run no longer blows up: every loss finite, and the "
    "training loss ends at half its first epoch's or less. Then read how far each weight moved.",
    hint="The square-feet inputs are in the thousands: the learning rate must shrink by many powers of ten.",
)
def _raw_units(history: Any, weights_before: Any, weights_after: Any) -> Reading:
    logs = curves(history, "loss")
    before = np.asarray(weights_before, dtype=float).ravel()
    after = np.asarray(weights_after, dtype=float).ravel()
    if before.shape != (2,) or after.shape != (2,):
        raise ValueError(
            "weights_before and weights_after must be the two weights of the Dense layer (bedrooms, size), "
            f"got {before.size} and {after.size} numbers"
        )
    losses = logs["loss"]
    finite = all(math.isfinite(value) for value in losses)
    fell = finite and losses[-1] <= 0.5 * losses[0]
    moved = np.abs(after - before)
    evidence = [
        "training loss per epoch: " + ", ".join(f"{value:.3g}" for value in losses[:3]) + f" ... {losses[-1]:.3g}",
        f"the bedrooms weight moved by {moved[0]:.3g} (to {after[0]:.3g}; the data's slope: 0.5 per bedroom)",
        f"the size weight moved by {moved[1]:.3g} (to {after[1]:.3g}; the data's slope: 0.001 per square foot)",
    ]
    return Reading(bool(fell), evidence)


@exercise(
    "09.3",
    title="Overlapping rings",
    goal="Make the rings overlap until even the engineered feature stays below 0.95 accuracy, on the training "
    "and the validation set, after at least §4's 10 epochs (so the limit is in the data, not in the training).",
    hint="make_circles has a noise argument: the larger it is, the more the two rings mix.",
)
def _overlap(history: Any) -> Reading:
    logs = curves(history, "loss", "accuracy", "val_accuracy")
    epochs = len(logs["loss"])
    training, validation = logs["accuracy"][-1], logs["val_accuracy"][-1]
    evidence = [
        f"final accuracy: training {training:.3f}, validation {validation:.3f} (the goal: both below 0.95)",
        f"{epochs} epochs; training loss in the last three: " + ", ".join(f"{v:.3f}" for v in logs["loss"][-3:]),
    ]
    separated = training >= 0.95 or validation >= 0.95
    short = "Train for at least §4's 10 epochs, so that the data, not the training, sets the limit."
    hint = short if epochs < 10 and not separated else None
    return Reading(bool(not separated and epochs >= 10), evidence, hint)


@exercise(
    "09.4",
    title="Mirrored digits",
    goal="Add layers.RandomFlip('horizontal') to §5's augmentation and train until the model reads mirrored "
    "validation digits about as well as the real ones (within 0.15); then compare its validation accuracy "
    "with the starter's.",
    hint="Your model was never shown a mirrored digit: add the flip to its augmentation.",
)
def _mirrored(model: Any, images: Any, labels: Any) -> Reading:
    batch = trained_model_and_digits(model, images)
    digits = np.asarray(labels).astype(int).ravel()
    if digits.shape != (len(batch),):
        raise ValueError(f"labels must give one digit per image, got shape {np.shape(labels)}")
    real = float(np.mean(np.argmax(model.predict(batch, verbose=0), axis=1) == digits))
    mirrored = float(np.mean(np.argmax(model.predict(batch[:, :, ::-1], verbose=0), axis=1) == digits))
    evidence = [f"validation accuracy on the real digits {real:.3f}, on their mirror images {mirrored:.3f}"]
    hint = "The model reads few digits at all: train it for more epochs." if real < 0.5 else None
    return Reading(bool(real >= 0.5 and mirrored >= real - 0.15), evidence, hint)

"""Lesson 01's exercises: the cliff of the learning rate, the noise floor, and gaps that are chance."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lessons_lib.checks import check_number
from lessons_lib.exercises.reading import blew_up, curves
from lessons_lib.exercises.registry import Reading, exercise


def _floor(houses: Any, prices: Any) -> float:
    """The noise floor of these houses: the mean squared error of the formula that made their prices."""
    features, targets = np.asarray(houses, dtype=float), np.asarray(prices, dtype=float)
    if features.ndim != 2 or features.shape[1] != 2 or targets.shape != (len(features),):
        raise ValueError(
            "pass the training houses and their prices as the starter does (X_train with 2 columns, y_train "
            f"with one price per house), got shapes {features.shape} and {targets.shape}"
        )
    perfect = 2 * features[:, 0] + 3 * features[:, 1] + 1
    return float(np.mean((perfect - targets) ** 2))


def _end(values: list[float]) -> str:
    """The last value of a loss, or where it stopped being a number."""
    broken = blew_up(values)
    return f"inf or NaN from epoch {broken}" if broken else f"{values[-1]:.3g}"


@exercise(
    "01.1",
    title="Find the cliff",
    goal="Find two learning rates at most 0.1 apart: with the lower one the training loss falls by more than "
    "95%, with the higher one it explodes (grows more than a thousand-fold, or becomes inf).",
    hint="The edge printed in the lesson is where the cliff is: put one rate a little below it and one a little above.",
)
def _cliff(history_low: Any, history_high: Any, *, low_rate: float, high_rate: float) -> Reading:
    low_rate = check_number("low_rate", low_rate, low=0, low_inclusive=False)
    high_rate = check_number("high_rate", high_rate, low=0, low_inclusive=False)
    low, high = curves(history_low, "loss")["loss"], curves(history_high, "loss")["loss"]
    settles = blew_up(low) is None and low[-1] < 0.05 * low[0]
    finite = [value for value in high if math.isfinite(value)]
    explodes = blew_up(high) is not None or max(finite) > 1000 * high[0]
    apart = high_rate - low_rate
    evidence = [
        f"learning rate {low_rate:.3g}: training loss {low[0]:.3g} at epoch 1, {_end(low)} at the end",
        f"learning rate {high_rate:.3g}: training loss {high[0]:.3g} at epoch 1, {_end(high)} at the end",
        f"the two rates are {apart:.3g} apart (goal: the lower one settles, the higher one explodes, "
        "at most 0.1 apart)",
    ]
    hint = None
    if not settles:
        hint = "Your lower rate does not settle: move it down, below the edge the lesson printed."
    elif not explodes:
        hint = "Your higher rate does not explode: move it up, above the edge the lesson printed."
    passed = settles and explodes and 0 < apart <= 0.1 + 1e-9
    return Reading(passed, evidence, hint)


@exercise(
    "01.2",
    title="Train longer instead",
    goal="Keep the seed's learning rate of 0.01 and train until the training loss is below twice the noise "
    "floor of the training houses.",
    hint="Learning rate 0.01 is slow, not broken: a run of hundreds of epochs takes about a second here.",
)
def _longer(history: Any, houses: Any, prices: Any) -> Reading:
    floor = _floor(houses, prices)
    loss = curves(history, "loss")["loss"]
    within = next((epoch for epoch, value in enumerate(loss, 1) if value < 2 * floor), None)
    evidence = [
        f"noise floor of these training houses (the perfect formula's loss): {floor:.4f}",
        f"training loss at epoch {len(loss)}: {_end(loss)}, {loss[-1] / floor:.2f} times the floor (goal: under 2)",
        f"first epoch below twice the floor: {within or 'none yet'}",
    ]
    return Reading(blew_up(loss) is None and loss[-1] < 2 * floor, evidence)


@exercise(
    "01.3",
    title="More noise",
    goal="Make the prices noisy enough that the noise floor is above 0.1, and see the seed's run "
    "(learning rate 0.01, 100 epochs) end within twice that floor.",
    hint="The noise floor is the noise's standard deviation squared: raise the noise in the data line.",
)
def _noise(history: Any, houses: Any, prices: Any) -> Reading:
    floor = _floor(houses, prices)
    loss = curves(history, "loss")["loss"]
    ratio = loss[-1] / floor
    evidence = [
        f"noise floor of these training houses: {floor:.4f} (goal: above 0.1; the lesson's houses: about 0.01)",
        f"training loss at epoch {len(loss)}: {_end(loss)}, {ratio:.2f} times the floor (goal: under 2)",
    ]
    hint = None
    if floor > 0.1:
        hint = "The floor is high enough; train the seed's model (0.01, 100 epochs) on these houses and compare."
    return Reading(floor > 0.1 and blew_up(loss) is None and ratio < 2, evidence, hint)


@exercise(
    "01.4",
    title="A bigger validation set",
    goal="Average the validation loss over at least 100 houses, and see the two curves end less than 30% apart.",
    hint="An average over 20 houses jumps around: make more houses in the data line, and the split keeps 20% of them.",
)
def _bigger_validation(history: Any, validation_houses: Any) -> Reading:
    n_val = len(np.asarray(validation_houses))
    logs = curves(history, "loss", "val_loss")
    train, val = logs["loss"][-1], logs["val_loss"][-1]
    if not (math.isfinite(train) and math.isfinite(val)) or train <= 0:
        raise ValueError(f"the run must end with finite, positive losses, got training {train} and validation {val}")
    apart = abs(val - train) / train
    evidence = [
        f"validation loss averaged over {n_val} houses (goal: at least 100)",
        f"at the last epoch: training {train:.4f}, validation {val:.4f}, {apart:.0%} apart (goal: under 30%)",
    ]
    return Reading(n_val >= 100 and apart < 0.30, evidence)


def _side(name: str, history: Any) -> tuple[bool, str]:
    logs = curves(history, "loss", "val_loss")
    train, val = logs["loss"][-1], logs["val_loss"][-1]
    if not (math.isfinite(train) and math.isfinite(val)):
        raise ValueError(f"{name} must end with finite losses, got training {train} and validation {val}")
    where = "above" if val > train else "below"
    return val > train, f"{name}: validation loss {val:.4f} {where} training loss {train:.4f} at the end"


@exercise(
    "01.5",
    title="A different split",
    goal="Find a split of the same 100 houses whose validation loss ends on the other side of the training "
    "loss than with the lesson's split.",
    hint="Which houses land in the validation set decides the side: try other values of random_state for your split.",
)
def _split(history_lesson_split: Any, history_your_split: Any) -> Reading:
    above_lesson, lesson_line = _side("the lesson's split", history_lesson_split)
    above_yours, your_line = _side("your split", history_your_split)
    return Reading(above_lesson != above_yours, [lesson_line, your_line])

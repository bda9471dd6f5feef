"""Lesson 07's exercises: learning rates on the edge, schedules, the range test, batch size and seeds.

The checks read the learner's runs: the curves of a ``History``, and from the model that made
them (``history.model``) the learning rate it trained with; the steps per epoch from
``history.params``; a range test's own numbers; seconds the learner measured.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from lessons_lib.exercises.reading import curves, doctor_codes
from lessons_lib.exercises.registry import Reading, exercise

#: The loss of guessing 1/10 for every digit.
CHANCE_LOSS = math.log(10)
#: The doctor's two names for curves that jump.
JUMPS = {"unstable", "noisy_validation"}


def _model(history: Any) -> Any:
    """The model that trained this run: a History keeps it (its ``.history`` dict does not)."""
    model = getattr(history, "model", None)
    if model is None or getattr(model, "optimizer", None) is None:
        raise TypeError(
            "history must be the History that model.fit returned (not its .history dict), "
            f"got {type(history).__name__}: this check also reads the learning rate from the model that trained"
        )
    return model


def _learning_rate(history: Any) -> float:
    """The learning rate of the run's optimizer now, after training (a schedule's last value)."""
    return float(np.asarray(_model(history).optimizer.learning_rate))


def _steps_per_epoch(history: Any) -> int | None:
    steps = getattr(history, "params", {}).get("steps")
    return int(steps) if steps else None


def _rises(values: Sequence[float]) -> int:
    """Epochs whose value is higher than the epoch before."""
    return int(np.sum(np.diff(np.asarray(values, dtype=float)) > 0))


def _band_width(runs: Sequence[Mapping[str, list[float]]], skip: int = 5) -> float:
    """Mean gap between the highest and the lowest validation loss, epoch by epoch, after ``skip``."""
    length = min(len(run["val_loss"]) for run in runs)
    stacked = np.array([run["val_loss"][:length] for run in runs])
    return float(np.mean(stacked.max(axis=0)[skip:] - stacked.min(axis=0)[skip:]))


def _runs_of_one_rate(runs: Any, *, epochs: int) -> tuple[list[dict[str, list[float]]], float]:
    """The curves of several Histories that share a learning rate, checked: one sentence if not."""
    if isinstance(runs, Mapping) or not isinstance(runs, Sequence) or isinstance(runs, str):
        raise TypeError(
            f"runs must be a list of the Histories that fit returned, one per seed, got {type(runs).__name__}"
        )
    logs = [curves(run, "loss", "val_loss", "val_accuracy") for run in runs]
    rates = {round(_learning_rate(run), 9) for run in runs}
    if len(rates) > 1:
        raise ValueError(f"runs must share one learning rate (the seed is what changes), got rates {sorted(rates)}")
    short = [len(log["val_loss"]) for log in logs if len(log["val_loss"]) < epochs]
    if short:
        raise ValueError(f"each run needs at least {epochs} epochs (the band is read after epoch 5), got {short}")
    return logs, rates.pop()


@exercise(
    "07.1",
    title="Find the edge",
    goal="Find a learning rate smaller than 3.0 that still breaks the model: after 10 epochs or more, "
    "its validation accuracy is below 0.3 (0.1 is one digit for every image).",
    hint="The lesson's 1.0 zigzags but learns and 3.0 breaks the model: look between them.",
)
def _find_the_edge(history: Any) -> Reading:
    logs = curves(history, "loss", "val_accuracy")
    rate = _learning_rate(history)
    epochs = len(logs["loss"])
    final_accuracy = logs["val_accuracy"][-1]
    broken = final_accuracy < 0.3
    evidence = [
        f"learning rate {rate:g}, {epochs} epochs",
        f"training loss rose in {_rises(logs['loss'])} of {epochs - 1} epochs (the zigzag); "
        f"last {logs['loss'][-1]:.3f} (chance level {CHANCE_LOSS:.3f})",
        f"validation accuracy at the end {final_accuracy:.3f}",
        f"doctor: {', '.join(doctor_codes(history, n_classes=10))}",
    ]
    passed = broken and rate < 3.0 and epochs >= 10
    hint = None
    if rate >= 3.0:
        hint = "3.0 is the lesson's broken rate: the goal is a smaller one that breaks the model too."
    elif epochs < 10:
        hint = "Train for at least 10 epochs: a model can look broken after one epoch and still recover."
    elif not broken and rate < 1.0:
        hint = "This rate still learns: go higher, past the lesson's zigzagging 1.0."
    return Reading(passed, evidence, hint)


@exercise(
    "07.2",
    title="Crawl for longer",
    goal="Keep the learning rate at 0.001 and bring the training loss below 1.7 (after the lesson's 15 epochs "
    "it is above 1.8).",
    hint="Small steps need many of them: give the run more epochs.",
)
def _crawl_for_longer(history: Any) -> Reading:
    logs = curves(history, "loss")
    rate = _learning_rate(history)
    losses = logs["loss"]
    evidence = [
        f"learning rate {rate:g}, {len(losses)} epochs",
        f"training loss after epoch 15: {losses[min(14, len(losses) - 1)]:.3f}, at the end: {losses[-1]:.3f}",
        f"training loss rose in {_rises(losses)} of {len(losses) - 1} epochs",
    ]
    same_rate = math.isclose(rate, 0.001, rel_tol=1e-4)
    passed = same_rate and losses[-1] < 1.7
    hint = None if same_rate else "Keep the learning rate at 0.001: the question is how far its small steps get."
    return Reading(passed, evidence, hint)


@exercise(
    "07.3",
    title="A decay that fits the run",
    goal="Train with a schedule whose learning rate ends at 0.02 or less, and still reach a training loss "
    "below 0.5 and a validation accuracy above 0.85 (the fast decay froze at a loss near 1.5).",
    hint="Let decay_steps cover the whole run (EPOCHS * steps_per_epoch), so the rate falls by decay_rate "
    "once over the run, not every few batches.",
)
def _decay_that_fits(history: Any) -> Reading:
    logs = curves(history, "loss", "val_accuracy")
    final_rate = _learning_rate(history)
    losses = logs["loss"]
    back = min(10, len(losses) - 1)
    change = losses[-1] / losses[-1 - back] - 1 if back else 0.0
    evidence = [
        f"learning rate at the end of the run {final_rate:.2g}",
        f"training loss at the end {losses[-1]:.3f}; over the last {back} epochs it changed by {change:+.0%}",
        f"validation accuracy at the end {logs['val_accuracy'][-1]:.3f}",
    ]
    decayed = final_rate <= 0.02
    passed = decayed and losses[-1] < 0.5 and logs["val_accuracy"][-1] > 0.85
    hint = None
    if not decayed:
        hint = "The rate must end low (0.02 or less): pass a schedule such as ExponentialDecay as the learning rate."
    return Reading(passed, evidence, hint)


@exercise(
    "07.4",
    title="A range test for Adam",
    goal="Run the learning-rate range test on a model trained with Adam, and read Adam's suggested rate "
    "(between 0.0005 and 0.02 for a range test that worked).",
    hint="Replace keras.optimizers.SGD by keras.optimizers.Adam in the model the range test trains.",
)
def _range_test_for_adam(range_test: Any) -> Reading:
    needed = ("best_learning_rate", "suggestion", "model")
    if not all(hasattr(range_test, name) for name in needed):
        raise TypeError(
            f"range_test must be the LearningRateRangeTest callback after fit, got {type(range_test).__name__}"
        )
    optimizer = type(range_test.model.optimizer).__name__
    best, suggestion = range_test.best_learning_rate(), range_test.suggestion()
    evidence = [
        f"optimizer {optimizer}",
        f"lowest smoothed loss at learning rate {best:.3g}; suggestion (a tenth of it) {suggestion:.3g}",
        "the lesson's range test with SGD suggested about 0.06",
    ]
    is_adam = optimizer == "Adam"
    passed = is_adam and 5e-4 <= suggestion <= 0.02
    hint = None
    if is_adam and not passed:
        hint = "Sweep from far too small to far too large (1e-4 to 10, as in the lesson), with steps_per_execution=1."
    return Reading(passed, evidence, hint)


@exercise(
    "07.5",
    title="Batch size and learning rate together",
    goal="With batches of 128 or more (at most 8 steps per epoch on 1,000 images), train at a learning rate "
    "of 1.0 or more and reach a validation accuracy above 0.8.",
    hint="A larger batch tolerates a larger rate, but not any rate: try one between 0.1 and 3.0.",
)
def _batch_and_rate(history: Any) -> Reading:
    logs = curves(history, "loss", "val_accuracy")
    rate = _learning_rate(history)
    steps = _steps_per_epoch(history)
    final_accuracy = logs["val_accuracy"][-1]
    evidence = [
        f"learning rate {rate:g}, {steps if steps else 'unknown'} steps per epoch",
        f"validation accuracy at the end {final_accuracy:.3f}; training loss {logs['loss'][-1]:.3f} "
        f"(chance level {CHANCE_LOSS:.3f})",
        f"doctor: {', '.join(doctor_codes(history, n_classes=10))}",
    ]
    large_batch = steps is not None and steps <= 8
    passed = large_batch and rate >= 1.0 and final_accuracy > 0.8
    hint = None
    if not large_batch:
        hint = "Train with batch_size=256: the question is what a large batch tolerates."
    elif rate < 1.0:
        hint = "The goal needs a rate of 1.0 or more: the rate at which batches of 32 zigzag."
    elif final_accuracy < 0.3:
        hint = "This rate kills the batch-256 model too: come down, but stay at 1.0 or above."
    return Reading(passed, evidence, hint)


def _resolution(accuracies: Sequence[float]) -> int | None:
    """The smallest number of images n for which every accuracy is a whole number of images out of n."""
    values = np.asarray(accuracies, dtype=float)
    for n in range(1, 10_001):
        if np.all(np.abs(values * n - np.round(values * n)) < 1e-3):
            return n
    return None


@exercise(
    "07.6",
    title="A tiny validation set",
    goal="Measure the validation accuracy on so few images that it moves in steps of at least 2 points "
    "(each image worth 2 points of accuracy or more).",
    hint="Each validation image is worth 100 / (number of images) points: use fewer of them.",
)
def _tiny_validation_set(history: Any) -> Reading:
    accuracy = curves(history, "val_accuracy")["val_accuracy"]
    distinct = len({round(value, 6) for value in accuracy})
    images = _resolution(accuracy)
    step = 100 / images if images else 0.0
    changes = np.abs(np.diff(accuracy))
    evidence = [
        f"{len(accuracy)} epochs, {distinct} different validation accuracies",
        f"every one is a whole number of images out of {images}: one image is worth {step:.2g} points"
        if images
        else "the validation accuracies are not whole numbers of images out of any set of up to 10,000 images",
        f"it moved {100 * float(changes.mean()) if changes.size else 0.0:.1f} points per epoch on average",
    ]
    passed = images is not None and distinct >= 3 and step >= 2 - 1e-9
    hint = None
    if distinct < 3:
        hint = "The validation accuracy must move to show its steps: train a model that learns, for 10 epochs or more."
    return Reading(passed, evidence, hint)


@exercise(
    "07.7",
    title="Which curves does the seed move?",
    goal="Train one learning rate with two seeds the lesson did not use, and find a rate whose validation "
    "losses differ between the seeds by more than 0.3 on average after epoch 5.",
    hint="lr 0.1 is calm, so the seed barely moves its curves: try a rate on the edge of stability.",
)
def _which_curves_the_seed_moves(runs: Any) -> Reading:
    logs, rate = _runs_of_one_rate(runs, epochs=8)
    if len(logs) < 2:
        raise ValueError(f"runs must hold at least two Histories, one per seed, got {len(logs)}")
    identical = all(log["val_loss"] == logs[0]["val_loss"] for log in logs[1:])
    width = _band_width(logs)
    evidence = [
        f"{len(logs)} runs at learning rate {rate:g}",
        f"validation loss: highest minus lowest run, mean after epoch 5: {width:.3f}",
        "final validation accuracies: " + ", ".join(f"{log['val_accuracy'][-1]:.2f}" for log in logs),
    ]
    passed = not identical and width > 0.3
    hint = "The runs are identical: give each one its own seed." if identical else None
    return Reading(passed, evidence, hint)


@exercise(
    "07.8",
    title="More seeds, wider view",
    goal="Run one learning rate with six seeds or more: the band of all of them is wider than the band of "
    "the first three, and the doctor reads each run.",
    hint="Six seeds: seeds = [SEED + k for k in range(6)].",
)
def _more_seeds(runs: Any) -> Reading:
    logs, rate = _runs_of_one_rate(runs, epochs=8)
    if len(logs) < 3:
        raise ValueError(f"runs must hold at least three Histories, one per seed, got {len(logs)}")
    first, every = _band_width(logs[:3]), _band_width(logs)
    headlines = [(doctor_codes(log, n_classes=10) or ["none"])[0] for log in logs]
    counted = ", ".join(f"{name} {headlines.count(name)}" for name in dict.fromkeys(headlines))
    jumps = sum(bool(JUMPS & set(doctor_codes(log, n_classes=10))) for log in logs)
    evidence = [
        f"{len(logs)} runs at learning rate {rate:g}",
        f"band of the validation loss after epoch 5: first three runs {first:.3f}, all {len(logs)} {every:.3f}",
        f"the doctor's headline (first finding): {counted}",
        f"runs in which the doctor names the jumps (unstable or noisy_validation): {jumps} of {len(logs)}",
    ]
    passed = len(logs) >= 6 and every > first
    hint = None if len(logs) >= 6 else f"{len(logs)} runs: the goal needs six seeds or more."
    return Reading(passed, evidence, hint)


@exercise(
    "07.9",
    title="Time an epoch",
    goal="Time one epoch with batches of 8 and of 256, each with one step per call to TensorFlow "
    "(steps_per_execution=1) and with 32 bundled: show that without bundling the 125 small steps cost at "
    "least 1.3 times the 4 large ones, and that bundling makes the small-batch epoch faster.",
    hint="Time every pair: batch sizes 8 and 256, each with steps_per_execution 1 and 32.",
)
def _time_an_epoch(seconds_per_epoch: Any) -> Reading:
    if not isinstance(seconds_per_epoch, Mapping) or not seconds_per_epoch:
        raise TypeError(
            "seconds_per_epoch must be a dict from (batch size, steps_per_execution) to the seconds of one epoch, "
            f"such as {{(8, 1): 0.12, (256, 1): 0.05}}, got {seconds_per_epoch!r}"
        )
    timings = {}
    for key, seconds in seconds_per_epoch.items():
        valid_key = isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, int) and k >= 1 for k in key)
        if not valid_key or not isinstance(seconds, (int, float)) or seconds <= 0:
            raise ValueError(
                "seconds_per_epoch must map (batch size, steps_per_execution) pairs of whole numbers to positive "
                f"seconds, got {key!r}: {seconds!r}"
            )
        timings[key] = float(seconds)
    evidence = [
        f"batch {batch}, steps_per_execution {bundle}: {seconds * 1000:.0f} ms per epoch "
        f"({math.ceil(1000 / batch)} steps on 1,000 images)"
        for (batch, bundle), seconds in sorted(timings.items())
    ]
    needed = [(8, 1), (256, 1), (8, 32), (256, 32)]
    missing = [key for key in needed if key not in timings]
    if missing:
        hint = "Time the missing pairs too: " + ", ".join(f"batch {b} with steps_per_execution={s}" for b, s in missing)
        return Reading(False, evidence, hint + ".")
    small_over_large = timings[8, 1] / timings[256, 1]
    saved = timings[8, 1] / timings[8, 32]
    evidence.append(f"one step per call: an epoch of batches of 8 costs {small_over_large:.1f} times one of 256")
    evidence.append(f"bundling 32 steps per call made the batch-8 epoch {saved:.1f} times faster")
    return Reading(small_over_large >= 1.3 and saved > 1.0, evidence)

"""Lesson 11's exercises: TensorBoard logs, a grid search, ensembles, transfer learning, iterating.

The checks read what the tools left behind: the event files in a TensorBoard log folder, a
keras-tuner's trials, the predicted probabilities of ensemble members, and training runs (their
curves, and the model that made them).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from lessons_lib.exercises.reading import curves, doctor_codes
from lessons_lib.exercises.registry import Reading, exercise

#: The loss of guessing 1/10 for every digit.
CHANCE_LOSS = math.log(10)


def _logged_losses(folder: Path) -> list[float]:
    """The ``epoch_loss`` values of one TensorBoard event folder (``train`` or ``validation``)."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.util.tensor_util import make_ndarray

    events = EventAccumulator(str(folder))
    events.Reload()
    if "epoch_loss" not in events.Tags().get("tensors", []):
        return []
    return [float(make_ndarray(event.tensor_proto)) for event in events.Tensors("epoch_loss")]


@exercise(
    "11.1",
    title="Runs side by side",
    goal="Log two runs or more into one log folder, each in its own subfolder with training and validation "
    "curves, so that TensorBoard shows them side by side.",
    hint="One run is not a comparison: log the second run of §5 too, into its own subfolder of the same folder.",
)
def _runs_side_by_side(log_dir: Any) -> Reading:
    if not isinstance(log_dir, (str, Path)) or not Path(log_dir).is_dir():
        raise ValueError(f"log_dir must be the folder that holds your runs' log folders, got {log_dir!r}")
    runs = {}
    for run in sorted(path for path in Path(log_dir).iterdir() if path.is_dir()):
        train = _logged_losses(run / "train") if (run / "train").is_dir() else []
        validation = _logged_losses(run / "validation") if (run / "validation").is_dir() else []
        runs[run.name] = (train, validation)
    complete = {name: pair for name, pair in runs.items() if pair[0] and pair[1]}
    evidence = [f"{len(runs)} run folders in {Path(log_dir).name}, {len(complete)} with training and validation curves"]
    evidence += [
        f"{name}: {len(train)} epochs, last validation loss {validation[-1]:.3f}"
        for name, (train, validation) in complete.items()
    ]
    hint = None
    if len(runs) > len(complete):
        hint = "A run folder without validation curves: pass validation_data to fit, and the TensorBoard callback."
    return Reading(len(complete) >= 2, evidence, hint)


@exercise(
    "11.2",
    title="A winner inside the grid",
    goal="Search the learning rate until the best trial's rate lies inside the grid (neither the smallest nor "
    "the largest value tried), with three values or more.",
    hint="A winner at the edge of the grid says the best value may lie beyond it: add a value on that side.",
)
def _winner_inside_the_grid(tuner: Any) -> Reading:
    oracle = getattr(tuner, "oracle", None)
    if oracle is None or not hasattr(oracle, "get_best_trials"):
        raise TypeError(f"tuner must be the keras-tuner tuner after its search, got {type(tuner).__name__}")
    trials = [trial for trial in oracle.get_best_trials(num_trials=1000) if trial.score is not None]
    if not trials or "learning_rate" not in trials[0].hyperparameters.values:
        raise ValueError("tuner must have searched a hyperparameter named 'learning_rate' and finished a trial")
    scored = [(float(trial.hyperparameters.values["learning_rate"]), float(trial.score)) for trial in trials]
    rates = sorted({rate for rate, _ in scored})
    best_rate, best_score = scored[0]
    evidence = [f"{len(scored)} trials, {len(rates)} learning rates: " + ", ".join(f"{rate:g}" for rate in rates)]
    evidence += [f"learning rate {rate:g}: validation accuracy {score:.3f}" for rate, score in scored]
    inside = len(rates) >= 3 and rates[0] < best_rate < rates[-1]
    evidence.append(
        f"best: {best_rate:g} ({best_score:.3f}), "
        + ("inside the grid" if inside else "at the edge of the grid" if len(rates) > 1 else "the only value")
    )
    hint = None
    if not inside and best_rate == rates[-1]:
        hint = "The best rate is the largest you tried: add a larger one, the best may lie beyond."
    elif not inside and best_rate == rates[0] and len(rates) > 1:
        hint = "The best rate is the smallest you tried: add a smaller one, the best may lie beyond."
    return Reading(inside, evidence, hint)


@exercise(
    "11.3",
    title="Where the ensemble's gain comes from",
    goal="Train every member on the same data (different starting weights only): the ensemble's validation loss "
    "then lands less than 5.5% below the members' average (bagged members: more).",
    hint="Give every member the whole training set instead of a bootstrap sample.",
)
def _ensemble_gain(member_probabilities: Any, labels: Any) -> Reading:
    labels = np.asarray(labels)
    members = [np.asarray(p, dtype=float) for p in member_probabilities]
    if len(members) < 2 or any(p.ndim != 2 or p.shape[0] != labels.shape[0] for p in members):
        raise ValueError(
            f"member_probabilities must be a list of two or more arrays of predicted probabilities, "
            f"one row per label ({labels.shape[0]} rows), as model.predict returns"
        )

    def mean_loss(probabilities: np.ndarray) -> float:
        picked = probabilities[np.arange(labels.shape[0]), labels]
        return float(-np.log(np.clip(picked, 1e-7, 1)).mean())

    losses = [mean_loss(p) for p in members]
    ensemble = mean_loss(np.mean(members, axis=0))
    gain = 1 - ensemble / float(np.mean(losses))
    accuracies = [float(np.mean(p.argmax(axis=1) == labels)) for p in members]
    ensemble_accuracy = float(np.mean(np.mean(members, axis=0).argmax(axis=1) == labels))
    evidence = [
        f"{len(members)} members, validation loss " + ", ".join(f"{loss:.3f}" for loss in losses),
        f"ensemble validation loss {ensemble:.3f}: {gain:.1%} below the members' average",
        "validation accuracy: members "
        + ", ".join(f"{a:.3f}" for a in accuracies)
        + f", ensemble {ensemble_accuracy:.3f}",
        f"ensemble beats the best member on loss: {'yes' if ensemble < min(losses) else 'no'}",
    ]
    identical = all(np.allclose(p, members[0]) for p in members[1:])
    hint = "The members are identical: give each its own starting weights." if identical else None
    return Reading(not identical and gain < 0.055, evidence, hint)


@exercise(
    "11.4",
    title="A fair budget for from-scratch",
    goal="Give both transfer runs a larger budget (more epochs, a larger learning rate) until the from-scratch "
    "CNN reaches a validation accuracy of 0.88 on digits 5-9, and read how much of the frozen base's lead is left.",
    hint="From scratch must also learn its filters from the 100 images: give both runs more epochs and larger steps.",
)
def _fair_budget(frozen: Any, scratch: Any) -> Reading:
    frozen_logs = curves(frozen, "val_accuracy")
    scratch_logs = curves(scratch, "val_accuracy")
    frozen_accuracy, scratch_accuracy = frozen_logs["val_accuracy"][-1], scratch_logs["val_accuracy"][-1]
    evidence = [
        f"frozen base: {len(frozen_logs['val_accuracy'])} epochs, validation accuracy {frozen_accuracy:.3f}",
        f"from scratch: {len(scratch_logs['val_accuracy'])} epochs, validation accuracy {scratch_accuracy:.3f}",
        f"the frozen base's lead: {100 * (frozen_accuracy - scratch_accuracy):+.1f} points",
    ]
    for name, run in (("frozen", frozen), ("scratch", scratch)):
        model = getattr(run, "model", None)
        if model is not None:
            weights = sum(int(np.prod(weight.shape)) for weight in model.trainable_weights)
            evidence.append(f"weights trained, {name}: {weights}")
    return Reading(scratch_accuracy >= 0.88, evidence)


@exercise(
    "11.5",
    title="Start from too large a step",
    goal="Start the iteration from a learning rate so large that the first epoch's training loss is more than "
    "twice the chance level and the run ends with a validation accuracy below 0.3; read what the doctor says.",
    hint="Adam's default is 0.001 and the baseline's 0.0001 is small: try a rate hundreds of times the default.",
)
def _too_large_a_step(history: Any) -> Reading:
    logs = curves(history, "loss", "val_accuracy")
    first_loss, final_accuracy = logs["loss"][0], logs["val_accuracy"][-1]
    codes = doctor_codes(history, n_classes=10)
    evidence = [
        f"training loss in the first epoch {first_loss:.3g} (chance level {CHANCE_LOSS:.3f})",
        f"validation accuracy at the end {final_accuracy:.3f}",
        f"doctor: {', '.join(codes)}",
    ]
    passed = first_loss > 2 * CHANCE_LOSS and final_accuracy < 0.3
    return Reading(passed, evidence)

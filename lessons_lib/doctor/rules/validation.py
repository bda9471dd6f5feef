"""The rules that compare the two curves: overfitting, still_improving, val_better_than_train,
noisy_validation, healthy."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any

from lessons_lib.doctor.curves import (
    _Curves,
    _excess_travel,
    _finding,
    _g,
    _improvement,
    _improving,
    _name,
    _pct,
    _tail_mean,
    _zigzag,
)
from lessons_lib.doctor.report import Finding
from lessons_lib.doctor.thresholds import (
    _TINY,
    NOISY_ACCURACY_PER_EPOCH,
    NOISY_LOSS_PER_EPOCH,
    NOISY_RATIO,
    OVERFIT_ACCURACY_DROP,
    OVERFIT_GAP,
    OVERFIT_MIN_AFTER,
    OVERFIT_NOISE_MULTIPLE,
    OVERFIT_RISE,
    OVERFIT_RISE_OF_START,
    VAL_BETTER_ACCURACY_MARGIN,
    VAL_BETTER_MARGIN,
    VAL_BETTER_SHARE,
)


def _epochs(count: int) -> str:
    return "epoch" if count == 1 else f"{count} epochs"


def _overfitting(c: _Curves) -> Finding | None:
    reasons = []
    evidence: dict[str, Any] = {}
    if c.v is not None:
        best = min(range(c.n), key=lambda index: c.v[index])
        after = c.n - 1 - best
        if after >= OVERFIT_MIN_AFTER:
            end = _tail_mean(c.v, min(3, after))
            rise = end - c.v[best]
            relative = rise / max(abs(c.v[best]), _TINY)
            train_fell = _tail_mean(c.t, min(3, after)) <= (1 - OVERFIT_RISE) * c.t[best]
            above_noise = rise >= OVERFIT_NOISE_MULTIPLE * _zigzag(c.v)
            if relative >= OVERFIT_RISE and rise >= OVERFIT_RISE_OF_START * c.scale and train_fell and above_noise:
                evidence.update(
                    best_epoch=best + 1,
                    best_val_loss=c.v[best],
                    last_val_loss=end,
                    val_rise=relative,
                    train_loss_at_best=c.t[best],
                    last_train_loss=c.t[-1],
                )
                tail = min(3, after)
                reasons.append(
                    f"{_name(c, True)} lowest at epoch {best + 1} ({_g(c.v[best])}), {_pct(relative)} higher on "
                    f"average over the last {_epochs(tail)} ({_g(end)}) while {_name(c)} fell from "
                    f"{_g(c.t[best])} to {_g(_tail_mean(c.t, tail))}"
                )
    if c.acc_t is not None and c.acc_v is not None:
        best = max(range(c.n), key=lambda index: (c.acc_v[index], -index))
        after = c.n - 1 - best
        if after >= OVERFIT_MIN_AFTER:
            end = _tail_mean(c.acc_v, min(3, after))
            drop = c.acc_v[best] - end
            train_error, train_error_at_best = 1 - _tail_mean(c.acc_t, min(3, after)), 1 - c.acc_t[best]
            steady = train_error <= (1 - OVERFIT_RISE) * train_error_at_best
            if drop >= OVERFIT_ACCURACY_DROP and steady and drop >= OVERFIT_NOISE_MULTIPLE * _zigzag(c.acc_v):
                evidence.update(best_accuracy_epoch=best + 1, best_val_accuracy=c.acc_v[best], val_accuracy_drop=drop)
                reasons.append(
                    f"validation {c.acc_metric} best at epoch {best + 1} ({_g(c.acc_v[best])}), {_g(100 * drop)} "
                    f"points lower on average over the last {_epochs(min(3, after))} while training accuracy did not "
                    "fall"
                )
        gap = _tail_mean(c.acc_t, 2) - _tail_mean(c.acc_v, 2)
        if gap >= OVERFIT_GAP:
            evidence.update(accuracy_gap=gap)
            reasons.append(f"training {c.acc_metric} ends {_g(100 * gap)} points above validation")
    if not reasons:
        return None
    if "best_epoch" in evidence:
        message = (
            f"The validation loss was lowest at epoch {evidence['best_epoch']} and has risen "
            f"{_pct(evidence['val_rise'])} since, while the training loss kept falling."
        )
    elif "best_accuracy_epoch" in evidence:
        message = (
            f"The validation accuracy was highest at epoch {evidence['best_accuracy_epoch']} and has fallen since, "
            "while the training accuracy did not."
        )
    else:
        message = "The model does clearly better on its training data than on its validation data."
    return _finding("overfitting", message, evidence, "; ".join(reasons))


def _still_improving(c: _Curves) -> Finding | None:
    if not _improving(c.t, c):
        return None
    t_level, _ = _improvement(c.t, c.window, c.scale)
    evidence: dict[str, Any] = {"window": c.window, "train_gain_per_epoch": t_level}
    text = f"over the last {c.window} epochs {_name(c)} fell {_pct(t_level)} of its level per epoch"
    if c.v is not None:
        best = min(range(c.n), key=lambda index: c.v[index]) + 1
        if not _improving(c.v, c) or best < c.n - c.window:
            return None
        v_level, _ = _improvement(c.v, c.window, c.scale)
        evidence.update(val_gain_per_epoch=v_level, best_epoch=best)
        text += f", {_name(c, True)} {_pct(v_level)}; best validation epoch {best} of {c.n}"
        message = "Both curves are still falling at the last epoch: train longer (or with a larger learning rate)."
    else:
        message = "The training loss is still falling at the last epoch: train longer."
    return _finding("still_improving", message, evidence, text)


def _val_better_than_train(c: _Curves) -> Finding | None:
    assert c.v is not None
    reasons = []
    evidence: dict[str, Any] = {}
    share = sum(v < t for t, v in zip(c.t, c.v, strict=True)) / c.n
    margin = statistics.median((t - v) / c.scale for t, v in zip(c.t, c.v, strict=True))
    loss_better = share >= VAL_BETTER_SHARE and margin >= VAL_BETTER_MARGIN
    if loss_better:
        evidence.update(loss_share=share, loss_margin=margin)
        reasons.append(f"{_name(c, True)} below training in {round(share * c.n)} of {c.n} epochs")
    if c.acc_t is not None and c.acc_v is not None:
        acc_share = sum(v > t for t, v in zip(c.acc_t, c.acc_v, strict=True)) / c.n
        acc_margin = statistics.median(v - t for t, v in zip(c.acc_t, c.acc_v, strict=True))
        if acc_share >= VAL_BETTER_SHARE and acc_margin >= VAL_BETTER_ACCURACY_MARGIN:
            evidence.update(accuracy_share=acc_share, accuracy_margin=acc_margin)
            reasons.append(
                f"validation {c.acc_metric} above training in {round(acc_share * c.n)} of {c.n} epochs "
                f"(median +{_g(100 * acc_margin)} points)"
            )
    if not reasons:
        return None
    # Epoch averaging explains validation values that lie between this epoch's and the next
    # epoch's training values; anything lower needs another cause.
    explained = sum(c.v[index] >= c.t[index + 1] for index in range(c.n - 1)) / (c.n - 1)
    evidence["explained_by_epoch_averaging"] = explained >= VAL_BETTER_SHARE
    if evidence["explained_by_epoch_averaging"]:
        cause = (
            "as epoch averaging explains (a training value is an average over an epoch in which the model "
            "improved, a validation value is measured at its end)"
        )
    else:
        cause = (
            "by more than epoch averaging explains: look for layers that act only in training (dropout, "
            "Gaussian noise, random augmentation), training metrics weighted by class weights, or an easier or "
            "leaked validation set (L1/L2 penalties are in both losses and never in accuracy, so they are not it)"
        )
    return _finding(
        "val_better_than_train",
        f"The validation curves are consistently better than the training curves, {cause}.",
        evidence,
        "; ".join(reasons),
    )


def _noisy_validation(c: _Curves) -> Finding | None:
    assert c.v is not None
    reasons = []
    per_epoch = c.n - 1
    positive = min(c.v + c.t) > 0
    if positive:  # log scale: relative jumps, the same at any level of the loss
        excess_v = _excess_travel([math.log(value) for value in c.v]) / per_epoch
        excess_t = _excess_travel([math.log(value) for value in c.t]) / per_epoch
    else:
        excess_v, excess_t = (_excess_travel(curve) / c.scale / per_epoch for curve in (c.v, c.t))
    evidence: dict[str, Any] = {"val_excess_per_epoch": excess_v, "train_excess_per_epoch": excess_t}
    if excess_v >= NOISY_LOSS_PER_EPOCH and excess_v >= NOISY_RATIO * excess_t:
        unit = "" if positive else " of the starting loss"
        reasons.append(
            f"{_name(c, True)} zigzags {_pct(excess_v)}{unit} per epoch beyond a smooth path "
            f"(training: {_pct(excess_t)})"
        )
    if c.acc_t is not None and c.acc_v is not None:
        acc_v = _excess_travel([1 - value for value in c.acc_v]) / per_epoch
        acc_t = _excess_travel([1 - value for value in c.acc_t]) / per_epoch
        evidence.update(val_accuracy_excess_per_epoch=acc_v, train_accuracy_excess_per_epoch=acc_t)
        if acc_v >= NOISY_ACCURACY_PER_EPOCH and acc_v >= NOISY_RATIO * acc_t:
            reasons.append(
                f"validation {c.acc_metric} zigzags {_g(100 * acc_v)} points per epoch beyond a smooth path "
                f"(training: {_g(100 * acc_t)})"
            )
        size = _examples_from_steps(c.acc_v)
        if size:
            evidence["validation_size_estimate"] = size
    if not reasons:
        return None
    text = "; ".join(reasons)
    message = "The training curve is smooth but the validation curve jumps from epoch to epoch"
    if "validation_size_estimate" in evidence and evidence["validation_size_estimate"] <= 200:
        size = evidence["validation_size_estimate"]
        text += f"; validation accuracy moves in steps of 1/{size}: about {size} validation examples"
        message += f": with about {size} validation examples, each one moves the score"
    return _finding("noisy_validation", message + ".", evidence, text)


def _examples_from_steps(accuracies: Sequence[float]) -> int | None:
    """The validation-set size the accuracy values' granularity implies (1/step), if it is clear."""
    values = sorted({round(value, 6) for value in accuracies})
    steps = [b - a for a, b in zip(values, values[1:], strict=False) if b - a > 1e-6]
    if not steps:
        return None
    step = min(steps)
    size = round(1 / step)
    if size < 2 or size > 1000:
        return None
    if all(abs(value * size - round(value * size)) < 1e-3 * size for value in values):
        return size
    return None


def _healthy(c: _Curves) -> Finding:
    assert c.v is not None
    best = min(range(c.n), key=lambda index: c.v[index]) + 1
    gap = (c.v[-1] - c.t[-1]) / c.scale
    fell = 1 - c.v[best - 1] / c.v[0] if c.v[0] else 0.0
    evidence = {
        "best_epoch": best,
        "best_val_loss": c.v[best - 1],
        "last_train_loss": c.t[-1],
        "last_val_loss": c.v[-1],
        "final_gap": gap,
    }
    text = (
        f"{_name(c, True)} {_g(c.v[0])} -> best {_g(c.v[best - 1])} at epoch {best} of {c.n}; "
        f"final gap {_g(c.v[-1] - c.t[-1])} ({_pct(gap)} of the starting loss)"
    )
    message = (
        f"Both curves fell ({_name(c, True)} by {_pct(fell)}) and levelled off together with a small gap: "
        "nothing to fix."
    )
    return _finding("healthy", message, evidence, text)

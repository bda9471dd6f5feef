"""The rules about the training curve: diverging, unstable, not_learning, underfitting."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from lessons_lib.doctor.curves import (
    _Curves,
    _finding,
    _g,
    _improving,
    _name,
    _pct,
    _rises,
    _tail_mean,
)
from lessons_lib.doctor.report import Finding
from lessons_lib.doctor.thresholds import (
    _TINY,
    DIVERGE_FACTOR,
    NOT_LEARNING_BAND,
    NOT_LEARNING_CHANCE_FALL,
    UNDERFIT_ACCURACY_SHARE,
    UNDERFIT_FRACTION,
    UNSTABLE_MIN_RISES,
    UNSTABLE_RISE,
    UNSTABLE_TOTAL_RISE,
)


def _diverging_nonfinite(curves: Mapping[str, Sequence[float]], main: str, broken: tuple[str, int]) -> Finding:
    key, epoch = broken
    value = curves[key][epoch - 1]
    kind = "NaN" if math.isnan(value) else "inf"
    finite = [x for x in curves[main][: epoch - 1] if math.isfinite(x)]
    evidence: dict[str, Any] = {"epoch": epoch, "curve": key, "value": kind}
    text = f"{key} is {kind} at epoch {epoch}"
    if finite:
        evidence.update(first_loss=finite[0], last_finite_loss=finite[-1])
        if len(finite) > 1 and finite[0] != 0:
            evidence["growth"] = finite[-1] / finite[0]
        if len(finite) > 1:
            text += f"; {main} went from {_g(finite[0])} to {_g(finite[-1])} before that"
        else:
            text += f"; {main} was {_g(finite[0])} at epoch 1"
    train_fine = all(math.isfinite(x) for x in curves[main])
    if key.startswith("val_") and train_fine:
        message = (
            f"The validation loss became {kind} at epoch {epoch} while the training loss stayed finite: "
            "check the validation data for NaN/inf or values far outside the training range."
        )
    else:
        message = f"Training diverged at epoch {epoch}: the loss became {kind}."
    return _finding("diverging", message, evidence, text)


def _diverging_growth(c: _Curves) -> Finding | None:
    first, last = c.t[0], c.t[-1]
    if last - first <= (DIVERGE_FACTOR - 1) * max(abs(first), _TINY):
        return None
    peak = max(range(c.n), key=lambda index: c.t[index]) + 1
    growth = last / first if first else math.inf
    evidence = {"first_loss": first, "last_loss": last, "growth": growth, "peak_epoch": peak}
    text = f"{_name(c)} {_g(first)} at epoch 1 -> {_g(last)} at epoch {c.n} ({_g(growth)}x)"
    return _finding(
        "diverging",
        f"The training loss grew from {_g(first)} to {_g(last)}: each step makes it worse (learning rate too high?).",
        evidence,
        text,
    )


def _unstable(c: _Curves) -> Finding | None:
    rises = _rises(c.t, c.scale)
    big = [(epoch, rise) for epoch, rise in rises if rise >= UNSTABLE_RISE]
    total = sum(rise for _, rise in rises) / (c.n - 1)
    if len(big) < UNSTABLE_MIN_RISES or total < UNSTABLE_TOTAL_RISE:
        return None
    # Up and down: the loss must also fall between the first and the last big rise (a loss
    # that only grows is diverging, not jumping).
    first, last = big[0][0], big[-1][0]
    if not any(c.t[index] < c.t[index - 1] for index in range(first, last - 1)):
        return None
    largest = max(big, key=lambda pair: pair[1])
    evidence = {
        "rises": len(big),
        "rise_epochs": [epoch for epoch, _ in big],
        "largest_rise": largest[1],
        "largest_rise_epoch": largest[0],
        "mean_rise_per_epoch": total,
    }
    text = (
        f"{_name(c)} rose by {_pct(UNSTABLE_RISE)} or more in {len(big)} of {c.n - 1} epochs "
        f"(largest +{_pct(largest[1])} at epoch {largest[0]})"
    )
    return _finding(
        "unstable",
        f"The training loss jumps up and down ({len(big)} rises) instead of falling steadily: the steps overshoot.",
        evidence,
        text,
    )


def _not_learning(c: _Curves) -> Finding | None:
    first = c.t[0]
    spread = max(abs(value - first) for value in c.t) / max(abs(first), _TINY)
    reasons = []
    evidence: dict[str, Any] = {"first_loss": first, "last_loss": c.t[-1], "largest_change": spread}
    if spread <= NOT_LEARNING_BAND:
        reasons.append(f"{_name(c)} stayed within {_pct(spread)} of its first value {_g(first)}")
    # At chance level: judged on the validation curve when there is one (a model that memorises
    # shuffled labels lowers its training loss but learns nothing that carries over).
    judged = c.v if c.v is not None else c.t
    which = _name(c, validation=c.v is not None)
    barely_fell = min(judged) >= (1 - NOT_LEARNING_CHANCE_FALL) * judged[0]
    if c.chance_loss is not None and min(judged) >= (1 - NOT_LEARNING_BAND) * c.chance_loss and barely_fell:
        evidence.update(chance_loss=c.chance_loss, lowest_loss=min(judged))
        reasons.append(f"{which} never went below the chance level {_g(c.chance_loss)} (lowest {_g(min(judged))})")
    accuracies = c.acc_v if c.acc_v is not None else c.acc_t
    if c.baseline_accuracy is not None and accuracies is not None:
        if max(accuracies) <= _chance_accuracy_bar(c.baseline_accuracy):
            kind = "validation" if c.acc_v is not None else "training"
            evidence.update(best_accuracy=max(accuracies), baseline_accuracy=c.baseline_accuracy)
            reasons.append(
                f"{kind} {c.acc_metric} never rose above {_g(max(accuracies))} "
                f"(majority rate {_g(c.baseline_accuracy)})"
            )
    stuck = _stuck_at_chance(c)
    if stuck and not reasons:
        evidence.update(stuck)
        reasons.append(
            f"over the last {c.window} epochs {_name(c)} stayed at {_g(stuck['recent_loss'])} "
            f"(chance level {_g(c.chance_loss)}) and validation {c.acc_metric} at {_g(stuck['recent_accuracy'])} "
            f"(majority rate {_g(c.baseline_accuracy)})"
        )
    if not reasons:
        return None
    if stuck and len(reasons) == 1:
        message = "The model ends stuck at the chance level: it gives the same answer whatever the input."
    elif spread <= NOT_LEARNING_BAND:
        message = "The model is not learning: the loss barely moves from where it started."
    else:
        message = "The model learns nothing that beats chance: its loss and accuracy stay at the chance level."
    return _finding("not_learning", message, evidence, "; ".join(reasons))


def _chance_accuracy_bar(baseline_accuracy: float) -> float:
    """An accuracy no higher than this has not risen 5% of the remaining way above the majority rate."""
    return baseline_accuracy + NOT_LEARNING_BAND * (1 - baseline_accuracy)


def _stuck_at_chance(c: _Curves) -> dict[str, float] | None:
    """Recent loss and accuracy if the run ends flat at chance level (needs both hints' numbers)."""
    if c.chance_loss is None or c.baseline_accuracy is None or c.acc_v is None or c.is_error:
        return None
    recent = c.t[-c.window :]
    level = sum(recent) / len(recent)
    flat = max(recent) - min(recent) <= NOT_LEARNING_BAND * level
    accuracy = max(c.acc_v[-c.window :])
    if (
        flat
        and level >= (1 - NOT_LEARNING_BAND) * c.chance_loss
        and accuracy <= _chance_accuracy_bar(c.baseline_accuracy)
    ):
        return {"recent_loss": level, "recent_accuracy": accuracy}
    return None


def _underfitting(c: _Curves, *, jumping: bool = False) -> Finding | None:
    """``jumping``: the training loss is unstable, so its recent slope is noise: judge the level only."""
    if not jumping and _improving(c.t, c):
        return None
    last = _tail_mean(c.t, 2)
    reference = c.chance_loss if c.chance_loss is not None else c.scale
    against = "the chance-level loss" if c.chance_loss is not None else "its first value"
    ratio = last / max(reference, _TINY)
    evidence: dict[str, Any] = {"last_loss": last, "reference": reference, "ratio": ratio}
    reasons = []
    if ratio >= UNDERFIT_FRACTION:
        reasons.append(f"{_name(c)} levelled off at {_g(last)}, {_pct(ratio)} of {against} ({_g(reference)})")
    if c.baseline_accuracy is not None and c.acc_t is not None:
        accuracy = _tail_mean(c.acc_t, 2)
        bar = c.baseline_accuracy + UNDERFIT_ACCURACY_SHARE * (1 - c.baseline_accuracy)
        evidence.update(train_accuracy=accuracy, baseline_accuracy=c.baseline_accuracy)
        if accuracy < bar:
            reasons.append(f"training accuracy {_g(accuracy)} against a majority rate of {_g(c.baseline_accuracy)}")
    if not reasons:
        return None
    return _finding(
        "underfitting",
        "The training loss has levelled off high: the model cannot fit even the training data well.",
        evidence,
        "; ".join(reasons),
    )

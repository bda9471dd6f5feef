"""The curves the rules read (oriented so that lower is better), and the measures the rules take of them."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from lessons_lib.checklist import item as checklist_item
from lessons_lib.doctor.codes import ADVICE, LESSONS
from lessons_lib.doctor.report import Finding
from lessons_lib.doctor.thresholds import (
    _TINY,
    IMPROVING_LONG_PER_EPOCH,
    IMPROVING_OF_START,
    IMPROVING_PER_EPOCH,
    IMPROVING_STEADY_SHARE,
    IMPROVING_TAIL_SHARE,
    RECENT_MAX,
    RECENT_MIN,
    UNSTABLE_LEVEL_FLOOR,
)
from lessons_lib.history import higher_is_better


@dataclass
class _Curves:
    """The curves the rules read, all oriented so that lower is better."""

    metric: str  # the main metric's name ("loss", or "accuracy" for an accuracy-only history)
    is_error: bool  # True if t and v are 1 - accuracy
    t: list[float]
    v: list[float] | None
    acc_metric: str | None  # an accuracy-like metric with a validation curve, if any
    acc_t: list[float] | None  # accuracy values (higher is better), as logged
    acc_v: list[float] | None
    scale: float
    n: int
    window: int
    chance_loss: float | None
    chance_error: float | None  # 1 - majority rate
    baseline_accuracy: float | None


def _prepare(
    curves: Mapping[str, Sequence[float]], main: str, acc_metric: str | None, n: int, hints: Mapping[str, Any]
) -> _Curves:
    is_error = higher_is_better(main)
    t = list(curves[main][:n])
    v = list(curves[f"val_{main}"][:n]) if f"val_{main}" in curves else None
    if is_error:
        t = [1 - value for value in t]
        v = [1 - value for value in v] if v is not None else None
    acc_t = list(curves[acc_metric][:n]) if acc_metric else None
    acc_v = list(curves[f"val_{acc_metric}"][:n]) if acc_metric and f"val_{acc_metric}" in curves else None
    firsts = [abs(t[0])] + ([abs(v[0])] if v is not None else [])
    scale = max(firsts)
    if scale < _TINY:
        scale = max([abs(value) for value in t + (v or [])] + [_TINY])
    n_classes = hints.get("n_classes")
    baseline_accuracy = hints.get("baseline_accuracy") or (1 / n_classes if n_classes else None)
    chance_loss = hints.get("baseline_loss")
    if chance_loss is None and n_classes:
        if n_classes == 2 and "baseline_accuracy" in hints:
            p = hints["baseline_accuracy"]
            chance_loss = -(p * math.log(p) + (1 - p) * math.log(1 - p))  # entropy of the class prior
        else:
            chance_loss = math.log(n_classes)
    chance_error = 1 - baseline_accuracy if baseline_accuracy else None
    if is_error:  # the main curve is an error rate: its chance level is the majority error
        chance_loss = chance_error
    window = min(RECENT_MAX, max(RECENT_MIN, round(n / 5)))
    return _Curves(
        main, is_error, t, v, acc_metric, acc_t, acc_v, scale, n, window, chance_loss, chance_error, baseline_accuracy
    )


def _slope(values: Sequence[float]) -> float:
    """Least-squares slope per epoch."""
    count = len(values)
    mean_x = (count - 1) / 2
    mean_y = sum(values) / count
    numerator = sum((index - mean_x) * (value - mean_y) for index, value in enumerate(values))
    denominator = sum((index - mean_x) ** 2 for index in range(count))
    return numerator / denominator


def _improvement(values: Sequence[float], window: int, scale: float) -> tuple[float, float]:
    """Recent gain per epoch (positive = falling), relative to the curve's level and to the scale."""
    recent = values[-(window + 1) :]
    gain = -_slope(recent)
    level = max(abs(sum(recent) / len(recent)), _TINY)
    return gain / level, gain / scale


def _improving(values: Sequence[float], c: _Curves) -> bool:
    """Falling by a meaningful share of the curve's own level: fast lately, or slowly but long."""
    of_level, of_start = _improvement(values, c.window, c.scale)
    if of_level >= IMPROVING_PER_EPOCH and of_start >= IMPROVING_OF_START:
        return True
    if of_level < IMPROVING_LONG_PER_EPOCH:
        return False
    average_gain = (values[0] - values[-1]) / (len(values) - 1)
    recent_gain = -_slope(values[-(c.window + 1) :])
    if average_gain > 0 and recent_gain >= IMPROVING_STEADY_SHARE * average_gain:
        return True
    tail = round(IMPROVING_TAIL_SHARE * c.n)
    if tail <= c.window:
        return False
    of_tail, _ = _improvement(values, tail, c.scale)
    return of_tail >= IMPROVING_LONG_PER_EPOCH


def _excess_travel(values: Sequence[float]) -> float:
    """Total variation beyond that of a curve that falls to its minimum and rises once."""
    total = sum(abs(b - a) for a, b in zip(values, values[1:], strict=False))
    lowest = min(values)
    return max(0.0, total - (values[0] - lowest) - (values[-1] - lowest))


def _zigzag(values: Sequence[float]) -> float:
    """Typical epoch-to-epoch jitter: the median distance of a value from its neighbours' midpoint."""
    if len(values) < 3:
        return 0.0
    return statistics.median(abs(values[i] - (values[i - 1] + values[i + 1]) / 2) for i in range(1, len(values) - 1))


def _rises(values: Sequence[float], scale: float) -> list[tuple[int, float]]:
    """(1-based epoch, relative rise) for every epoch where the curve went up.

    A rise is measured against the curve's level or against the progress made so far
    (first value minus lowest), whichever is smaller, but never against less than 10% of the
    starting scale: a jump that undoes a third of the progress counts even at a high level,
    and the jitter of a loss near zero (or of one that never moved) does not.
    """
    floor = UNSTABLE_LEVEL_FLOOR * scale
    progress = values[0] - min(values)
    return [
        (epoch, (b - a) / max(min(abs(a), progress), floor))
        for epoch, (a, b) in enumerate(zip(values, values[1:], strict=False), start=2)
        if b > a
    ]


def _tail_mean(values: Sequence[float], count: int) -> float:
    tail = values[-count:]
    return sum(tail) / len(tail)


def _g(value: float) -> str:
    """A number for a sentence: 3 significant digits."""
    return f"{value:.3g}"


def _pct(value: float) -> str:
    percent = round(100 * value)
    return f"{percent + 0:d}%" if abs(value) < 100 else f"{_g(100 * value)}%"


def _finding(code: str, message: str, evidence: dict[str, Any], text: str) -> Finding:
    clean = {key: (float(f"{value:.6g}") if isinstance(value, float) else value) for key, value in evidence.items()}
    return Finding(
        code,
        message,
        MappingProxyType(clean),
        text,
        tuple(checklist_item(item_id) for item_id in ADVICE[code]),
        LESSONS[code],
    )


def _name(c: _Curves, validation: bool = False) -> str:
    metric = f"{'validation' if validation else 'training'} {c.metric.replace('_', ' ')}"
    return f"{metric} error" if c.is_error else metric

"""The one line under an explorer's curves: divergence, best epoch, final gap, the doctor's verdict."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from lessons_lib.history import best_epoch, first_nonfinite_epoch, metric_names
from lessons_lib.training import History

#: A training loss this many times above the untrained model's means the run blew up: the
#: learning rate threw the weights far away (Adam's losses rarely reach inf; they explode).
BLOW_UP_RATIO = 10.0


def blow_up_epoch(history: Mapping[str, Sequence[float]], start_loss: float | None) -> int | None:
    """First epoch whose training loss is ``BLOW_UP_RATIO`` times the untrained model's loss."""
    if not start_loss or start_loss <= 0:
        return None
    for epoch, value in enumerate(history.get("loss", []), start=1):
        if value > BLOW_UP_RATIO * start_loss:
            return epoch
    return None


def reading_for(
    history: Mapping[str, Sequence[float]],
    *,
    start_loss: float | None = None,
    note: Callable[[History], str | None] | None = None,
    hints: Mapping[str, float] | None = None,
) -> str:
    """One line about a run: divergence, best epoch, final gap, the doctor's verdict, a note.

    ``hints`` go to the curve doctor (``n_classes``, ``baseline_accuracy``, ``baseline_loss``).
    """
    history = {name: list(values) for name, values in history.items()}
    losses, val_losses = history.get("loss", []), history.get("val_loss", [])
    broken = [epoch for epoch in (first_nonfinite_epoch(losses), first_nonfinite_epoch(val_losses)) if epoch]
    if broken:
        epoch = min(broken)
        kind = "nan" if any(math.isnan(v) for v in losses[epoch - 1 :] + val_losses[epoch - 1 :]) else "inf"
        return f"diverged at epoch {epoch} (loss became {kind}): the learning rate is too high for this model"
    parts = []
    blow_up = blow_up_epoch(history, start_loss)
    if blow_up is not None:
        ratio = losses[blow_up - 1] / start_loss
        parts.append(
            f"diverged at epoch {blow_up} (training loss {losses[blow_up - 1]:.3g}, {ratio:.0f}x the untrained "
            "model's): the learning rate is too high"
        )
    if val_losses:
        best = best_epoch(val_losses, "val_loss")
        parts.append(f"best epoch {best} of {len(val_losses)} (validation loss {val_losses[best - 1]:.4g})")
        gaps = [
            f"{metric} {history[f'val_{metric}'][-1] - history[metric][-1]:+.3g}"
            for metric in metric_names(history)
            if f"val_{metric}" in history
        ]
        parts.append("final gap (validation minus training): " + ", ".join(gaps))
    verdict = doctor_verdict(history, **(hints or {}))
    if verdict:
        parts.append(f"doctor: {verdict}")
    remark = note(history) if note is not None else None
    if remark:
        parts.append(remark)
    return " · ".join(parts)


def doctor_verdict(history: Mapping[str, Sequence[float]], **hints: float) -> str | None:
    """The curve doctor's first finding, if ``lessons_lib.doctor`` is installed."""
    try:
        from lessons_lib.doctor import diagnose
    except ImportError:
        return None
    try:
        findings = diagnose(dict(history), **hints).findings
    except Exception as error:  # a doctor's bug must not silence the explorer
        return f"unavailable ({type(error).__name__}: {error})"
    if not findings:
        return None
    first = findings[0]
    message = getattr(first, "message", "")
    return f"{first.code} ({message})" if message else str(first.code)

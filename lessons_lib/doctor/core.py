"""``diagnose``: read the curves, apply the rules in order, and keep the findings that may stand together."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from lessons_lib.checks import check_int, check_number
from lessons_lib.doctor.codes import CODES
from lessons_lib.doctor.curves import _prepare
from lessons_lib.doctor.inputs import read_history
from lessons_lib.doctor.report import Diagnosis, DiagnosisError, Finding
from lessons_lib.doctor.rules import (
    _diverging_growth,
    _diverging_nonfinite,
    _healthy,
    _noisy_validation,
    _not_learning,
    _overfitting,
    _still_improving,
    _underfitting,
    _unstable,
    _val_better_than_train,
)
from lessons_lib.doctor.thresholds import MIN_EPOCHS
from lessons_lib.history import HistoryLike, higher_is_better


def diagnose(
    history: HistoryLike,
    *,
    n_classes: int | None = None,
    baseline_accuracy: float | None = None,
    baseline_loss: float | None = None,
    loss: str | None = None,
    val_loss: str | None = None,
    accuracy: str | None = None,
    val_accuracy: str | None = None,
) -> Diagnosis:
    """Read a training history and return a ``Diagnosis`` of what its curves show.

    ``history`` is a Keras ``History``; a dict of per-epoch lists or arrays with Keras's names
    (``loss``, ``val_loss``, ``accuracy``, ``val_accuracy``, any metric ``m`` with ``val_m``;
    Keras 2's ``acc``) or Lightning's (``train_loss``, ``val_loss``, ``train_acc_epoch``, ...);
    a pandas ``DataFrame``; or the path of a CSV log (Keras's or Lightning's ``CSVLogger``) or
    of a TensorBoard log folder. Counters (``epoch``, ``step``, ``lr``, ``time``) are never
    curves. Where names are ambiguous, ``loss``, ``val_loss``, ``accuracy`` and
    ``val_accuracy`` name the columns to read (``diagnose(log, loss="train_loss",
    val_loss="valid_loss")``).
    Optional hints make the "is the loss high?" questions more reliable:

    - ``n_classes``: number of classes of a classifier trained with cross-entropy; the
      chance-level loss is then ln(n_classes) (ln 2 for binary) and the chance accuracy
      1 / n_classes.
    - ``baseline_accuracy``: the majority-class rate (for imbalanced data, e.g. 0.89 for one
      digit against the nine others).
    - ``baseline_loss``: the loss of a model that ignores its input (for MSE, the variance of
      the training targets, ``np.var(y_train)``); overrides the ln K of ``n_classes``.
    """
    hints = _check_hints(n_classes, baseline_accuracy, baseline_loss)
    read = read_history(
        history, {"loss": loss, "val_loss": val_loss, "accuracy": accuracy, "val_accuracy": val_accuracy}
    )
    curves = read.curves
    names = metric_names(curves)
    orphans = [key for key in curves if key.startswith("val_") and key[4:] not in curves]
    if not names:
        raise DiagnosisError(
            f"history has validation curves ({', '.join(sorted(curves))}) but no training curves: "
            "pass the whole history.history of fit, or name the training loss with diagnose(..., loss='<name>')"
        )
    notes: list[str] = list(read.notes)
    if orphans:
        notes.append(f"ignored {', '.join(orphans)}: no training curve with the same name")
    paired = [name for name in names if f"val_{name}" in curves]
    if not paired:
        notes.append("no validation curves: pass validation_data=(x_val, y_val) to fit to see overfitting")
    main = _main_metric(names, paired)
    acc_metric = next((name for name in paired if higher_is_better(name)), None)
    if acc_metric is None and not paired:
        acc_metric = next((name for name in names if higher_is_better(name)), None)
    n = len(curves[main])
    used = tuple(key for key in (main, f"val_{main}", acc_metric, f"val_{acc_metric}") if key and key in curves)

    findings: list[Finding] = []
    broken = _nonfinite(curves, used)
    notes += _nonfinite_extras(curves, used, broken)
    if broken:
        findings.append(_diverging_nonfinite(curves, main, broken))
        n = broken[1] - 1  # analyse only the epochs before the first NaN/inf
    if n < MIN_EPOCHS:
        if not broken:
            notes.append(
                f"only {n} epoch{'s' if n != 1 else ''}: the doctor needs at least {MIN_EPOCHS} epochs to see "
                "a trend; train for more epochs"
            )
        return Diagnosis(tuple(findings), tuple(notes), len(curves[main]), used, MappingProxyType(hints))

    c = _prepare(curves, main, acc_metric, n, hints)
    if broken:
        unstable = _unstable(c)
        findings += [unstable] if unstable else []
        return Diagnosis(tuple(findings), tuple(notes), len(curves[main]), used, MappingProxyType(hints))

    found: dict[str, Finding] = {}
    for rule in (_diverging_growth, _unstable, _not_learning):
        finding = rule(c)
        if finding:
            found[finding.code] = finding
    underfitting = _underfitting(c, jumping="unstable" in found)
    found.update({"underfitting": underfitting} if underfitting else {})
    for rule in (_overfitting, _still_improving):
        finding = rule(c)
        if finding:
            found[finding.code] = finding
    if c.v is not None:
        for rule in (_val_better_than_train, _noisy_validation):
            finding = rule(c)
            if finding:
                found[finding.code] = finding
    if "diverging" in found:
        found = {code: found[code] for code in ("diverging", "unstable") if code in found}
    if "unstable" in found:
        found.pop("still_improving", None)
        found.pop("noisy_validation", None)
    if "not_learning" in found:  # at chance, comparisons of the two curves mean nothing
        for code in ("underfitting", "still_improving", "val_better_than_train", "noisy_validation"):
            found.pop(code, None)
    if not found and c.v is not None:
        found["healthy"] = _healthy(c)
    findings += [found[code] for code in CODES if code in found]
    if c.t[0] < 0 or min(c.t) < 0:
        notes.append("the training loss is negative: if it is a cross-entropy, some labels are outside 0..1")
    return Diagnosis(tuple(findings), tuple(notes), len(curves[main]), used, MappingProxyType(hints))


def _check_hints(n_classes: Any, baseline_accuracy: Any, baseline_loss: Any) -> dict[str, Any]:
    hints: dict[str, Any] = {}
    if n_classes is not None:
        hints["n_classes"] = check_int("n_classes", n_classes, low=2)
    if baseline_accuracy is not None:
        hints["baseline_accuracy"] = check_number(
            "baseline_accuracy", baseline_accuracy, low=0, high=1, low_inclusive=False, high_inclusive=False
        )
        if n_classes is not None and hints["baseline_accuracy"] < 1 / n_classes - 1e-9:
            raise DiagnosisError(
                f"baseline_accuracy must be at least 1/n_classes = {1 / n_classes:.3g} (the majority class is at "
                f"least that common), got {baseline_accuracy!r}"
            )
    if baseline_loss is not None:
        hints["baseline_loss"] = check_number("baseline_loss", baseline_loss, low=0, low_inclusive=False)
    return hints


def _main_metric(names: Sequence[str], paired: Sequence[str]) -> str:
    """``loss`` if it has a validation curve, else another loss-like pair, else an accuracy pair."""
    for candidates in (paired, names):
        if "loss" in candidates:
            return "loss"
        lower = [name for name in candidates if not higher_is_better(name)]
        if lower:
            return lower[0]
        if candidates:
            return candidates[0]
    raise AssertionError("unreachable: names is not empty")


def metric_names(curves: Mapping[str, Sequence[float]]) -> list[str]:
    """Training metrics in display order: ``loss`` first, then the others as logged (counters are already out)."""
    return sorted((key for key in curves if not key.startswith("val_")), key=lambda key: key != "loss")


def _nonfinite(curves: Mapping[str, Sequence[float]], used: Sequence[str]) -> tuple[str, int] | None:
    """The key and 1-based epoch of the first NaN/inf among the curves read (loss first)."""
    first: tuple[str, int] | None = None
    for key in list(used) + [key for key in curves if key not in used and _is_loss(key)]:
        for epoch, value in enumerate(curves[key], start=1):
            if not math.isfinite(value):
                if first is None or epoch < first[1]:
                    first = (key, epoch)
                break
    return first


def _nonfinite_extras(
    curves: Mapping[str, Sequence[float]], used: Sequence[str], broken: tuple[str, int] | None
) -> list[str]:
    """A note naming the curves not read that turn NaN/inf before the ones read: not divergence.

    An F1 score is NaN while a class has no prediction yet; that says nothing about the loss.
    """
    found = []
    for key in curves:
        if key in used or _is_loss(key):
            continue
        epoch = next((index for index, value in enumerate(curves[key], start=1) if not math.isfinite(value)), None)
        if epoch is not None and (broken is None or epoch < broken[1]):
            kind = "NaN" if math.isnan(curves[key][epoch - 1]) else "inf"
            found.append(f"{key} ({kind} at epoch {epoch})")
    if not found:
        return []
    return [
        f"NaN/inf in curves the doctor does not read, not divergence: {', '.join(found)}; it reads "
        f"{', '.join(dict.fromkeys(used))}"
    ]


def _is_loss(key: str) -> bool:
    """A loss (``loss``, ``val_loss``, ``out_loss``): NaN/inf there is divergence, even where the rules read another."""
    return key.removeprefix("val_") == "loss" or key.endswith("_loss")

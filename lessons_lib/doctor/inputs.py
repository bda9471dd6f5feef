"""Input adapters: turn a history as users have it into one dict of per-epoch float lists.

Accepted: a Keras ``History`` (its ``.history``); a dict of lists or arrays; a pandas
``DataFrame`` (pandas is never imported here: a DataFrame can only exist if the caller
imported it); the path of a CSV file, a JSON history or a TensorBoard log folder (``files.py``).

What comes out uses Keras's names: ``loss``, ``val_loss``, ``accuracy``/``acc``, any metric
``m`` with ``val_m``. Lightning-style names (``train_loss``, ``val_loss``, ``train_acc_epoch``)
are renamed when no Keras training curve is there; counters (``epoch``, ``step``, ``lr``,
``time``, ...) are never metrics; a keyword mapping (``loss="train_loss"``) decides where
names are ambiguous. A Keras-named dict of equally long float lists comes out unchanged but
for its counters (which the rules never read), so the readings of the course's own histories
do not depend on this module.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lessons_lib.doctor.report import DiagnosisError
from lessons_lib.history import higher_is_better

#: Columns that count or time things: never metrics.
COUNTERS = frozenset(
    {
        "epoch",
        "epochs",
        "step",
        "steps",
        "global_step",
        "batch",
        "iteration",
        "iterations",
        "lr",
        "learning_rate",
        "time",
        "wall_time",
        "timestamp",
        "epoch_time",
        "created_at",
    }
)
#: The names a keyword mapping can give (``diagnose(log, loss="train_loss", val_loss="valid_loss")``).
MAPPABLE = ("loss", "val_loss", "accuracy", "val_accuracy")
#: Accuracy-like metrics that may be logged in percent (r2 can be anything up to 1, never percent).
_PERCENT_WORDS = ("accuracy", "acc", "auc", "precision", "recall", "f1")


@dataclass
class Read:
    """The curves read from an input, and notes on how they were read (plain sentences)."""

    curves: dict[str, list[float]]
    notes: list[str] = field(default_factory=list)


def is_counter(name: str) -> bool:
    """True for epoch/step counters, learning rates and timestamps (``lr-Adam`` from Lightning too)."""
    base = name.removeprefix("val_").removeprefix("train_").lower()
    return base in COUNTERS or base.startswith(("lr-", "lr_", "learning_rate")) or base.endswith("_time")


def read_history(history: Any, mapping: Mapping[str, str | None] | None = None, name: str = "history") -> Read:
    """Return the curves of ``history`` with Keras's names, checking their shape (one-sentence errors)."""
    mapping = {key: value for key, value in (mapping or {}).items() if value is not None}
    notes: list[str] = []
    if isinstance(history, (str, os.PathLike)) and os.fspath(history).lower().endswith(".json"):
        from lessons_lib.doctor.files import read_json

        history = read_json(history)
    if isinstance(history, (str, os.PathLike)):
        from lessons_lib.doctor.files import read_path

        table, notes = read_path(history)
        columns = merge_epochs(table, notes, missing_is_nan=False)
    elif _is_dataframe(history):
        table = {str(key): list(history[key]) for key in history.columns}
        columns = merge_epochs(table, notes, missing_is_nan=True) if _has_repeated_epochs(table) else table
    else:
        curves = getattr(history, "history", history)
        if not isinstance(curves, Mapping):
            raise TypeError(
                f"{name} must be a Keras History or a dict of lists, got {type(history).__name__} (a pandas "
                "DataFrame, or the path of a CSV file or of a TensorBoard log folder, work too)"
            )
        if not curves:
            raise ValueError(f"{name} is empty: train for at least one epoch first")
        columns = dict(curves)
        if _has_repeated_epochs(columns):  # a Lightning table as a dict: one row per logging call
            columns = merge_epochs(columns, notes, missing_is_nan=True)
    result: dict[str, list[float]] = {}
    for key, values in columns.items():
        if not isinstance(key, str) or isinstance(values, (str, bytes)):
            raise TypeError(f"{name}[{key!r}] must be a list of numbers, got {type(values).__name__}")
        result[key] = _floats(key, values, name)
    result = _rename(result, mapping, notes)
    lengths = {len(values) for values in result.values()}
    if len(lengths) > 1:
        raise ValueError(f"all curves in {name} must have one value per epoch, got lengths {sorted(lengths)}")
    if not result:
        raise DiagnosisError(
            f"{name} has only counters ({', '.join(columns)}) and no curve: it needs a loss or an accuracy per epoch"
        )
    if 0 in lengths:
        raise ValueError(f"{name} has no epochs: train for at least one epoch first")
    _percent(result, notes)
    return Read(result, notes)


def _is_dataframe(value: Any) -> bool:
    pandas = sys.modules.get("pandas")  # a DataFrame exists only if pandas was imported
    return pandas is not None and isinstance(value, pandas.DataFrame)


def _floats(key: str, values: Any, name: str) -> list[float]:
    """One float per epoch; (n, 1) arrays are flattened; None, nested lists and text get a sentence."""
    shape = getattr(values, "shape", None)
    if shape is not None and len(shape) == 2 and shape[1] == 1:
        values = [row[0] for row in values]
    elif shape is not None and len(shape) != 1:
        raise TypeError(
            f"{name}[{key!r}] is an array of shape {tuple(shape)}: give one number per epoch (a 1-D array or list)"
        )
    try:
        items = list(values)
    except TypeError:
        raise TypeError(f"{name}[{key!r}] must be a list of numbers, got {type(values).__name__}") from None
    result = []
    for epoch, value in enumerate(items, start=1):
        if value is None:
            raise TypeError(
                f"{name}[{key!r}] must be a list of numbers, got None at epoch {epoch}: every epoch needs a "
                "value (use float('nan') for an epoch whose value was lost, or leave the epoch out of every curve)"
            )
        if isinstance(value, (list, tuple)) or getattr(value, "ndim", 0) >= 1:
            inner = list(value) if not hasattr(value, "tolist") else list(value.reshape(-1).tolist())
            if len(inner) != 1:
                raise TypeError(
                    f"{name}[{key!r}] must be a list of numbers, got a list of {len(inner)} values at epoch "
                    f"{epoch}: give one number per epoch (per-batch values: average each epoch's)"
                )
            value = inner[0]
        try:
            result.append(float(value))
        except (TypeError, ValueError):
            raise TypeError(
                f"{name}[{key!r}] must be a list of numbers, got {type(values).__name__} with {value!r} at epoch "
                f"{epoch}"
            ) from None
    return result


def _missing(value: Any, missing_is_nan: bool) -> bool:
    if value is None or (isinstance(value, str) and value.strip() in ("", "NA")):
        return True
    return missing_is_nan and isinstance(value, float) and math.isnan(value)


def _has_repeated_epochs(columns: Mapping[Any, Any]) -> bool:
    epochs = columns.get("epoch")
    if epochs is None or isinstance(epochs, (str, bytes)):
        return False
    try:
        values = [float(value) for value in epochs if value is not None]
    except (TypeError, ValueError):
        return False
    return len(set(values)) < len(values)


def merge_epochs(table: Mapping[str, Sequence[Any]], notes: list[str], *, missing_is_nan: bool) -> dict[str, list]:
    """One row per epoch from a table that may log training and validation on separate rows.

    Lightning's ``CSVLogger`` writes one row per logging call (validation at the end of an
    epoch, the training epoch metrics in another row, per-step metrics in more rows), with
    ``epoch`` and ``step`` columns and empty cells for what that call did not log. Each
    column's value for an epoch is its one value logged in that epoch; a column logged
    several times in an epoch (a per-step metric) is averaged over the epoch, with a note.
    Columns logged in fewer than half of the epochs are left out; epochs that still miss a
    value are left out; both with a note. A table with one row per epoch (Keras's
    ``CSVLogger``) comes out as it went in.
    """
    columns = {key: list(values) for key, values in table.items()}
    if "epoch" not in columns:
        rows = [(index, index) for index in range(len(next(iter(columns.values()), [])))]
        order: list[Any] = [index for index, _ in rows]
    else:
        rows = []
        for index, epoch in enumerate(columns["epoch"]):
            if _missing(epoch, True):
                continue
            rows.append((index, float(epoch)))
        order = list(dict.fromkeys(epoch for _, epoch in rows))
    merged: dict[str, list] = {}
    averaged = []
    for key, values in columns.items():
        if is_counter(key) or (key.endswith("_step") and key[: -len("_step")] + "_epoch" in columns):
            continue  # counters, and the per-step copy of a metric whose epoch mean is logged too
        per_epoch: dict[Any, list] = {}
        for index, epoch in rows:
            if not _missing(values[index], missing_is_nan):
                per_epoch.setdefault(epoch, []).append(values[index])
        if len(per_epoch) * 2 < len(order) or not per_epoch:
            if per_epoch:
                notes.append(f"left out {key}: logged in only {len(per_epoch)} of {len(order)} epochs")
            continue
        if any(len(found) > 1 for found in per_epoch.values()):
            averaged.append(key)
        merged[key] = [_mean(per_epoch[epoch]) if epoch in per_epoch else None for epoch in order]
    if averaged:
        notes.append(f"{', '.join(averaged)} logged several times per epoch (per step): read as each epoch's mean")
    keep = [index for index in range(len(order)) if all(values[index] is not None for values in merged.values())]
    if len(keep) < len(order):
        dropped = [index + 1 for index in range(len(order)) if index not in keep]
        notes.append(f"left out epoch{'s' if len(dropped) > 1 else ''} {_ranges(dropped)}: not every curve has a value")
        merged = {key: [values[index] for index in keep] for key, values in merged.items()}
    return merged


def _mean(values: Sequence[Any]) -> Any:
    if len(values) == 1:
        return values[0]
    try:
        numbers = [float(value) for value in values]
    except (TypeError, ValueError):
        return values[0]  # not numbers: the float check names it
    return sum(numbers) / len(numbers)


def _ranges(epochs: Sequence[int]) -> str:
    shown = ", ".join(str(epoch) for epoch in epochs[:6])
    return shown + (f" and {len(epochs) - 6} more" if len(epochs) > 6 else "")


def _rename(curves: dict[str, list[float]], mapping: Mapping[str, str], notes: list[str]) -> dict[str, list[float]]:
    """Keras's names: counters out, the keyword mapping applied, Lightning's prefixes and suffixes read."""
    for target, source in mapping.items():
        if target not in MAPPABLE:
            raise DiagnosisError(f"cannot map {target}: the names to map are {', '.join(MAPPABLE)}")
        if source not in curves:
            raise DiagnosisError(
                f"{target}={source!r} names no curve of this history; it has {', '.join(curves) or 'none'}"
            )
    counters = [key for key in curves if is_counter(key)]
    curves = {key: values for key, values in curves.items() if key not in counters}
    if mapping:
        taken = set(mapping.values())
        renamed = {target: curves[source] for target, source in mapping.items()}
        rest = {key: values for key, values in curves.items() if key not in taken and key not in renamed}
        shown = [f"{source} as {target}" for target, source in mapping.items() if source != target]
        notes += ["read " + ", ".join(shown)] if shown else []
        curves = {**renamed, **rest}
    if any(key in curves for key in ("loss", "accuracy", "acc")) or any(
        f"val_{key}" in curves for key in curves if not key.startswith("val_")
    ):
        return curves  # Keras's names: read as they are
    renamed_keys: dict[str, str] = {}
    for key in curves:
        new = key
        for prefix, replacement in (("train_", ""), ("training_", ""), ("valid_", "val_"), ("validation_", "val_")):
            if new.startswith(prefix):
                new = replacement + new[len(prefix) :]
                break
        if new.endswith("_epoch"):
            new = new[: -len("_epoch")]
        elif key.endswith("_step") and key[: -len("_step")] + "_epoch" in curves:
            new = ""  # the per-step copy of a metric that also has its epoch mean
        if new != key:
            renamed_keys[key] = new
    result: dict[str, list[float]] = {}
    for key, values in curves.items():
        new = renamed_keys.get(key, key)
        if not new:
            continue
        if new in result:
            raise DiagnosisError(
                f"two curves read as {new} ({key} and another): name them with diagnose(..., "
                f"{'val_' if new.startswith('val_') else ''}loss='...') and the like"
            )
        result[new] = values
    shown = [f"{key} as {new}" for key, new in renamed_keys.items() if new]
    if shown:
        notes.append("read " + ", ".join(shown))
    return result


def _percent(curves: dict[str, list[float]], notes: list[str]) -> None:
    """Accuracies logged in percent (above 1, up to 100) are divided by 100, with a note; others are refused."""
    scaled = []
    for key in [key for key in curves if not key.startswith("val_")]:
        base = key
        if not any(base == word or base.endswith("_" + word) or base.startswith(word) for word in _PERCENT_WORDS):
            continue
        if not higher_is_better(base):
            continue
        pair = [name for name in (key, f"val_{key}") if name in curves]
        finite = [value for name in pair for value in curves[name] if math.isfinite(value)]
        if not finite or max(finite) <= 1:
            continue
        if min(finite) < 0 or max(finite) > 100:
            raise DiagnosisError(
                f"{key} runs from {min(finite):.3g} to {max(finite):.3g}: an accuracy-like metric lies between 0 "
                "and 1 (or 0 and 100 in percent)"
            )
        for name in pair:
            curves[name] = [value / 100 for value in curves[name]]
        scaled.append(" and ".join(pair))
    if scaled:
        notes.append(f"{'; '.join(scaled)} look like percentages (above 1): read divided by 100")

"""Logs on disk: a CSV file (Keras's or Lightning's ``CSVLogger``) or a TensorBoard log folder.

``read_path`` returns a table (column name -> one cell per row, ``None`` where a cell is
empty) that ``inputs.merge_epochs`` turns into one row per epoch. The formats, as the
loggers write them:

- Keras ``keras.callbacks.CSVLogger(filename, separator=",")``: a header ``epoch`` followed by
  the logged names sorted (``epoch,accuracy,loss,val_accuracy,val_loss``), one row per
  epoch from epoch 0, ``NA`` for a name missing in an epoch's logs.
- Lightning ``CSVLogger`` (``<root>/<name>/version_<n>/metrics.csv``): one row per
  ``log_metrics`` call, columns sorted (``epoch``, ``step``, ``train_loss``, ``val_loss``, ...),
  empty cells for what a call did not log; validation and training epoch metrics come in
  separate rows.
- Keras ``keras.callbacks.TensorBoard(log_dir)``: ``train/`` and ``validation/`` subfolders of
  event files with scalars ``epoch_loss``, ``epoch_accuracy``, ``epoch_learning_rate`` at step
  = epoch (and ``evaluation_*_vs_iterations`` per step, not read). A folder without those
  subfolders (Lightning's ``TensorBoardLogger``) is read tag by tag, by its ``epoch`` scalar if
  it logs one, else by step.

The TensorBoard reader imports the ``tensorboard`` package only when it is handed a folder,
and reads the event files with its protocol buffers alone: TensorFlow is not imported.
"""

from __future__ import annotations

import csv
import json
import os
import struct
from pathlib import Path
from typing import Any

from lessons_lib.doctor.report import DiagnosisError

Table = dict[str, list[Any]]
#: Scalar tags of Keras's TensorBoard callback that are not per-epoch curves.
_PER_STEP = ("evaluation_", "batch_")


def read_path(path: str | os.PathLike[str]) -> tuple[Table, list[str]]:
    """The table logged at ``path`` (a CSV file, a TensorBoard folder or event file, a Lightning run folder)."""
    where = Path(path)
    if not where.exists():
        raise FileNotFoundError(
            f"no file or folder at {str(path)!r}: give the path of a CSV log or a TensorBoard log folder"
        )
    if where.is_dir():
        events = sorted(where.rglob("events.out.tfevents*"))
        if events:
            return read_tensorboard(where, events), []
        csvs = sorted(where.rglob("metrics.csv")) or sorted(where.rglob("*.csv"))
        if len(csvs) == 1:
            return read_csv(csvs[0]), [f"read {csvs[0]}"]
        if csvs:
            raise DiagnosisError(
                f"{str(path)!r} holds {len(csvs)} CSV files ({', '.join(str(p) for p in csvs[:3])}"
                f"{', ...' if len(csvs) > 3 else ''}): give the path of one"
            )
        raise DiagnosisError(f"{str(path)!r} is a folder with no TensorBoard event file and no CSV file")
    if where.name.startswith("events.out.tfevents"):
        return read_tensorboard(where.parent, [where]), []
    return read_csv(where), []


def read_json(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A history saved as JSON: ``json.dump(history.history, file)``, or such a dict under ``"history"``."""
    where = Path(path)
    if not where.is_file():
        raise FileNotFoundError(f"no file at {str(path)!r}: give the path of a JSON history, a CSV log or a log folder")
    try:
        document = json.loads(where.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DiagnosisError(f"{str(path)!r} is not valid JSON ({error})") from None
    if isinstance(document, dict) and isinstance(document.get("history"), dict):
        document = document["history"]
    if not isinstance(document, dict):
        raise DiagnosisError(f"{str(path)!r} holds a JSON {type(document).__name__}, not an object of curves")
    return document


def _cell(text: str) -> Any:
    text = text.strip()
    if text in ("", "NA"):
        return None
    try:
        return float(text)
    except ValueError:
        return text  # not a number: the check of the curves names it


def read_csv(path: Path) -> Table:
    """Columns of a CSV log with a header row (the separator is guessed among , ; and tab)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DiagnosisError(f"{str(path)!r} is not a text file: give a CSV log or a TensorBoard log folder") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise DiagnosisError(f"{str(path)!r} is empty: a CSV log starts with a header row such as epoch,loss,val_loss")
    separator = max((",", ";", "\t"), key=lines[0].count)
    rows = list(csv.reader(lines, delimiter=separator))
    header = [name.strip() for name in rows[0]]
    if len(header) < 2 or any(_is_number(name) for name in header):
        raise DiagnosisError(
            f"{str(path)!r} does not start with a header row of curve names (such as epoch,loss,val_loss)"
        )
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    if not body:
        raise DiagnosisError(f"{str(path)!r} has a header but no rows: train for at least one epoch first")
    table: Table = {name: [] for name in header}
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise DiagnosisError(f"{str(path)!r} line {number} has {len(row)} cells, the header {len(header)}")
        for name, cell in zip(header, row, strict=True):
            table[name].append(_cell(cell))
    return table


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _records(path: Path) -> list[bytes]:
    """The records of a TFRecord file: 8-byte length, 4-byte CRC, data, 4-byte CRC."""
    data = path.read_bytes()
    records, position = [], 0
    while position + 12 <= len(data):
        (length,) = struct.unpack("<Q", data[position : position + 8])
        start = position + 12
        if start + length > len(data):
            break  # a file still being written ends with a partial record
        records.append(data[start : start + length])
        position = start + length + 4
    return records


def _scalars(path: Path) -> list[tuple[int, str, float]]:
    """(step, tag, value) of every scalar in an event file."""
    try:
        from tensorboard.compat.proto import event_pb2
        from tensorboard.util import tensor_util
    except ImportError:
        raise DiagnosisError(
            f"reading the TensorBoard log {str(path)!r} needs the tensorboard package: pip install tensorboard"
        ) from None

    found = []
    for record in _records(path):
        event = event_pb2.Event.FromString(record)
        for value in event.summary.value:
            kind = value.WhichOneof("value")
            if kind == "simple_value":
                found.append((event.step, value.tag, float(value.simple_value)))
            elif kind == "tensor" and value.metadata.plugin_data.plugin_name == "scalars":
                array = tensor_util.make_ndarray(value.tensor)
                if array.size == 1:
                    found.append((event.step, value.tag, float(array.reshape(-1)[0])))
    return found


def read_tensorboard(folder: Path, events: list[Path]) -> Table:
    """Per-epoch scalars of a TensorBoard log folder, as a table with an ``epoch`` column."""
    by_run: dict[str, list[tuple[int, str, float]]] = {}
    for path in events:
        by_run.setdefault(path.parent.relative_to(folder).as_posix(), []).extend(_scalars(path))
    keras_runs = {"train": "", "validation": "val_"}
    rows: dict[tuple[str, int], tuple[float, dict[str, float]]] = {}
    if set(by_run) & set(keras_runs):  # Keras: train/ and validation/, tags epoch_<name>, step = epoch
        for run, prefix in keras_runs.items():
            for step, tag, value in by_run.get(run, []):
                if tag.startswith("epoch_") and not tag.startswith(_PER_STEP):
                    rows.setdefault(("", step), (step, {}))[1][prefix + tag.removeprefix("epoch_")] = value
    else:  # one run folder (Lightning): by the logged epoch if there is one, else by step
        scalars = [entry for entries in by_run.values() for entry in entries]
        epoch_of = {step: value for step, tag, value in scalars if tag == "epoch"}
        for step, tag, value in scalars:
            if tag != "epoch" and not tag.startswith(_PER_STEP):
                rows.setdefault((tag, step), (epoch_of.get(step, step) if epoch_of else step, {}))[1][tag] = value
    if not rows:
        raise DiagnosisError(f"{str(folder)!r} holds TensorBoard event files but no per-epoch scalars")
    ordered = sorted(rows.values(), key=lambda row: row[0])
    names = list(dict.fromkeys(name for _, row in ordered for name in sorted(row)))
    table: Table = {"epoch": [float(epoch) for epoch, _ in ordered]}
    for name in names:
        table[name] = [row.get(name) for _, row in ordered]
    return table

"""``DoctorCallback``: the curve doctor during ``model.fit``, in anyone's project.

    model.fit(x, y, validation_data=(x_val, y_val), epochs=100, verbose=0,
              callbacks=[lessons_lib.DoctorCallback(every=5, n_classes=10)])

Every ``every`` epochs it prints one line (a rich line in Jupyter): the doctor's first
finding and the other codes. When a reading holds one of the ``stop_on`` codes (by default
``diverging`` and ``not_learning``: more epochs cannot help) it sets ``model.stop_training``
and says so. A loss that turns NaN or inf is read at once, whatever ``every`` is.

This module imports keras (a callback must subclass ``keras.callbacks.Callback``); it is
loaded only when ``lessons_lib.DoctorCallback`` is first used, so importing ``lessons_lib``
or ``lessons_lib.doctor`` imports neither keras nor TensorFlow.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import Any

try:
    import keras
except ImportError:  # the doctor itself needs numpy only; its callback needs keras
    raise ImportError("DoctorCallback is a Keras callback: it needs keras (pip install keras tensorflow)") from None

from lessons_lib.checks import check_int
from lessons_lib.doctor.codes import CODES
from lessons_lib.doctor.core import _check_hints, diagnose
from lessons_lib.doctor.report import Diagnosis

_NAMES = ("loss", "val_loss", "accuracy", "val_accuracy")


class DoctorCallback(keras.callbacks.Callback):
    """Print the doctor's reading every ``every`` epochs; stop training on a ``stop_on`` code.

    ``hints`` go to ``diagnose``: ``n_classes``, ``baseline_accuracy``, ``baseline_loss``, and
    the names to read (``loss="..."``, ``val_loss="..."``) where a model logs other names.
    After ``fit``: ``reading`` is the last ``Diagnosis``, ``lines`` the lines printed,
    ``stopped_epoch`` the 1-based epoch at which it stopped training (``None`` if it did not).
    """

    def __init__(self, every: int = 5, stop_on: Iterable[str] = ("diverging", "not_learning"), **hints: Any) -> None:
        super().__init__()
        self.every = check_int("every", every, low=1)
        if isinstance(stop_on, str):
            stop_on = (stop_on,)
        self.stop_on = tuple(stop_on)
        unknown = [code for code in self.stop_on if code not in CODES]
        if unknown:
            raise ValueError(f"stop_on must hold codes of the doctor ({', '.join(CODES)}), got {unknown[0]!r}")
        unknown_hints = set(hints) - set(_NAMES) - {"n_classes", "baseline_accuracy", "baseline_loss"}
        if unknown_hints:
            raise TypeError(f"DoctorCallback got an unknown argument {sorted(unknown_hints)[0]!r}")
        _check_hints(hints.get("n_classes"), hints.get("baseline_accuracy"), hints.get("baseline_loss"))
        self.hints = hints
        self.curves: dict[str, list[float]] = {}
        self.reading: Diagnosis | None = None
        self.lines: list[str] = []
        self.stopped_epoch: int | None = None

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.curves = {}
        self.reading, self.lines, self.stopped_epoch = None, [], None

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        for key, value in (logs or {}).items():
            try:
                self.curves.setdefault(key, []).append(float(value))
            except (TypeError, ValueError):
                continue  # not a number (a callback may log text): not a curve
        epochs = epoch + 1
        blown = any(not math.isfinite(values[-1]) for key, values in self.curves.items() if key.endswith("loss"))
        if epochs % self.every and not blown:
            return
        self._read(epochs)

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        epochs = len(next(iter(self.curves.values()), []))
        if epochs and self.stopped_epoch is None and epochs % self.every:
            self._read(epochs)  # the last epoch's reading, if it was not printed

    def _read(self, epochs: int) -> None:
        lengths = {len(values) for values in self.curves.values()}
        curves = self.curves
        if len(lengths) > 1:  # a metric missing in some epochs (validation_freq > 1): read the complete ones
            curves = {key: values for key, values in curves.items() if len(values) == epochs}
        try:
            self.reading = diagnose(curves, **self.hints)
        except (TypeError, ValueError) as error:
            self._say(f"curve doctor, epoch {epochs}: cannot read the logs: {error}")
            self.every = 10**9  # say it once, and let training go on
            return
        found = [code for code in self.reading.codes if code in self.stop_on]
        line = f"curve doctor, epoch {epochs}: {self.reading.headline}"
        if len(self.reading.codes) > 1:
            line += f" (also: {', '.join(self.reading.codes[1:])})"
        if found and self.model is not None:
            self.model.stop_training = True
            self.stopped_epoch = epochs
            line += f" Stopping training: {found[0]} is in stop_on."
        self._say(line)

    def _say(self, line: str) -> None:
        self.lines.append(line)
        shown = _notebook_html()
        if shown is None:
            print(line)
            return
        html_class, display = shown
        head, rest = line.split(": ", 1)
        display(html_class(f"<div class='curve-doctor-live'><b>{html.escape(head)}</b>: {html.escape(rest)}</div>"))


def _notebook_html() -> tuple[Any, Any] | None:
    """IPython's ``HTML`` and ``display`` inside a Jupyter kernel, else ``None`` (a script prints text)."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return None
    return HTML, display

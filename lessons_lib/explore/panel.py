"""The ``Explorer``: sliders, a curve panel and a reading around one training function.

A slider move retrains. In a Jupyter kernel the training runs on a worker thread, so the
kernel keeps reading slider moves while a run trains: a newer move supersedes the running
one, which stops at its next progress report (an epoch boundary), and only the latest
setting trains to the end. Outside a kernel (tests, scripts) a move trains before it returns.
"""

from __future__ import annotations

import contextlib
import html
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from lessons_lib.checks import check_choice
from lessons_lib.explore.controls import checked
from lessons_lib.explore.drawing import CurvePanel
from lessons_lib.explore.reading import reading_for
from lessons_lib.explore.runs import CannotTrain, Settings, Trainer, TrainingRun
from lessons_lib.training import History, Progress

#: Slider moves remembered per explorer.
CACHE_SIZE = 128
#: Growing curves are redrawn only if drawing took at most this share of the time since the
#: last drawing: on a busy machine a move spends its time training, not drawing.
DRAW_SHARE = 0.2
#: A move expected to take longer than this many seconds says so before it starts.
SLOW_MOVE_SECONDS = 5.0
#: Controls whose value can change another control's range: they are set first.
_CHOICE_KINDS = ("ToggleButtons", "SelectionSlider", "Checkbox", "Dropdown", "RadioButtons")


class Superseded(Exception):
    """A newer slider move arrived: the running one stops at its next epoch boundary."""


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class Explorer:
    """Sliders, a curve panel and a one-line reading around one training function.

    ``sliders`` maps a setting's name to its widget; ``train(settings, progress)`` trains
    for those settings and returns a ``TrainingRun``, calling ``progress(history_so_far)``
    now and then; ``adjust(name, sliders)``, if given, runs after a slider moved and before
    training (to change another slider's range, say). ``metrics`` are the panels. ``view``
    turns a trained run into what is shown (early stopping cuts it); the ``view_settings``
    it reads need no training, so moving them redraws from the cache.
    ``background`` trains slider moves on a worker thread (default: inside a Jupyter kernel).
    """

    def __init__(
        self,
        sliders: Mapping[str, Any],
        train: Trainer,
        metrics: Sequence[str],
        *,
        adjust: Callable[[str, Mapping[str, Any]], None] | None = None,
        view: Callable[[Settings, TrainingRun], TrainingRun] | None = None,
        view_settings: Sequence[str] = (),
        background: bool | None = None,
    ):
        import ipywidgets as widgets

        self.sliders = dict(sliders)
        self.metrics = list(metrics)
        self._train = train
        self._adjust = adjust
        self._view = view
        self._view_settings = tuple(view_settings)
        self.background = _in_kernel() if background is None else bool(background)
        self.history: History | None = None
        self.previous: History | None = None
        self.reading = ""
        self.error: BaseException | None = None
        #: Counters for tests and benchmarks: trainings finished, cache answers, drawings,
        #: and runs stopped by a newer move.
        self.runs = self.cache_hits = self.draws = self.superseded = 0
        #: Seconds from the last slider move to its final curves drawn.
        self.last_seconds: float | None = None
        self._cache: OrderedDict[tuple, TrainingRun] = OrderedDict()
        self._holding = False
        self._drawn_at, self._draw_seconds = 0.0, 0.0
        self._seconds_per_unit: float | None = None
        self._generation = 0
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._taken_over = False

        self.panel = CurvePanel(self.metrics)
        self.figure = self.panel.figure
        self.image = widgets.Image(format="png")
        self._reading_widget = widgets.HTML()
        #: Where a failed run's traceback is printed; the sliders stay above it.
        self.output = widgets.Output()
        controls = widgets.Box(list(self.sliders.values()), layout=widgets.Layout(display="flex", flex_flow="row wrap"))
        self.widget = widgets.VBox([controls, self.image, self._reading_widget, self.output])
        for control in self.sliders.values():
            control.observe(self._on_change, names="value")
        self.update()

    # -- what the learner sees ---------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget (ipywidgets 7 or 8), plus the curves as a PNG for viewers without widgets."""
        import base64

        bundle: dict[str, Any] = {
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
            "text/plain": self.reading,
        }
        if self.image.value:
            bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle

    @property
    def settings(self) -> Settings:
        """The sliders' current values."""
        return {name: control.value for name, control in self.sliders.items()}

    def set(self, **values: Any) -> History | None:
        """Move several sliders at once and retrain once; returns the new history.

        Choices that change other sliders' ranges (a task, a class) are set first, so
        ``set(task="one_vs_rest", n_train=2000)`` works from any task. A value a slider cannot
        show (outside its range, ``None``, an unknown choice) raises one sentence naming the
        slider and what it allows, and leaves every slider, the curves and the reading as
        they were.
        """
        for name in values:
            check_choice("slider name", name, self.sliders)
        saved = self._snapshot()
        order = sorted(values, key=lambda name: type(self.sliders[name]).__name__ not in _CHOICE_KINDS)
        with self._hold():
            try:
                for name in order:
                    self.sliders[name].value = checked(name, self.sliders[name], values[name])
                    if self._adjust is not None:
                        self._adjust(name, self.sliders)
            except ValueError:
                self._restore(saved)
                raise
        self.update()
        return self.history

    def _snapshot(self) -> list[tuple[Any, dict[str, Any]]]:
        keys = ("min", "max", "disabled", "value")
        return [
            (control, {key: getattr(control, key) for key in keys if hasattr(control, key)})
            for control in self.sliders.values()
        ]

    def _restore(self, saved: list[tuple[Any, dict[str, Any]]]) -> None:
        with self._hold():
            for control, state in saved:
                for key in ("min", "max", "disabled", "value"):  # ranges first, so the value fits again
                    if key in state and getattr(control, key) != state[key]:
                        setattr(control, key, state[key])

    def _on_change(self, change: Any) -> None:
        if self._holding:
            return
        if self._adjust is not None:
            name = next(name for name, control in self.sliders.items() if control is change.owner)
            with self._hold():
                self._adjust(name, self.sliders)
        if self.background:
            self._request()
        else:
            self.update()

    @contextlib.contextmanager
    def _hold(self) -> Iterator[None]:
        """Slider changes made inside do not retrain (several moves, then one update)."""
        holding, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = holding

    # -- moves: the latest one wins ---------------------------------------------------------

    def update(self) -> None:
        """Train for the sliders' values (or take them from the cache), then redraw; waits.

        A run still training on the worker thread is superseded first. Never raises: a
        setting that cannot train says why in the reading, and an unexpected error prints
        its traceback below the panel; the sliders keep working.
        """
        with self._lock:
            self._generation += 1
            self._taken_over = True  # the worker stops after its current move and does not start another
            generation, worker = self._generation, self._worker
        if worker is not None:
            worker.join()
        with self._lock:
            self._taken_over = False
        self._move(self.settings, generation)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no move is training (for scripts and tests); True if none is left."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
        return self._worker is None or not self._worker.is_alive()

    def _request(self) -> None:
        """A slider moved in the browser: train on the worker, superseding any running move."""
        with self._lock:
            self._generation += 1
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="explorer-move", daemon=True)
                self._worker.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                generation = self._generation
            self._move(self.settings, generation)
            with self._lock:
                if generation == self._generation or self._taken_over:
                    self._worker = None
                    return

    def _current(self, generation: int) -> bool:
        return generation == self._generation

    def _move(self, settings: Settings, generation: int) -> None:
        started = time.perf_counter()
        epochs = settings.get("epochs")  # an explorer without an epochs slider trains a fixed number
        key = tuple((name, value) for name, value in settings.items() if name not in ("epochs", *self._view_settings))
        self.error = None
        cached = self._cache.get(key)
        if cached is not None and cached.covers(epochs):
            self._cache.move_to_end(key)
            self.cache_hits += 1
            run = cached.first(epochs)
        else:
            estimate = self._estimate(settings)
            if estimate is not None and estimate > SLOW_MOVE_SECONDS:
                self._set_reading(f"training… this setting takes about {estimate:.0f} s (move again to cancel)")
            try:
                run = self._train(settings, self._progress(epochs, generation))
            except Superseded:
                self.superseded += 1
                return
            except Exception as error:  # the sliders must survive whatever a setting does
                self._fail(error)
                self.last_seconds = time.perf_counter() - started
                return
            self._learn_speed(settings, run, time.perf_counter() - started)
            self.runs += 1
            self._cache[key] = run
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        if not self._current(generation):
            self.superseded += 1
            return
        if self._view is not None:
            run = self._view(settings, run)
        if self.history is not None:
            self.previous = self.history
        self.history = run.history
        self.output.outputs = ()  # a traceback from a failed setting goes once a setting trains
        self._draw(
            run.history, epochs or len(run.history["loss"]), self.previous, start_loss=run.start_loss, marks=run.marks
        )
        self._set_reading(reading_for(run.history, start_loss=run.start_loss, note=run.note, hints=run.hints))
        self.last_seconds = time.perf_counter() - started

    def _progress(self, epochs: int | None, generation: int) -> Progress:
        """Draw the growing curves over the last finished run; stop if a newer move came."""
        faint = self.history if self.history is not None else self.previous

        def report(history: History) -> None:
            if not self._current(generation):
                raise Superseded
            if self._draw_seconds > DRAW_SHARE * (time.perf_counter() - self._drawn_at):
                return
            self._draw(history, epochs or len(history["loss"]), faint)
            self._set_reading(f"training… epoch {len(history['loss'])}" + (f" of {epochs}" if epochs else ""))

        return report

    # -- how long a move will take ----------------------------------------------------------

    @staticmethod
    def _work_units(settings: Settings) -> float:
        """Epochs times training rows: what a run's time grows with (rows 1 if no slider sets them)."""
        return float(settings.get("epochs") or 1) * float(settings.get("n_train") or 1)

    def _learn_speed(self, settings: Settings, run: TrainingRun, seconds: float) -> None:
        units = self._work_units({**settings, "epochs": len(run.history.get("loss", [])) or 1})
        self._seconds_per_unit = seconds / units

    def _estimate(self, settings: Settings) -> float | None:
        if self._seconds_per_unit is None:
            return None
        return self._seconds_per_unit * self._work_units(settings)

    # -- failure and drawing ---------------------------------------------------------------

    def _fail(self, error: Exception) -> None:
        """No curves for this setting: say why on the panel and in the reading."""
        if self.history is not None:
            self.previous = self.history
        self.history = None
        if isinstance(error, CannotTrain):
            reason = str(error)
        else:
            self.error = error
            self.output.outputs = ()
            self.output.append_stderr(traceback.format_exc())
            reason = f"training failed: {type(error).__name__}: {error}"
        self.panel.message(reason)
        self._render()
        self._set_reading(reason)

    def _draw(
        self,
        history: History,
        epochs: int,
        faint: History | None,
        *,
        start_loss: float | None = None,
        marks: dict[str, int] | None = None,
    ) -> None:
        self.panel.draw(history, epochs, faint, start_loss=start_loss, marks=marks)
        self._render()

    def _render(self) -> None:
        """Send the figure to the image widget (the sliders above it stay untouched)."""
        started = time.perf_counter()
        self.image.value = self.panel.png()
        self.draws += 1
        self._drawn_at = time.perf_counter()
        self._draw_seconds = self._drawn_at - started

    def _set_reading(self, text: str) -> None:
        self.reading = text
        self._reading_widget.value = f"<span style='font-size: 1.1em'>{html.escape(text)}</span>"

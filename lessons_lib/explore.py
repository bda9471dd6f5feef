"""Live explorers: move a slider, the model retrains, the curves redraw.

Each factory returns an ``Explorer``: sliders, a curve panel in ``plot_history``'s look
(training solid, validation dashed, the previous run faint behind the new one) and a
one-line reading (best epoch, final gap, the curve doctor's verdict). Display it by ending a
cell with it. A move retrains one compiled model through ``lessons_lib.training.FastFit``
(the arithmetic of ``model.fit``, without its per-epoch overhead); a setting already seen
redraws from a cache at once.

=======================  ======  =============================================================
factory                  lesson  knobs
=======================  ======  =============================================================
regression_explorer      01      learning rate, noise, training rows, epochs
mnist_binary_explorer    02      learning rate, one digit vs the rest or two digits, size, epochs
dropout_explorer         03      learning rate, the two dropout rates, training images, epochs
imbalance_explorer       04      learning rate, the rare digit, its rarity, class weights, size
augmentation_explorer    05      learning rate, augmentation strength, training images, epochs
=======================  ======  =============================================================

For tests and benchmarks every explorer exposes ``sliders`` (name -> widget; setting
``.value`` retrains as a learner's release would), ``set(**values)`` (several at once, one
retraining), ``history``, ``previous``, ``figure``, ``image``, ``reading``, and the counters
``runs``, ``cache_hits`` and ``draws``.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import math
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

from lessons_lib.checks import check_choice, check_int, check_number
from lessons_lib.history import best_epoch, first_nonfinite_epoch, higher_is_better, metric_names
from lessons_lib.models import augmented_cnn
from lessons_lib.plots import draw_curves
from lessons_lib.training import FastFit, History, Progress

#: A training loss this many times above the untrained model's means the run blew up: the
#: learning rate threw the weights far away (Adam's losses rarely reach inf; they explode).
BLOW_UP_RATIO = 10.0
#: The previous run stays in view unless showing it would stretch the y axis more than this.
ZOOM_OUT_LIMIT = 3.0
#: Slider moves remembered per explorer.
CACHE_SIZE = 128
#: Seconds between two redraws of growing curves: a few redraws a second at most.
REDRAW_INTERVAL = 0.5
#: Growing curves are redrawn only if drawing took at most this share of the time since the
#: last drawing: on a busy machine a move spends its time training, not drawing.
DRAW_SHARE = 0.2

Settings = dict[str, Any]


class CannotTrain(ValueError):
    """A setting the explorer cannot train with; its message says why, in one sentence."""


@dataclass
class TrainingRun:
    """What one slider setting produced: its curves and what to say about them."""

    history: History
    #: The untrained model's loss on the training rows: where the run started.
    start_loss: float | None = None
    #: Lesson-specific remark computed from the curves (a baseline, a recall, ...).
    note: Callable[[History], str | None] | None = None
    #: Epochs asked for; the history is shorter when the run stopped on a NaN or inf.
    epochs: int = 0
    #: What the curve doctor may know beyond the curves (``n_classes``, ``baseline_accuracy``, ...).
    hints: dict[str, float] = field(default_factory=dict)

    def first(self, epochs: int | None) -> TrainingRun:
        """The same run cut to its first ``epochs`` epochs (a shorter run is its beginning)."""
        if epochs is None:
            return self
        history = {name: values[:epochs] for name, values in self.history.items()}
        return TrainingRun(history, self.start_loss, self.note, min(epochs, self.epochs), self.hints)

    def covers(self, epochs: int | None) -> bool:
        """True if this run answers a request for ``epochs`` epochs (None: as many as it has)."""
        if epochs is None:
            return True
        ran = len(self.history.get("loss", []))
        return epochs <= ran or ran < self.epochs  # a run ends early only on a NaN or inf loss


Trainer = Callable[[Settings, Progress], TrainingRun]


class Explorer:
    """Sliders, a curve panel and a one-line reading around one training function.

    ``sliders`` maps a setting's name to its widget; ``train(settings, progress)`` trains
    for those settings and returns a ``TrainingRun``, calling ``progress(history_so_far)``
    now and then; ``adjust(name, sliders)``, if given, runs after a slider moved and before
    training (to change another slider's range, say). ``metrics`` are the panels.
    """

    def __init__(
        self,
        sliders: Mapping[str, Any],
        train: Trainer,
        metrics: Sequence[str],
        *,
        adjust: Callable[[str, Mapping[str, Any]], None] | None = None,
    ):
        import ipywidgets as widgets
        import matplotlib as mpl

        self.sliders = dict(sliders)
        self.metrics = list(metrics)
        self._train = train
        self._adjust = adjust
        self.history: History | None = None
        self.previous: History | None = None
        self.reading = ""
        self.error: BaseException | None = None
        self.runs = self.cache_hits = self.draws = 0
        #: Seconds from the last slider move to its final curves drawn.
        self.last_seconds: float | None = None
        self._cache: OrderedDict[tuple, TrainingRun] = OrderedDict()
        self._holding = False
        self._drawn_at, self._draw_seconds = 0.0, 0.0

        width, height = mpl.rcParams["figure.figsize"]
        self.figure = Figure(figsize=(max(width, 4 * len(self.metrics)), height), dpi=mpl.rcParams["figure.dpi"])
        self._axes = self.figure.subplots(1, len(self.metrics), squeeze=False)[0]
        for ax, metric in zip(self._axes, self.metrics, strict=True):
            ax.set_title(metric.replace("_", " "))
            ax.set_xlabel("epoch")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.22)
        self.image = widgets.Image(format="png")
        self._reading_widget = widgets.HTML()
        #: Where a failed run's traceback is printed; the sliders stay above it.
        self.output = widgets.Output()
        controls = widgets.Box(list(self.sliders.values()), layout=widgets.Layout(display="flex", flex_flow="row wrap"))
        self.widget = widgets.VBox([controls, self.image, self._reading_widget, self.output])
        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        self.update()

    # -- what the learner sees ---------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget, plus the current curves as a PNG for viewers without widgets."""
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        if self.image.value:
            bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        bundle["text/plain"] = self.reading
        return bundle

    @property
    def settings(self) -> Settings:
        """The sliders' current values."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def set(self, **values: Any) -> History | None:
        """Move several sliders at once and retrain once; returns the new history."""
        for name in values:
            check_choice("slider name", name, self.sliders)
        with self._hold():
            for name, value in values.items():
                self.sliders[name].value = value
            if self._adjust is not None:
                for name in values:
                    self._adjust(name, self.sliders)
        self.update()
        return self.history

    def _on_change(self, change: Any) -> None:
        if self._holding:
            return
        if self._adjust is not None:
            name = next(name for name, slider in self.sliders.items() if slider is change.owner)
            with self._hold():
                self._adjust(name, self.sliders)
        self.update()

    @contextlib.contextmanager
    def _hold(self) -> Iterator[None]:
        """Slider changes made inside do not retrain (several moves, then one update)."""
        holding, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = holding

    # -- training and cache ---------------------------------------------------------------

    def update(self) -> None:
        """Train for the sliders' values (or take them from the cache), then redraw.

        Never raises: a setting that cannot train says why in the reading, and an
        unexpected error prints its traceback below the panel; the sliders keep working.
        """
        started = time.perf_counter()
        settings = self.settings
        epochs = settings.get("epochs")  # an explorer without an epochs slider trains a fixed number
        key = tuple((name, value) for name, value in settings.items() if name != "epochs")
        self.error = None
        cached = self._cache.get(key)
        if cached is not None and cached.covers(epochs):
            self._cache.move_to_end(key)
            self.cache_hits += 1
            run = cached.first(epochs)
        else:
            try:
                run = self._train(settings, self._progress(epochs))
            except Exception as error:  # the sliders must survive whatever a setting does
                self._fail(error)
                self.last_seconds = time.perf_counter() - started
                return
            self.runs += 1
            self._cache[key] = run
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        if self.history is not None:
            self.previous = self.history
        self.history = run.history
        self.output.outputs = ()  # a traceback from a failed setting goes once a setting trains
        self._draw(run.history, epochs or len(run.history["loss"]), self.previous, start_loss=run.start_loss)
        self._set_reading(reading_for(run.history, start_loss=run.start_loss, note=run.note, hints=run.hints))
        self.last_seconds = time.perf_counter() - started

    def _progress(self, epochs: int | None) -> Progress:
        """Draw the growing curves over the last finished run (FastFit calls it between chunks)."""
        faint = self.history if self.history is not None else self.previous

        def report(history: History) -> None:
            if self._draw_seconds > DRAW_SHARE * (time.perf_counter() - self._drawn_at):
                return
            self._draw(history, epochs or len(history["loss"]), faint)
            self._set_reading(f"training… epoch {len(history['loss'])}" + (f" of {epochs}" if epochs else ""))

        return report

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
        for ax in self._axes:
            _clear(ax)
        self._axes[0].text(0.02, 0.5, reason, transform=self._axes[0].transAxes, va="center", wrap=True)
        self._render()
        self._set_reading(reason)

    # -- drawing ------------------------------------------------------------------------

    def _draw(self, history: History, epochs: int, faint: History | None, *, start_loss: float | None = None) -> None:
        """Redraw every panel: the new run in colour, the ``faint`` one (the previous) behind it.

        The y axis shows both runs unless the previous one would flatten the new one; the
        legend sits in the corner the curves move away from (a legend placed "best" and
        mathtext tick labels cost more than the curves).
        """
        previous = _finite_part(faint) if faint is not None else None
        last = max(epochs, len(previous["loss"]) if previous else 0, 1)
        for ax, metric in zip(self._axes, self.metrics, strict=True):
            _clear(ax)
            draw_curves(ax, history, metric, color="C0")
            blow_up = blow_up_epoch(history, start_loss) if metric == "loss" else None
            if blow_up is not None and first_nonfinite_epoch(history["loss"]) is None:
                ax.text(0.5, 0.5, f"diverged at epoch {blow_up}", transform=ax.transAxes, ha="center", va="center",
                        color="C0", fontsize="large", fontweight="bold")  # fmt: skip
            scale, limits = ax.get_yscale(), ax.get_ylim()
            if previous is not None and metric in previous:
                draw_curves(ax, previous, metric, label="previous", color="C7", alpha=0.45, mark_best=False)
                ax.set_yscale(scale)
                if _span(ax.get_ylim(), scale) > ZOOM_OUT_LIMIT * _span(limits, scale):
                    ax.set_ylim(limits)  # the previous run would flatten the new one: follow the new one
            if scale == "log":
                ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
                ax.yaxis.set_minor_formatter(NullFormatter())
            ax.set_xlim(0.5, last + 0.5)
            ax.legend(loc="lower right" if higher_is_better(metric) else "upper right", fontsize="small")
        self._render()

    def _render(self) -> None:
        """Send the figure to the image widget (the sliders above it stay untouched)."""
        started = time.perf_counter()
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        self.image.value = buffer.getvalue()
        self.draws += 1
        self._drawn_at = time.perf_counter()
        self._draw_seconds = self._drawn_at - started

    def _set_reading(self, text: str) -> None:
        self.reading = text
        self._reading_widget.value = f"<span style='font-size: 1.1em'>{html.escape(text)}</span>"


def _clear(ax: Any) -> None:
    """Empty an axes but keep it (making new axes costs more than the drawing itself)."""
    for artist in [*ax.lines, *ax.texts]:
        artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_yscale("linear")
    ax.relim()
    ax.set_autoscale_on(True)


def _span(limits: tuple[float, float], scale: str) -> float:
    low, high = limits
    return math.log10(high / low) if scale == "log" and low > 0 else high - low


def _finite_part(history: History) -> History:
    """A history up to its last epoch before any NaN or inf (the faint previous run)."""
    broken = [first_nonfinite_epoch(values) for values in history.values()]
    end = min([epoch - 1 for epoch in broken if epoch is not None], default=None)
    return {name: values[:end] for name, values in history.items()}


# -- the reading line ---------------------------------------------------------------------


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


# -- widgets --------------------------------------------------------------------------------

_STYLE = {"description_width": "initial"}
_WIDTH = "340px"


def _slider(kind: str, description: str, *, width: str = _WIDTH, **options: Any) -> Any:
    """An ipywidgets control of ``kind``; a slider reacts when released, not while dragged."""
    import ipywidgets as widgets

    if kind.endswith("Slider"):
        options["continuous_update"] = False
    return getattr(widgets, kind)(description=description, style=_STYLE, layout=widgets.Layout(width=width), **options)


def _learning_rate_slider(value: float, low: float, high: float) -> Any:
    """Log scale, four stops a decade: 1e-3, 1.8e-3, 3.2e-3, 5.6e-3, 1e-2, ..."""
    exponents = {"min": math.log10(low), "max": math.log10(high), "step": 0.25}
    return _slider("FloatLogSlider", "learning rate", value=value, base=10, readout_format=".2g", **exponents)


def _epochs_slider(value: int, high: int) -> Any:
    return _slider("IntSlider", "epochs", value=value, min=1, max=max(high, value))


def _on_grid(name: str, value: float, low: float, high: float, step: float) -> float:
    """``value`` if a slider from ``low`` to ``high`` in steps of ``step`` can show it."""
    value = check_number(name, value, low=low, high=high)
    steps = (value - low) / step
    if abs(steps - round(steps)) > 1e-6:
        raise ValueError(f"{name} must be a multiple of {step} between {low} and {high}, got {value!r}")
    return value


def _train(
    fast: FastFit,
    data: tuple[Any, Any, Any, Any],
    settings: Settings,
    progress: Progress,
    *,
    seed: int,
    note: Callable[[History], str | None] | None = None,
    class_weight: Mapping[int, float] | None = None,
    hints: dict[str, float] | None = None,
) -> TrainingRun:
    """Train on ``data`` (x, y, x_val, y_val) with the sliders' learning rate and epochs."""
    x, y, x_val, y_val = data
    start_loss = fast.starting_loss(x, y, class_weight=class_weight)
    history = fast.fit(
        x,
        y,
        epochs=settings["epochs"],
        validation_data=(x_val, y_val),
        learning_rate=settings["learning_rate"],
        class_weight=class_weight,
        seed=seed,
        progress=progress,
        progress_interval=REDRAW_INTERVAL,
    )
    return TrainingRun(history, start_loss, note, settings["epochs"], hints or {})


def _start_from(seed: int) -> None:
    """Seed Keras before an explorer builds its model: ``seed`` alone fixes the starting weights.

    Without it the weights depend on whatever the lesson drew from the random generators
    before, and two explorers made with the same ``seed`` would not start alike.
    """
    import keras

    keras.utils.set_random_seed(seed)


def _one_hot(labels: np.ndarray, classes: int = 10) -> np.ndarray:
    return np.eye(classes, dtype=np.float32)[labels]


def _dataset_cache(make: Callable[..., Any]) -> Callable[..., Any]:
    """Remember ``make``'s results per arguments (data sets are small and sliders revisit them)."""
    memory: dict[tuple, Any] = {}

    def cached(*args: Any) -> Any:
        if args not in memory:
            memory[args] = make(*args)
        return memory[args]

    return cached


# -- lesson 01: house prices -------------------------------------------------------------------


def regression_explorer(
    *,
    learning_rate: float = 0.01,
    noise: float = 0.1,
    n_train: int = 80,
    epochs: int = 100,
    n_samples: int = 100,
    batch_size: int = 32,
    seed: int = 42,
) -> Explorer:
    """Lesson 01's house prices: ``Dense(1)``, SGD, mean squared error, 20% held out.

    Sliders: learning rate (1e-4 to 1, log scale; 1 diverges), noise on the prices (0 to
    2), training rows (the first ``n`` of the 80% split), epochs.
    """
    learning_rate = check_number("learning_rate", learning_rate, low=1e-4, high=1.0)
    noise = _on_grid("noise", noise, 0.0, 2.0, 0.05)
    n_samples = check_int("n_samples", n_samples, low=10, high=10_000)
    rows = n_samples - math.ceil(0.2 * n_samples)
    n_train = check_int("n_train", n_train, low=2, high=rows)
    epochs = check_int("epochs", epochs, low=1, high=1000)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)

    from sklearn.model_selection import train_test_split

    from lessons_lib.models import house_price_model
    from lessons_lib.synthetic import house_prices

    @_dataset_cache
    def data(noise: float) -> tuple[np.ndarray, ...]:
        features, prices = house_prices(n_samples, noise, seed=seed)
        return tuple(train_test_split(features, prices, test_size=0.2, random_state=seed))

    _start_from(seed)
    fast = FastFit(house_price_model(learning_rate), batch_size=batch_size)

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        x_train, x_val, y_train, y_val = data(settings["noise"])
        n = settings["n_train"]
        hints = {"baseline_loss": float(np.var(y_train[:n]))}
        return _train(fast, (x_train[:n], y_train[:n], x_val, y_val), settings, progress, seed=seed, hints=hints)

    sliders = {
        "learning_rate": _learning_rate_slider(learning_rate, 1e-4, 1.0),
        "noise": _slider("FloatSlider", "noise", value=noise, min=0.0, max=2.0, step=0.05),
        "n_train": _slider("IntSlider", "training rows", value=n_train, min=2, max=rows),
        "epochs": _epochs_slider(epochs, 300),
    }
    return Explorer(sliders, train, ["loss"])


# -- lesson 02: MNIST, one digit ------------------------------------------------------------------

#: Training images kept for each task (the rest of the shipped subset is validation).
_BINARY_POOL = {"one_vs_rest": (2000, 1000), "two_digits": (800, 200)}


def mnist_binary_explorer(
    *,
    task: str = "one_vs_rest",
    digit: int = 1,
    other_digit: int = 0,
    n_train: int = 2000,
    epochs: int = 10,
    learning_rate: float = 0.001,
    units: int = 128,
    batch_size: int = 32,
    seed: int = 0,
) -> Explorer:
    """Lesson 02's classifier (``Dense(units, relu)``, sigmoid, Adam) on a digit question.

    ``task="one_vs_rest"`` labels ``digit`` 1 and the nine others 0, as seed 000's code does
    (about 10% positives, validation on 1,000 images); ``task="two_digits"`` keeps only
    ``digit`` (1) and ``other_digit`` (0), as its text says (up to 800 training images,
    200 validation). Sliders: learning rate (1e-5 to 1), task, digits, training images, epochs.
    """
    task = check_choice("task", task, tuple(_BINARY_POOL))
    digit = check_int("digit", digit, low=0, high=9)
    other_digit = check_int("other_digit", other_digit, low=0, high=9)
    n_train = check_int("n_train", n_train, low=20, high=_BINARY_POOL[task][0])
    epochs = check_int("epochs", epochs, low=1, high=200)
    learning_rate = check_number("learning_rate", learning_rate, low=1e-5, high=1.0)
    units = check_int("units", units, low=1, high=4096)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)

    from lessons_lib.data import mnist_one_vs_rest, mnist_two_digits
    from lessons_lib.models import mnist_dense_model

    @_dataset_cache
    def pool(task: str, digit: int, other: int) -> tuple[np.ndarray, ...]:
        n, n_val = _BINARY_POOL[task]
        if task == "one_vs_rest":
            return mnist_one_vs_rest(digit, n, n_val, seed=seed)
        return mnist_two_digits(other, digit, n, n_val, seed=seed)

    _start_from(seed)
    fast = FastFit(mnist_dense_model(units, learning_rate), batch_size=batch_size)

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        task, digit, other = settings["task"], settings["digit"], settings["other_digit"]
        if task == "two_digits" and digit == other:
            raise CannotTrain(f"choose two different digits: both sliders are at {digit}")
        x_train, y_train, x_val, y_val = pool(task, digit, other)
        n = min(settings["n_train"], len(x_train))
        majority = max(float(np.mean(y_val)), 1 - float(np.mean(y_val)))
        data = (x_train[:n], y_train[:n], x_val, y_val)
        hints = {"n_classes": 2, "baseline_accuracy": majority}
        return _train(fast, data, settings, progress, seed=seed, note=_baseline_note(majority), hints=hints)

    tasks = [("one digit vs the rest", "one_vs_rest"), ("two digits", "two_digits")]
    sliders = {
        "learning_rate": _learning_rate_slider(learning_rate, 1e-5, 1.0),
        "task": _slider("ToggleButtons", "task", options=tasks, value=task, width="auto"),
        "digit": _slider("IntSlider", "digit labelled 1", value=digit, min=0, max=9),
        "other_digit": _slider("IntSlider", "other digit (two digits)", value=other_digit, min=0, max=9),
        "n_train": _slider("IntSlider", "training images", value=n_train, min=20, max=_BINARY_POOL[task][0], step=10),
        "epochs": _epochs_slider(epochs, 50),
    }

    def adjust(name: str, sliders: Mapping[str, Any]) -> None:
        """The pool of training images depends on the task; the other digit only on two digits."""
        task = sliders["task"].value
        sliders["n_train"].max = _BINARY_POOL[task][0]  # clamps the value if it was larger
        sliders["other_digit"].disabled = task != "two_digits"

    adjust("task", sliders)
    return Explorer(sliders, train, ["loss", "accuracy"], adjust=adjust)


def _baseline_note(majority: float) -> Callable[[History], str]:
    def note(history: History) -> str:
        final = history["val_accuracy"][-1]
        verdict = "no better than" if final <= majority + 1e-9 else "above"
        return f"always answering the majority class scores {majority:.3f}; the model's {final:.3f} is {verdict} that"

    return note


# -- lesson 03: dropout, validation above training ------------------------------------------------------


def dropout_explorer(
    *,
    conv_dropout: float = 0.25,
    dense_dropout: float = 0.5,
    n_train: int = 600,
    n_val: int = 500,
    epochs: int = 5,
    learning_rate: float = 0.001,
    batch_size: int = 64,
    seed: int = 0,
) -> Explorer:
    """Lesson 03's CNN (seed 001: two Conv2D, pooling, two Dropout layers) on MNIST, 10 classes.

    One-hot labels, categorical cross-entropy, Adam, batch 64. With dropout on, the
    validation accuracy ``fit`` reports sits above its training accuracy: dropout is active
    only while training, and the training figure is an average over an epoch in which the
    model kept improving. 600 training images and 5 epochs show it (validation above
    training in 5 of 5 epochs, by 0.15 to 0.28) and keep a move within 4 s on two cores,
    also on a CPU without AVX2 (800 images took 4.0 s there); 1,000 images show it as well.
    Sliders: learning rate (1e-5 to 1), each dropout rate (0 to 0.9), training images (100
    to 3,000), epochs. A dropout rate not chosen before costs one graph build.
    """
    conv_dropout = _on_grid("conv_dropout", conv_dropout, 0.0, 0.9, 0.05)
    dense_dropout = _on_grid("dense_dropout", dense_dropout, 0.0, 0.9, 0.05)
    n_train = check_int("n_train", n_train, low=100, high=3000)
    n_val = check_int("n_val", n_val, low=10, high=2000)
    epochs = check_int("epochs", epochs, low=1, high=100)
    learning_rate = check_number("learning_rate", learning_rate, low=1e-5, high=1.0)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)

    import keras

    from lessons_lib.data import load_mnist
    from lessons_lib.models import dropout_cnn

    x_pool, y_pool, x_val, y_val = load_mnist(3000, n_val, seed=seed)
    x_pool, x_val = x_pool[..., None], x_val[..., None]
    y_pool, y_val = _one_hot(y_pool), _one_hot(y_val)
    _start_from(seed)
    model = dropout_cnn(conv_dropout, dense_dropout, learning_rate)
    conv_layer, dense_layer = [layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    fast = FastFit(model, batch_size=batch_size)

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        # A Dropout's rate is read when the training loop is traced: FastFit sees the new
        # configuration and uses (or traces once) the loop for these rates.
        conv_layer.rate, dense_layer.rate = settings["conv_dropout"], settings["dense_dropout"]
        n = settings["n_train"]
        data = (x_pool[:n], y_pool[:n], x_val, y_val)
        return _train(fast, data, settings, progress, seed=seed, note=_validation_above_note, hints={"n_classes": 10})

    sliders = {
        "learning_rate": _learning_rate_slider(learning_rate, 1e-5, 1.0),
        "conv_dropout": _slider(
            "FloatSlider", "dropout after the convolutions", value=conv_dropout, min=0.0, max=0.9, step=0.05
        ),
        "dense_dropout": _slider(
            "FloatSlider", "dropout after Dense(32)", value=dense_dropout, min=0.0, max=0.9, step=0.05
        ),
        "n_train": _slider("IntSlider", "training images", value=n_train, min=100, max=3000, step=100),
        "epochs": _epochs_slider(epochs, 20),
    }
    return Explorer(sliders, train, ["loss", "accuracy"])


def _validation_above_note(history: History) -> str:
    above = sum(val > train for val, train in zip(history["val_accuracy"], history["accuracy"], strict=True))
    return f"validation accuracy above training accuracy in {above} of {len(history['accuracy'])} epochs"


# -- lesson 04: a rare class -------------------------------------------------------------------------------

#: Rarity choices: the rare digit is one training image in N (MNIST's own rate is 1 in 10).
RARITIES = (200, 100, 50, 20, 10)
_VAL_NEGATIVES = 900


def rare_digit_split(
    digit: int = 8, one_in: int = 100, n_train: int = 2000, *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Flattened MNIST where ``digit`` (label 1) is one image in ``one_in``, the rest label 0.

    Training: ``n_train`` images, at least one of them the rare digit. Validation: 900
    images of other digits plus as many of ``digit`` as give the same rarity (at least one),
    so validation accuracy rewards ignoring the rare class just as training does.
    """
    digit = check_int("digit", digit, low=0, high=9)
    one_in = check_choice("one_in", one_in, RARITIES)
    n_train = check_int("n_train", n_train, low=20, high=2000)
    seed = check_int("seed", seed, low=0)
    return _rare_digit_split(digit, one_in, n_train, seed)


@_dataset_cache
def _rare_digit_split(digit: int, one_in: int, n_train: int, seed: int) -> tuple[np.ndarray, ...]:
    from lessons_lib.data import load_mnist

    x_pool, y_pool, x_val_pool, y_val_pool = load_mnist(4000, 1000, flatten=True, seed=seed)
    rng = np.random.default_rng(seed)
    n_rare = max(1, round(n_train / one_in))
    n_val_rare = max(1, round(_VAL_NEGATIVES / (one_in - 1)))

    def pick(x: np.ndarray, y: np.ndarray, rare: int, common: int) -> tuple[np.ndarray, np.ndarray]:
        rows = np.concatenate(
            [rng.permutation(np.flatnonzero(y == digit))[:rare], rng.permutation(np.flatnonzero(y != digit))[:common]]
        )
        rows = rng.permutation(rows)
        return x[rows], (y[rows] == digit).astype(np.int64)

    x_train, y_train = pick(x_pool, y_pool, n_rare, n_train - n_rare)
    x_val, y_val = pick(x_val_pool, y_val_pool, n_val_rare, _VAL_NEGATIVES)
    return x_train, y_train, x_val, y_val


def imbalance_explorer(
    *,
    digit: int = 8,
    one_in: int = 100,
    class_weights: bool = False,
    n_train: int = 2000,
    epochs: int = 10,
    learning_rate: float = 0.001,
    batch_size: int = 32,
    seed: int = 0,
) -> Explorer:
    """Lesson 04: a rare digit against all the others, with and without class weights.

    The model is lesson 02's (``Dense(128, relu)``, sigmoid, Adam) with the rare class's
    recall as a third panel. Class weights are ``compute_class_weight("balanced", ...)``,
    given to training as ``model.fit(class_weight=...)`` does. Sliders: learning rate,
    rare digit, rarity (1 in 200 to 1 in 10), class weights on/off, training images, epochs.
    """
    digit = check_int("digit", digit, low=0, high=9)
    one_in = check_choice("one_in", one_in, RARITIES)
    if not isinstance(class_weights, bool):
        raise ValueError(f"class_weights must be True or False, got {class_weights!r}")
    n_train = check_int("n_train", n_train, low=20, high=2000)
    epochs = check_int("epochs", epochs, low=1, high=200)
    learning_rate = check_number("learning_rate", learning_rate, low=1e-5, high=1.0)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)

    import keras
    from sklearn.utils.class_weight import compute_class_weight

    from lessons_lib.models import mnist_dense_model

    _start_from(seed)
    model = mnist_dense_model(learning_rate=learning_rate)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy", keras.metrics.Recall(name="recall")],
    )
    fast = FastFit(model, batch_size=batch_size)

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        x_train, y_train, x_val, y_val = _rare_digit_split(
            settings["digit"], settings["one_in"], settings["n_train"], seed
        )
        weights = None
        if settings["class_weights"]:
            values = compute_class_weight("balanced", classes=np.array([0, 1]), y=y_train)
            weights = {0: float(values[0]), 1: float(values[1])}
        majority = 1 - float(y_val.mean())
        note = _recall_note(settings["digit"], int(y_val.sum()), majority)
        data, hints = (x_train, y_train, x_val, y_val), {"n_classes": 2, "baseline_accuracy": majority}
        return _train(fast, data, settings, progress, seed=seed, note=note, class_weight=weights, hints=hints)

    sliders = {
        "learning_rate": _learning_rate_slider(learning_rate, 1e-5, 1.0),
        "digit": _slider("IntSlider", "rare digit", value=digit, min=0, max=9),
        "one_in": _slider(
            "SelectionSlider", "rare digit is", options=[(f"1 in {n}", n) for n in RARITIES], value=one_in
        ),
        "class_weights": _slider("Checkbox", "class weights (balanced)", value=class_weights),
        "n_train": _slider("IntSlider", "training images", value=n_train, min=20, max=2000, step=10),
        "epochs": _epochs_slider(epochs, 50),
    }
    return Explorer(sliders, train, ["loss", "accuracy", "recall"])


def _recall_note(digit: int, rare_in_validation: int, majority: float) -> Callable[[History], str]:
    def note(history: History) -> str:
        recall = history["val_recall"][-1]
        found = round(recall * rare_in_validation)
        return (
            f"validation recall of digit {digit}: {recall:.2f} ({found} of {rare_in_validation} found); "
            f"answering 'not {digit}' always would score accuracy {majority:.3f}"
        )

    return note


# -- lesson 05: augmentation -------------------------------------------------------------------------------


def augmentation_explorer(
    *,
    strength: float = 0.5,
    n_train: int = 300,
    n_val: int = 500,
    epochs: int = 20,
    learning_rate: float = 0.001,
    batch_size: int = 32,
    seed: int = 0,
) -> Explorer:
    """Lesson 05: a few hundred digits, with Keras augmentation layers at a chosen strength.

    Sliders: learning rate, augmentation strength (0 = none, 1 = seed 002's ranges, 2 =
    twice them), training images (50 to 1,000), epochs. On 300 images and 20 epochs, half
    the seed's ranges beats no augmentation; the seed's full ranges and more slow learning
    down so much that validation accuracy ends lower. Each strength is its own model
    (the augmentation layers are part of it), built once when first chosen and started
    from the same weights as every other strength.
    """
    strength = _on_grid("strength", strength, 0.0, 2.0, 0.25)
    n_train = check_int("n_train", n_train, low=50, high=1000)
    n_val = check_int("n_val", n_val, low=10, high=2000)
    epochs = check_int("epochs", epochs, low=1, high=200)
    learning_rate = check_number("learning_rate", learning_rate, low=1e-5, high=1.0)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)

    from lessons_lib.data import load_mnist

    x_pool, y_pool, x_val, y_val = load_mnist(1000, n_val, seed=seed)
    x_pool, x_val = x_pool[..., None], x_val[..., None]
    y_pool, y_val = _one_hot(y_pool), _one_hot(y_val)
    _start_from(seed)
    start = augmented_cnn(0.0, learning_rate).get_weights()
    trainers: dict[float, FastFit] = {}

    def trainer_for(strength: float) -> FastFit:
        if strength not in trainers:
            model = augmented_cnn(strength, learning_rate)
            model.set_weights(start)  # every strength starts from the same weights
            trainers[strength] = FastFit(model, batch_size=batch_size)
        return trainers[strength]

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        n = settings["n_train"]
        data = (x_pool[:n], y_pool[:n], x_val, y_val)
        fast = trainer_for(settings["strength"])
        return _train(fast, data, settings, progress, seed=seed, note=_best_accuracy_note, hints={"n_classes": 10})

    sliders = {
        "learning_rate": _learning_rate_slider(learning_rate, 1e-5, 1.0),
        "strength": _slider("FloatSlider", "augmentation strength", value=strength, min=0.0, max=2.0, step=0.25),
        "n_train": _slider("IntSlider", "training images", value=n_train, min=50, max=1000, step=50),
        "epochs": _epochs_slider(epochs, 60),
    }
    return Explorer(sliders, train, ["loss", "accuracy"])


def _best_accuracy_note(history: History) -> str:
    values = history["val_accuracy"]
    best = best_epoch(values, "val_accuracy")
    return f"best validation accuracy {values[best - 1]:.3f} (epoch {best})"

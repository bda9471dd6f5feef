"""Lesson 06's explorer: a model that overfits 300 digits, and the remedies, one slider each."""

from __future__ import annotations

import contextlib
import time
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import numpy as np

from lessons_lib.checks import check_choice, check_int, check_number
from lessons_lib.explore.controls import epochs_slider, slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.runs import Settings, TrainingRun, start_from, stopped_early
from lessons_lib.training import FastFit, History, Progress

UNITS = (4, 16, 64, 128, 256, 512)
L2_STRENGTHS = (0.0, 1e-4, 1e-3, 1e-2, 1e-1)
PATIENCES = (0, 2, 5, 10)  # 0: no early stopping
POOL = 900  # the lesson's x_more: the training images a slider can add
#: 60 epochs of the largest setting took 10.4 s on two busy cores: capped at 50 (8.7 s).
MAX_EPOCHS = 50
#: Finished runs whose end state is kept, so that more epochs of the same setting train
#: only the epochs added (a 512 x 3 model's weights and Adam moments: about 11 MB each).
KEPT_ENDS = 4
#: Seconds between two redraws of the growing curves, and the least time a run must still
#: need for a redraw to be worth it: a redraw of the three panels costs about 0.1 s, and most
#: moves take about a second, so a short move draws its curves once, when it ends.
PROGRESS_INTERVAL = 1.0
MIN_REMAINING = 0.5


def overfitting_explorer(
    *,
    units: int = 512,
    layers: int = 2,
    n_train: int = 300,
    l2: float = 0.0,
    dropout: float = 0.0,
    epochs: int = 30,
    patience: int = 0,
    seed: int = 42,
) -> Explorer:
    """Lesson 06's dense network on MNIST: capacity, data, L2, dropout and early stopping.

    The defaults are the lesson's large model (two ``Dense(512, relu)`` layers, Adam) on its
    300 training images for 30 epochs, validated on its 1,000 images in one batch, started
    from ``seed`` as the lesson's ``build_model`` starts it: the explorer's first curves are
    the lesson's ``history_large``. Sliders: units per hidden layer, hidden layers (1 to 3),
    training images (100 to 900, the lesson's ``x_more``), an L2 penalty on every ``Dense``
    kernel, dropout after every hidden layer, epochs (up to 50), and early-stopping patience
    (off, 2, 5, 10), which cuts the run where ``EarlyStopping(patience=...,
    restore_best_weights=True)`` stops and marks the epoch whose weights it restores.

    Speed: a move's time is its training steps (about 1.5 to 3 ms each for 512 x 2 units
    on two cores, 300 of them at the defaults), a validation pass per epoch (a tenth of the
    time) and one drawing of the panels (about 0.1 s; growing curves are redrawn once a second,
    and only when the run still has half a second to go). Moving epochs up trains only the
    added epochs, from where the same setting's last run ended (the same arithmetic as one
    long run); a patience move, or fewer epochs, redraws from the cache. The first move to a
    new model shape (units, layers, L2 or dropout) also builds and compiles that model (about
    1 s). Epochs are capped at 50 (not 60) so that the slowest setting, 512 x 3 units, 900
    images, 50 epochs, dropout and L2 all from scratch, stays under 10 s.
    """
    units = check_choice("units", units, UNITS)
    layers = check_int("layers", layers, low=1, high=3)
    n_train = check_int("n_train", n_train, low=100, high=POOL)
    l2 = check_choice("l2", l2, L2_STRENGTHS)
    dropout = check_number("dropout", dropout, low=0.0, high=0.9)
    epochs = check_int("epochs", epochs, low=1, high=MAX_EPOCHS)
    patience = check_choice("patience", patience, PATIENCES)
    seed = check_int("seed", seed, low=0)

    from lessons_lib.data import load_mnist

    x_pool, y_pool, x_val, y_val = load_mnist(n_train=POOL, n_val=1000, flatten=True)
    trainers: dict[tuple, _ResumableFit] = {}
    ends: OrderedDict[tuple, _RunEnd] = OrderedDict()

    def trainer_for(units: int, layers: int, l2: float, dropout: float) -> _ResumableFit:
        key = (units, layers, l2, dropout)
        if key not in trainers:
            trainers[key] = _ResumableFit(_model(units, layers, l2, dropout, seed), validation_batch_size=1000)
        return trainers[key]

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        shape = (settings["units"], settings["layers"], settings["l2"], settings["dropout"])
        fast = trainer_for(*shape)
        n, epochs = settings["n_train"], settings["epochs"]
        x, y = x_pool[:n], y_pool[:n]
        key = (*shape, n)
        end = ends.get(key)
        if end is None or end.epochs >= epochs:
            end = _RunEnd(0, {}, None)
        started, to_train = time.perf_counter(), epochs - end.epochs

        def report(so_far: History) -> None:
            done = len(so_far["loss"])
            if (time.perf_counter() - started) / done * (to_train - done) >= MIN_REMAINING:
                progress(_joined(end.history, so_far))

        with fast.resuming(end.state):
            more = fast.fit(
                x,
                y,
                epochs=to_train,
                validation_data=(x_val, y_val),
                seed=seed,
                progress=report,
                progress_interval=PROGRESS_INTERVAL,
            )
        history = _joined(end.history, more)
        if len(history["loss"]) == epochs:  # a run cut short by a NaN is not continued
            ends[key] = _RunEnd(epochs, history, fast.state())
            ends.move_to_end(key)
            while len(ends) > KEPT_ENDS:
                ends.popitem(last=False)
        # No starting loss: it only serves to flag a learning rate that blows the loss up,
        # and Adam at its default rate does not (no slider here changes the learning rate).
        return TrainingRun(history, None, None, epochs, {"n_classes": 10})

    def view(settings: Settings, run: TrainingRun) -> TrainingRun:
        return stopped_early(run, settings["patience"])

    sliders: dict[str, Any] = {
        "units": slider("SelectionSlider", "units per hidden layer", options=list(UNITS), value=units),
        "layers": slider("IntSlider", "hidden layers", value=layers, min=1, max=3),
        "n_train": slider("IntSlider", "training images", value=n_train, min=100, max=POOL, step=100),
        "l2": slider("SelectionSlider", "L2 penalty", options=[(f"{v:g}", v) for v in L2_STRENGTHS], value=l2),
        "dropout": slider("FloatSlider", "dropout", value=dropout, min=0.0, max=0.9, step=0.1),
        "epochs": epochs_slider(epochs, MAX_EPOCHS),
        "patience": slider(
            "SelectionSlider",
            "early stopping patience",
            options=[("off" if v == 0 else str(v), v) for v in PATIENCES],
            value=patience,
        ),
    }
    metrics = ["loss", "cross_entropy", "accuracy"]  # with L2 on, the loss includes the penalty
    return Explorer(sliders, train, metrics, view=view, view_settings=("patience",))


class _RunEnd:
    """Where a finished run of one setting ended: its epochs, its history and every variable."""

    def __init__(self, epochs: int, history: History, state: list[np.ndarray] | None):
        self.epochs, self.history, self.state = epochs, history, state


class _ResumableFit(FastFit):
    """``FastFit`` that can also start a run from the state an earlier run ended in.

    ``fit`` trains from the state ``reset`` puts back. Inside ``resuming(state)``, ``reset``
    puts back ``state`` (the model's variables, random-generator states included, and the
    optimizer's step counter and moments) instead of the starting one, so a run of 30
    epochs continued for 10 more is, step for step, the run of 40: ``fit`` itself runs its
    epochs in chunks, carrying exactly these variables from one chunk to the next, and every
    epoch takes the rows in the same order.
    """

    _resume: list[np.ndarray] | None = None

    def state(self) -> list[np.ndarray]:
        return [variable.numpy() for variable in self._variables()]

    @contextlib.contextmanager
    def resuming(self, state: list[np.ndarray] | None) -> Iterator[None]:
        self._resume = state
        try:
            yield
        finally:
            self._resume = None

    def reset(self, learning_rate: float | None = None) -> None:
        super().reset(learning_rate)
        if self._resume is not None:
            for variable, value in zip(self._variables(), self._resume, strict=True):
                variable.assign(value)

    def _variables(self) -> list[Any]:
        return [*self.model.variables, *self.model.optimizer.variables]


def _joined(first: History, then: History) -> History:
    """Two stretches of one run as one history."""
    if not first:
        return {name: list(values) for name, values in then.items()}
    return {name: list(first[name]) + list(then.get(name, [])) for name in first}


def _model(units: int, layers: int, l2: float, dropout: float, seed: int) -> Any:
    """The lesson's ``build_model``: seeded, ReLU layers, optional L2 and dropout, Adam."""
    import keras

    start_from(seed)
    regularizer = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(784,))])
    for _ in range(layers):
        model.add(keras.layers.Dense(units, activation="relu", kernel_regularizer=regularizer))
        if dropout > 0:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax", kernel_regularizer=regularizer))
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=[keras.metrics.SparseCategoricalCrossentropy(name="cross_entropy"), "accuracy"],
    )
    return model

"""Lesson 06's explorer: a model that overfits 300 digits, and the remedies, one slider each."""

from __future__ import annotations

from typing import Any

from lessons_lib.checks import check_choice, check_int, check_number
from lessons_lib.explore.controls import epochs_slider, slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.runs import Settings, TrainingRun, start_from, stopped_early, train_fast
from lessons_lib.training import FastFit, Progress

UNITS = (4, 16, 64, 128, 256, 512)
L2_STRENGTHS = (0.0, 1e-4, 1e-3, 1e-2, 1e-1)
PATIENCES = (0, 2, 5, 10)  # 0: no early stopping
POOL = 900  # the lesson's x_more: the training images a slider can add


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
    300 training images for 30 epochs, started from ``seed`` as the lesson's ``build_model``
    starts it: the explorer's first curves are the lesson's ``history_large``. Sliders:
    units per hidden layer, hidden layers (1 to 3), training images (100 to 900, the
    lesson's ``x_more``), an L2 penalty on every ``Dense`` kernel, dropout after every
    hidden layer, epochs, and early-stopping patience (off, 2, 5, 10), which cuts the run
    where ``EarlyStopping(patience=..., restore_best_weights=True)`` stops and marks the
    epoch whose weights it restores.
    """
    units = check_choice("units", units, UNITS)
    layers = check_int("layers", layers, low=1, high=3)
    n_train = check_int("n_train", n_train, low=100, high=POOL)
    l2 = check_choice("l2", l2, L2_STRENGTHS)
    dropout = check_number("dropout", dropout, low=0.0, high=0.9)
    epochs = check_int("epochs", epochs, low=1, high=60)
    patience = check_choice("patience", patience, PATIENCES)
    seed = check_int("seed", seed, low=0)

    from lessons_lib.data import load_mnist

    x_pool, y_pool, x_val, y_val = load_mnist(n_train=POOL, n_val=1000, flatten=True)
    trainers: dict[tuple, FastFit] = {}

    def trainer_for(units: int, layers: int, l2: float, dropout: float) -> FastFit:
        key = (units, layers, l2, dropout)
        if key not in trainers:
            trainers[key] = FastFit(_model(units, layers, l2, dropout, seed), validation_batch_size=1000)
        return trainers[key]

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        fast = trainer_for(settings["units"], settings["layers"], settings["l2"], settings["dropout"])
        n = settings["n_train"]
        data = (x_pool[:n], y_pool[:n], x_val, y_val)
        return train_fast(fast, data, settings, progress, seed=seed, hints={"n_classes": 10})

    def view(settings: Settings, run: TrainingRun) -> TrainingRun:
        return stopped_early(run, settings["patience"])

    sliders: dict[str, Any] = {
        "units": slider("SelectionSlider", "units per hidden layer", options=list(UNITS), value=units),
        "layers": slider("IntSlider", "hidden layers", value=layers, min=1, max=3),
        "n_train": slider("IntSlider", "training images", value=n_train, min=100, max=POOL, step=100),
        "l2": slider("SelectionSlider", "L2 penalty", options=[(f"{v:g}", v) for v in L2_STRENGTHS], value=l2),
        "dropout": slider("FloatSlider", "dropout", value=dropout, min=0.0, max=0.9, step=0.1),
        "epochs": epochs_slider(epochs, 60),
        "patience": slider(
            "SelectionSlider",
            "early stopping patience",
            options=[("off" if v == 0 else str(v), v) for v in PATIENCES],
            value=patience,
        ),
    }
    return Explorer(sliders, train, ["loss", "accuracy"], view=view, view_settings=("patience",))


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

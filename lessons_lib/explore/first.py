"""Lesson 00's explorer: the three shapes of curves (healthy, overfitting, underfitting) from three knobs."""

from __future__ import annotations

from typing import Any

from lessons_lib.checks import check_choice, check_int, check_number
from lessons_lib.explore.controls import epochs_slider, learning_rate_slider, slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.runs import Settings, TrainingRun, start_from, train_fast
from lessons_lib.training import FastFit, Progress

#: Units of the one hidden layer; 0 is no hidden layer (the lesson's healthy model).
HIDDEN_UNITS = (0, 1, 8, 64, 256)
TRAINING_IMAGES = (200, 500, 1000, 2000, 4000)


def first_explorer(
    *,
    hidden_units: int = 0,
    n_train: int = 4000,
    epochs: int = 20,
    learning_rate: float = 0.003,
    seed: int = 42,
) -> Explorer:
    """Lesson 00's ``short_run`` with sliders: a digit classifier, Adam, batches of 128.

    The defaults are the lesson's healthy run (no hidden layer, 4,000 images, 20 epochs,
    learning rate 0.003), started from ``seed``: its curves are the lesson's ``healthy``.
    Sliders: one hidden ReLU layer's units (none, 1, 8, 64, 256; 1 unit underfits), training
    images (200 to 4,000; 200 images and 256 units overfit), epochs, learning rate.
    """
    hidden_units = check_choice("hidden_units", hidden_units, HIDDEN_UNITS)
    n_train = check_choice("n_train", n_train, TRAINING_IMAGES)
    epochs = check_int("epochs", epochs, low=1, high=40)
    learning_rate = check_number("learning_rate", learning_rate, low=1e-4, high=0.1)
    seed = check_int("seed", seed, low=0)

    from lessons_lib.data import load_mnist

    x_pool, y_pool, x_val, y_val = load_mnist(n_train=4000, n_val=1000, flatten=True)
    trainers: dict[int, FastFit] = {}

    def trainer_for(units: int) -> FastFit:
        if units not in trainers:
            trainers[units] = FastFit(_model(units, learning_rate, seed), batch_size=128)
        return trainers[units]

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        fast = trainer_for(settings["hidden_units"])
        n = settings["n_train"]
        data = (x_pool[:n], y_pool[:n], x_val, y_val)
        return train_fast(fast, data, settings, progress, seed=seed, hints={"n_classes": 10})

    sliders: dict[str, Any] = {
        "hidden_units": slider(
            "SelectionSlider",
            "hidden layer units",
            options=[("none" if units == 0 else str(units), units) for units in HIDDEN_UNITS],
            value=hidden_units,
        ),
        "n_train": slider("SelectionSlider", "training images", options=list(TRAINING_IMAGES), value=n_train),
        "epochs": epochs_slider(epochs, 40),
        "learning_rate": learning_rate_slider(learning_rate, 1e-4, 0.1),
    }
    return Explorer(sliders, train, ["loss", "accuracy"])


def _model(units: int, learning_rate: float, seed: int) -> Any:
    """The lesson's model: an optional ``Dense(units, relu)``, then ten softmax outputs; Adam."""
    import keras

    start_from(seed)
    hidden = [keras.layers.Dense(units, activation="relu")] if units else []
    model = keras.Sequential([keras.Input(shape=(784,)), *hidden, keras.layers.Dense(10, activation="softmax")])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model

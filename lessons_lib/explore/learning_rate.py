"""Lesson 07's explorer: learning rate, batch size and a schedule, on the lesson's digit model."""

from __future__ import annotations

import math
from typing import Any

from lessons_lib.checks import check_choice, check_int, check_number
from lessons_lib.explore.controls import epochs_slider, learning_rate_slider, slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.runs import Settings, TrainingRun, start_from, train_fast
from lessons_lib.explore.schedules import SHAPES, adjustable_schedule
from lessons_lib.training import FastFit, Progress

BATCH_SIZES = (8, 16, 32, 64, 128, 256)
#: Decay speed: epochs per halving (step) or epochs to reach 0 (cosine).
DECAY_EPOCHS = (1, 2, 5, 10, 15, 30)
N_TRAIN = 1000


def learning_rate_explorer(
    *,
    learning_rate: float = 0.1,
    batch_size: int = 32,
    schedule: str = "constant",
    decay_epochs: int = 5,
    epochs: int = 15,
    seed: int = 42,
) -> Explorer:
    """Lesson 07's network (``Dense(64, relu)``, softmax, plain SGD) on its 1,000 digits.

    The defaults are the lesson's run at learning rate 0.1 (batch 32, 15 epochs, validation
    on 1,000 images), started from ``seed`` as the lesson's ``build_model`` starts it.
    Sliders: learning rate (1e-3 to 3, log scale), batch size (8 to 256), schedule
    (constant; step: halved every ``decay_epochs``; cosine: down to 0 after ``decay_epochs``),
    decay speed, epochs. Each batch size keeps its own compiled model.
    """
    learning_rate = check_number("learning_rate", learning_rate, low=1e-3, high=3.0)
    batch_size = check_choice("batch_size", batch_size, BATCH_SIZES)
    schedule = check_choice("schedule", schedule, SHAPES)
    decay_epochs = check_choice("decay_epochs", decay_epochs, DECAY_EPOCHS)
    epochs = check_int("epochs", epochs, low=1, high=30)
    seed = check_int("seed", seed, low=0)

    from lessons_lib.data import load_mnist

    x_train, y_train, x_val, y_val = load_mnist(n_train=N_TRAIN, n_val=1000, flatten=True)
    trainers: dict[int, FastFit] = {}

    def trainer_for(batch_size: int) -> FastFit:
        if batch_size not in trainers:
            trainers[batch_size] = FastFit(_model(seed), batch_size=batch_size, validation_batch_size=1000)
        return trainers[batch_size]

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        fast = trainer_for(settings["batch_size"])
        steps_per_epoch = math.ceil(N_TRAIN / settings["batch_size"])
        fast.model.optimizer._learning_rate.set(
            settings["learning_rate"], settings["schedule"], settings["decay_epochs"] * steps_per_epoch
        )
        data = (x_train, y_train, x_val, y_val)
        return train_fast(fast, data, settings, progress, seed=seed, hints={"n_classes": 10})

    sliders: dict[str, Any] = {
        "learning_rate": learning_rate_slider(learning_rate, 1e-3, 3.0),
        "batch_size": slider("SelectionSlider", "batch size", options=list(BATCH_SIZES), value=batch_size),
        "schedule": slider("ToggleButtons", "schedule", options=list(SHAPES), value=schedule, width="auto"),
        "decay_epochs": slider(
            "SelectionSlider", "decay: epochs per halving / to zero", options=list(DECAY_EPOCHS), value=decay_epochs
        ),
        "epochs": epochs_slider(epochs, 30),
    }
    return Explorer(sliders, train, ["loss", "accuracy"])


def _model(seed: int) -> Any:
    """The lesson's ``build_model``, with a schedule whose numbers the sliders set."""
    import keras

    start_from(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=adjustable_schedule(0.1)),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model

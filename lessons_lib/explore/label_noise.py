"""Lessons 09 and 10's explorer: wrong labels, what models of each size do with them, and how to find them."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from lessons_lib.checks import check_choice, check_int, check_number
from lessons_lib.explore.controls import epochs_slider, slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.runs import REDRAW_INTERVAL, Settings, TrainingRun, dataset_cache, start_from
from lessons_lib.training import FastFit, History, Progress

#: Hidden ``Dense`` ReLU layers of each model: lesson 10's small and large, lesson 09's 64 units.
MODELS = {"small (16)": (16,), "medium (64)": (64,), "large (256, 256)": (256, 256)}
NOISE_SHARES = (0.0, 0.1, 0.2, 0.3, 0.4)
#: The highest-loss training images the note checks for flipped labels (lesson 09's top 50).
RANKED = 50


def label_noise_explorer(
    *,
    wrong_labels: float = 0.2,
    model: str = "large (256, 256)",
    dropout: float = 0.0,
    n_train: int = 500,
    epochs: int = 12,
    seed: int = 42,
) -> Explorer:
    """Lesson 10's capacity experiment, and lesson 09's wrong-label ranking, with sliders.

    Digits (the first ``n_train`` of lessons 09 and 10's 2,000; the 500 validation images),
    ``flip_labels(..., seed=seed)`` on the training labels only (validation stays clean),
    ``Dense`` ReLU layers each followed by ``Dropout(dropout)`` if it is above 0, ten softmax
    outputs, Adam, batches of 32, started from ``seed``. The defaults are lesson 10's large
    model on 500 images with 20% wrong labels for 12 epochs; lesson 09's run is
    ``wrong_labels=0.1, model="medium (64)", n_train=2000, epochs=5``. A large model learns
    the wrong labels too: its training accuracy climbs past the share of right labels while
    its validation loss turns up; a small one cannot. The note compares training accuracy
    with the share of right labels, and says how many of the 50 training images with the
    highest loss carry a flipped label (lesson 09's ranking), at the last epoch shown: the
    ranking finds them while the model has not yet learned them. Sliders: wrong labels
    (0 to 40%), model, dropout, training images (200 to 2,000), epochs (up to 60).
    """
    wrong_labels = check_choice("wrong_labels", wrong_labels, NOISE_SHARES)
    model = check_choice("model", model, tuple(MODELS))
    dropout = check_number("dropout", dropout, low=0.0, high=0.8)
    n_train = check_int("n_train", n_train, low=200, high=2000)
    epochs = check_int("epochs", epochs, low=1, high=60)
    seed = check_int("seed", seed, low=0)

    import keras

    from lessons_lib.data import load_mnist
    from lessons_lib.label_noise import flip_labels

    x_pool, y_pool, x_val, y_val = load_mnist(2000, 500, flatten=True)

    @dataset_cache
    def labels(share: float, n: int) -> tuple[np.ndarray, np.ndarray]:
        return flip_labels(y_pool[:n], share, seed=seed)

    trainers: dict[tuple, FastFit] = {}

    def trainer_for(name: str, dropout: float) -> FastFit:
        if (name, dropout) not in trainers:
            trainers[(name, dropout)] = FastFit(_model(MODELS[name], dropout, seed))
        return trainers[(name, dropout)]

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        n, share = settings["n_train"], settings["wrong_labels"]
        fast = trainer_for(settings["model"], settings["dropout"])
        x, (y, flipped) = x_pool[:n], labels(share, n)
        ranking: dict[int, float] = {}  # epoch -> share of flipped labels among the highest losses

        def rank(epochs_done: int) -> None:
            if flipped.any():
                probabilities = keras.ops.convert_to_numpy(fast.model(x, training=False))
                ranking[epochs_done] = _flipped_share(probabilities, y, flipped)

        reported = [time.perf_counter()]

        def after_epoch(history: History) -> None:  # FastFit reports after every epoch at interval 0
            rank(len(history["loss"]))  # the model holds that epoch's weights now
            if time.perf_counter() - reported[0] >= REDRAW_INTERVAL:
                progress(history)
                reported[0] = time.perf_counter()

        start_loss = fast.starting_loss(x, y)
        history = fast.fit(
            x, y, epochs=settings["epochs"], validation_data=(x_val, y_val), seed=seed,
            progress=after_epoch, progress_interval=0.0,
        )  # fmt: skip
        rank(len(history["loss"]))
        note = _note(1.0 - share, ranking, float(flipped.mean()))
        return TrainingRun(history, start_loss, note, settings["epochs"], {"n_classes": 10})

    sliders: dict[str, Any] = {
        "wrong_labels": slider(
            "SelectionSlider", "wrong labels", options=[(f"{v:.0%}", v) for v in NOISE_SHARES], value=wrong_labels
        ),
        "model": slider("ToggleButtons", "model", options=list(MODELS), value=model, width="auto"),
        "dropout": slider("FloatSlider", "dropout", value=dropout, min=0.0, max=0.8, step=0.1),
        "n_train": slider("IntSlider", "training images", value=n_train, min=200, max=2000, step=100),
        "epochs": epochs_slider(epochs, 60),
    }
    return Explorer(sliders, train, ["loss", "accuracy"])


def _flipped_share(probabilities: np.ndarray, labels: np.ndarray, flipped: np.ndarray) -> float:
    """Share of flipped labels among the ``RANKED`` training images with the highest loss."""
    from lessons_lib.label_noise import precision_at_k

    chosen = np.clip(probabilities[np.arange(len(labels)), labels].astype(np.float64), 1e-7, 1.0)
    return precision_at_k(-np.log(chosen), flipped, min(RANKED, len(labels)))


def _note(right_share: float, ranking: dict[int, float], wrong_share: float) -> Any:
    def note(history: History) -> str:
        final = history["accuracy"][-1]
        verdict = "above: it learned wrong labels too" if final > right_share + 0.01 else "not above"
        text = f"training accuracy {final:.3f} against {right_share:.0%} right labels: {verdict}"
        found = ranking.get(len(history["accuracy"]))
        if found is not None:
            text += f"; flipped labels among the {RANKED} highest losses: {found:.0%}"
            text += f" (a random pick: {wrong_share:.0%})"
        return text

    return note


def _model(hidden: tuple[int, ...], dropout: float, seed: int) -> Any:
    import keras

    start_from(seed)
    layers: list[Any] = []
    for units in hidden:
        layers.append(keras.layers.Dense(units, activation="relu"))
        if dropout > 0:
            layers.append(keras.layers.Dropout(dropout))
    model = keras.Sequential([keras.Input(shape=(784,)), *layers, keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model

"""Lessons 09 and 10's explorer: wrong labels, and what model capacity and dropout do with them."""

from __future__ import annotations

from typing import Any

from lessons_lib.checks import check_choice, check_int, check_number
from lessons_lib.explore.controls import epochs_slider, slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.runs import Settings, TrainingRun, dataset_cache, start_from, train_fast
from lessons_lib.training import FastFit, History, Progress

MODELS = {"small (16)": (16,), "large (256, 256)": (256, 256)}
NOISE_SHARES = (0.0, 0.1, 0.2, 0.3, 0.4)


def label_noise_explorer(
    *,
    wrong_labels: float = 0.2,
    model: str = "large (256, 256)",
    dropout: float = 0.0,
    n_train: int = 500,
    epochs: int = 12,
    seed: int = 42,
) -> Explorer:
    """Lesson 10's capacity experiment: a share of wrong training labels, a small or a large model.

    Digits (the first ``n_train`` of lesson 10's 2,000), ``flip_labels`` on the training
    labels only (validation stays clean), ``Dense`` ReLU layers with optional dropout, Adam.
    A large model learns the wrong labels too: its training accuracy climbs past the share of
    right labels while its validation loss turns up; a small one cannot. The note compares
    training accuracy with the share of labels that are right. Sliders: wrong labels (0 to
    40%), model, dropout, training images (200 to 2,000), epochs.
    """
    wrong_labels = check_choice("wrong_labels", wrong_labels, NOISE_SHARES)
    model = check_choice("model", model, tuple(MODELS))
    dropout = check_number("dropout", dropout, low=0.0, high=0.8)
    n_train = check_int("n_train", n_train, low=200, high=2000)
    epochs = check_int("epochs", epochs, low=1, high=40)
    seed = check_int("seed", seed, low=0)

    from lessons_lib.data import load_mnist
    from lessons_lib.label_noise import flip_labels

    x_pool, y_pool, x_val, y_val = load_mnist(2000, 500, flatten=True)

    @dataset_cache
    def labels(share: float, n: int) -> Any:
        return flip_labels(y_pool[:n], share, seed=seed)[0]

    trainers: dict[tuple, FastFit] = {}

    def trainer_for(name: str, dropout: float) -> FastFit:
        if (name, dropout) not in trainers:
            trainers[(name, dropout)] = FastFit(_model(MODELS[name], dropout, seed))
        return trainers[(name, dropout)]

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        n, share = settings["n_train"], settings["wrong_labels"]
        fast = trainer_for(settings["model"], settings["dropout"])
        data = (x_pool[:n], labels(share, n), x_val, y_val)
        note = _memorising_note(1.0 - share)
        return train_fast(fast, data, settings, progress, seed=seed, note=note, hints={"n_classes": 10})

    sliders: dict[str, Any] = {
        "wrong_labels": slider(
            "SelectionSlider", "wrong labels", options=[(f"{v:.0%}", v) for v in NOISE_SHARES], value=wrong_labels
        ),
        "model": slider("ToggleButtons", "model", options=list(MODELS), value=model, width="auto"),
        "dropout": slider("FloatSlider", "dropout", value=dropout, min=0.0, max=0.8, step=0.1),
        "n_train": slider("IntSlider", "training images", value=n_train, min=200, max=2000, step=100),
        "epochs": epochs_slider(epochs, 40),
    }
    return Explorer(sliders, train, ["loss", "accuracy"])


def _memorising_note(right_share: float) -> Any:
    def note(history: History) -> str:
        final = history["accuracy"][-1]
        verdict = "above: it learned wrong labels too" if final > right_share + 0.01 else "not above"
        return f"training accuracy {final:.3f} against {right_share:.0%} right labels: {verdict}"

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

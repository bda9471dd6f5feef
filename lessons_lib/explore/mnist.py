"""Lessons 02 and 04: dense MNIST classifiers, one digit against the rest, and a rare digit."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from lessons_lib.checks import check_choice, check_int, check_number
from lessons_lib.explore.controls import epochs_slider, learning_rate_slider, slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.runs import CannotTrain, Settings, TrainingRun, dataset_cache, start_from, train_fast
from lessons_lib.training import FastFit, History, Progress

#: Training images kept for each task (the rest of the shipped subset is validation).
_BINARY_POOL = {"one_vs_rest": (2000, 1000), "two_digits": (800, 200)}


def mnist_binary_explorer(
    *,
    task: str = "one_vs_rest",
    digit: int = 1,
    other_digit: int = 0,
    n_train: int | None = None,
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
    200 validation). ``n_train`` defaults to the whole pool of the task (2,000 or 800). Sliders:
    learning rate (1e-5 to 1), task, digits, training images, epochs.
    """
    task = check_choice("task", task, tuple(_BINARY_POOL))
    digit = check_int("digit", digit, low=0, high=9)
    other_digit = check_int("other_digit", other_digit, low=0, high=9)
    pool_size = _BINARY_POOL[task][0]
    n_train = pool_size if n_train is None else check_int("n_train", n_train, low=20, high=pool_size)
    epochs = check_int("epochs", epochs, low=1, high=200)
    learning_rate = check_number("learning_rate", learning_rate, low=1e-5, high=1.0)
    units = check_int("units", units, low=1, high=4096)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)

    from lessons_lib.data import mnist_one_vs_rest, mnist_two_digits
    from lessons_lib.models import mnist_dense_model

    @dataset_cache
    def pool(task: str, digit: int, other: int) -> tuple[np.ndarray, ...]:
        n, n_val = _BINARY_POOL[task]
        if task == "one_vs_rest":
            return mnist_one_vs_rest(digit, n, n_val, seed=seed)
        return mnist_two_digits(other, digit, n, n_val, seed=seed)

    start_from(seed)
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
        return train_fast(fast, data, settings, progress, seed=seed, note=_baseline_note(majority), hints=hints)

    tasks = [("one digit vs the rest", "one_vs_rest"), ("two digits", "two_digits")]
    sliders = {
        "learning_rate": learning_rate_slider(learning_rate, 1e-5, 1.0),
        "task": slider("ToggleButtons", "task", options=tasks, value=task, width="auto"),
        "digit": slider("IntSlider", "digit labelled 1", value=digit, min=0, max=9),
        "other_digit": slider("IntSlider", "other digit (two digits)", value=other_digit, min=0, max=9),
        "n_train": slider("IntSlider", "training images", value=n_train, min=20, max=_BINARY_POOL[task][0], step=10),
        "epochs": epochs_slider(epochs, 50),
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


@dataset_cache
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

    start_from(seed)
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
        return train_fast(fast, data, settings, progress, seed=seed, note=note, class_weight=weights, hints=hints)

    sliders = {
        "learning_rate": learning_rate_slider(learning_rate, 1e-5, 1.0),
        "digit": slider("IntSlider", "rare digit", value=digit, min=0, max=9),
        "one_in": slider(
            "SelectionSlider", "rare digit is", options=[(f"1 in {n}", n) for n in RARITIES], value=one_in
        ),
        "class_weights": slider("Checkbox", "class weights (balanced)", value=class_weights),
        "n_train": slider("IntSlider", "training images", value=n_train, min=20, max=2000, step=10),
        "epochs": epochs_slider(epochs, 50),
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

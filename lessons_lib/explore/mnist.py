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

#: Training and validation images of each task: lesson 02's (the rest of the shipped subset is unused).
_BINARY_POOL = {"one_vs_rest": (4000, 1000), "two_digits": (800, 200)}
#: Validation in one batch: the same numbers as ``fit``'s batches of 32, in a fraction of the steps.
_VALIDATION_BATCH = 1000
#: The epochs slider's top: lesson 02's exercise 02.4 trains 30 epochs (3 times the lesson's run).
_BINARY_MAX_EPOCHS = 30


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
    split_seed: int = 0,
) -> Explorer:
    """Lesson 02's classifier (``Dense(units, relu)``, sigmoid, Adam) on a digit question.

    ``task="one_vs_rest"`` labels ``digit`` 1 and the nine others 0, as seed 000's code does
    (4,000 training and 1,000 validation images, about 10% positives); ``task="two_digits"``
    keeps only ``digit`` (1) and ``other_digit`` (0), as its text says (800 and 200). Both
    are lesson 02's splits: ``load_mnist`` with ``seed=split_seed`` (the lesson calls it with
    its default, 0); ``seed`` fixes the starting weights and the batch order. ``n_train``
    defaults to the whole pool of the task, so at its defaults, with ``seed=SEED``, the
    explorer trains lesson 02's first model on its data, epoch for epoch. Sliders: learning
    rate (1e-5 to 1), task, digits, training images, epochs (1 to 30: at 4,000 images a move
    then takes about 3 times the 10 epochs' time).
    """
    task = check_choice("task", task, tuple(_BINARY_POOL))
    digit = check_int("digit", digit, low=0, high=9)
    other_digit = check_int("other_digit", other_digit, low=0, high=9)
    pool_size = _BINARY_POOL[task][0]
    n_train = pool_size if n_train is None else check_int("n_train", n_train, low=20, high=pool_size)
    epochs = check_int("epochs", epochs, low=1, high=_BINARY_MAX_EPOCHS)
    learning_rate = check_number("learning_rate", learning_rate, low=1e-5, high=1.0)
    units = check_int("units", units, low=1, high=4096)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)
    split_seed = check_int("split_seed", split_seed, low=0)

    from lessons_lib.data import mnist_one_vs_rest, mnist_two_digits
    from lessons_lib.models import mnist_dense_model

    @dataset_cache
    def pool(task: str, digit: int, other: int) -> tuple[np.ndarray, ...]:
        n, n_val = _BINARY_POOL[task]
        if task == "one_vs_rest":
            return mnist_one_vs_rest(digit, n, n_val, seed=split_seed)
        return mnist_two_digits(other, digit, n, n_val, seed=split_seed)

    start_from(seed)
    fast = FastFit(
        mnist_dense_model(units, learning_rate), batch_size=batch_size, validation_batch_size=_VALIDATION_BATCH
    )

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
        "epochs": epochs_slider(epochs, _BINARY_MAX_EPOCHS),
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


#: Rarity choices of ``rare_digit_split``: the rare digit is one training image in N (MNIST's own
#: rate is 1 in 10). The imbalance explorer uses lesson 04's ``mnist_rare_digit`` instead.
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


#: Shares of the rare digit the imbalance explorer offers (lesson 04: 3%; MNIST's own: 10%).
RARE_SHARES = (0.01, 0.02, 0.03, 0.05, 0.1)
#: The epochs slider's top: lesson 04 trains 60 epochs in "would more epochs have done the same?".
_IMBALANCE_MAX_EPOCHS = 60


def imbalance_explorer(
    *,
    digit: int = 9,
    rare_fraction: float = 0.03,
    class_weights: bool = False,
    epochs: int = 20,
    learning_rate: float = 0.001,
    batch_size: int = 64,
    seed: int = 0,
) -> Explorer:
    """Lesson 04: one sigmoid unit on a rare digit against all the others, with and without class weights.

    The lesson's model and data: ``Dense(1, sigmoid)`` started at zero (logistic regression),
    Adam, batches of 64, accuracy and the rare class's recall (a third panel), on
    ``mnist_rare_digit(digit, rare_fraction, seed=seed)`` (all 4,500 other digits, the rare
    one ``rare_fraction`` of each set). Class weights are
    ``compute_class_weight("balanced", ...)``, given to training as
    ``model.fit(class_weight=...)`` does. At its defaults, with ``seed=SEED``, it trains the
    lesson's run without a remedy; with class weights on, the lesson's weighted run. Sliders:
    learning rate, rare digit, its share (1% to 10%), class weights on/off, epochs (1 to 60).
    """
    digit = check_int("digit", digit, low=0, high=9)
    rare_fraction = check_choice("rare_fraction", rare_fraction, RARE_SHARES)
    if not isinstance(class_weights, bool):
        raise ValueError(f"class_weights must be True or False, got {class_weights!r}")
    epochs = check_int("epochs", epochs, low=1, high=_IMBALANCE_MAX_EPOCHS)
    learning_rate = check_number("learning_rate", learning_rate, low=1e-5, high=1.0)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)

    import keras
    from sklearn.utils.class_weight import compute_class_weight

    from lessons_lib.imbalance import mnist_rare_digit

    data = dataset_cache(lambda digit, share: mnist_rare_digit(digit, share, seed=seed))
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(1, activation="sigmoid", kernel_initializer="zeros", bias_initializer="zeros"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy", keras.metrics.Recall(name="recall")],
    )
    fast = FastFit(model, batch_size=batch_size, validation_batch_size=_VALIDATION_BATCH)

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        x_train, y_train, x_val, y_val = data(settings["digit"], settings["rare_fraction"])
        weights = None
        if settings["class_weights"]:
            values = compute_class_weight("balanced", classes=np.array([0, 1]), y=y_train)
            weights = {0: float(values[0]), 1: float(values[1])}
        majority = 1 - float(y_val.mean())
        note = _recall_note(settings["digit"], int(y_val.sum()), majority)
        # with class weights the model trades accuracy for the rare class on purpose: its
        # accuracy below the majority's is the price, not a failure to learn
        hints = {"n_classes": 2, **({} if weights else {"baseline_accuracy": majority})}
        split = (x_train, y_train, x_val, y_val)
        return train_fast(fast, split, settings, progress, seed=seed, note=note, class_weight=weights, hints=hints)

    shares = [(f"{share:.0%} of the images", share) for share in RARE_SHARES]
    sliders = {
        "learning_rate": learning_rate_slider(learning_rate, 1e-5, 1.0),
        "digit": slider("IntSlider", "rare digit", value=digit, min=0, max=9),
        "rare_fraction": slider("SelectionSlider", "rare digit is", options=shares, value=rare_fraction),
        "class_weights": slider("Checkbox", "class weights (balanced)", value=class_weights),
        "epochs": epochs_slider(epochs, _IMBALANCE_MAX_EPOCHS),
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

"""Lessons 03 and 05: small CNNs on MNIST, with dropout and with augmentation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from lessons_lib.checks import check_int, check_number
from lessons_lib.explore.controls import epochs_slider, learning_rate_slider, on_grid, slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.runs import Settings, TrainingRun, dataset_cache, one_hot, start_from, train_fast
from lessons_lib.history import best_epoch
from lessons_lib.training import FastFit, History, Progress

#: Lesson 03's run, 3,000 images for 6 epochs, is the most a move of the dropout explorer
#: trains (training images x epochs): about 5 s on two cores, the lesson's own time.
DROPOUT_IMAGE_EPOCHS = 18_000
#: Lesson 05's runs, 300 images for 45 epochs, are the most a move of the augmentation explorer trains.
AUGMENTATION_IMAGE_EPOCHS = 13_500
_MAX_EPOCHS = 90


def _epochs_allowed(budget: int, n_train: int) -> int:
    """The most epochs a move may train on ``n_train`` images within ``budget`` image-epochs."""
    return max(1, min(_MAX_EPOCHS, budget // n_train))


def _check_epochs(epochs: int, n_train: int, budget: int) -> int:
    epochs = check_int("epochs", epochs, low=1)
    allowed = _epochs_allowed(budget, n_train)
    if epochs > allowed:
        raise ValueError(
            f"epochs must be at most {allowed} with {n_train} training images "
            f"(training images x epochs at most {budget:,}), got {epochs}"
        )
    return epochs


def _budget_adjust(budget: int) -> Any:
    """After the training images move, the epochs slider's top keeps a move within ``budget``."""

    def adjust(name: str, sliders: Mapping[str, Any]) -> None:
        sliders["epochs"].max = _epochs_allowed(budget, sliders["n_train"].value)  # clamps a larger value

    return adjust


def dropout_explorer(
    *,
    conv_dropout: float = 0.25,
    dense_dropout: float = 0.5,
    n_train: int = 3000,
    n_val: int = 500,
    epochs: int = 6,
    learning_rate: float = 0.001,
    batch_size: int = 64,
    seed: int = 0,
    split_seed: int = 0,
) -> Explorer:
    """Lesson 03's CNN (seed 001: two Conv2D, pooling, two Dropout layers) on its MNIST images, 10 classes.

    One-hot labels, categorical cross-entropy, Adam, batch 64, on ``load_mnist(3000, n_val,
    seed=split_seed)`` (the lesson calls it with its default seed, 0); ``seed`` fixes the
    starting weights, the dropout masks and the batch order. At its defaults, with
    ``seed=SEED``, it trains lesson 03's run epoch for epoch: 3,000 images, 6 epochs, with
    dropout on the validation accuracy ``fit`` reports sits above its training accuracy.
    That run is the largest a move trains (training images x epochs at most 18,000: about
    5 s on two cores, so a move at the defaults says how long it takes): with fewer images
    the epochs slider reaches further (600 images: 30 epochs). Sliders: learning rate (1e-5
    to 1), each dropout rate (0 to 0.9), training images (100 to 3,000), epochs. A dropout
    rate not chosen before costs one graph build.
    """
    conv_dropout = on_grid("conv_dropout", conv_dropout, 0.0, 0.9, 0.05)
    dense_dropout = on_grid("dense_dropout", dense_dropout, 0.0, 0.9, 0.05)
    n_train = check_int("n_train", n_train, low=100, high=3000)
    n_val = check_int("n_val", n_val, low=10, high=2000)
    epochs = _check_epochs(epochs, n_train, DROPOUT_IMAGE_EPOCHS)
    learning_rate = check_number("learning_rate", learning_rate, low=1e-5, high=1.0)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)
    split_seed = check_int("split_seed", split_seed, low=0)

    import keras

    from lessons_lib.data import load_mnist
    from lessons_lib.models import dropout_cnn

    x_pool, y_pool, x_val, y_val = load_mnist(3000, n_val, seed=split_seed)
    x_pool, x_val = x_pool[..., None], x_val[..., None]
    y_pool, y_val = one_hot(y_pool), one_hot(y_val)
    start_from(seed)
    model = dropout_cnn(conv_dropout, dense_dropout, learning_rate)
    conv_layer, dense_layer = [layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    fast = FastFit(model, batch_size=batch_size, validation_batch_size=n_val)

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        # A Dropout's rate is read when the training loop is traced: FastFit sees the new
        # configuration and uses (or traces once) the loop for these rates.
        conv_layer.rate, dense_layer.rate = settings["conv_dropout"], settings["dense_dropout"]
        n = settings["n_train"]
        data = (x_pool[:n], y_pool[:n], x_val, y_val)
        return train_fast(
            fast, data, settings, progress, seed=seed, note=_validation_above_note, hints={"n_classes": 10}
        )

    sliders = {
        "learning_rate": learning_rate_slider(learning_rate, 1e-5, 1.0),
        "conv_dropout": slider(
            "FloatSlider", "dropout after the convolutions", value=conv_dropout, min=0.0, max=0.9, step=0.05
        ),
        "dense_dropout": slider(
            "FloatSlider", "dropout after Dense(32)", value=dense_dropout, min=0.0, max=0.9, step=0.05
        ),
        "n_train": slider("IntSlider", "training images", value=n_train, min=100, max=3000, step=100),
        "epochs": epochs_slider(epochs, _epochs_allowed(DROPOUT_IMAGE_EPOCHS, n_train)),
    }
    return Explorer(sliders, train, ["loss", "accuracy"], adjust=_budget_adjust(DROPOUT_IMAGE_EPOCHS))


def _validation_above_note(history: History) -> str:
    above = sum(val > train for val, train in zip(history["val_accuracy"], history["accuracy"], strict=True))
    return f"validation accuracy above training accuracy in {above} of {len(history['accuracy'])} epochs"


#: Lesson 05's augmentation block (strength 1): rotations up to 20 degrees (as a fraction of a
#: full turn), shifts and zooms up to 10%.
LESSON05_BLOCK = (20 / 360, 0.1, 0.1)
#: ``fit`` on a ``tf.data`` dataset starts two passes over it per epoch and trains on the first
#: (Keras 3); lesson 05 makes one pass (a look at one batch) before its first ``fit``.
_PASSES_PER_EPOCH, _PASSES_BEFORE_FIT = 2, 1


@dataset_cache
def lesson05_images(n_train: int, n_val: int, seed: int) -> tuple[np.ndarray, ...]:
    """Lesson 05's images as ``image_dataset_from_directory`` yields them from its folders.

    ``write_mnist_folders(n_train=..., n_val=..., seed=seed)`` writes a stratified split as
    ``<label>/<index>.png``; the training folder is listed class by class and file by file,
    then shuffled with ``np.random.RandomState(seed)``; validation stays in folder order.
    Pixels are 0 to 255 (float32, shape (n, 28, 28, 1)), labels one-hot. Returns
    ``x, y, x_val, y_val`` in the order the datasets hold them.
    """
    from sklearn.model_selection import train_test_split

    from lessons_lib.data import load_mnist_5k

    images, labels = load_mnist_5k()
    x, x_val, y, y_val = train_test_split(
        images, labels, train_size=n_train, test_size=n_val, stratify=labels, random_state=seed
    )
    listed = np.argsort(y, kind="stable")  # folders 0-9, files by index
    shuffled = np.arange(n_train)
    np.random.RandomState(seed).shuffle(shuffled)
    rows = listed[shuffled]
    val_rows = np.argsort(y_val, kind="stable")
    as_input = lambda array: array[..., None].astype(np.float32)  # noqa: E731
    return as_input(x[rows]), one_hot(y[rows]), as_input(x_val[val_rows]), one_hot(y_val[val_rows])


@dataset_cache
def lesson05_orders(n_train: int, epochs: int, seed: int) -> np.ndarray:
    """The row order of every epoch of lesson 05's ``fit`` on its training dataset (``epochs x n_train``).

    ``image_dataset_from_directory(..., shuffle=True, seed=seed, batch_size=32)`` reshuffles
    at every pass, in a buffer of 256 images, from ``seed`` and the count of passes made so
    far; this makes the same dataset of row numbers and takes the passes that ``fit`` trains on.
    """
    import tensorflow as tf

    tf.random.set_seed(seed)  # the global seed, as lessons_lib.setup(seed) left it
    dataset = tf.data.Dataset.range(n_train).shuffle(32 * 8, seed=seed)
    orders = []
    for number in range(_PASSES_BEFORE_FIT + _PASSES_PER_EPOCH * epochs):
        if number >= _PASSES_BEFORE_FIT and (number - _PASSES_BEFORE_FIT) % _PASSES_PER_EPOCH == 0:
            orders.append(np.fromiter(dataset.as_numpy_iterator(), dtype=np.int32, count=n_train))
        else:
            iter(dataset)  # a pass started and dropped still moves the reshuffling on
    return np.array(orders)


def lesson05_cnn(strength: float, seed: int, learning_rate: float = 0.001) -> Any:
    """Lesson 05's ``build_cnn``: ``Rescaling(1/255)``, the augmentation block at ``strength``, two conv blocks.

    ``strength`` scales the lesson's block (``LESSON05_BLOCK``); 0 leaves it out. The
    augmentation layers draw their transformations from seeds derived from ``seed``.
    """
    import keras
    from keras import layers

    rotation, shift, zoom = (strength * value for value in LESSON05_BLOCK)
    block = []
    if strength > 0:
        block = [
            keras.Sequential(
                [
                    layers.RandomRotation(rotation, fill_mode="constant", seed=seed + 1),
                    layers.RandomTranslation(shift, shift, fill_mode="constant", seed=seed + 2),
                    layers.RandomZoom(zoom, fill_mode="constant", seed=seed + 3),
                ],
                name="augmentation",
            )
        ]
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Rescaling(1 / 255),
            *block,
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def augmentation_explorer(
    *,
    strength: float = 0.0,
    n_train: int = 300,
    n_val: int = 500,
    epochs: int = 45,
    learning_rate: float = 0.001,
    batch_size: int = 32,
    seed: int = 0,
) -> Explorer:
    """Lesson 05: its small CNN on a few hundred digits, with its augmentation block at a chosen strength.

    The lesson's model (``Rescaling``, two conv blocks, ``Dense(64)``), data (its folders of
    ``n_train`` and ``n_val`` images, from ``seed``) and batches (the order ``fit`` takes
    them from ``image_dataset_from_directory``, reshuffled every epoch). At its defaults, with
    ``seed=SEED``, it trains lesson 05's run without augmentation epoch for epoch. Strength
    1 is the lesson's block (rotations up to 20 degrees, shifts and zooms up to 10%), 2
    twice it: the same model, data and batches, but the random transformations are the
    explorer's own draws, not the lesson's, so its curves are like the lesson's augmented
    run, not equal to it. Sliders: learning rate, strength (0 to 2), training images (50 to
    1,000), epochs: training images x epochs at most 13,500, the lesson's run (2 to 3 s on
    two cores). Each strength is its own model, built (one graph) when first chosen and
    started from the same weights as the others.
    """
    strength = on_grid("strength", strength, 0.0, 2.0, 0.25)
    n_train = check_int("n_train", n_train, low=50, high=1000)
    n_val = check_int("n_val", n_val, low=10, high=4000)
    epochs = _check_epochs(epochs, n_train, AUGMENTATION_IMAGE_EPOCHS)
    learning_rate = check_number("learning_rate", learning_rate, low=1e-5, high=1.0)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)

    start_from(seed)
    start = lesson05_cnn(0.0, seed, learning_rate).get_weights()
    trainers: dict[float, FastFit] = {}

    def trainer_for(strength: float) -> FastFit:
        if strength not in trainers:
            model = lesson05_cnn(strength, seed, learning_rate)
            model.set_weights(start)  # every strength starts from the same weights
            trainers[strength] = FastFit(model, batch_size=batch_size, validation_batch_size=n_val)
        return trainers[strength]

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        n = int(settings["n_train"])
        x, y, x_val, y_val = lesson05_images(n, n_val, seed)
        orders = lesson05_orders(n, _epochs_allowed(AUGMENTATION_IMAGE_EPOCHS, n), seed)
        fast = trainer_for(settings["strength"])
        hints = {"n_classes": 10}
        return train_fast(
            fast,
            (x, y, x_val, y_val),
            settings,
            progress,
            seed=seed,
            note=_best_accuracy_note,
            hints=hints,
            orders=orders,
        )

    sliders = {
        "learning_rate": learning_rate_slider(learning_rate, 1e-5, 1.0),
        "strength": slider("FloatSlider", "augmentation strength", value=strength, min=0.0, max=2.0, step=0.25),
        "n_train": slider("IntSlider", "training images", value=n_train, min=50, max=1000, step=50),
        "epochs": epochs_slider(epochs, _epochs_allowed(AUGMENTATION_IMAGE_EPOCHS, n_train)),
    }
    return Explorer(sliders, train, ["loss", "accuracy"], adjust=_budget_adjust(AUGMENTATION_IMAGE_EPOCHS))


def _best_accuracy_note(history: History) -> str:
    values = history["val_accuracy"]
    best = best_epoch(values, "val_accuracy")
    return f"best validation accuracy {values[best - 1]:.3f} (epoch {best})"

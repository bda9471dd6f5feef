"""Rebuild ``data/quiz_histories.json``, the curves of lesson 12's quiz, from the course's own runs.

    .venv/bin/python tools/make_quiz.py                     # train every run, write the file
    .venv/bin/python tools/make_quiz.py --out /tmp/q.json   # write elsewhere (to compare)
    .venv/bin/python tools/make_quiz.py --only unstable_adam_lr_0.05 --dry-run   # try some runs

Every quiz item is a real, short, seeded Keras run of the kinds the lessons train (seed 000's
house prices, the shipped MNIST subset, scikit-learn's bundled toy sets), made by a cause
that was put in on purpose: a learning rate 100 times too high, labels shuffled apart from
their images, a 2-unit bottleneck, 200 images for a big network, and so on. Each run names
the doctor code its cause should produce (``expect``). The tool trains the run, reads it with
``lessons_lib.diagnose`` and the run's hints, and keeps the item only if the doctor finds that
code; otherwise it prints a note and sets the run aside (it never relabels a run to fit).

The file holds, per item: its id, the history (rounded to 5 significant digits; NaN and inf
as the strings ``"nan"``/``"inf"``), the story (told after the learner answers), the cause
(a ``lessons_lib.checklist`` id, or ``"none"`` for a healthy run), the fixes to try first
(checklist ids), the lesson that shows it (a notebook link), the doctor's hints, the code the
cause should produce, and the settings that made it. The quiz grades against the doctor's
reading of the stored history, computed live, not against stored answers.

Nothing downloads; every seed is fixed (``--seed``, default 42). Run it on one CPU slot:
a few minutes on a 2-core machine. Afterwards, update the SHA-256 of the file in
``data/SHA256SUMS``, ``data/README.md`` and ``lessons_lib/data.py`` (the tool prints it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "quiz_histories.json"
SIGNIFICANT_DIGITS = 5
FORMAT_VERSION = 1


@dataclass(frozen=True)
class QuizRun:
    """One run of the quiz: what was put in, what it should show, and how to train it."""

    id: str
    expect: str  # the doctor's code the cause should produce
    cause: str  # a checklist id, or "none"
    fixes: tuple[str, ...]  # checklist ids of what to try first, most useful first
    lesson: str  # the lesson notebook (stem) that shows this
    story: str  # what was done, told after answering
    settings: str  # the run's recipe in a line (data, model, optimizer, epochs)
    train: Callable[[int], tuple[dict, dict]]  # seed -> (history, hints)


RUNS: list[QuizRun] = []


def quiz_run(id: str, expect: str, cause: str, fixes: tuple[str, ...], lesson: str, story: str, settings: str):
    """Register the decorated ``train(seed) -> (history, hints)`` function as a quiz run."""

    def register(train: Callable[[int], tuple[dict, dict]]) -> Callable[[int], tuple[dict, dict]]:
        RUNS.append(QuizRun(id, expect, cause, fixes, lesson, story, settings, train))
        return train

    return register


# ---------------------------------------------------------------------------------------
# data and models, as a lesson writes them


def mnist(n_train=4000, n_val=1000, *, seed, digits=None, pool=None):
    """Flattened MNIST from the shipped subset; ``pool`` averages each 28x28 image down to pool x pool pixels."""
    from lessons_lib.data import load_mnist

    x_train, y_train, x_val, y_val = load_mnist(n_train, n_val, digits=digits, flatten=True, seed=seed)
    if pool:
        side = 28 // pool

        def shrink(x):
            images = x.reshape(len(x), 28, 28)[:, : side * pool, : side * pool]
            return images.reshape(len(x), pool, side, pool, side).mean(axis=(2, 4)).reshape(len(x), -1)

        x_train, x_val = shrink(x_train), shrink(x_val)
    return x_train, y_train, x_val, y_val


def houses(n_samples=100, n_val=20, *, seed, noise=0.1, scale=(1.0, 1.0), drop_size=False):
    """Seed 000's house prices; the first ``n_val`` rows are the validation set."""
    import numpy as np

    from lessons_lib.synthetic import house_prices

    x, y = house_prices(n_samples, noise=noise, seed=seed)
    x = x * np.asarray(scale, dtype=np.float32)
    if drop_size:
        x = x[:, :1]
    return x[n_val:], y[n_val:], x[:n_val], y[:n_val]


def dense(n_inputs, units=(128,), n_out=10, *, activation="relu", initializer="glorot_uniform", dropout=0.0):
    """Dense layers, then softmax (``n_out`` classes), sigmoid (``n_out=1``) or linear (``n_out=0``)."""
    import keras

    layers = [keras.Input(shape=(n_inputs,))]
    for width in units:
        layers.append(keras.layers.Dense(width, activation=activation, kernel_initializer=initializer))
        if dropout:
            layers.append(keras.layers.Dropout(dropout))
    if n_out == 0:
        layers.append(keras.layers.Dense(1))
    elif n_out == 1:
        layers.append(keras.layers.Dense(1, activation="sigmoid", kernel_initializer=initializer))
    else:
        layers.append(keras.layers.Dense(n_out, activation="softmax", kernel_initializer=initializer))
    return keras.Sequential(layers)


def fit(model, data, *, loss, optimizer, epochs, batch_size=32, metrics=("accuracy",), class_weight=None):
    """Compile and fit with validation data; returns ``history.history``."""
    x_train, y_train, x_val, y_val = data
    model.compile(optimizer=optimizer, loss=loss, metrics=list(metrics))
    history = model.fit(
        x_train,
        y_train,
        validation_data=(x_val, y_val),
        epochs=epochs,
        batch_size=batch_size,
        class_weight=class_weight,
        verbose=0,
    )
    return history.history


def adam(learning_rate=0.001):
    import keras

    return keras.optimizers.Adam(learning_rate=learning_rate)


def sgd(learning_rate=0.01, **options):
    import keras

    return keras.optimizers.SGD(learning_rate=learning_rate, **options)


SPARSE = "sparse_categorical_crossentropy"
TEN = {"n_classes": 10}


def variance_hint(y_train) -> dict:
    """The MSE of always predicting the mean: the chance level of a regression."""
    return {"baseline_loss": float(f"{float(y_train.var()):.{SIGNIFICANT_DIGITS}g}")}


def sklearn_digits(n_train, *, seed):
    """scikit-learn's bundled 8x8 digits (1,797 images), scaled to [0, 1]; the rest is validation."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype("float32")
    x_train, x_val, y_train, y_val = train_test_split(x, y, train_size=n_train, stratify=y, random_state=seed)
    return x_train, y_train, x_val, y_val


# ---------------------------------------------------------------------------------------
# the runs: diverging


LESSON01 = "01_house_price_regression"
LESSON03 = "03_dropout_val_above_train"
LESSON04 = "04_class_imbalance"
LESSON06 = "06_overfitting_regularization_early_stopping"
LESSON07 = "07_learning_rate_and_batch_size"
LESSON08 = "08_troubleshooting_checklist"
LESSON08B = "08_troubleshooting_checklist_part2"


@quiz_run(
    "diverging_house_prices_sgd_lr_1.5",
    "diverging",
    "reason.lr_too_high",
    ("improve.learning_rate_tuning", "culprit.learning_rate"),
    LESSON07,
    "Seed 000's house-price regression with SGD at a learning rate of 1.5 instead of 0.01 (150 times too "
    "high): every step overshoots further, until the loss is inf or NaN.",
    "house prices (80 rows), linear model, SGD lr 1.5, 30 epochs",
)
def _(seed):
    data = houses(seed=seed)
    return fit(dense(2, (), 0), data, loss="mse", optimizer=sgd(1.5), epochs=30, metrics=()), {}


@quiz_run(
    "diverging_house_prices_sgd_lr_1",
    "diverging",
    "reason.lr_too_high",
    ("improve.learning_rate_tuning", "culprit.learning_rate"),
    LESSON07,
    "The same regression with SGD at a learning rate of 1.0, 100 times seed 000's 0.01: the loss grows "
    "many times over every epoch, still finite after 12 epochs.",
    "house prices (80 rows), linear model, SGD lr 1.0, 12 epochs",
)
def _(seed):
    data = houses(seed=seed)
    return fit(dense(2, (), 0), data, loss="mse", optimizer=sgd(1.0), epochs=12, metrics=()), {}


@quiz_run(
    "diverging_unscaled_square_footage",
    "diverging",
    "reason.data_preprocessing",
    ("improve.normalization", "improve.eda"),
    LESSON08B,
    "Square footage left in square feet (values up to 1,000) next to bedrooms scaled to [0, 1], with "
    "seed 000's SGD at 0.01: the gradient of the large feature is huge and every step explodes.",
    "house prices with size x 1,000, linear model, SGD lr 0.01, 20 epochs",
)
def _(seed):
    data = houses(seed=seed, scale=(1.0, 1000.0))
    return fit(dense(2, (), 0), data, loss="mse", optimizer=sgd(0.01), epochs=20, metrics=()), {}


@quiz_run(
    "diverging_raw_pixels_sgd",
    "diverging",
    "reason.data_preprocessing",
    ("improve.normalization", "improve.eda"),
    LESSON08B,
    "MNIST pixels left at 0-255 instead of divided by 255, with SGD at 0.01 on a Dense(64) network: "
    "inputs 255 times too large make 255-times-too-large steps, and the loss blows up.",
    "MNIST 4,000 images, pixels 0-255, Dense(64) relu, SGD lr 0.01, 10 epochs",
)
def _(seed):
    x_train, y_train, x_val, y_val = mnist(seed=seed)
    data = (x_train * 255.0, y_train, x_val * 255.0, y_val)
    return fit(dense(784, (64,)), data, loss=SPARSE, optimizer=sgd(0.01), epochs=10), dict(TEN)


@quiz_run(
    "diverging_large_init_deep_relu",
    "diverging",
    "reason.vanishing_exploding_gradients",
    ("improve.initialization", "improve.learning_rate_tuning"),
    LESSON08,
    "Six ReLU layers whose weights start from a normal distribution with standard deviation 0.5 "
    "(He would be about 0.05 for 784 inputs): the signals and gradients grow layer after layer and "
    "SGD at 0.01 explodes.",
    "MNIST 4,000 images, 6 x Dense(64) relu, init N(0, 0.5), SGD lr 0.01, 8 epochs",
)
def _(seed):
    import keras

    large = keras.initializers.RandomNormal(stddev=0.5, seed=seed)
    model = dense(784, (64,) * 6, initializer=large)
    return fit(model, mnist(seed=seed), loss=SPARSE, optimizer=sgd(0.01), epochs=8), dict(TEN)


# --- unstable


@quiz_run(
    "unstable_adam_lr_0.05",
    "unstable",
    "reason.lr_too_high",
    ("improve.learning_rate_tuning", "culprit.learning_rate"),
    LESSON07,
    "Adam at a learning rate of 0.05, 50 times its default 0.001, on a Dense(128) MNIST classifier: each "
    "step overshoots, and the training loss jumps up and down from epoch to epoch.",
    "MNIST 4,000 images, Dense(128) relu, Adam lr 0.05, 15 epochs",
)
def _(seed):
    return fit(dense(784, (128,)), mnist(seed=seed), loss=SPARSE, optimizer=adam(0.05), epochs=15), dict(TEN)


@quiz_run(
    "unstable_adam_lr_0.1",
    "unstable",
    "reason.lr_too_high",
    ("improve.learning_rate_tuning", "culprit.learning_rate"),
    LESSON07,
    "Adam at a learning rate of 0.1, 100 times its default: the loss falls once, then wanders up and "
    "down far above where a good learning rate takes it.",
    "MNIST 4,000 images, Dense(128) relu, Adam lr 0.1, 15 epochs",
)
def _(seed):
    return fit(dense(784, (128,)), mnist(seed=seed), loss=SPARSE, optimizer=adam(0.1), epochs=15), dict(TEN)


@quiz_run(
    "unstable_sgd_lr_1_batch_8",
    "unstable",
    "reason.lr_too_high",
    ("improve.learning_rate_tuning", "culprit.batch_size", "improve.batch_size"),
    LESSON07,
    "SGD at a learning rate of 1.0 with batches of 8: 500 huge, noisy steps per epoch, and the loss never settles.",
    "MNIST 4,000 images, Dense(128) relu, SGD lr 1.0, batch 8, 12 epochs",
)
def _(seed):
    model = dense(784, (128,))
    return fit(model, mnist(seed=seed), loss=SPARSE, optimizer=sgd(1.0), epochs=12, batch_size=8), dict(TEN)


@quiz_run(
    "unstable_unscaled_breast_cancer",
    "unstable",
    "reason.data_preprocessing",
    ("improve.normalization", "improve.eda"),
    LESSON08B,
    "scikit-learn's breast-cancer set with its 30 features left unscaled (some near 0.01, others in the "
    "thousands) and Adam at 0.01: steps sized for the small features throw the large ones about.",
    "breast cancer (455 rows), unscaled, Dense(32) relu, Adam lr 0.01, 30 epochs",
)
def _(seed):
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split

    x, y = load_breast_cancer(return_X_y=True)
    x_train, x_val, y_train, y_val = train_test_split(
        x.astype("float32"), y, test_size=0.2, stratify=y, random_state=seed
    )
    model = dense(30, (32,), 1)
    history = fit(model, (x_train, y_train, x_val, y_val), loss="binary_crossentropy", optimizer=adam(0.01), epochs=30)
    return history, {"n_classes": 2, "baseline_accuracy": round(float(max(y_train.mean(), 1 - y_train.mean())), 4)}


# --- not learning


@quiz_run(
    "not_learning_learning_rate_1e-7",
    "not_learning",
    "culprit.learning_rate",
    ("improve.learning_rate_tuning", "culprit.learning_rate"),
    LESSON07,
    "Adam at a learning rate of 1e-7, 10,000 times below its default: in 10 epochs the weights barely "
    "move, and neither does the loss.",
    "MNIST 4,000 images, Dense(128) relu, Adam lr 1e-7, 10 epochs",
)
def _(seed):
    return fit(dense(784, (128,)), mnist(seed=seed), loss=SPARSE, optimizer=adam(1e-7), epochs=10), dict(TEN)


@quiz_run(
    "not_learning_deep_sigmoid",
    "not_learning",
    "reason.vanishing_exploding_gradients",
    ("improve.initialization", "improve.model_complexity"),
    LESSON08,
    "Eight sigmoid layers of 32 units, small random weights (standard deviation 0.05), plain SGD at "
    "0.01: the gradients shrink at every layer and vanish before they reach the first ones.",
    "MNIST 4,000 images, 8 x Dense(32) sigmoid, init N(0, 0.05), SGD lr 0.01, 10 epochs",
)
def _(seed):
    import keras

    small = keras.initializers.RandomNormal(stddev=0.05, seed=seed)
    model = dense(784, (32,) * 8, activation="sigmoid", initializer=small)
    return fit(model, mnist(seed=seed), loss=SPARSE, optimizer=sgd(0.01), epochs=10), dict(TEN)


@quiz_run(
    "not_learning_tiny_init_tanh",
    "not_learning",
    "reason.initialization",
    ("improve.initialization",),
    LESSON08,
    "Six tanh layers whose weights start from a normal distribution with standard deviation 0.001: the "
    "signal is a million times weaker after two layers, and so are the gradients; SGD cannot get going.",
    "MNIST 4,000 images, 6 x Dense(64) tanh, init N(0, 0.001), SGD lr 0.05, 10 epochs",
)
def _(seed):
    import keras

    tiny = keras.initializers.RandomNormal(stddev=0.001, seed=seed)
    model = dense(784, (64,) * 6, activation="tanh", initializer=tiny)
    return fit(model, mnist(seed=seed), loss=SPARSE, optimizer=sgd(0.05), epochs=10), dict(TEN)


@quiz_run(
    "not_learning_zero_init_deep_relu",
    "not_learning",
    "reason.initialization",
    ("improve.initialization",),
    LESSON08,
    "Three ReLU layers with every weight initialised to zero: every hidden unit outputs 0 and gets a "
    "zero gradient, so only the last layer's biases learn, and they can only learn the class frequencies.",
    "MNIST 4,000 images, 3 x Dense(64) relu, all-zero init, Adam lr 0.002, 10 epochs",
)
def _(seed):
    model = dense(784, (64,) * 3, initializer="zeros")
    return fit(model, mnist(seed=seed), loss=SPARSE, optimizer=adam(0.002), epochs=10), dict(TEN)


@quiz_run(
    "not_learning_labels_shuffled_apart",
    "not_learning",
    "reason.bugs_in_code",
    ("improve.data_quality", "improve.eda"),
    LESSON08B,
    "A bug: the training labels were shuffled separately from the images, so no image carries its label. "
    "A logistic regression on 7x7 thumbnails has nothing to learn.",
    "MNIST 4,000 images pooled to 7x7, labels permuted apart, logistic regression, Adam lr 0.01, 10 epochs",
)
def _(seed):
    import numpy as np

    x_train, y_train, x_val, y_val = mnist(seed=seed, pool=7)
    y_train = np.random.default_rng(seed).permutation(y_train)
    model = dense(49, ())
    return fit(model, (x_train, y_train, x_val, y_val), loss=SPARSE, optimizer=adam(0.01), epochs=10), dict(TEN)


@quiz_run(
    "not_learning_big_model_memorises_shuffled_labels",
    "not_learning",
    "reason.bugs_in_code",
    ("improve.data_quality", "improve.eda"),
    LESSON08B,
    "The same bug with a large network (2 x Dense(512)) on 1,000 images: it memorises the random labels, "
    "so its training loss falls, but nothing it learns carries over to the validation images.",
    "MNIST 1,000 images, labels permuted apart, 2 x Dense(512) relu, Adam, 30 epochs",
)
def _(seed):
    import numpy as np

    x_train, y_train, x_val, y_val = mnist(1000, 1000, seed=seed)
    y_train = np.random.default_rng(seed).permutation(y_train)
    model = dense(784, (512, 512))
    return fit(model, (x_train, y_train, x_val, y_val), loss=SPARSE, optimizer=adam(), epochs=30), dict(TEN)


@quiz_run(
    "not_learning_validation_not_normalised",
    "not_learning",
    "reason.bugs_in_code",
    ("improve.normalization", "improve.data_quality"),
    LESSON08B,
    "A bug: the training images were divided by 255, the validation images were not. The model learns "
    "the training digits and still ranks most validation digits right, but on inputs 255 times brighter "
    "its probabilities are wildly overconfident: the validation loss, near 40 against ln 10 = 2.3 for "
    "guessing, never comes down.",
    "MNIST 4,000 images (validation left at 0-255), Dense(128) relu, Adam, 10 epochs",
)
def _(seed):
    x_train, y_train, x_val, y_val = mnist(seed=seed)
    data = (x_train, y_train, x_val * 255.0, y_val)
    return fit(dense(784, (128,)), data, loss=SPARSE, optimizer=adam(), epochs=10), dict(TEN)


@quiz_run(
    "not_learning_mse_on_softmax_sgd",
    "not_learning",
    "reason.incorrect_loss",
    ("improve.loss_selection",),
    LESSON08B,
    "Mean squared error on a softmax output with one-hot labels, trained with SGD at 0.01: the gradient "
    "of a squared error through a softmax is small, and in 10 epochs the loss falls by less than 5% "
    "while the accuracy crawls from about 12% to about 24%.",
    "MNIST 4,000 images, one-hot labels, Dense(64) relu + softmax, MSE, SGD lr 0.01, 10 epochs",
)
def _(seed):
    import keras

    x_train, y_train, x_val, y_val = mnist(seed=seed)
    data = (x_train, keras.utils.to_categorical(y_train, 10), x_val, keras.utils.to_categorical(y_val, 10))
    history = fit(dense(784, (64,)), data, loss="mse", optimizer=sgd(0.01), epochs=10)
    # MSE of predicting 1/10 for every class: (0.9^2 + 9 * 0.1^2) / 10 = 0.09
    return history, {"n_classes": 10, "baseline_loss": 0.09}


@quiz_run(
    "not_learning_class_imbalance_1_to_50",
    "not_learning",
    "reason.class_imbalance",
    ("culprit.class_imbalance", "improve.eda"),
    LESSON04,
    "Digit 5 against digit 3, with one 5 for every 50 3s, on 4x4 thumbnails: a logistic regression learns "
    "to answer '3' every time. Its accuracy, 98%, is exactly the majority rate, and every 5 is missed.",
    "MNIST 3s and 5s pooled to 4x4, 1 five per 50 threes, logistic regression, Adam, 15 epochs",
)
def _(seed):
    import numpy as np

    x_train, y_train, x_val, y_val = mnist(900, 100, seed=seed, digits=(3, 5), pool=4)
    rng = np.random.default_rng(seed)

    def thin(x, y, keep_fives):
        fives = np.flatnonzero(y == 5)[:keep_fives]
        rows = np.sort(np.concatenate([np.flatnonzero(y == 3), fives]))
        rows = rng.permutation(rows)
        return x[rows], (y[rows] == 5).astype("int64")

    x_train, y_train = thin(x_train, y_train, 9)  # 450 threes, 9 fives
    x_val, y_val = thin(x_val, y_val, 1)  # 50 threes, 1 five
    model = dense(16, (), 1)
    history = fit(model, (x_train, y_train, x_val, y_val), loss="binary_crossentropy", optimizer=adam(), epochs=15)
    majority = round(float(1 - y_train.mean()), 4)
    return history, {"n_classes": 2, "baseline_accuracy": majority}


# --- underfitting


@quiz_run(
    "underfitting_bottleneck_2_units",
    "underfitting",
    "reason.complex_model",
    ("improve.model_complexity",),
    LESSON06,
    "Every image squeezed through a hidden layer of 2 units: the model is far too small for ten digits, "
    "and its training loss levels off high.",
    "MNIST 4,000 images, Dense(2) relu, Adam lr 0.01, 25 epochs",
)
def _(seed):
    return fit(dense(784, (2,)), mnist(seed=seed), loss=SPARSE, optimizer=adam(0.01), epochs=25), dict(TEN)


@quiz_run(
    "underfitting_logistic_regression_2x2_pixels",
    "underfitting",
    "reason.complex_model",
    ("improve.model_complexity", "improve.feature_engineering"),
    LESSON06,
    "A logistic regression on 2x2-pixel thumbnails of the digits: four numbers per image and a linear "
    "model are too little to tell ten digits apart.",
    "MNIST 4,000 images pooled to 2x2, logistic regression, Adam lr 0.05, 30 epochs",
)
def _(seed):
    data = mnist(seed=seed, pool=2)
    return fit(dense(4, ()), data, loss=SPARSE, optimizer=adam(0.05), epochs=30), dict(TEN)


@quiz_run(
    "underfitting_linear_model_on_circles",
    "underfitting",
    "reason.complex_model",
    ("improve.model_complexity", "improve.feature_engineering"),
    LESSON06,
    "scikit-learn's two circles, one inside the other, fitted with a logistic regression: no straight "
    "line separates them, so the model stays near 50% however long it trains.",
    "make_circles (800 + 200 points), logistic regression, Adam lr 0.05, 30 epochs",
)
def _(seed):
    from sklearn.datasets import make_circles

    x, y = make_circles(1000, noise=0.1, factor=0.5, random_state=seed)
    x = x.astype("float32")
    data = (x[:800], y[:800], x[800:], y[800:])
    history = fit(dense(2, (), 1), data, loss="binary_crossentropy", optimizer=adam(0.05), epochs=30)
    return history, {"n_classes": 2, "baseline_accuracy": 0.5}


@quiz_run(
    "underfitting_learning_rate_decays_10x_per_epoch",
    "underfitting",
    "reason.lr_decay_too_fast",
    ("improve.learning_rate_tuning", "culprit.learning_rate"),
    LESSON07,
    "SGD starting at 0.01 with an exponential decay that divides the learning rate by 10 every epoch: "
    "after three epochs the steps are 1,000 times smaller and the loss freezes far above where a constant "
    "rate takes it.",
    "MNIST 4,000 images, Dense(128) relu, SGD lr 0.01 x 0.1 per epoch, 15 epochs",
)
def _(seed):
    import keras

    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, decay_steps=125, decay_rate=0.1)  # 125 = 1 epoch
    model = dense(784, (128,))
    return fit(model, mnist(seed=seed), loss=SPARSE, optimizer=sgd(schedule), epochs=15), dict(TEN)


@quiz_run(
    "underfitting_sgd_decay_5x_per_epoch",
    "underfitting",
    "reason.lr_decay_too_fast",
    ("improve.learning_rate_tuning", "culprit.learning_rate"),
    LESSON07,
    "SGD starting at 0.005 on a Dense(32) network, with the learning rate divided by 5 after every epoch: "
    "the first epoch makes some progress, then the steps shrink to nothing while the loss is still high.",
    "MNIST 4,000 images, Dense(32) relu, SGD lr 0.005 x 0.2 per epoch, 12 epochs",
)
def _(seed):
    import keras

    schedule = keras.optimizers.schedules.ExponentialDecay(0.005, decay_steps=125, decay_rate=0.2)
    model = dense(784, (32,))
    return fit(model, mnist(seed=seed), loss=SPARSE, optimizer=sgd(schedule), epochs=12), dict(TEN)


@quiz_run(
    "underfitting_house_prices_decay_too_fast",
    "underfitting",
    "reason.lr_decay_too_fast",
    ("improve.learning_rate_tuning", "culprit.learning_rate"),
    LESSON07,
    "Seed 000's regression with SGD at 0.01 whose learning rate halves every 10 steps: after a few epochs "
    "the steps are tiny and the loss stops far above the noise level the model can reach.",
    "house prices (800 rows), linear model, SGD lr 0.01 halved every 10 steps, 30 epochs",
)
def _(seed):
    import keras

    x_train, y_train, x_val, y_val = houses(1000, 200, seed=seed)
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, decay_steps=10, decay_rate=0.5)
    data = (x_train, y_train, x_val, y_val)
    history = fit(dense(2, (), 0), data, loss="mse", optimizer=sgd(schedule), epochs=30, metrics=())
    return history, variance_hint(y_train)


@quiz_run(
    "underfitting_zero_init_sigmoid",
    "underfitting",
    "reason.initialization",
    ("improve.initialization",),
    LESSON08,
    "A Dense(64) sigmoid layer with every weight initialised to zero (lesson 08's run): all 64 hidden "
    "units get the same gradient and stay identical, so the network is as weak as one unit.",
    "MNIST 4,000 images, Dense(64) sigmoid + softmax, all-zero init, Adam lr 0.002, 15 epochs",
)
def _(seed):
    model = dense(784, (64,), activation="sigmoid", initializer="zeros")
    return fit(model, mnist(seed=seed), loss=SPARSE, optimizer=adam(0.002), epochs=15), dict(TEN)


# --- overfitting


@quiz_run(
    "overfitting_dense_200_images",
    "overfitting",
    "reason.insufficient_data",
    ("improve.augmentation", "improve.early_stopping", "improve.regularization", "culprit.data_quality_and_size"),
    LESSON06,
    "A large dense network (2 x Dense(512)) trained on only 200 MNIST images for 60 epochs: it memorises "
    "them, and its validation loss turns up after a few epochs.",
    "MNIST 200 images (validation 1,000), 2 x Dense(512) relu, Adam, 60 epochs",
)
def _(seed):
    data = mnist(200, 1000, seed=seed)
    return fit(dense(784, (512, 512)), data, loss=SPARSE, optimizer=adam(), epochs=60), dict(TEN)


@quiz_run(
    "overfitting_moons_60_points",
    "overfitting",
    "reason.insufficient_data",
    ("improve.regularization", "improve.early_stopping", "culprit.data_quality_and_size"),
    LESSON06,
    "scikit-learn's two moons with 30% noise, only 60 training points and a 2 x Dense(256) network for "
    "150 epochs: the boundary bends around every noisy point.",
    "make_moons (60 training, 500 validation points), 2 x Dense(256) relu, Adam lr 0.01, 150 epochs",
)
def _(seed):
    from sklearn.datasets import make_moons

    x, y = make_moons(560, noise=0.3, random_state=seed)
    x = x.astype("float32")
    data = (x[:60], y[:60], x[60:], y[60:])
    history = fit(
        dense(2, (256, 256), 1), data, loss="binary_crossentropy", optimizer=adam(0.01), epochs=150, batch_size=16
    )
    return history, {"n_classes": 2, "baseline_accuracy": 0.5}


@quiz_run(
    "overfitting_house_prices_20_houses",
    "overfitting",
    "reason.complex_model",
    ("improve.model_complexity", "improve.regularization", "improve.early_stopping"),
    LESSON06,
    "A 2 x Dense(256) network on 20 noisy houses: about 67,000 weights for a relationship a line with 3 "
    "parameters describes. It fits the noise; the validation loss rises.",
    "house prices (20 training rows, noise 1.0), 2 x Dense(256) relu, Adam lr 0.003, batch 8, 120 epochs",
)
def _(seed):
    data = houses(120, 100, seed=seed, noise=1.0)
    history = fit(
        dense(2, (256, 256), 0), data, loss="mse", optimizer=adam(0.003), epochs=120, batch_size=8, metrics=()
    )
    return history, {}


@quiz_run(
    "overfitting_dense_1000_images_40_epochs",
    "overfitting",
    "reason.overfitting",
    ("improve.early_stopping", "improve.regularization", "improve.augmentation"),
    LESSON06,
    "A 2 x Dense(256) network on 1,000 images for 40 epochs, without early stopping or regularization: "
    "the best validation loss comes early, then the model keeps fitting its training images.",
    "MNIST 1,000 images, 2 x Dense(256) relu, Adam, 40 epochs",
)
def _(seed):
    data = mnist(1000, 1000, seed=seed)
    return fit(dense(784, (256, 256)), data, loss=SPARSE, optimizer=adam(), epochs=40), dict(TEN)


@quiz_run(
    "overfitting_sklearn_digits_300_images",
    "overfitting",
    "reason.overfitting",
    ("improve.early_stopping", "improve.regularization"),
    LESSON06,
    "scikit-learn's 8x8 digits: 300 training images, a 2 x Dense(256) network, 80 epochs: training "
    "accuracy reaches 100% and the validation loss climbs back after its minimum.",
    "sklearn digits (300 training, 1,497 validation), 2 x Dense(256) relu, Adam, 80 epochs",
)
def _(seed):
    data = sklearn_digits(300, seed=seed)
    return fit(dense(64, (256, 256)), data, loss=SPARSE, optimizer=adam(), epochs=80), dict(TEN)


@quiz_run(
    "overfitting_dense_500_images_80_epochs",
    "overfitting",
    "reason.overfitting",
    ("improve.early_stopping", "improve.regularization", "improve.augmentation"),
    LESSON06,
    "A 2 x Dense(512) network on 500 images for 80 epochs, with no early stopping and no regularization: "
    "it keeps fitting its training images long after the validation loss was lowest.",
    "MNIST 500 images (validation 1,000), 2 x Dense(512) relu, Adam, 80 epochs",
)
def _(seed):
    data = mnist(500, 1000, seed=seed)
    return fit(dense(784, (512, 512)), data, loss=SPARSE, optimizer=adam(), epochs=80), dict(TEN)


@quiz_run(
    "overfitting_sklearn_digits_100_images",
    "overfitting",
    "reason.overfitting",
    ("improve.early_stopping", "improve.regularization"),
    LESSON06,
    "scikit-learn's 8x8 digits with only 100 training images, a 2 x Dense(512) network and 150 epochs: "
    "training accuracy reaches 100% early, and the validation loss climbs back after its minimum.",
    "sklearn digits (100 training, 1,697 validation), 2 x Dense(512) relu, Adam lr 0.003, batch 16, 150 epochs",
)
def _(seed):
    data = sklearn_digits(100, seed=seed)
    history = fit(dense(64, (512, 512)), data, loss=SPARSE, optimizer=adam(0.003), epochs=150, batch_size=16)
    return history, dict(TEN)


# --- still improving


@quiz_run(
    "still_improving_small_learning_rate",
    "still_improving",
    "reason.insufficient_training",
    ("improve.early_stopping", "improve.learning_rate_tuning"),
    LESSON08,
    "Adam at a learning rate of 1e-4 stopped after 6 epochs: both losses are still falling steadily when "
    "training stops.",
    "MNIST 4,000 images, Dense(32) relu, Adam lr 1e-4, 6 epochs",
)
def _(seed):
    return fit(dense(784, (32,)), mnist(seed=seed), loss=SPARSE, optimizer=adam(1e-4), epochs=6), dict(TEN)


@quiz_run(
    "still_improving_house_prices_20_epochs",
    "still_improving",
    "reason.insufficient_training",
    ("improve.early_stopping", "improve.learning_rate_tuning"),
    LESSON01,
    "Seed 000's regression with SGD at 0.01 stopped after 20 epochs instead of 100: the losses have not "
    "stopped falling.",
    "house prices (80 rows), linear model, SGD lr 0.01, 20 epochs",
)
def _(seed):
    data = houses(seed=seed)
    return fit(dense(2, (), 0), data, loss="mse", optimizer=sgd(0.01), epochs=20, metrics=()), {}


@quiz_run(
    "still_improving_sklearn_digits_sgd",
    "still_improving",
    "reason.insufficient_training",
    ("improve.early_stopping", "improve.learning_rate_tuning"),
    LESSON08,
    "scikit-learn's 8x8 digits with a Dense(64) network and SGD at 0.05, stopped after 8 epochs: every "
    "epoch still takes a good bite out of both losses.",
    "sklearn digits (1,200 training), Dense(64) relu, SGD lr 0.05, 8 epochs",
)
def _(seed):
    data = sklearn_digits(1200, seed=seed)
    return fit(dense(64, (64,)), data, loss=SPARSE, optimizer=sgd(0.05), epochs=8), dict(TEN)


@quiz_run(
    "still_improving_mse_on_softmax_adam",
    "still_improving",
    "reason.incorrect_loss",
    ("improve.loss_selection", "improve.early_stopping"),
    LESSON08B,
    "Mean squared error on a softmax output, now with Adam at 1e-4 for 6 epochs: it does learn, but a "
    "squared error gives weak gradients for confident mistakes, and both losses are still crawling down.",
    "MNIST 4,000 images, one-hot labels, Dense(64) relu + softmax, MSE, Adam lr 1e-4, 6 epochs",
)
def _(seed):
    import keras

    x_train, y_train, x_val, y_val = mnist(seed=seed)
    data = (x_train, keras.utils.to_categorical(y_train, 10), x_val, keras.utils.to_categorical(y_val, 10))
    history = fit(dense(784, (64,)), data, loss="mse", optimizer=adam(1e-4), epochs=6)
    return history, {"n_classes": 10, "baseline_loss": 0.09}


# --- validation better than training


@quiz_run(
    "val_better_than_train_seed001_cnn",
    "val_better_than_train",
    "val_above.regularization_in_training_only",
    ("val_above.regularization_in_training_only", "val_above.not_underfitting_by_itself"),
    LESSON03,
    "Seed 001's CNN with Dropout(0.25) and Dropout(0.5) on 3,000 images: dropout switches units off only "
    "in training, so the training numbers are those of a handicapped model. Nothing is wrong.",
    "MNIST 3,000 images, seed 001's CNN (2 conv, 2 dropout), Adam, batch 64, 5 epochs",
)
def _(seed):
    import keras
    from keras import layers

    x_train, y_train, x_val, y_val = mnist(3000, 500, seed=seed)
    x_train, x_val = x_train.reshape(-1, 28, 28, 1), x_val.reshape(-1, 28, 28, 1)
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Dropout(0.25),
            layers.Flatten(),
            layers.Dense(32, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ]
    )
    data = (x_train, y_train, x_val, y_val)
    return fit(model, data, loss=SPARSE, optimizer=adam(), epochs=5, batch_size=64), dict(TEN)


@quiz_run(
    "val_better_than_train_heavy_dropout",
    "val_better_than_train",
    "val_above.regularization_in_training_only",
    ("val_above.regularization_in_training_only", "val_above.not_underfitting_by_itself"),
    LESSON03,
    "A dense network with Dropout(0.7) after each layer: the training numbers are measured with 70% of "
    "the units switched off, the validation numbers with all of them on.",
    "MNIST 4,000 images, 2 x Dense(256) relu + Dropout(0.7), Adam, 10 epochs",
)
def _(seed):
    model = dense(784, (256, 256), dropout=0.7)
    return fit(model, mnist(seed=seed), loss=SPARSE, optimizer=adam(), epochs=10), dict(TEN)


@quiz_run(
    "val_better_than_train_epoch_averaging",
    "val_better_than_train",
    "val_above.epoch_averaging",
    ("val_above.epoch_averaging", "improve.early_stopping"),
    LESSON03,
    "A plain Dense(32) network with no dropout, SGD at 0.05, 6 epochs: it is still learning fast, and a "
    "training value is the average over an epoch in which the model improved, while the validation value "
    "is measured at the epoch's end.",
    "MNIST 4,000 images, Dense(32) relu, SGD lr 0.05, 6 epochs",
)
def _(seed):
    return fit(dense(784, (32,)), mnist(seed=seed), loss=SPARSE, optimizer=sgd(0.05), epochs=6), dict(TEN)


# --- noisy validation


@quiz_run(
    "noisy_validation_20_images",
    "noisy_validation",
    "culprit.data_quality_and_size",
    ("culprit.data_quality_and_size", "improve.monitoring"),
    LESSON07,
    "The model is judged on only 20 validation images: one image is 5 points of accuracy, so the "
    "validation curves jump while the training curves glide.",
    "MNIST 4,000 images, validation 20, Dense(64) relu, Adam lr 0.003, 20 epochs",
)
def _(seed):
    data = mnist(4000, 20, seed=seed)
    return fit(dense(784, (64,)), data, loss=SPARSE, optimizer=adam(0.003), epochs=20), dict(TEN)


@quiz_run(
    "noisy_validation_sgd_batch_8",
    "noisy_validation",
    "culprit.batch_size",
    ("culprit.batch_size", "improve.batch_size", "improve.learning_rate_tuning"),
    LESSON07,
    "SGD at 0.2 with batches of 8: the training loss is an average over 500 steps and looks smooth, but "
    "the weights at the end of each epoch jitter, and the validation curve measures exactly those.",
    "MNIST 4,000 images, Dense(64) relu, SGD lr 0.2, batch 8, 15 epochs",
)
def _(seed):
    model = dense(784, (64,))
    return fit(model, mnist(seed=seed), loss=SPARSE, optimizer=sgd(0.2), epochs=15, batch_size=8), dict(TEN)


@quiz_run(
    "noisy_validation_sgd_batch_8_on_20_images",
    "noisy_validation",
    "culprit.batch_size",
    ("culprit.batch_size", "culprit.data_quality_and_size", "improve.batch_size"),
    LESSON07,
    "The same jittering weights (SGD at 0.2, batches of 8) judged on only 20 validation images: the "
    "validation accuracy moves in 5-point steps.",
    "MNIST 4,000 images, validation 20, Dense(64) relu, SGD lr 0.2, batch 8, 15 epochs",
)
def _(seed):
    model = dense(784, (64,))
    data = mnist(4000, 20, seed=seed)
    return fit(model, data, loss=SPARSE, optimizer=sgd(0.2), epochs=15, batch_size=8), dict(TEN)


@quiz_run(
    "noisy_validation_house_prices_8_rows",
    "noisy_validation",
    "culprit.data_quality_and_size",
    ("culprit.data_quality_and_size", "improve.monitoring"),
    LESSON07,
    "Seed 000's regression judged on only 8 validation houses, with SGD at 0.1 and batches of 4: each "
    "epoch ends with slightly different weights, and on 8 houses every small change moves the validation "
    "loss a lot.",
    "house prices (400 training rows, 8 validation rows), linear model, SGD lr 0.1, batch 4, 25 epochs",
)
def _(seed):
    data = houses(408, 8, seed=seed)
    history = fit(dense(2, (), 0), data, loss="mse", optimizer=sgd(0.1), epochs=25, batch_size=4, metrics=())
    return history, variance_hint(data[1])


@quiz_run(
    "noisy_validation_sgd_batch_4_on_50_images",
    "noisy_validation",
    "culprit.batch_size",
    ("culprit.batch_size", "culprit.data_quality_and_size", "improve.batch_size"),
    LESSON07,
    "SGD at 0.1 with batches of 4, judged on 50 validation images: 1,000 small noisy steps per epoch leave "
    "the weights somewhere different each time, and 50 images magnify it (one image is 2 points).",
    "MNIST 4,000 images, validation 50, Dense(64) relu, SGD lr 0.1, batch 4, 12 epochs",
)
def _(seed):
    model = dense(784, (64,))
    data = mnist(4000, 50, seed=seed)
    return fit(model, data, loss=SPARSE, optimizer=sgd(0.1), epochs=12, batch_size=4), dict(TEN)


# --- healthy


@quiz_run(
    "healthy_house_prices_sgd",
    "healthy",
    "none",
    ("improve.early_stopping", "improve.monitoring", "improve.iterate"),
    LESSON01,
    "Seed 000's regression with 800 houses and SGD at a well-chosen 0.1: both losses fall and settle "
    "together at the noise level. Nothing to fix.",
    "house prices (800 training rows), linear model, SGD lr 0.1, 40 epochs",
)
def _(seed):
    x_train, y_train, x_val, y_val = houses(1000, 200, seed=seed)
    data = (x_train, y_train, x_val, y_val)
    history = fit(dense(2, (), 0), data, loss="mse", optimizer=sgd(0.1), epochs=40, metrics=())
    return history, variance_hint(y_train)


@quiz_run(
    "healthy_mnist_dense",
    "healthy",
    "none",
    ("improve.early_stopping", "improve.monitoring", "improve.iterate"),
    "00_start_here",
    "A small dense network (Dense(32)) on 4,000 MNIST digits for 16 epochs: a fast fall, then both losses "
    "level off together.",
    "MNIST 4,000 images, Dense(32) relu, Adam, 16 epochs",
)
def _(seed):
    return fit(dense(784, (32,)), mnist(seed=seed), loss=SPARSE, optimizer=adam(), epochs=16), dict(TEN)


@quiz_run(
    "healthy_mnist_zero_against_one",
    "healthy",
    "none",
    ("improve.early_stopping", "improve.monitoring", "improve.iterate"),
    "02_mnist_binary",
    "Seed 000's Dense(128) classifier on digits 0 against 1: an easy, balanced task, learned in a few "
    "epochs; the curves settle side by side.",
    "MNIST 0s and 1s (800 training), Dense(128) relu + sigmoid, Adam, 10 epochs",
)
def _(seed):
    x_train, y_train, x_val, y_val = mnist(800, 200, seed=seed, digits=(0, 1))
    data = (x_train, y_train, x_val, y_val)
    history = fit(dense(784, (128,), 1), data, loss="binary_crossentropy", optimizer=adam(), epochs=10)
    return history, {"n_classes": 2, "baseline_accuracy": 0.5}


@quiz_run(
    "healthy_sklearn_digits",
    "healthy",
    "none",
    ("improve.early_stopping", "improve.monitoring", "improve.iterate"),
    "00_start_here",
    "scikit-learn's 8x8 digits, 1,200 training images, a Dense(64) network with Adam for 25 epochs: both "
    "curves fall fast and level off together.",
    "sklearn digits (1,200 training), Dense(64) relu, Adam lr 0.003, 25 epochs",
)
def _(seed):
    data = sklearn_digits(1200, seed=seed)
    return fit(dense(64, (64,)), data, loss=SPARSE, optimizer=adam(0.003), epochs=25), dict(TEN)


@quiz_run(
    "healthy_moons_1000_points",
    "healthy",
    "none",
    ("improve.early_stopping", "improve.monitoring", "improve.iterate"),
    LESSON06,
    "scikit-learn's two moons with 800 training points and a Dense(32) network for 30 epochs: enough data "
    "for a small model; both losses fall and settle together.",
    "make_moons (800 training, 200 validation points, noise 0.2), Dense(32) relu, Adam lr 0.01, 30 epochs",
)
def _(seed):
    from sklearn.datasets import make_moons

    x, y = make_moons(1000, noise=0.2, random_state=seed)
    x = x.astype("float32")
    data = (x[:800], y[:800], x[800:], y[800:])
    history = fit(dense(2, (32,), 1), data, loss="binary_crossentropy", optimizer=adam(0.01), epochs=30)
    return history, {"n_classes": 2, "baseline_accuracy": 0.5}


@quiz_run(
    "healthy_breast_cancer_scaled",
    "healthy",
    "none",
    ("improve.early_stopping", "improve.monitoring", "improve.iterate"),
    LESSON08B,
    "The breast-cancer set again, now standardised with statistics of the training rows only: a Dense(16) "
    "network learns it in a few epochs and both curves level off together.",
    "breast cancer (455 rows), standardised on the training split, Dense(16) relu, Adam lr 0.003, 30 epochs",
)
def _(seed):
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    x, y = load_breast_cancer(return_X_y=True)
    x_train, x_val, y_train, y_val = train_test_split(x, y, test_size=0.2, stratify=y, random_state=seed)
    scaler = StandardScaler().fit(x_train)
    x_train, x_val = scaler.transform(x_train).astype("float32"), scaler.transform(x_val).astype("float32")
    history = fit(
        dense(30, (16,), 1),
        (x_train, y_train, x_val, y_val),
        loss="binary_crossentropy",
        optimizer=adam(0.003),
        epochs=30,
    )
    return history, {"n_classes": 2, "baseline_accuracy": round(float(max(y_train.mean(), 1 - y_train.mean())), 4)}


# ---------------------------------------------------------------------------------------
# running, checking with the doctor, writing


def rounded(value: float) -> float | str:
    """5 significant digits; NaN and inf as strings (JSON has no numbers for them)."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def make_item(run: QuizRun, seed: int) -> tuple[dict, list[str]]:
    """Train ``run``; return its item and the doctor's codes on the stored (rounded) history."""
    import lessons_lib
    from lessons_lib.quiz.items import history_from_json

    lessons_lib.setup(seed)
    history, hints = run.train(seed)
    stored = {key: [rounded(float(value)) for value in values] for key, values in history.items()}
    codes = lessons_lib.diagnose(history_from_json(stored), **hints).codes
    item = {
        "id": run.id,
        "history": stored,
        "hints": hints,
        "expect": run.expect,
        "cause": run.cause,
        "fixes": list(run.fixes),
        "lesson": f"{run.lesson}.ipynb",
        "story": run.story,
        "settings": run.settings,
    }
    return item, codes


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write (default {OUT.relative_to(ROOT)})")
    parser.add_argument("--seed", type=int, default=42, help="seed of every run (default 42)")
    parser.add_argument("--only", nargs="*", default=None, help="make only these runs")
    parser.add_argument("--dry-run", action="store_true", help="train and check, write nothing")
    options = parser.parse_args(arguments)
    sys.path.insert(0, str(ROOT))
    from lessons_lib import checklist
    from lessons_lib.doctor import CODES

    known = {run.id: run for run in RUNS}
    unknown = [name for name in options.only or [] if name not in known]
    if unknown:
        parser.error(f"unknown run(s) {', '.join(unknown)}")
    for run in RUNS:  # a typo in an id is caught before any training
        assert run.expect in CODES, run.id
        assert run.cause == "none" or run.cause in checklist.ITEMS, run.id
        assert all(fix in checklist.ITEMS for fix in run.fixes), run.id
    selected = [known[name] for name in options.only] if options.only else RUNS
    items, set_aside = [], []
    start_all = time.perf_counter()
    for run in selected:
        start = time.perf_counter()
        item, codes = make_item(run, options.seed)
        kept = run.expect in codes
        status = "kept" if kept else "SET ASIDE"
        print(f"{time.perf_counter() - start:6.1f} s  {status:9}  {run.id}: doctor {codes}", flush=True)
        if kept:
            items.append(item)
        else:
            set_aside.append(run.id)
            print(f"           note: the doctor does not find {run.expect!r}; the run is left out, not relabelled")
    print(f"{len(items)} items kept, {len(set_aside)} set aside, {time.perf_counter() - start_all:.0f} s in all")
    if options.dry_run:
        return 0
    document = {
        "format": FORMAT_VERSION,
        "made_by": "tools/make_quiz.py",
        "seed": options.seed,
        "significant_digits": SIGNIFICANT_DIGITS,
        "items": items,
    }
    text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    options.out.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    print(f"wrote {options.out} ({len(text.encode('utf-8')) / 1024:.0f} kB), SHA-256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

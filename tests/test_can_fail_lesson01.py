"""Lesson 01's gap line can fail: without its cause, the lesson's own cells print the other answer.

Lesson 01 says that the gap between its validation and training loss is chance: a one-neuron
model has three weights, far too few to memorise 80 prices, so its 20 validation houses score
like any random group of 20 houses. The checked line says that the validation loss lies inside
the range of 10,000 random groups of 20 houses. Remove the cause: give every house 148 extra,
meaningless random features, so the model has 151 weights for 80 prices, and train it until it
has memorised them. The lesson's own cells, run as saved in the notebook, must then say ``no``:
the 20 houses it never saw score worse than any mix of houses. The same training with the
lesson's two features says ``yes`` (a control: the flip comes from the cause, not from the test's
training loop). Full-batch Adam through ``FastFit`` (the arithmetic of ``model.fit`` in one
compiled loop) memorises in about a second.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
from lesson_cells import line_with, run_cell, saved_lines
from sklearn.model_selection import train_test_split

import lessons_lib
from lessons_lib.synthetic import house_prices
from lessons_lib.training import FastFit

NOTEBOOK = "01_house_price_regression.ipynb"
HELPERS_CELL = "def yes_no("  # the lesson's yes_no and doctor
GROUPS_CELL = "group_means = np.array("  # the lesson's 10,000 random groups of 20 houses
CHECK_CELL = "inside the range of 10,000 random groups"  # the checked cell
GAP_LINE = "validation loss at epoch 100 inside the range of 10,000 random groups of 20 houses"
SEED = 42
EXTRA_FEATURES = 148  # 2 + 148 features and a bias: 151 weights for 80 training prices
EPOCHS = 2000


def run_of(n_extra: int) -> dict:
    """Train ``Dense(1)`` on the lesson's houses with ``n_extra`` random features each; the lesson's names."""
    X, y = house_prices(n_samples=100, noise=0.1, seed=SEED)
    extra = np.random.default_rng(SEED).random((len(X), n_extra)).astype("float32")
    features = np.concatenate([X, extra], axis=1)
    # the lesson's split: the same 80 training and 20 validation houses
    x_train, x_val, y_train, y_val = train_test_split(features, y, test_size=0.2, random_state=SEED)
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([keras.Input(shape=(features.shape[1],)), keras.layers.Dense(1, activation="linear")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mean_squared_error")
    history = FastFit(model, batch_size=len(x_train)).fit(
        x_train, y_train, epochs=EPOCHS, validation_data=(x_val, y_val), seed=SEED
    )
    namespace = {"lessons_lib": lessons_lib, "np": np, "SEED": SEED, "model": model, "X": features, "y": y}
    namespace.update(training_losses=history["loss"], validation_losses=history["val_loss"])
    run_cell(NOTEBOOK, HELPERS_CELL, namespace)
    return namespace


def gap_line(namespace: dict) -> str:
    run_cell(NOTEBOOK, GROUPS_CELL, namespace)
    return line_with(run_cell(NOTEBOOK, CHECK_CELL, namespace), GAP_LINE)


@pytest.fixture(scope="module")
def memorised() -> dict:
    return run_of(EXTRA_FEATURES)


def test_the_saved_lesson_says_yes():
    assert line_with(saved_lines(NOTEBOOK, CHECK_CELL), GAP_LINE).endswith(": yes")


def test_a_model_that_memorises_its_training_houses_has_a_gap_that_is_not_chance(memorised):
    assert memorised["training_losses"][-1] < 0.1 * 0.01, "the wide model should have memorised the 80 prices"
    assert gap_line(memorised).endswith(": no")


def test_the_same_training_with_three_weights_keeps_the_gap_inside_chance():
    namespace = run_of(0)
    assert namespace["training_losses"][-1] > 0.5 * 0.01, "three weights cannot go far below the noise floor"
    assert gap_line(namespace).endswith(": yes")

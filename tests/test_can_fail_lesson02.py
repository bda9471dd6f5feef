"""Lesson 02's baseline lines can fail: a model that cannot learn makes the lesson's own cell say so.

Lesson 02 claims that the seed's model beats the majority-class baseline (always answering
"not a 1": 90%) at every epoch, and that the curve doctor, told that baseline, does not call it
``not_learning``. The cause is that the images tell the model which digit it sees. Remove it,
in two ways, and run the lesson's checked cell as saved in the notebook on the test's run:

- the labels shuffled (the images no longer go with their labels): the model may memorise
  training images, but on the validation images it cannot beat always answering 0;
- blank images (every pixel 0): the model sees nothing at all.

Each must say ``no`` where the saved notebook says ``yes``, while the lines about the lesson's
own blank-image run keep their answers. The last tests hold what the lesson prints but does not
check, because they are facts about the shipped data or about Keras, not about a run.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
from lesson_cells import line_with, run_cell, saved_lines

import lessons_lib
from lessons_lib.data import load_mnist

NOTEBOOK = "02_mnist_binary.ipynb"
HELPERS_CELL = "def yes_no("  # the lesson's yes_no and doctor
CHECK_CELL = "seed model above the baseline at every epoch"  # the checked cell
ABOVE_LINE = "seed model above the baseline at every epoch"
DOCTOR_LINE = "seed model, doctor told the baseline says not_learning"
BLANK_LINES = {
    "blank images: validation accuracy on the baseline at every epoch": "yes",
    "blank images, doctor told the baseline": "not_learning",
}
SEED = 42
EPOCHS = 10


def seed_model() -> keras.Model:
    """The lesson's model: ``Dense(128, relu)``, one sigmoid unit, Adam, binary cross-entropy."""
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def train(x_train, y_train, x_val, y_val) -> keras.callbacks.History:
    keras.utils.set_random_seed(SEED)
    return seed_model().fit(x_train, y_train, validation_data=(x_val, y_val), epochs=EPOCHS, batch_size=32, verbose=0)


@pytest.fixture(scope="module")
def lesson_data() -> dict:
    """The lesson's images (flat rows) and its labels (1 for a 1, 0 for the other nine digits)."""
    x_train, y_train, x_val, y_val = load_mnist(n_train=4000, n_val=1000)
    x_train, x_val = x_train.reshape(len(x_train), 784), x_val.reshape(len(x_val), 784)
    y_train, y_val = (y_train == 1).astype(int), (y_val == 1).astype(int)
    blank_history = train(np.zeros_like(x_train), y_train, np.zeros_like(x_val), y_val)
    namespace = {"lessons_lib": lessons_lib}
    run_cell(NOTEBOOK, HELPERS_CELL, namespace)
    namespace.update(baseline=np.mean(y_val == 0), blank_history=blank_history)
    return {"x": (x_train, y_train, x_val, y_val), "namespace": namespace}


def checked_lines(lesson_data: dict, history: keras.callbacks.History) -> list[str]:
    namespace = dict(lesson_data["namespace"], history=history)
    return run_cell(NOTEBOOK, CHECK_CELL, namespace)


def test_the_saved_lesson_says_the_model_beats_the_baseline():
    lines = saved_lines(NOTEBOOK, CHECK_CELL)
    assert line_with(lines, ABOVE_LINE).endswith(": yes"), lines
    assert line_with(lines, DOCTOR_LINE).endswith(": no"), lines


def test_with_shuffled_labels_the_model_no_longer_beats_the_baseline(lesson_data):
    x_train, y_train, x_val, y_val = lesson_data["x"]
    shuffled = np.random.default_rng(SEED).permutation(y_train)  # the same labels, on the wrong images
    lines = checked_lines(lesson_data, train(x_train, shuffled, x_val, y_val))
    assert line_with(lines, ABOVE_LINE).endswith(": no"), lines
    for start, answer in BLANK_LINES.items():  # lines that do not depend on the seed model keep their answer
        assert line_with(lines, start).endswith(f": {answer}"), lines


def test_on_blank_images_the_model_sits_on_the_baseline_and_the_doctor_says_not_learning(lesson_data):
    x_train, y_train, x_val, y_val = lesson_data["x"]
    lines = checked_lines(lesson_data, train(np.zeros_like(x_train), y_train, np.zeros_like(x_val), y_val))
    assert line_with(lines, ABOVE_LINE).endswith(": no"), lines
    assert line_with(lines, DOCTOR_LINE).endswith(": yes"), lines


def test_the_shipped_data_has_one_image_in_ten_labelled_1_and_a_balanced_0_against_1_task():
    """What the lesson prints about its labels is a fact about the shipped subset, tested here."""
    _, y_train, _, y_val = load_mnist(n_train=4000, n_val=1000)
    assert np.mean(y_train == 1) == 0.1 and np.mean(y_val == 1) == 0.1
    assert np.mean(y_val != 1) == 0.9  # the majority-class baseline of "1 against the rest"
    _, y_train01, _, y_val01 = load_mnist(n_train=800, n_val=200, digits=(0, 1))
    assert np.mean(y_train01 == 1) == 0.5 and np.mean(y_val01 == 1) == 0.5


def test_evaluate_gives_the_last_epochs_validation_accuracy():
    """``model.evaluate`` after ``fit`` measures what the last epoch's validation pass measured."""
    x_train, y_train, x_val, y_val = load_mnist(n_train=500, n_val=200)
    x_train, x_val = x_train.reshape(len(x_train), 784), x_val.reshape(len(x_val), 784)
    y_train, y_val = (y_train == 1).astype(int), (y_val == 1).astype(int)
    keras.utils.set_random_seed(SEED)
    model = seed_model()
    history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=2, verbose=0)
    _, accuracy = model.evaluate(x_val, y_val, verbose=0)
    assert accuracy == pytest.approx(history.history["val_accuracy"][-1], abs=1e-6)

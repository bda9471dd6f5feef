"""Lesson 09's exercises: each unmodified starter says "not yet", each worked solution passes.

The checks' bad-input errors are tested too: each says in one sentence what to pass instead.
"""

from __future__ import annotations

import numpy as np
import pytest
from exercise_runner import exercise_tests

from lessons_lib.exercises import check

lesson_context, test_starter_is_not_yet, test_solution_passes = exercise_tests(
    "09_improvement_checklist.ipynb",
    "09",
    (
        "import keras",
        "x_train, y_train, x_val, y_val = load_mnist",
        "from lessons_lib.label_noise import",
        "from lessons_lib.synthetic import house_prices",
        "from sklearn.model_selection import train_test_split",
        "from sklearn.datasets import make_circles",
        "def small_cnn(augmentation):",
    ),
)


def test_ranking_check_wants_one_loss_per_flag():
    with pytest.raises(ValueError, match="one finite loss and one flag"):
        check("09.1", np.ones(200), np.zeros(150, dtype=bool))


def test_raw_units_check_wants_the_two_weights():
    with pytest.raises(ValueError, match="the two weights of the Dense layer"):
        check("09.2", {"loss": [3.0, 1.0]}, np.ones(3), np.ones(2))


def test_overlap_check_reads_a_history_and_asks_for_the_lessons_epochs():
    with pytest.raises(ValueError, match="has no 'val_accuracy'"):
        check("09.3", {"loss": [1.0, 0.5], "accuracy": [0.5, 0.6]})
    short = check("09.3", {"loss": [1.0, 0.5], "accuracy": [0.5, 0.6], "val_accuracy": [0.5, 0.6]})
    assert not short.passed and "10 epochs" in short.hint


def test_mirror_check_wants_a_model():
    with pytest.raises(TypeError, match="trained Keras model"):
        check("09.4", None, np.zeros((10, 28, 28, 1)), np.zeros(10))

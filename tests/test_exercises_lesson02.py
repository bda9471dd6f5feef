"""Lesson 02's exercises: each unmodified starter says "not yet", each worked solution passes."""

import numpy as np
import pytest
from exercise_runner import exercise_tests

from lessons_lib.exercises import check

lesson_context, test_starter_is_not_yet, test_solution_passes = exercise_tests(
    "02_mnist_binary.ipynb",
    "02",
    (
        "def yes_no(",
        "X_train, y_train, X_val, y_val = load_mnist(",
        "X_train = X_train.reshape(",
        "y_train = (y_train == 1).astype(int)",
        "baseline = np.mean(y_val == 0)",
        "history = model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=10",
        "def train_seed_model(",
    ),
)

LABELS = np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0])


def test_probabilities_and_labels_must_go_together():
    with pytest.raises(ValueError, match="one per validation image"):
        check("02.1", np.full(5, 0.5), LABELS)
    with pytest.raises(ValueError, match="numbers from 0 to 1"):
        check("02.2", np.full(10, 1.5), LABELS)
    with pytest.raises(ValueError, match="labels must be 0 and 1"):
        check("02.1", np.full(10, 0.5), LABELS * 8)


def test_the_bar_is_a_probability():
    with pytest.raises(ValueError, match="bar must be"):
        check("02.5", np.full(10, 0.5), LABELS, bar=1.0)


def test_a_higher_bar_counts_both_kinds_of_mistakes():
    probability = np.array([0.95, 0.6, 0.7, 0.1, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1])
    result = check("02.5", probability, LABELS, bar=0.8)
    assert result.passed and "at 0.5: 0 missed 1s, 2 other digits called a 1" in str(result)


def test_the_curve_exercises_refuse_what_is_not_a_history():
    with pytest.raises(TypeError, match="History"):
        check("02.4", [0.1, 0.2])

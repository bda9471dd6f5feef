"""Lesson 04's exercises: each unmodified starter says "not yet", each worked solution passes."""

import numpy as np
import pytest
from exercise_runner import exercise_tests

from lessons_lib.exercises import check

lesson_context, test_starter_is_not_yet, test_solution_passes = exercise_tests(
    "04_class_imbalance.ipynb",
    "04",
    (
        "def yes_no(",
        "mnist_rare_digit(digit=RARE_DIGIT",
        "def build_model(",
        "history_plain = plain.fit(",
        "p_plain = plain.predict(",
        "weights = class_weight.compute_class_weight(class_weight=",
    ),
)

LABELS = np.array([0, 0, 0, 1, 1])


@pytest.mark.parametrize(
    ("exercise_id", "run", "message"),
    [
        ("04.1", ({"loss": [0.1]},), "history has no 'val_accuracy', 'val_recall'"),
        ("04.1", ([0.9, 0.95],), "history must be the History that model.fit returned"),
        ("04.2", (LABELS, np.array([0.1, 0.2, 0.3, 0.9]), 0.5), "probability must hold one probability per label"),
        ("04.2", (LABELS, np.array([0.1, 0.2, 0.3, 0.9, 1.5]), 0.5), "probability must be numbers from 0 to 1"),
        ("04.2", (np.array([0, 0, 2, 1, 1]), np.full(5, 0.5), 0.5), "y_true must be the validation labels, 0 or 1"),
        ("04.2", (np.zeros(5, int), np.full(5, 0.5), 0.5), "y_true holds no image of the rare class"),
        ("04.2", (LABELS, np.full(5, 0.5), 2), "threshold must be a number from 0 to 1"),
        ("04.2", (LABELS, np.full(5, 0.5), "0.5"), "threshold must be a number from 0 to 1"),
        ("04.3", ({"val_recall": [0.5]},), "history has no 'val_accuracy'"),
        ("04.4", (LABELS, [0.1, 0.2]), "probability must hold one probability per label"),
        ("04.5", ({"val_pr_auc": [0.5]},), "history has no 'val_recall'"),
    ],
)
def test_a_check_refuses_what_is_not_its_run_in_one_sentence(exercise_id, run, message):
    with pytest.raises((TypeError, ValueError), match=message):
        check(exercise_id, *run)


def test_the_threshold_check_wants_the_largest_threshold_not_just_any():
    labels = np.array([0] * 5 + [1] * 10)
    probabilities = np.concatenate([np.full(5, 0.05), np.linspace(0.1, 1.0, 10)])  # the 9s: 0.1, 0.2, ..., 1.0
    assert not check("04.2", labels, probabilities, 0.5).passed  # finds 5 of 10
    low = check("04.2", labels, probabilities, 0.01)  # finds all 10: a higher threshold would do
    assert not low.passed and "raise it" in low.hint
    assert check("04.2", labels, probabilities, 0.1).passed  # 9 of 10 found: 0.2 up to 1.0
    assert check("04.2", labels, probabilities, 0.15).passed
    assert not check("04.2", labels, probabilities, 0.2).passed  # 8 of 10


def test_the_monitoring_check_says_not_yet_without_the_curve():
    result = check("04.5", {"val_recall": [0.0, 0.0, 0.1]})
    assert not result.passed and "no val_pr_auc curve" in str(result)
    assert check("04.5", {"val_recall": [0.0, 0.0, 0.1], "val_pr_auc": [0.05, 0.2, 0.3]}).passed

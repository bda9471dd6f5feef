"""Lesson 11's exercises: each unmodified starter says "not yet", each worked solution passes.

Also: the checks answer bad input with one sentence, and read what they say they read (a log
folder's event files, a tuner's trials, members' probabilities).
"""

from __future__ import annotations

import numpy as np
import pytest
from exercise_runner import exercise_tests

import lessons_lib

lesson_context, test_starter_is_not_yet, test_solution_passes = exercise_tests(
    "11_improvement_checklist_part3.ipynb",
    "11",
    ("x_train, y_train, x_val, y_val = load_mnist(", "def conv_base():"),
)


def test_a_log_folder_must_exist(tmp_path):
    with pytest.raises(ValueError, match="log_dir must be the folder"):
        lessons_lib.exercises.check("11.1", tmp_path / "missing")


def test_an_empty_log_folder_is_not_yet(tmp_path):
    result = lessons_lib.exercises.check("11.1", tmp_path)
    assert not result.passed
    assert "0 run folders" in str(result)


def test_the_tuner_must_be_a_tuner():
    with pytest.raises(TypeError, match="keras-tuner tuner"):
        lessons_lib.exercises.check("11.2", {"learning_rate": 0.01})


def test_members_must_match_the_labels():
    labels = np.array([0, 1, 2])
    with pytest.raises(ValueError, match="one row per label"):
        lessons_lib.exercises.check("11.3", [np.full((2, 3), 1 / 3)] * 2, labels=labels)


def test_identical_members_are_no_ensemble_and_disagreeing_ones_gain_much():
    labels = np.array([0, 1, 0, 1])
    same = np.array([[0.7, 0.3], [0.4, 0.6], [0.6, 0.4], [0.3, 0.7]])
    assert not lessons_lib.exercises.check("11.3", [same, same], labels=labels).passed
    sure_a = np.array([[0.99, 0.01], [0.6, 0.4], [0.99, 0.01], [0.6, 0.4]])
    sure_b = np.array([[0.6, 0.4], [0.01, 0.99], [0.6, 0.4], [0.01, 0.99]])
    assert not lessons_lib.exercises.check("11.3", [sure_a, sure_b], labels=labels).passed  # a large gain


def test_too_large_a_step_reads_the_first_epoch_and_the_end():
    blown = {"loss": [30.0, 2.5, 2.3], "val_loss": [2.4, 2.3, 2.3], "accuracy": [0.1] * 3, "val_accuracy": [0.1] * 3}
    crawl = {"loss": [2.2, 2.0, 1.9], "val_loss": [2.1, 2.0, 1.9], "accuracy": [0.2] * 3, "val_accuracy": [0.25] * 3}
    assert lessons_lib.exercises.check("11.5", blown).passed
    assert not lessons_lib.exercises.check("11.5", crawl).passed  # small steps: no jump above chance

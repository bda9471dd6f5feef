"""Lesson 07's exercises: each unmodified starter says "not yet", each worked solution passes.

Also: the checks answer bad input with one sentence, and read what they say they read.
"""

from __future__ import annotations

import pytest
from exercise_runner import exercise_tests

import lessons_lib

lesson_context, test_starter_is_not_yet, test_solution_passes = exercise_tests(
    "07_learning_rate_and_batch_size.ipynb",
    "07",
    ("def yes_no(", "x_train, y_train, x_val, y_val = load_mnist(", "def build_model("),
)


def test_a_history_dict_is_refused_where_the_model_is_needed():
    with pytest.raises(TypeError, match="History that model.fit returned"):
        lessons_lib.exercises.check("07.1", {"loss": [2.3] * 12, "val_accuracy": [0.1] * 12})


def test_runs_must_be_a_list_of_one_learning_rate():
    with pytest.raises(TypeError, match="list of the Histories"):
        lessons_lib.exercises.check("07.7", {"loss": [1.0]})


def test_timings_must_map_pairs_to_seconds():
    with pytest.raises(TypeError, match="dict from"):
        lessons_lib.exercises.check("07.9", [0.1, 0.2])
    with pytest.raises(ValueError, match="positive"):
        lessons_lib.exercises.check("07.9", {(8, 1): -1.0})
    with pytest.raises(ValueError, match="pairs of whole numbers"):
        lessons_lib.exercises.check("07.9", {8: 0.1})


def test_timings_compare_small_and_large_batches_and_the_bundling():
    fast_bundle = {(8, 1): 0.30, (256, 1): 0.10, (8, 32): 0.15, (256, 32): 0.09}
    assert lessons_lib.exercises.check("07.9", fast_bundle).passed
    assert not lessons_lib.exercises.check("07.9", {**fast_bundle, (8, 1): 0.12}).passed  # small steps as cheap
    assert not lessons_lib.exercises.check("07.9", {**fast_bundle, (8, 32): 0.40}).passed  # bundling did not help
    assert not lessons_lib.exercises.check("07.9", {(8, 32): 0.15, (256, 32): 0.09}).passed  # pairs missing


def test_the_validation_set_size_is_read_from_the_accuracies():
    from lessons_lib.exercises.lesson07 import _resolution

    assert _resolution([37 / 50, 38 / 50, 41 / 50]) == 50
    assert _resolution([143 / 200, 160 / 200, 167 / 200]) == 200
    tiny = {"val_accuracy": [0.5, 0.5, 0.5]}
    assert not lessons_lib.exercises.check("07.6", tiny).passed  # an accuracy that never moves shows no steps

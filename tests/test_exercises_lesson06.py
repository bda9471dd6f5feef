"""Lesson 06's exercises: each unmodified starter says "not yet", each worked solution passes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from exercise_runner import exercise_tests

from lessons_lib.exercises import check

lesson_context, test_starter_is_not_yet, test_solution_passes = exercise_tests(
    "06_overfitting_regularization_early_stopping.ipynb",
    "06",
    ("def yes_no(", "load_mnist(n_train=900", "def build_model("),
)


def _model(weights: int) -> SimpleNamespace:
    return SimpleNamespace(count_params=lambda: weights)


RISES = {"loss": [1.0] * 20, "val_loss": [1.0, 0.8, 0.6, 0.5, *[0.5 + 0.01 * i for i in range(16)]]}


def test_a_curve_that_turns_up_passes_only_on_a_model_half_the_size():
    assert check("06.1", RISES, _model(269_322)).passed
    too_big = check("06.1", RISES, _model(600_000))
    assert not too_big.passed and "remove weights" in too_big.hint


def test_more_data_must_keep_the_large_model():
    result = check("06.2", {"loss": [1.0] * 5, "val_loss": [0.5, 0.3, 0.2, 0.25, 0.3]}, _model(50_890))
    assert not result.passed and "Keep the large model" in result.hint


def test_restoring_is_read_from_the_kept_score():
    history = {"val_loss": [1.0, 0.6, 0.5, 0.55, 0.6, 0.62, 0.64, 0.66]}
    assert check("06.5", history, {"loss": 0.66}).passed
    assert not check("06.5", history, {"loss": 0.5}).passed
    assert not check("06.5", history, {"loss": 0.6}).passed


@pytest.mark.parametrize(
    ("exercise_id", "arguments", "message"),
    [
        ("06.1", (RISES, "model"), "model must be the Keras model the starter cell trained"),
        ("06.1", ([0.5, 0.4], _model(10)), "history must be the History that model.fit returned"),
        ("06.3", ({"cross_entropy": [1.0], "val_cross_entropy": [1.0]}, 3), "model must be the Keras model"),
        ("06.4", ({"loss": [1.0], "val_loss": [1.0]},), "history has no 'cross_entropy'"),
        ("06.5", (RISES, 0.5), "scores must be the dict model.evaluate"),
        ("06.6", ({"val_loss": [1.0], "val_cross_entropy": [1.0]}, {"loss": 1.0}), "with 'cross_entropy'"),
    ],
)
def test_bad_inputs_get_one_sentence(exercise_id, arguments, message):
    with pytest.raises((TypeError, ValueError), match=message):
        check(exercise_id, *arguments)

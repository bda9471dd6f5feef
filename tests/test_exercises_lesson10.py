"""Lesson 10's exercises: each unmodified starter says "not yet", each worked solution passes."""

from __future__ import annotations

import math

import pytest
from exercise_runner import exercise_tests

from lessons_lib.exercises import check

lesson_context, test_starter_is_not_yet, test_solution_passes = exercise_tests(
    "10_improvement_checklist_part2.ipynb", "10", ("load_mnist(2000",)
)


def _run(**curves):
    return {name: list(values) for name, values in curves.items()}


def test_a_loss_that_is_not_a_number_from_the_start_passes_and_a_flat_one_gets_a_fitted_hint():
    assert check("10.2", _run(loss=[math.nan, math.nan])).passed
    flat = check("10.2", _run(loss=[2.303, 2.302, 2.302]))
    assert not flat.passed and "ln 10" in flat.hint


def test_patience_needs_the_best_weights_back():
    val_loss = [1.0, 0.8, 0.7, *[0.75 + 0.01 * i for i in range(16)]]
    assert check("10.4", _run(val_loss=val_loss), 0.7).passed
    result = check("10.4", _run(val_loss=val_loss), val_loss[-1])
    assert not result.passed and "best epoch" in result.hint


def test_the_large_batch_check_needs_a_history_that_knows_its_steps():
    result = check("10.5", _run(loss=[2.0, 1.0, 0.4]))
    assert not result.passed and "batch_size=512" in result.hint


@pytest.mark.parametrize(
    ("exercise_id", "arguments", "message"),
    [
        ("10.1", ([0.5, 0.6],), "history must be the History that model.fit returned"),
        ("10.1", (_run(loss=[1.0]),), "history has no 'val_accuracy'"),
        ("10.4", (_run(val_loss=[1.0, 0.9]), "0.9"), "kept_loss must be a finite number"),
        ("10.4", (_run(val_loss=[1.0, 0.9]), -1.0), "kept_loss must be >= 0"),
    ],
)
def test_bad_inputs_get_one_sentence(exercise_id, arguments, message):
    with pytest.raises((TypeError, ValueError), match=message):
        check(exercise_id, *arguments)

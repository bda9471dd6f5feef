"""Lesson 08 part 1's exercises: each unmodified starter says "not yet", each worked solution passes."""

import numpy as np
import pytest
from exercise_runner import exercise_tests

from lessons_lib.exercises import check

lesson_context, test_starter_is_not_yet, test_solution_passes = exercise_tests(
    "08_troubleshooting_checklist.ipynb",
    "08",
    ("def yes_no(", "x_train, y_train, x_val, y_val = load_mnist(", "def reference_model("),
)

SMOOTH = {"loss": [2.0, 1.0, 0.5, 0.4]}


@pytest.mark.parametrize(
    ("exercise_id", "arguments", "numbers", "message"),
    [
        ("08.1", ({"loss": [1.0, 0.5]},), {}, "history has no 'val_loss'"),
        ("08.2", (SMOOTH,), {"learning_rate": 0.01}, "runs must be the list of the three histories"),
        ("08.2", ([SMOOTH, SMOOTH],), {"learning_rate": 0.01}, "runs must be the list of the three histories"),
        ("08.2", ([SMOOTH] * 3,), {"learning_rate": "0.01"}, "learning_rate must be the positive number"),
        ("08.7", ("model", {"val_accuracy": [0.9]}), {}, "model must be the trained Keras model"),
    ],
)
def test_a_check_refuses_what_is_not_its_run_in_one_sentence(exercise_id, arguments, numbers, message):
    with pytest.raises((TypeError, ValueError), match=message):
        check(exercise_id, *arguments, **numbers)


def test_a_smooth_rate_must_be_above_the_reference_and_smooth_in_every_seed():
    bumpy = {"loss": [2.0, 1.0, 1.1, 0.4]}
    assert check("08.2", [SMOOTH] * 3, learning_rate=0.01).passed
    assert not check("08.2", [SMOOTH, SMOOTH, bumpy], learning_rate=0.01).passed
    too_low = check("08.2", [SMOOTH] * 3, learning_rate=0.002)
    assert not too_low.passed and "0.005 or more" in too_low.hint


def test_identical_hidden_units_do_not_pass_whatever_the_accuracy():
    class Model:
        def __init__(self, kernel):
            self.kernel = kernel

        def get_weights(self):
            return [self.kernel, np.zeros(3)]

    history = {"val_accuracy": [0.95]}
    assert not check("08.7", Model(np.ones((4, 3))), history).passed
    assert check("08.7", Model(np.arange(12.0).reshape(4, 3)), history).passed

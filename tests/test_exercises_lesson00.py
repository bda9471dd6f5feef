"""Lesson 00's exercises: each unmodified starter says "not yet", each worked solution passes."""

import numpy as np
import pytest
from exercise_runner import exercise_tests

from lessons_lib.exercises import check

lesson_context, test_starter_is_not_yet, test_solution_passes = exercise_tests(
    "00_start_here.ipynb", "00", ("def yes_no(", "is_a_one = np.array(", "def short_run(", "def same_scales(")
)


def test_the_curve_exercises_refuse_what_is_not_a_history():
    for exercise_id in ("00.1", "00.2", "00.3"):
        with pytest.raises(TypeError, match="History"):
            check(exercise_id, [0.5, 0.4])
    with pytest.raises(ValueError, match="accuracy"):
        check("00.1", {"loss": [1.0], "val_loss": [1.0]})


def test_the_tiny_example_needs_five_probabilities():
    with pytest.raises(ValueError, match="5 numbers from 0 to 1"):
        check("00.4", np.array([1, 0, 0, 1, 0]), np.array([0.9, 0.2]))

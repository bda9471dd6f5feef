"""Lesson 08 part 2's exercises: each unmodified starter says "not yet", each worked solution passes."""

import numpy as np
import pytest
from exercise_runner import exercise_tests

from lessons_lib.exercises import check

lesson_context, test_starter_is_not_yet, test_solution_passes = exercise_tests(
    "08_troubleshooting_checklist_part2.ipynb",
    "08b",
    ("def yes_no(", "def reference_model(", "features, price = house_prices", "def with_few_nines("),
)


@pytest.mark.parametrize(
    ("exercise_id", "arguments", "message"),
    [
        ("08b.1", ({"loss": [1.0]},), "history has no 'val_loss'"),
        ("08b.5", ([0.9, 0.1],), "nine_probabilities must be a list of at least 10 numbers"),
        ("08b.5", ([2.0] * 50,), "nine_probabilities must hold numbers from 0 to 1"),
        ("08b.6", (np.zeros(5), np.zeros((2, 5))), "x_tr must be a set of flattened images"),
        ("08b.6", (np.zeros((4, 5)), np.zeros((2, 6))), "x_tr and x_va must hold images of the same size"),
        ("08b.7", ({"val_accuracy": [0.9] * 3}, [0.9] * 10), "scores must be a list of at least 50 numbers"),
    ],
)
def test_a_check_refuses_what_is_not_its_run_in_one_sentence(exercise_id, arguments, message):
    with pytest.raises((TypeError, ValueError), match=message):
        check(exercise_id, *arguments)


def test_copies_kept_apart_pass_and_copies_removed_do_not():
    images = np.arange(40, dtype="float32").reshape(10, 4)
    apart = check("08b.6", np.repeat(images[:8], 2, axis=0), np.repeat(images[8:], 2, axis=0))
    assert apart.passed and "0 of the 4 validation images" in str(apart)
    unique = check("08b.6", images[:8], images[8:])
    assert not unique.passed and "Keep the copies" in unique.hint

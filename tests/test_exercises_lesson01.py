"""Lesson 01's exercises: each unmodified starter says "not yet", each worked solution passes."""

import numpy as np
import pytest
from exercise_runner import exercise_tests

from lessons_lib.exercises import check

lesson_context, test_starter_is_not_yet, test_solution_passes = exercise_tests(
    "01_house_price_regression.ipynb",
    "01",
    ("def yes_no(", "X, y = house_prices(", "X_train, X_val, y_train, y_val = train_test_split(", "def house_run("),
)

RUN = {"loss": [8.0, 1.0, 0.1], "val_loss": [7.0, 1.0, 0.1]}


def test_the_cliff_needs_positive_learning_rates():
    with pytest.raises(ValueError, match="low_rate must be > 0"):
        check("01.1", RUN, RUN, low_rate=0, high_rate=1.0)


def test_the_floor_needs_the_houses_and_their_prices():
    with pytest.raises(ValueError, match="X_train with 2 columns"):
        check("01.2", RUN, np.zeros((80, 3)), np.zeros(80))
    with pytest.raises(ValueError, match="one price per house"):
        check("01.3", RUN, np.zeros((80, 2)), np.zeros(20))


def test_a_run_that_is_not_a_history_is_refused():
    with pytest.raises(TypeError, match="History"):
        check("01.4", [0.1, 0.2], np.zeros((20, 2)))
    with pytest.raises(ValueError, match="finite"):
        check("01.5", RUN, {"loss": [1.0, float("nan")], "val_loss": [1.0, 1.0]})


def test_the_floor_is_the_perfect_formulas_loss():
    houses = np.array([[0.5, 0.5], [0.0, 1.0]])
    prices = 2 * houses[:, 0] + 3 * houses[:, 1] + 1 + np.array([0.1, -0.1])
    result = check("01.3", RUN, houses, prices)
    assert "noise floor of these training houses: 0.0100" in str(result)

"""Each explorer, created as its lesson creates it, starts from the lesson's own run, number for number.

The test runs the lesson's cells as saved (data, model, ``fit``) and the lesson's explorer
cell, and compares the explorer's first curves with the history ``fit`` returned. The
explorers train with ``FastFit``, which takes the rows in ``fit``'s own order, so the two
agree to float rounding.
"""

from __future__ import annotations

import ast

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from lesson_cells import cell_source, lesson_namespace, run_cell  # noqa: E402

from lessons_lib.session import session_seed  # noqa: E402


def explorer_of(notebook: str, contains: str, namespace: dict):
    """The explorer the lesson's explorer cell displays (its last line's value)."""
    tree = ast.parse(cell_source(notebook, contains))
    exec(compile(ast.Module(body=tree.body[:-1], type_ignores=[]), notebook, "exec"), namespace)  # noqa: S102
    return eval(compile(ast.Expression(tree.body[-1].value), notebook, "eval"), namespace)  # noqa: S307


def assert_same_curves(explorer_history: dict, lesson_history: dict) -> None:
    for name, values in lesson_history.items():
        np.testing.assert_allclose(explorer_history[name], values, rtol=1e-4, atol=1e-7, err_msg=name)


def test_lesson01_explorer_starts_from_the_lessons_run():
    notebook = "01_house_price_regression.ipynb"
    namespace = lesson_namespace(
        notebook,
        "from sklearn.model_selection import train_test_split",
        "X, y = house_prices(n_samples=100",
        "X_train, X_val, y_train, y_val = train_test_split(",
        'keras.Input(shape=(2,)),\n        keras.layers.Dense(1, activation="linear")',
        'training_losses = history.history["loss"]',
        seed=session_seed(),
    )
    lesson = namespace["history"].history
    explorer = explorer_of(notebook, "regression_explorer(", namespace)
    assert_same_curves(explorer.history, lesson)


def test_lesson06_explorer_starts_from_the_lessons_large_model():
    notebook = "06_overfitting_regularization_early_stopping.ipynb"
    namespace = lesson_namespace(
        notebook, "def yes_no(", "x_more, y_more, x_val, y_val = load_mnist(", "def build_model(", seed=session_seed()
    )
    run_cell(notebook, "models[name] = build_model(hidden_units)", namespace)
    lesson = namespace["history_large"].history
    from lessons_lib.explore import overfitting_explorer

    explorer = overfitting_explorer(seed=namespace["SEED"])
    assert_same_curves(explorer.history, lesson)


def test_lesson07_explorer_starts_from_the_lessons_run_at_learning_rate_0_1():
    notebook = "07_learning_rate_and_batch_size.ipynb"
    namespace = lesson_namespace(
        notebook, "def yes_no(", "x_train, y_train, x_val, y_val = load_mnist(", "def build_model(", seed=session_seed()
    )
    run_cell(notebook, "learning_rates = [0.001, 0.1, 1.0, 3.0]", namespace)
    lesson = namespace["histories"][0.1].history
    from lessons_lib.explore import learning_rate_explorer

    explorer = learning_rate_explorer(seed=namespace["SEED"])
    assert_same_curves(explorer.history, lesson)


def test_lesson00_explorer_starts_from_the_lessons_healthy_run():
    notebook = "00_start_here.ipynb"
    namespace = lesson_namespace(notebook, "def yes_no(", "def short_run(", "def same_scales(", seed=session_seed())
    run_cell(notebook, "healthy = short_run([])", namespace)
    from lessons_lib.explore import first_explorer

    explorer = first_explorer(seed=namespace["SEED"])
    assert_same_curves(explorer.history, namespace["healthy"])

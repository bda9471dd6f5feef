"""Lesson 03's exercises: each unmodified starter says "not yet", each worked solution passes.

The lesson's first cell holds IPython-only lines (``!git clone``, ``%pip``, run only where the
course is not installed), so the context is built here: that cell, transformed as IPython would,
then the data and ``build_cnn`` cells, and ``build_bn_net`` taken from its cell without the
training that follows it.
"""

from __future__ import annotations

import ast

import numpy as np
import pytest
from exercise_runner import exercise_tests
from IPython.core.inputtransformer2 import TransformerManager
from lesson_cells import cell_source

from lessons_lib.exercises import check
from lessons_lib.session import session_seed

NOTEBOOK = "03_dropout_val_above_train.ipynb"
_, test_starter_is_not_yet, test_solution_passes = exercise_tests(NOTEBOOK, "03", ())


def _run(namespace: dict, contains: str, only: str | None = None) -> None:
    code = TransformerManager().transform_cell(cell_source(NOTEBOOK, contains))
    tree = ast.parse(code)
    if only is not None:
        tree.body = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == only]
    exec(compile(tree, f"{NOTEBOOK}:{contains}", "exec"), namespace)  # noqa: S102 - the lesson's own code


def lesson_namespace() -> dict:
    """The lesson's imports, data, ``build_cnn`` and ``build_bn_net``, as after its first cells."""
    import matplotlib

    matplotlib.use("Agg")
    namespace: dict = {}
    _run(namespace, "settings = lessons_lib.setup()")
    assert namespace["SEED"] == session_seed()
    _run(namespace, "x_train, y_train, x_val, y_val = load_mnist(3000, 500)")
    _run(namespace, "def build_cnn(")
    _run(namespace, "def build_bn_net(", only="build_bn_net")
    return namespace


@pytest.fixture(scope="module")
def lesson_context() -> dict:
    return lesson_namespace()


HISTORY = {"loss": [1.0, 0.5], "accuracy": [0.5, 0.8], "val_loss": [0.9, 0.6], "val_accuracy": [0.6, 0.8]}


@pytest.mark.parametrize(
    ("exercise_id", "run", "message"),
    [
        ("03.1", (HISTORY,), "history has no 'eval_accuracy'"),
        ("03.1", ([0.5, 0.8],), "history must be the History that model.fit returned"),
        ("03.2", (HISTORY, {"loss": [1.0]}), "history has no 'val_loss'"),
        (
            "03.3",
            ({**HISTORY, "dropout_on_accuracy": [0.6], "eval_accuracy": [0.7]},),
            "its .params hold the steps per epoch",
        ),
        ("03.5", (HISTORY, "model"), "model must be the Keras model that was trained"),
        ("03.6", (1.2, 0.9), "train_accuracy must be a number from 0 to 1"),
        ("03.6", (0.8, "high"), "val_accuracy must be a number from 0 to 1"),
        ("03.7", (HISTORY,), "history has no 'batch_stats_loss', 'moving_avg_loss'"),
        ("03.8", ({"batch_stats_loss": [0.3]},), "history has no 'small_batch_loss'"),
    ],
)
def test_a_check_refuses_what_is_not_its_run_in_one_sentence(exercise_id, run, message):
    with pytest.raises((TypeError, ValueError), match=message):
        check(exercise_id, *run)


def test_the_sanity_check_says_not_yet_without_the_again_curves_and_when_they_differ():
    assert "no again_accuracy" in str(check("03.4", HISTORY))
    differ = check("03.4", {**HISTORY, "again_accuracy": [0.6, 0.9], "again_loss": [0.9, 0.6]})
    assert not differ.passed and "score the validation set" in differ.hint
    assert check("03.4", {**HISTORY, "again_accuracy": [0.6, 0.8], "again_loss": [0.9, 0.6]}).passed


def test_the_wrong_labels_check_reads_numpy_numbers():
    assert check("03.6", np.float32(0.55), np.float64(0.85)).passed
    assert not check("03.6", 0.75, 0.89).passed

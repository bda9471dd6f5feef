"""Lesson 04 (class imbalance): its class-weights claim can fail, and the facts it only prints hold.

The can-fail test trains the lesson's model twice, the second time with every class weight 1 (the
cause removed), and runs the lesson's own "what you should see" cell on that pair: the lines that
credit class weights must then print "no". The other tests hold what the lesson prints for the
learner without checking it in the notebook: arithmetic (the balanced weights, the loss of an
untrained model) and an API fact (scikit-learn's keyword-only ``compute_class_weight``).
"""

from __future__ import annotations

import numpy as np
import pytest
from lesson_cells import lesson_namespace, line_with, run_cell, saved_lines
from sklearn.utils import class_weight

from lessons_lib.imbalance import mnist_rare_digit

NOTEBOOK = "04_class_imbalance.ipynb"
CHECKED_CELL = "class weights find far more 9s"
SEED = 42
#: The lines of the checked cell that credit class weights (the doctor's line is not one of them).
WEIGHT_LINES = (
    "class weights find far more 9s",
    "class weights find most of the 9s",
    "balanced accuracy at least 0.1 higher",
    "accuracy at least 0.02 lower",
    "precision for 9s at least 0.2 lower",
    "validation loss at least 1.5 times as high",
)


@pytest.fixture(scope="module")
def lesson() -> dict:
    """The lesson's imports, helpers, data and ``build_model``, run from the saved notebook."""
    return lesson_namespace(NOTEBOOK, "def yes_no", "mnist_rare_digit(digit=RARE_DIGIT", "def build_model", seed=SEED)


def test_without_class_weights_the_class_weight_lines_print_no(lesson):
    import keras
    import matplotlib.pyplot as plt

    namespace = dict(lesson)
    keras.utils.set_random_seed(SEED)
    run_cell(NOTEBOOK, "plain = build_model()", namespace)
    run_cell(NOTEBOOK, "p_plain = plain.predict", namespace)
    run_cell(NOTEBOOK, "classes = np.unique(y_train)", namespace)  # the lesson's balanced weights ...
    namespace["weights"] = np.ones(2)  # ... replaced: the cause removed, both classes weigh 1
    run_cell(NOTEBOOK, "weighted = build_model()", namespace)
    assert namespace["class_weights_dict"] == {0: 1.0, 1: 1.0}
    run_cell(NOTEBOOK, "p_weighted = weighted.predict", namespace)
    plt.close("all")

    printed = run_cell(NOTEBOOK, CHECKED_CELL, namespace)
    saved = saved_lines(NOTEBOOK, CHECKED_CELL)
    for start in WEIGHT_LINES:
        assert line_with(saved, start).endswith(": yes"), line_with(saved, start)
        assert line_with(printed, start).endswith(": no"), line_with(printed, start)


def test_the_seeds_positional_call_raises_type_error():
    y = np.array([0, 0, 0, 1])
    with pytest.raises(TypeError):
        class_weight.compute_class_weight("balanced", np.unique(y), y)  # seed 002's call
    weights = class_weight.compute_class_weight(class_weight="balanced", classes=np.unique(y), y=y)
    assert weights == pytest.approx([4 / 6, 4 / 2])


@pytest.mark.parametrize("seed", [SEED, 7])
def test_the_rare_digit_split_and_its_balanced_weights(seed):
    x_train, y_train, x_val, y_val = mnist_rare_digit(digit=9, rare_fraction=0.03, seed=seed)
    assert (len(y_train), int(y_train.sum()), len(y_val), int(y_val.sum())) == (3711, 111, 928, 28)
    assert 1 - y_val.mean() == pytest.approx(0.970, abs=5e-4)  # the majority baseline the lesson prints
    classes = np.unique(y_train)
    weights = class_weight.compute_class_weight(class_weight="balanced", classes=classes, y=y_train)
    counts = np.bincount(y_train)
    np.testing.assert_allclose(weights, len(y_train) / (len(classes) * counts))  # n / (k * count)
    np.testing.assert_allclose(counts * weights, len(y_train) / 2)  # each class weighs the same in total
    assert weights[1] / weights[0] > 30  # a 9 weighs 3600 / 111 = 32 times as much


def test_an_untrained_model_starts_at_ln2_and_with_the_bias_trick_at_the_label_entropy(lesson):
    x_train, y_train, build_model = lesson["x_train"], lesson["y_train"], lesson["build_model"]
    p = y_train.mean()
    entropy = -(p * np.log(p) + (1 - p) * np.log(1 - p))

    def initial_loss(bias: float) -> float:
        return build_model(output_bias=bias).evaluate(x_train, y_train, verbose=0, return_dict=True)["loss"]

    assert initial_loss(0.0) == pytest.approx(np.log(2), abs=1e-3)  # a zero kernel says 0.5 for every image
    assert initial_loss(float(np.log(p / (1 - p)))) == pytest.approx(entropy, abs=1e-3)

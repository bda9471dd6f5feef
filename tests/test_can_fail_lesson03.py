"""Lesson 03's checked lines can fail: without their cause, the lesson's own cells print the other answer.

Lesson 03 claims that during ``fit`` validation looks better than training (accuracy above,
loss below), because the training numbers are measured with dropout on and averaged over the
epoch. Remove both causes, by training the lesson's model with both ``Dropout`` layers at 0 and
taking the training curves from ``InferenceModeMetrics`` (dropout off, end of epoch, exactly
as validation is measured), and the lesson's checked cells, run as saved in the notebook, must
say ``NO`` where the saved notebook says ``yes``. A smaller training set (1,500 images instead
of 3,000) keeps this fast; the cells' logic does not depend on the set's size.

The last test covers the Keras property the lesson prints but does not check (it is not a
property of the run): an L2 penalty is part of the loss that ``evaluate`` reports.
"""

from __future__ import annotations

import ast

import keras
import numpy as np
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from lesson_cells import cell_source, line_with, run_cell, saved_lines

import lessons_lib
from lessons_lib.callbacks import InferenceModeMetrics
from lessons_lib.data import load_mnist

NOTEBOOK = "03_dropout_val_above_train.ipynb"
FIT_CELL = "n_below = int("  # the checked cell: validation above training during fit
DOCTOR_CELL = "reading = lessons_lib.diagnose("  # the checked cell: the curve doctor's reading
MODEL_CELL = "def build_cnn("
SEED = 42
EPOCHS = 6
N_TRAIN = 1500

ACCURACY_LINE = "validation accuracy above training accuracy during fit"
LOSS_LINE = "validation loss below training loss during fit"
EVALUATE_LINE = "after evaluate, training accuracy above validation accuracy"
DOCTOR_LINE = "the doctor names val_better_than_train"


def lesson_yes():
    """The lesson's own ``yes`` (defined in its first cell, which also holds IPython-only lines)."""
    code = TransformerManager().transform_cell(cell_source(NOTEBOOK, "def yes("))
    (definition,) = [node for node in ast.parse(code).body if isinstance(node, ast.FunctionDef) and node.name == "yes"]
    namespace: dict = {}
    exec(compile(ast.Module([definition], type_ignores=[]), NOTEBOOK, "exec"), namespace)  # noqa: S102
    return namespace["yes"]


@pytest.fixture(scope="module")
def cause_removed() -> dict:
    """The lesson's scenario without dropout, training curves measured in inference mode."""
    x_train, y_train, x_val, y_val = load_mnist(N_TRAIN, 500)
    x_train = x_train.reshape(-1, 28, 28, 1).astype("float32")
    x_val = x_val.reshape(-1, 28, 28, 1).astype("float32")
    Y_train, Y_val = keras.utils.to_categorical(y_train, 10), keras.utils.to_categorical(y_val, 10)
    namespace = {"keras": keras}
    run_cell(NOTEBOOK, MODEL_CELL, namespace)  # the lesson's build_cnn, as saved
    keras.utils.set_random_seed(SEED)
    model = namespace["build_cnn"](conv_dropout=0.0, dense_dropout=0.0)
    fitted = model.fit(
        x_train,
        Y_train,
        batch_size=64,
        epochs=EPOCHS,
        verbose=0,
        validation_data=(x_val, Y_val),
        callbacks=[InferenceModeMetrics(x_train, Y_train)],
    ).history
    h = {
        "loss": fitted["eval_loss"],  # the training set measured like the validation set
        "accuracy": fitted["eval_accuracy"],
        "val_loss": fitted["val_loss"],
        "val_accuracy": fitted["val_accuracy"],
    }
    return {
        "h": h,
        "train_score": model.evaluate(x_train, Y_train, verbose=0),
        "test_score": model.evaluate(x_val, Y_val, verbose=0),
        "EPOCHS": EPOCHS,
        "np": np,
        "lessons_lib": lessons_lib,
        "yes": lesson_yes(),
    }


def test_the_saved_lesson_says_yes():
    fit_lines = saved_lines(NOTEBOOK, FIT_CELL)
    for start in (ACCURACY_LINE, LOSS_LINE, EVALUATE_LINE):
        assert line_with(fit_lines, start).endswith(": yes"), fit_lines
    assert line_with(saved_lines(NOTEBOOK, DOCTOR_CELL), DOCTOR_LINE).endswith(": yes")


def test_without_dropout_and_averaging_validation_no_longer_beats_training(cause_removed):
    lines = run_cell(NOTEBOOK, FIT_CELL, dict(cause_removed))
    assert line_with(lines, ACCURACY_LINE).endswith(": NO"), lines
    assert line_with(lines, LOSS_LINE).endswith(": NO"), lines
    # the line that does not depend on the cause still holds: evaluate puts training on top
    assert line_with(lines, EVALUATE_LINE).endswith(": yes"), lines


def test_without_dropout_and_averaging_the_doctor_does_not_name_the_pattern(cause_removed):
    lines = run_cell(NOTEBOOK, DOCTOR_CELL, dict(cause_removed))
    assert line_with(lines, DOCTOR_LINE).endswith(": NO"), lines


def test_an_l2_penalty_is_part_of_the_loss_evaluate_reports():
    """The FAQ says L1/L2 are off at testing time; in Keras 3 ``evaluate`` adds the penalty to the loss."""
    keras.utils.set_random_seed(SEED)
    x = np.random.default_rng(SEED).random((64, 8)).astype("float32")
    y = keras.utils.to_categorical(np.arange(64) % 3, 3)
    model = keras.Sequential(
        [
            keras.Input(shape=(8,)),
            keras.layers.Dense(3, activation="softmax", kernel_regularizer=keras.regularizers.L2(0.1)),
        ]
    )
    model.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    reported = model.evaluate(x, y, verbose=0, return_dict=True)["loss"]
    cross_entropy = float(keras.ops.mean(keras.losses.categorical_crossentropy(y, model.predict(x, verbose=0))))
    penalty = float(sum(model.losses))
    assert penalty > 0.01
    assert reported == pytest.approx(cross_entropy + penalty, abs=1e-4)

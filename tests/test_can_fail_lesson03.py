"""Lesson 03's checked lines can fail: without their cause, the lesson's own cells print the other answer.

Lesson 03 claims that during ``fit`` validation looks better than training (accuracy above,
loss below), because the training numbers are measured with dropout on and averaged over the
epoch. Remove both causes, by training the lesson's model with both ``Dropout`` layers at 0 and
taking the training curves from ``InferenceModeMetrics`` (dropout off, end of epoch, exactly
as validation is measured), and the lesson's checked cells, run as saved in the notebook, must
say ``NO`` where the saved notebook says ``yes``. A smaller training set (1,500 images instead
of 3,000) keeps this fast; the cells' logic does not depend on the set's size.

The lesson's batch-normalization section claims that early in training the moving averages
lag, so the training set scores worse in inference mode than in training mode, that the gap
closes within the run as the averages catch up, and that the validation loss shares the lag.
Its network, built by the lesson's own ``build_bn_net``, is trained here with other momenta:
at 0.5 the averages follow the last few batches and do not lag, so every line says ``NO``; at
0.999 they lag all the more and do not catch up within the run, so the catch-up line says
``NO`` while the two lines about the lag still say ``yes``.

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
from lessons_lib.callbacks import InferenceModeMetrics, TrainingModeMetrics
from lessons_lib.data import load_mnist

NOTEBOOK = "03_dropout_val_above_train.ipynb"
FIT_CELL = "n_below = int("  # the checked cell: validation above training during fit
DOCTOR_CELL = "reading = lessons_lib.diagnose("  # the checked cell: the curve doctor's reading
MODEL_CELL = "def build_cnn("
BN_MODEL_CELL = "def build_bn_net("  # the cell also trains; the tests take only the function
BN_CELL = "beside = abs("  # the checked cell: batch statistics against moving averages
BN_EPOCHS = 5
SEED = 42
EPOCHS = 6
N_TRAIN = 1500

ACCURACY_LINE = "validation accuracy above training accuracy during fit"
LOSS_LINE = "validation loss below training loss during fit"
EVALUATE_LINE = "after evaluate, training accuracy above validation accuracy"
DOCTOR_LINE = "the doctor names val_better_than_train"
LAG_LINE = "epoch 1: moving averages score the training set worse than batch statistics"
CAUGHT_UP_LINE = f"by epoch {BN_EPOCHS}, the loss gap between the two modes is under a quarter"
VALIDATION_LAG_LINE = "epoch 1: validation loss nearer the moving-average training loss"


def lesson_function(contains: str, name: str, namespace: dict | None = None):
    """The function ``name`` as the lesson's cell holding ``contains`` defines it, without running the rest."""
    code = TransformerManager().transform_cell(cell_source(NOTEBOOK, contains))  # some cells hold IPython-only lines
    (definition,) = [node for node in ast.parse(code).body if isinstance(node, ast.FunctionDef) and node.name == name]
    namespace = {} if namespace is None else namespace
    exec(compile(ast.Module([definition], type_ignores=[]), NOTEBOOK, "exec"), namespace)  # noqa: S102
    return namespace[name]


def lesson_yes():
    """The lesson's own ``yes`` (defined in its first cell)."""
    return lesson_function("def yes(", "yes")


def mnist_for_cnn(n_train: int):
    """The lesson's data: images with a channel axis, one-hot labels."""
    x_train, y_train, x_val, y_val = load_mnist(n_train, 500)
    x_train = x_train.reshape(-1, 28, 28, 1).astype("float32")
    x_val = x_val.reshape(-1, 28, 28, 1).astype("float32")
    return x_train, keras.utils.to_categorical(y_train, 10), x_val, keras.utils.to_categorical(y_val, 10)


@pytest.fixture(scope="module")
def cause_removed() -> dict:
    """The lesson's scenario without dropout, training curves measured in inference mode."""
    x_train, Y_train, x_val, Y_val = mnist_for_cnn(N_TRAIN)
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


def bn_run(momentum: float) -> dict:
    """The lesson's batch-normalization run (its data, network and callbacks) with another momentum."""
    x_train, Y_train, x_val, Y_val = mnist_for_cnn(3000)
    build_bn_net = lesson_function(BN_MODEL_CELL, "build_bn_net", {"keras": keras})
    keras.utils.set_random_seed(SEED)
    model = build_bn_net(momentum=momentum)
    h_bn = model.fit(
        x_train,
        Y_train,
        batch_size=64,
        epochs=BN_EPOCHS,
        verbose=0,
        validation_data=(x_val, Y_val),
        callbacks=[
            InferenceModeMetrics(x_train, Y_train, prefix="moving_avg_"),
            TrainingModeMetrics(x_train, Y_train, prefix="batch_stats_", batch_size=64),
        ],
    ).history
    return {"h_bn": h_bn, "BN_EPOCHS": BN_EPOCHS, "np": np, "yes": lesson_yes()}


def test_the_saved_lesson_says_yes_about_batch_normalization():
    lines = saved_lines(NOTEBOOK, BN_CELL)
    for start in (LAG_LINE, CAUGHT_UP_LINE, VALIDATION_LAG_LINE):
        assert line_with(lines, start).endswith(": yes"), lines


def test_batch_normalization_lines_say_no_when_the_moving_averages_do_not_lag():
    """Momentum 0.5: the averages follow the last few batches, so inference mode has nothing to lag behind."""
    lines = run_cell(NOTEBOOK, BN_CELL, bn_run(momentum=0.5))
    for start in (LAG_LINE, CAUGHT_UP_LINE, VALIDATION_LAG_LINE):
        assert line_with(lines, start).endswith(": NO"), lines


def test_batch_normalization_catch_up_line_says_no_when_the_averages_are_too_slow():
    """Momentum 0.999: after 5 epochs of 47 steps, 79% of the starting values are still in the averages."""
    lines = run_cell(NOTEBOOK, BN_CELL, bn_run(momentum=0.999))
    assert line_with(lines, CAUGHT_UP_LINE).endswith(": NO"), lines
    assert line_with(lines, LAG_LINE).endswith(": yes"), lines
    assert line_with(lines, VALIDATION_LAG_LINE).endswith(": yes"), lines


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

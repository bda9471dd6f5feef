"""Lessons 06 and 10: what their checked lines may claim, and proof that those lines can fail.

A "what you should see" line must be able to fail when the phenomenon is gone. Some facts the
lessons print cannot: they follow from what Keras's ``EarlyStopping`` guarantees, or from a fixed
seed. Those lines are printed in unchecked cells, and the guarantees are tested here, once, on
validation curves written by hand (no training: a curve is all the callback reads). The
can-fail tests at the end run the lessons' checked cells, as saved, on hand-written curves
without the phenomenon, and expect "no".
"""

from __future__ import annotations

from types import SimpleNamespace

import keras
import numpy as np
import pytest
from lesson_cells import line_with, run_cell, saved_lines

import lessons_lib


def _replay(callback: keras.callbacks.EarlyStopping, val_loss: list[float]) -> tuple[int, int]:
    """Feed ``val_loss`` to ``callback`` epoch by epoch, as ``fit`` would.

    Before each epoch's end the model's only weight is set to that epoch's number (from 1), so the
    weight the model ends with names the epoch whose weights it kept. Returns the number of epochs
    run and that epoch.
    """
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1, use_bias=False)])
    model.stop_training = False
    callback.set_model(model)
    callback.on_train_begin()
    epochs_run = 0
    for epoch, value in enumerate(val_loss):
        model.set_weights([np.full((1, 1), epoch + 1, dtype="float32")])
        callback.on_epoch_end(epoch, {"val_loss": value})
        epochs_run = epoch + 1
        if model.stop_training:
            break
    callback.on_train_end()
    return epochs_run, int(model.get_weights()[0][0, 0])


# A dropout-like validation curve: falls, wobbles up at epoch 4, reaches a first low at epoch 6,
# stays above it for 5 epochs, then falls lower again at epoch 13 (a minimum the callback never sees).
WOBBLY = [1.0, 0.8, 0.7, 0.72, 0.6, 0.5, 0.55, 0.53, 0.58, 0.52, 0.56, 0.45, 0.40, 0.42]


def test_patience_stops_patience_epochs_after_the_best_epoch_seen_and_restores_it():
    callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
    epochs_run, kept = _replay(callback, WOBBLY)
    assert (epochs_run, kept, callback.best_epoch + 1) == (11, 6, 6)
    # The lower minimum at epoch 13 was never reached: "best" means best seen before stopping.
    assert min(WOBBLY) < WOBBLY[kept - 1]


def test_keras_defaults_stop_at_the_first_epoch_that_is_no_new_best_and_keep_its_weights():
    callback = keras.callbacks.EarlyStopping(monitor="val_loss")  # patience=0, restore_best_weights=False
    epochs_run, kept = _replay(callback, WOBBLY)
    assert (epochs_run, kept) == (4, 4)
    assert WOBBLY[kept - 1] > min(WOBBLY[:kept])


def test_without_restore_the_model_keeps_the_last_epoch_five_past_the_best():
    callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5)
    assert _replay(callback, WOBBLY) == (11, 11)


@pytest.mark.parametrize("seed", range(50))
def test_patience_with_restore_never_ends_worse_than_the_defaults_on_the_same_curve(seed):
    """Why lesson 06 does not check "patience=5 with restore ends lower than the defaults".

    On one curve (the two runs retrace each other: same seed, same data), patience runs at least as
    long as the defaults and keeps the lowest value it saw, so it can never end above them. How
    *much* lower it ends is the lesson's checked claim; that it is not higher is a guarantee.
    """
    rng = np.random.default_rng(seed)
    curve = list(np.exp(-np.linspace(0, 2, 40)) + rng.normal(0, 0.05, 40) + np.linspace(0, 0.5, 40) ** 2)
    patient_epochs, patient_kept = _replay(
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True), curve
    )
    default_epochs, default_kept = _replay(keras.callbacks.EarlyStopping(monitor="val_loss"), curve)
    assert patient_epochs >= default_epochs
    assert curve[patient_kept - 1] <= curve[default_kept - 1]


def _dropout_run(seed: int, epochs: int) -> list[float]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 20)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(20,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(x[:192], y[:192], validation_data=(x[192:], y[192:]), epochs=epochs, verbose=0)
    return history.history["val_loss"]


def test_same_seed_same_data_same_run_dropout_included():
    """Why lesson 06's early-stopped runs retrace its 30-epoch dropout run: the seed's doing, not the phenomenon's."""
    assert np.allclose(_dropout_run(3, epochs=4), _dropout_run(3, epochs=6)[:4])
    assert not np.allclose(_dropout_run(3, epochs=4), _dropout_run(4, epochs=4))


# ---------------------------------------------------------------------------------------------
# Can-fail: the lessons' own checked cells (exact saved source) print "no" on curves without
# the phenomenon. Curves are written by hand: the cells read nothing but the histories.

LESSON_06 = "06_overfitting_regularization_early_stopping.ipynb"
LESSON_10 = "10_improvement_checklist_part2.ipynb"


def _falling(start: float, end: float, epochs: int) -> list[float]:
    """A curve that falls geometrically from ``start`` to ``end``: no minimum before the last epoch."""
    return list(np.geomspace(start, end, epochs))


def _run(loss, val_loss, accuracy, val_accuracy, **more) -> SimpleNamespace:
    return SimpleNamespace(
        history={"loss": loss, "val_loss": val_loss, "accuracy": accuracy, "val_accuracy": val_accuracy, **more}
    )


def _healthy(epochs: int, final_loss: float = 0.05, final_accuracy: float = 0.95) -> SimpleNamespace:
    """Both curves fall and level off together, with a small gap: nothing overfits."""
    return _run(
        _falling(2.0, final_loss, epochs),
        _falling(2.0, final_loss * 2, epochs),
        list(np.linspace(0.3, final_accuracy, epochs)),
        list(np.linspace(0.3, final_accuracy - 0.03, epochs)),
    )


def _namespace(**names) -> dict:
    return {"np": np, "lessons_lib": lessons_lib, "yes_no": lambda c: "yes" if c else "no", **names}


def _answers(lines: list[str]) -> list[str]:
    return [line.rsplit(": ", 1)[1] for line in lines]


def test_lesson06_capacity_lines_say_no_when_the_large_model_does_not_overfit():
    epochs = 30
    healthy = _healthy(epochs)
    namespace = _namespace(EPOCHS=epochs, histories={"small": healthy, "medium": healthy}, history_large=healthy)
    lines = run_cell(LESSON_06, "large: training loss below 0.01 at the end", namespace)
    assert line_with(lines, "medium: training accuracy at least 10 points above").endswith(": no")
    for start in (
        "large: training loss below 0.01",
        "large: validation loss lowest at least 10 epochs",
        "large: validation loss at the end at least 10%",
        "doctor, large: finds overfitting",
    ):
        assert line_with(lines, start).endswith(": no"), start
    assert set(_answers(saved_lines(LESSON_06, "large: training loss below 0.01 at the end"))) == {"yes"}


def test_lesson06_dropout_lines_say_no_when_dropout_changes_nothing_or_a_lot():
    epochs = 30
    plain = _run(
        _falling(2.0, 0.001, epochs),
        [*_falling(1.5, 0.42, 6), *np.linspace(0.43, 0.48, epochs - 6)],
        list(np.linspace(0.4, 1.0, epochs)),
        list(np.linspace(0.6, 0.85, epochs)),
    )
    lines = run_cell(LESSON_06, "memorising slowed down", _namespace(history_large=plain, history_dropout=plain))
    assert line_with(lines, "dropout: training loss at the end at least 10 times").endswith(": no")
    much_better = _healthy(epochs, final_loss=0.1)  # validation loss 0.2 at its lowest, at the last epoch
    lines = run_cell(LESSON_06, "memorising slowed down", _namespace(history_large=plain, history_dropout=much_better))
    assert line_with(lines, "dropout: lowest validation loss within 0.05").endswith(": no")
    assert line_with(lines, "dropout: validation loss at the end at least 5% above").endswith(": no")


def test_lesson06_early_stopping_lines_say_no_on_a_smooth_curve_and_a_late_dip():
    epochs = 30
    smooth = [*_falling(1.5, 0.40, 10), *np.linspace(0.401, 0.45, epochs - 10)]  # one minimum, no wobble
    # The defaults stop one epoch past the minimum (0.001 higher); patience restores the minimum.
    namespace = _namespace(
        EPOCHS=epochs,
        scores_default={"loss": 0.401},
        scores_patient={"loss": 0.40},
        history_dropout=SimpleNamespace(history={"val_loss": smooth}),
    )
    lines = run_cell(LESSON_06, "defaults stopped at a wobble", namespace)
    assert line_with(lines, "defaults stopped at a wobble").endswith(": no")
    late_dip = [*smooth[:20], *np.linspace(0.38, 0.30, epochs - 20)]  # falls again after the callback stopped
    namespace["history_dropout"] = SimpleNamespace(history={"val_loss": late_dip})
    lines = run_cell(LESSON_06, "defaults stopped at a wobble", namespace)
    assert line_with(lines, "patience=5 restored a validation loss within 0.01").endswith(": no")


def test_lesson10_capacity_lines_say_no_when_nothing_memorises_the_wrong_labels():
    epochs = 12
    no_memorising = _healthy(epochs, final_loss=0.6, final_accuracy=0.8)
    runs = {"large": no_memorising, "large + dropout": no_memorising, "small": no_memorising}
    lines = run_cell(LESSON_10, "learned at least half of the 100 wrong labels", _namespace(capacity_runs=runs))
    for start in ("large: training accuracy above 0.9", "large: the curve doctor finds overfitting", "dropout: final"):
        assert line_with(lines, start).endswith(": no"), start
    assert set(_answers(saved_lines(LESSON_10, "learned at least half of the 100 wrong labels"))) == {"yes"}


def test_lesson10_early_stopping_line_says_no_when_the_callback_never_stops():
    stopped = SimpleNamespace(history={"loss": _falling(2.0, 0.1, 50)})
    lines = run_cell(LESSON_10, "stopped long before epoch 50", _namespace(stopped=stopped))
    assert lines == ["stopped long before epoch 50 (the validation loss stopped improving early): no"]

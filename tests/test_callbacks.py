"""The epoch-end measuring callbacks: their curves, their honesty, and that they leave training alone."""

import keras
import numpy as np
import pytest

from lessons_lib.callbacks import InferenceModeMetrics, TrainingModeMetrics, half_epoch_estimate

EPOCHS = 4
FIT_CURVES = ("loss", "accuracy", "val_loss", "val_accuracy")


def toy_data(n, seed):
    """Two classes split by a plane in 20 dimensions: easy, so heavy dropout is the only handicap."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 20)).astype("float32")
    y = keras.utils.to_categorical((x @ np.linspace(-1, 1, 20) > 0).astype("int64"), 2)
    return x, y


X_TRAIN, Y_TRAIN = toy_data(512, seed=0)
X_VAL, Y_VAL = toy_data(256, seed=1)


def heavy_dropout_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(20,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.8),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def train(*callbacks):
    model = heavy_dropout_model()
    history = model.fit(
        X_TRAIN,
        Y_TRAIN,
        batch_size=32,
        epochs=EPOCHS,
        verbose=0,
        validation_data=(X_VAL, Y_VAL),
        callbacks=list(callbacks),
    )
    return history.history


@pytest.fixture(scope="module")
def measured():
    return train(InferenceModeMetrics(X_TRAIN, Y_TRAIN), TrainingModeMetrics(X_TRAIN, Y_TRAIN))


def test_their_curves_land_in_the_history(measured):
    for key in ("eval_loss", "eval_accuracy", "dropout_on_loss", "dropout_on_accuracy"):
        assert len(measured[key]) == EPOCHS, key


def test_with_dropout_off_the_training_set_scores_higher_than_fit_reports(measured):
    fit, inference = np.array(measured["accuracy"]), np.array(measured["eval_accuracy"])
    assert (inference > fit + 0.02).all(), (fit, inference)
    assert (np.array(measured["eval_loss"]) < np.array(measured["loss"])).all()
    # dropout on at the epoch end sits between: below the inference-mode score
    assert (np.array(measured["dropout_on_accuracy"]) < inference).all()


def test_they_do_not_change_what_fit_reports(measured):
    plain = train()
    for key in FIT_CURVES:
        assert measured[key] == plain[key], key


def test_inference_mode_on_the_validation_set_reproduces_val_metrics():
    history = train(InferenceModeMetrics(X_VAL, Y_VAL, prefix="again_", batch_size=64))
    np.testing.assert_allclose(history["again_accuracy"], history["val_accuracy"], atol=1e-6)
    np.testing.assert_allclose(history["again_loss"], history["val_loss"], rtol=1e-5)


def test_two_callbacks_with_one_prefix_are_refused():
    message = r"^the epoch logs already have 'eval_accuracy': give each InferenceModeMetrics its own prefix$"
    with pytest.raises(ValueError, match=message):
        train(InferenceModeMetrics(X_TRAIN, Y_TRAIN), InferenceModeMetrics(X_VAL, Y_VAL))


def test_half_epoch_estimate_is_the_mean_of_each_epochs_start_and_end():
    assert half_epoch_estimate([0.5, 0.7, 0.8], before_training=0.1) == pytest.approx([0.3, 0.6, 0.75])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: InferenceModeMetrics(X_TRAIN, Y_TRAIN, prefix=""), "prefix must be a non-empty string other than"),
        (lambda: InferenceModeMetrics(X_TRAIN, Y_TRAIN, prefix="val_"), "prefix must be a non-empty string other than"),
        (lambda: TrainingModeMetrics(X_TRAIN, Y_TRAIN, prefix=3), "prefix must be a non-empty string other than"),
        (lambda: InferenceModeMetrics(X_TRAIN, Y_TRAIN, batch_size=0), "batch_size must be >= 1, got 0"),
        (lambda: InferenceModeMetrics(X_TRAIN, Y_TRAIN, batch_size=2.5), "batch_size must be an integer, got 2.5"),
        (lambda: InferenceModeMetrics(X_TRAIN, Y_VAL), "x and y must hold the same number of samples, got 512 and 256"),
        (lambda: TrainingModeMetrics(X_TRAIN[:0], Y_TRAIN[:0]), "x must hold at least one sample, got 0"),
        (lambda: InferenceModeMetrics(7, Y_TRAIN), "x must be an array of samples, got int"),
        (lambda: half_epoch_estimate([], before_training=0.1), "end_of_epoch must hold at least one value, got none"),
        (lambda: half_epoch_estimate([0.5, None], 0.1), r"end_of_epoch\[1\] must be a finite number, got None"),
        (lambda: half_epoch_estimate([0.5], "0.1"), "before_training must be a finite number, got '0.1'"),
    ],
)
def test_bad_arguments_raise_one_sentence(call, message):
    with pytest.raises(ValueError, match=message) as error:
        call()
    assert "\n" not in str(error.value)

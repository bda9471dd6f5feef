"""The learning-rate range test: its sweep, its per-batch losses, its stopping rule, its reading."""

import math

import keras
import numpy as np
import pytest

from lessons_lib.lr_range import LearningRateRangeTest


def regression_data(n=64, seed=0):
    """A linear target in 4 features: SGD learns it at moderate rates and blows up at large ones."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5, 3.0]) + 1.0).astype("float32")
    return x, y


def linear_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mean_squared_error")
    return model


def prepared(test, steps, epochs=1):
    """Hand the callback fit's parameters without training, to read its schedule."""
    test.set_params({"steps": steps, "epochs": epochs, "verbose": 0})
    test.on_train_begin()
    return test


def test_the_rate_grows_by_the_same_factor_from_min_to_max():
    test = prepared(LearningRateRangeTest(1e-3, 10.0), steps=5)
    rates = [test.learning_rate_at(step) for step in range(5)]
    np.testing.assert_allclose(rates, [1e-3, 1e-2, 1e-1, 1.0, 10.0], rtol=1e-9)


def test_the_sweep_spans_every_batch_of_the_fit_call_unless_steps_is_given():
    assert prepared(LearningRateRangeTest(), steps=8, epochs=3)._total_steps == 24
    assert prepared(LearningRateRangeTest(steps=10), steps=8, epochs=3)._total_steps == 10


def test_recorded_losses_are_each_batchs_own_loss_not_keras_running_mean():
    # A rate of ~1e-12 leaves the weights as they are, so each batch's loss can be measured
    # independently with evaluate and compared with what the callback recovered.
    x, y = regression_data(n=32)
    y[:8] *= 10.0  # batches with very different losses make a running mean easy to tell apart
    model = linear_model()
    test = LearningRateRangeTest(1e-12, 2e-12)
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, callbacks=[test], verbose=0)
    expected = [model.evaluate(x[i : i + 8], y[i : i + 8], verbose=0) for i in range(0, 32, 8)]
    # The last batch of an epoch is not recorded (it may be smaller than the others).
    np.testing.assert_allclose(test.losses, expected[:3], rtol=1e-4)


def test_it_sets_the_optimizer_rate_and_stops_after_the_sweep():
    x, y = regression_data(n=64)
    model = linear_model()
    test = LearningRateRangeTest(1e-4, 1e-2, steps=6)
    model.fit(x, y, batch_size=16, epochs=5, callbacks=[test], verbose=0)  # 4 steps per epoch
    assert model.optimizer.iterations.numpy() == 6
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(1e-2)
    assert len(test.losses) == len(test.learning_rates) == len(test.smoothed_losses) == 5  # 6 minus one epoch end
    assert test.learning_rates == sorted(test.learning_rates)


def test_a_loss_that_blows_up_stops_the_sweep_early_and_sits_right_of_the_best_rate():
    x, y = regression_data(n=256)
    model = linear_model()
    test = LearningRateRangeTest(1e-4, 100.0, steps=64)
    model.fit(x, y, batch_size=8, epochs=2, callbacks=[test], verbose=0)
    assert model.optimizer.iterations.numpy() < 64
    assert test.smoothed_losses[-1] > 4 * min(test.smoothed_losses) or not math.isfinite(test.losses[-1])
    assert 1e-3 < test.best_learning_rate() < test.learning_rates[-1]
    assert test.suggestion() == pytest.approx(0.1 * test.best_learning_rate())
    assert test.suggestion(0.5) == pytest.approx(0.5 * test.best_learning_rate())


def test_smoothing_starts_unbiased():
    test = prepared(LearningRateRangeTest(smoothing=0.9), steps=10)
    test.set_model(linear_model())
    test._rate = 1e-3
    test._record(2.0)
    assert test.smoothed_losses == [pytest.approx(2.0)]  # not 0.2: bias correction


def test_reading_before_training_says_what_to_do():
    with pytest.raises(ValueError, match="recorded no loss yet"):
        LearningRateRangeTest().suggestion()


def test_unknown_epoch_length_needs_steps():
    with pytest.raises(ValueError, match="steps must be given"):
        prepared(LearningRateRangeTest(), steps=None)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"min_learning_rate": 0}, "min_learning_rate must be > 0"),
        ({"min_learning_rate": 1.0, "max_learning_rate": 0.5}, "max_learning_rate must be > 1.0"),
        ({"steps": 1}, "steps must be >= 2"),
        ({"smoothing": 1.0}, "smoothing must be < 1"),
        ({"stop_factor": 1.0}, "stop_factor must be > 1"),
        ({"max_learning_rate": math.inf}, "max_learning_rate must be a finite number"),
    ],
)
def test_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        LearningRateRangeTest(**arguments)


def test_bad_fraction():
    test = prepared(LearningRateRangeTest(), steps=4)
    test.set_model(linear_model())
    test._rate = 0.1
    test._record(1.0)
    with pytest.raises(ValueError, match="fraction must be > 0"):
        test.suggestion(0)


def test_a_model_that_runs_several_batches_per_call_is_refused_with_the_fix():
    x, y = regression_data()
    model = linear_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mean_squared_error", steps_per_execution=4)
    with pytest.raises(ValueError, match="steps_per_execution must be 1 .* got 4"):
        model.fit(x, y, batch_size=8, epochs=1, callbacks=[LearningRateRangeTest()], verbose=0)

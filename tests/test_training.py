"""FastFit trains as model.fit does: same numbers, in a fraction of the time."""

import numpy as np
import pytest

from lessons_lib.session import quiet_tensorflow

quiet_tensorflow()

import keras  # noqa: E402

from lessons_lib.data import load_mnist, mnist_one_vs_rest  # noqa: E402
from lessons_lib.models import dropout_cnn, house_price_model, mnist_dense_model  # noqa: E402
from lessons_lib.synthetic import house_prices  # noqa: E402
from lessons_lib.training import FastFit, class_weight_to_sample_weight, epoch_orders  # noqa: E402

RELATIVE = 1e-4


def assert_same_history(ours, keras_history):
    assert sorted(ours) == sorted(keras_history)
    for name, expected in keras_history.items():
        np.testing.assert_allclose(ours[name], expected, rtol=RELATIVE, err_msg=name)


@pytest.fixture(scope="module")
def houses():
    features, prices = house_prices(100, 0.1, seed=42)
    return features[:80], prices[:80], features[80:], prices[80:]


def test_regression_curves_equal_model_fit(houses):
    """Seed 000's regression, unshuffled: every epoch's loss and val_loss as model.fit reports them.

    Batches of 32 over 80 rows (a last batch of 16): the epoch loss is fit's batch-size
    weighted mean, the validation loss is measured after the epoch's last update.
    """
    x, y, x_val, y_val = houses
    keras.utils.set_random_seed(1)
    model = house_price_model(0.05)
    fast = FastFit(model)  # remembers the untrained model
    expected = model.fit(x, y, epochs=10, validation_data=(x_val, y_val), shuffle=False, verbose=0).history
    ours = fast.fit(x, y, epochs=10, validation_data=(x_val, y_val), learning_rate=0.05, shuffle=False)
    assert_same_history(ours, expected)


def test_dropout_cnn_curves_equal_model_fit_with_dropout_on():
    """Seed 001's CNN with both Dropout layers active, batch 64, one-hot labels: equal to fit.

    Exact equality holds even with dropout: Keras 3 draws dropout masks statelessly from a
    seed kept in each Dropout layer's SeedGenerator variable. FastFit restores those
    variables with the weights and calls the same train_step on the same batches in the
    same order, so both runs draw the same masks. (With shuffling on, fit's order comes
    from TensorFlow's global random state and FastFit's from its own seed, so only the
    unshuffled runs can be compared number for number.)
    """
    x, y, x_val, y_val = load_mnist(192, 64, seed=0)
    x, x_val = x[..., None], x_val[..., None]
    y, y_val = np.eye(10, dtype=np.float32)[y], np.eye(10, dtype=np.float32)[y_val]
    keras.utils.set_random_seed(2)
    model = dropout_cnn(0.25, 0.5)
    fast = FastFit(model, batch_size=64)
    expected = model.fit(
        x, y, batch_size=64, epochs=2, validation_data=(x_val, y_val), shuffle=False, verbose=0
    ).history
    ours = fast.fit(x, y, epochs=2, validation_data=(x_val, y_val), learning_rate=0.001, shuffle=False)
    assert_same_history(ours, expected)


def test_class_weights_are_applied_as_fit_applies_them():
    """class_weight becomes a weight per row: weighted loss and weighted training accuracy, as in fit."""
    x, y, x_val, y_val = mnist_one_vs_rest(3, 200, 100, seed=0)
    weights = {0: 0.55, 1: 5.0}
    keras.utils.set_random_seed(3)
    model = mnist_dense_model(units=16)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", keras.metrics.Recall()])
    fast = FastFit(model)
    expected = model.fit(
        x, y, epochs=2, validation_data=(x_val, y_val), class_weight=weights, shuffle=False, verbose=0
    ).history
    ours = fast.fit(x, y, epochs=2, validation_data=(x_val, y_val), class_weight=weights, shuffle=False)
    assert_same_history(ours, expected)


def test_every_run_starts_from_the_same_state_and_chunks_change_nothing(houses):
    x, y, x_val, y_val = houses
    fast = FastFit(house_price_model(0.01))
    whole = fast.fit(x, y, epochs=12, validation_data=(x_val, y_val), seed=5)
    reports = []
    chunked = fast.fit(
        x, y, epochs=12, validation_data=(x_val, y_val), seed=5, progress=reports.append, progress_interval=0
    )
    assert chunked == whole
    assert reports and all(len(report["loss"]) < 12 for report in reports)
    assert [len(report["loss"]) for report in reports] == sorted(len(report["loss"]) for report in reports)
    first_part = fast.fit(x, y, epochs=5, validation_data=(x_val, y_val), seed=5)
    assert first_part == {name: values[:5] for name, values in whole.items()}


def test_starting_loss_is_the_untrained_models_loss(houses):
    x, y, x_val, y_val = houses
    model = house_price_model()
    fast = FastFit(model)
    untrained = model.evaluate(x, y, verbose=0)
    fast.fit(x, y, epochs=3, validation_data=(x_val, y_val))
    assert fast.starting_loss(x, y) == pytest.approx(untrained, rel=RELATIVE)


def test_shuffled_curves_equal_model_fit_with_its_own_batch_order(houses):
    """With ``shuffle=True`` (fit's default) FastFit takes the rows in the order fit takes them."""
    x, y, x_val, y_val = houses
    keras.utils.set_random_seed(3)
    model = house_price_model(0.05)
    fast = FastFit(model)
    keras.utils.set_random_seed(3)
    expected = model.fit(x, y, epochs=10, validation_data=(x_val, y_val), verbose=0).history
    ours = fast.fit(x, y, epochs=10, validation_data=(x_val, y_val), learning_rate=0.05, seed=3)
    assert_same_history(ours, expected)


def test_fits_order_is_one_permutation_per_seed_repeated_every_epoch():
    """What Keras 3 does on TensorFlow under a global seed: the same shuffle in every epoch."""
    orders = epoch_orders(10, 3, seed=7)
    assert orders.shape == (3, 10) and orders.dtype == np.int32
    assert sorted(orders[0]) == list(range(10)) and not np.array_equal(orders[0], np.arange(10))
    assert np.array_equal(orders[0], orders[1]) and np.array_equal(orders[1], orders[2])
    assert np.array_equal(orders, epoch_orders(10, 3, seed=7))
    assert not np.array_equal(orders[0], epoch_orders(10, 1, seed=8)[0])
    assert np.array_equal(epoch_orders(4, 2, shuffle=False), [[0, 1, 2, 3], [0, 1, 2, 3]])


def test_fit_really_repeats_its_permutation_every_epoch():
    """The fact FastFit relies on, seen through fit itself: a model that records its batches."""

    class Recorder(keras.Model):
        batches: list[list[int]] = []

        def train_step(self, data):
            Recorder.batches.append([int(value) for value in data[0].numpy()[:, 0]])
            return {"loss": 0.0}

    keras.utils.set_random_seed(11)
    inputs = keras.Input((1,))
    model = Recorder(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    model.fit(np.arange(10, dtype="float32")[:, None], np.zeros(10), epochs=2, batch_size=10, verbose=0)
    first, second = Recorder.batches
    assert first == second == epoch_orders(10, 1, seed=11)[0].tolist()


def test_the_xla_compiled_loop_equals_model_fit(houses):
    """XLA, for lesson 01's tiny model: the same numbers, also for row counts and epochs that get padded."""
    x, y, x_val, y_val = houses
    for rows, epochs in ((80, 10), (45, 3)):
        keras.utils.set_random_seed(3)
        model = house_price_model(0.05)
        fast = FastFit(model, jit_compile=True)
        keras.utils.set_random_seed(3)
        expected = model.fit(x[:rows], y[:rows], epochs=epochs, validation_data=(x_val, y_val), verbose=0).history
        ours = fast.fit(x[:rows], y[:rows], epochs=epochs, validation_data=(x_val, y_val), learning_rate=0.05, seed=3)
        assert_same_history(ours, expected)


def test_explicit_orders_follow_fit_on_a_dataset_that_reshuffles_every_pass(houses):
    """``fit`` on a ``tf.data`` dataset shuffled with ``reshuffle_each_iteration`` trains epoch k on pass 2k.

    Keras 3 starts two passes over the dataset per epoch and trains on the first (lesson 05's
    ``image_dataset_from_directory`` is such a dataset). Given those passes' row orders,
    FastFit trains as ``fit`` did.
    """
    import tensorflow as tf

    x, y, x_val, y_val = houses
    keras.utils.set_random_seed(4)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64, seed=4).batch(32)
    model = house_price_model(0.05)
    fast = FastFit(model)
    expected = model.fit(dataset, epochs=4, validation_data=(x_val, y_val), verbose=0).history
    keras.utils.set_random_seed(4)
    rows = tf.data.Dataset.range(len(x)).shuffle(64, seed=4)
    passes = [np.fromiter(rows.as_numpy_iterator(), dtype=np.int32) for _ in range(8)]
    ours = fast.fit(x, y, epochs=4, validation_data=(x_val, y_val), learning_rate=0.05, orders=passes[::2])
    assert_same_history(ours, expected)
    with pytest.raises(ValueError, match=r"orders must have one row order per epoch, shape \(5, 80\), got \(4, 80\)"):
        fast.fit(x, y, epochs=5, validation_data=(x_val, y_val), orders=passes[::2])
    with pytest.raises(ValueError, match="each row of orders must be a permutation of the 80 row numbers"):
        fast.fit(x, y, epochs=1, validation_data=(x_val, y_val), orders=np.zeros((1, 80), dtype=int))


def test_shuffled_runs_repeat_exactly_and_differ_from_unshuffled(houses):
    x, y, x_val, y_val = houses
    fast = FastFit(house_price_model(0.01))
    shuffled = fast.fit(x, y, epochs=3, validation_data=(x_val, y_val), seed=1)
    assert shuffled == fast.fit(x, y, epochs=3, validation_data=(x_val, y_val), seed=1)
    assert shuffled != fast.fit(x, y, epochs=3, validation_data=(x_val, y_val), shuffle=False)


def test_a_diverging_run_stops_after_its_first_infinite_epoch(houses):
    x, y, x_val, y_val = houses
    history = FastFit(house_price_model()).fit(x, y, epochs=100, validation_data=(x_val, y_val), learning_rate=1.0)
    assert 1 < len(history["loss"]) < 100
    assert not np.isfinite(history["loss"][-1]) or not np.isfinite(history["val_loss"][-1])
    assert np.isfinite(history["loss"][:-1]).all()


def test_a_new_dropout_rate_gets_its_own_loop_and_the_old_one_is_kept(houses):
    inputs = keras.Input(shape=(2,))
    dropout = keras.layers.Dropout(0.5, seed=1)
    model = keras.Model(inputs, keras.layers.Dense(1)(dropout(keras.layers.Dense(8)(inputs))))
    model.compile(optimizer="sgd", loss="mse")
    x, y, x_val, y_val = houses
    fast = FastFit(model)
    with_dropout = fast.fit(x, y, epochs=3, validation_data=(x_val, y_val))
    dropout.rate = 0.0
    without = fast.fit(x, y, epochs=3, validation_data=(x_val, y_val))
    dropout.rate = 0.5
    assert without != with_dropout
    assert fast.fit(x, y, epochs=3, validation_data=(x_val, y_val)) == with_dropout
    assert len(fast._loops) == 2


def test_row_weights_from_class_weights():
    assert class_weight_to_sample_weight(np.array([0, 1, 1]), {0: 0.5, 1: 2.0}).tolist() == [0.5, 2.0, 2.0]
    one_hot = np.eye(3)[[2, 0]]
    assert class_weight_to_sample_weight(one_hot, {2: 3.0}).tolist() == [3.0, 1.0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda fast, data: fast.fit(*data, epochs=0, validation_data=data), "epochs must be >= 1, got 0"),
        (lambda fast, data: fast.fit(data[0], data[1][:3], epochs=1, validation_data=data), "x has 4 rows but"),
        (lambda fast, data: fast.fit(*data, epochs=1, validation_data=data[0]), "validation_data must be a pair"),
        (lambda fast, data: fast.fit(*data, epochs=1, validation_data=data, learning_rate=0), "learning_rate must"),
        (
            lambda fast, data: fast.fit(*data, epochs=1, validation_data=data, class_weight={0: 1}, sample_weight=[1]),
            "give class_weight or sample_weight, not both",
        ),
    ],
)
def test_bad_arguments_are_named(call, message):
    data = (np.zeros((4, 2), np.float32), np.zeros(4, np.float32))
    with pytest.raises(ValueError, match=message):
        call(FastFit(house_price_model()), data)


def test_an_uncompiled_model_is_refused():
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="model must be a compiled Keras model"):
        FastFit(model)

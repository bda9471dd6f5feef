"""Lesson 08's statements that are not properties of a run: Keras behaviour, arithmetic, code.

The lesson's checked cells ("what you should see") claim only what a run shows and could fail
to show. Some things the lesson says or prints hold by construction instead: what ``clipnorm``
clips, what ``class_weight`` weights, a schedule's arithmetic, the symmetry of all-zero weights,
that a scaler fitted before the split reads the validation rows. They would not fail for
another seed or CPU, only for another Keras or another piece of code, so they are tested here,
where a Keras upgrade that changes them fails a test, and the lesson prints them unchecked.
Where the lesson has the code, the test runs the lesson's own cell, as saved.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
from lesson_cells import line_with, run_cell
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from lessons_lib.data import load_mnist
from lessons_lib.synthetic import house_prices

PART_1 = "08_troubleshooting_checklist.ipynb"
PART_2 = "08_troubleshooting_checklist_part2.ipynb"
SEED = 42


def yes_no(condition):
    return "yes" if condition else "no"


@pytest.fixture(scope="module")
def mnist():
    return load_mnist(n_train=1000, n_val=500, flatten=True)


def test_the_fast_schedule_is_down_to_a_tenth_after_one_epoch_and_below_0_001_after_three():
    fast = keras.optimizers.schedules.ExponentialDecay(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5)
    steps_per_epoch = 32  # 1,000 images in batches of 32
    assert float(fast(steps_per_epoch)) == pytest.approx(0.1 * 0.5**3.2, rel=1e-5)
    assert 0.009 < float(fast(steps_per_epoch)) < 0.012  # "down to a tenth of its start (0.01)"
    assert float(fast(3 * steps_per_epoch)) < 0.001  # "after three epochs about 0.0001"


@pytest.mark.parametrize(("clipping", "longest_step"), [("clipnorm", 0.01 * np.sqrt(2)), ("global_clipnorm", 0.01)])
def test_clipnorm_clips_each_variable_and_global_clipnorm_all_of_them_together(clipping, longest_step):
    """With SGD a step is the learning rate times the clipped gradient: per variable or in all."""
    variables = [keras.Variable(np.zeros(3, "float32")), keras.Variable(np.zeros(4, "float32"))]
    gradients = [np.full(3, 10.0, "float32"), np.full(4, 10.0, "float32")]  # both far longer than 1
    optimizer = keras.optimizers.SGD(learning_rate=0.01, **{clipping: 1.0})
    optimizer.apply_gradients(zip(gradients, variables, strict=True))
    moves = [float(np.linalg.norm(keras.ops.convert_to_numpy(variable))) for variable in variables]
    total = float(np.sqrt(sum(move**2 for move in moves)))
    assert total == pytest.approx(longest_step, rel=1e-4)
    if clipping == "clipnorm":
        assert moves == pytest.approx([0.01, 0.01], rel=1e-4)  # each variable's step: 0.01 x 1


def test_class_weights_weight_the_training_loss_and_not_the_training_accuracy():
    """Keras 3: ``class_weight`` weights the loss; metrics in ``metrics=`` are not weighted."""
    rng = np.random.default_rng(SEED)
    x = rng.normal(size=(40, 5)).astype("float32")
    y = (np.arange(40) < 4).astype("int64")  # 4 of 40 in class 1
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="binary_crossentropy", metrics=["accuracy"])
    class_weight = {0: 0.5, 1: 5.0}
    history = model.fit(x, y, batch_size=40, epochs=1, class_weight=class_weight, verbose=0).history
    weights = np.where(y == 1, class_weight[1], class_weight[0])
    plain_loss, plain_accuracy = model.evaluate(x, y, batch_size=40, verbose=0)
    weighted_loss, _ = model.evaluate(x, y, batch_size=40, sample_weight=weights, verbose=0)
    assert abs(weighted_loss - plain_loss) > 1e-3  # the weights make a difference here
    assert history["loss"][0] == pytest.approx(weighted_loss, rel=1e-5)
    assert history["accuracy"][0] == pytest.approx(plain_accuracy, abs=1e-6)


def test_categorical_crossentropy_refuses_integer_labels(mnist):
    x_train, y_train, _, _ = mnist
    namespace = {"keras": keras, "x_train": x_train[:64], "y_train": y_train[:64]}
    printed = run_cell(PART_2, "# integer labels 0..9, not one-hot", namespace)
    assert line_with(printed, "ValueError:")


def test_a_scaler_fitted_before_the_split_reads_the_validation_rows():
    """The lesson's two pipelines, as saved: the leaky one moves the training inputs, the right one does not."""
    namespace = {"np": np, "house_prices": house_prices, "train_test_split": train_test_split, "SEED": SEED}
    run_cell(PART_2, "features, price = house_prices(", namespace)
    namespace["StandardScaler"] = StandardScaler
    printed = run_cell(PART_2, "def leaky_pipeline(", namespace)
    leaky = float(line_with(printed, "leaky:").rsplit(" ", 1)[1])
    right = float(line_with(printed, "right:").rsplit(" ", 1)[1])
    assert leaky > 0.01
    assert right == 0.0


@pytest.mark.parametrize(("initializer", "identical"), [("zeros", "yes"), ("glorot_uniform", "no")])
def test_all_zero_weights_keep_the_hidden_units_identical(mnist, initializer, identical):
    """Symmetry: units that start equal get equal gradients; the lesson's own test of it, on a short run."""
    x_train, y_train, _, _ = mnist
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(64, activation="sigmoid", kernel_initializer=initializer),
            keras.layers.Dense(10, activation="softmax", kernel_initializer=initializer),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.002), loss="sparse_categorical_crossentropy")
    model.fit(x_train[:300], y_train[:300], epochs=2, verbose=0)
    weights = model.layers[0].get_weights()[0]
    namespace = {"np": np, "yes_no": yes_no, "zeros_hidden_weights": weights, "glorot_hidden_weights": weights}
    printed = run_cell(PART_1, "def all_units_identical(", namespace)
    assert line_with(printed, "all zeros: after training").endswith(identical)


def test_the_same_seed_gives_the_same_training_curves_whatever_the_validation_set(mnist):
    """Lesson 08 part 2, item 12 (and part 1, item 1) rely on it: validation data does not train."""
    x_train, y_train, x_val, y_val = mnist
    losses = []
    for n_val in (20, 500):
        keras.utils.set_random_seed(SEED)
        model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        history = model.fit(
            x_train[:300], y_train[:300], validation_data=(x_val[:n_val], y_val[:n_val]), epochs=2, verbose=0
        )
        losses.append(history.history["loss"])
    assert np.allclose(losses[0], losses[1])


@pytest.mark.parametrize("swapped", [False, True])
def test_the_gradient_per_layer_lines_follow_the_networks_and_can_fail(mnist, swapped):
    """The lesson's own measuring cell and checked cell, on fresh networks of the lesson's shape.

    As built, the sigmoid network with small weights loses its gradient on the way back and the
    ReLU network with He weights does not, and the checked lines say so. With the two networks
    swapped, the lines about them answer "no": they read the measured gradients, not the labels.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x_train, y_train, x_val, y_val = mnist
    namespace = {"keras": keras, "np": np, "plt": plt, "yes_no": yes_no}
    namespace.update(x_train=x_train, y_train=y_train, x_val=x_val, y_val=y_val)
    keras.utils.set_random_seed(SEED)
    run_cell(PART_1, "def deep_network(", namespace)  # builds and trains the sigmoid network, small weights
    deep_network, small = namespace["deep_network"], namespace["small"]
    namespace.update(
        he_only=deep_network("sigmoid", "he_normal"),
        relu_only=deep_network("relu", small),
        both=deep_network("relu", "he_normal"),
    )
    if swapped:
        namespace["sigmoid_small"], namespace["both"] = namespace["both"], namespace["sigmoid_small"]
    run_cell(PART_1, "def gradient_norms(", namespace)
    plt.close("all")
    printed = run_cell(PART_1, "def first_over_last(", namespace)
    expected = "no" if swapped else "yes"
    assert line_with(printed, "sigmoid, small weights: first layer").endswith(expected)
    assert line_with(printed, "ReLU, He (both changes)").endswith(expected)
    assert line_with(printed, "sigmoid, He (one change)").endswith("yes")  # untouched by the swap

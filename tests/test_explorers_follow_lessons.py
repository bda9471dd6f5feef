"""Each explorer, created as its lesson creates it, starts from the lesson's own run, number for number.

The test runs the lesson's cells as saved (data, model, ``fit``) and the lesson's explorer
cell, and compares the explorer's first curves with the history ``fit`` returned. The
explorers train with ``FastFit``, which takes the rows in ``fit``'s own order, so the two
agree to float rounding.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from lesson_cells import assert_same_curves, cell_source, explorer_of, lesson_namespace, run_cell  # noqa: E402

from lessons_lib.session import session_seed  # noqa: E402


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
    explorer = explorer_of(notebook, "overfitting_explorer(", namespace)
    assert explorer.settings == {
        "units": 512,
        "layers": 2,
        "n_train": 300,
        "l2": 0.0,
        "dropout": 0.0,
        "epochs": namespace["EPOCHS"],
        "patience": 0,
    }
    assert_same_curves(explorer.history, lesson)


def test_lesson06_explorer_trains_on_and_stops_early_as_the_lessons_early_stopping_run():
    """The explorer's fourth thing to try: dropout 0.5, 50 epochs, patience 5 is the lesson's ``history_patient``.

    Going from 10 to 50 epochs trains only epochs 11 to 50, from where the 10-epoch run
    ended; the run ``EarlyStopping`` cuts at epoch 14 spans both stretches.
    """
    notebook = "06_overfitting_regularization_early_stopping.ipynb"
    namespace = lesson_namespace(
        notebook, "def yes_no(", "x_more, y_more, x_val, y_val = load_mnist(", "def build_model(", seed=session_seed()
    )
    run_cell(notebook, "model_patient = build_model(", namespace)
    lesson = namespace["history_patient"].history
    restored = namespace["early_stopping"].best_epoch + 1
    explorer = explorer_of(notebook, "overfitting_explorer(", namespace)
    explorer.set(dropout=0.5, epochs=10)
    runs = explorer.runs
    explorer.set(epochs=50)
    explorer.set(patience=5)
    assert explorer.runs == runs + 1  # patience needs no training
    assert 10 < len(lesson["loss"]) < 50
    assert len(explorer.history["loss"]) == len(lesson["loss"])
    assert_same_curves(explorer.history, lesson)
    labels = [line.get_label() for line in explorer.figure.axes[0].lines]
    assert f"early stop (epoch {len(lesson['loss'])})" in labels
    assert f"restored weights (epoch {restored})" in labels


def test_lesson07_explorer_starts_from_the_lessons_run_at_learning_rate_0_1():
    notebook = "07_learning_rate_and_batch_size.ipynb"
    namespace = lesson_namespace(
        notebook, "def yes_no(", "x_train, y_train, x_val, y_val = load_mnist(", "def build_model(", seed=session_seed()
    )
    run_cell(notebook, "learning_rates = [0.001, 0.1, 1.0, 3.0]", namespace)
    lesson = namespace["histories"][0.1].history
    explorer = explorer_of(notebook, "learning_rate_explorer(", namespace)
    assert explorer.settings == {
        "learning_rate": 0.1,
        "batch_size": 32,
        "schedule": "constant",
        "decay_epochs": 5,
        "epochs": namespace["EPOCHS"],
    }
    assert_same_curves(explorer.history, lesson)


def test_lesson00_explorer_starts_from_the_lessons_healthy_run():
    notebook = "00_start_here.ipynb"
    namespace = lesson_namespace(notebook, "def yes_no(", "def short_run(", "def same_scales(", seed=session_seed())
    run_cell(notebook, "healthy = short_run([])", namespace)
    explorer = explorer_of(notebook, "first_explorer(", namespace)
    assert explorer.settings == {"hidden_units": 0, "n_train": 4000, "epochs": 20, "learning_rate": 0.003}
    assert_same_curves(explorer.history, namespace["healthy"])


def test_lesson02_explorer_starts_from_the_lessons_first_model():
    notebook = "02_mnist_binary.ipynb"
    namespace = lesson_namespace(
        notebook,
        "from lessons_lib.data import load_mnist",
        "X_train, y_train, X_val, y_val = load_mnist(n_train=4000",
        "X_train = X_train.reshape(len(X_train), 784)",
        "y_train = (y_train == 1).astype(int)",
        "history = model.fit(X_train, y_train",
        seed=session_seed(),
    )
    explorer = explorer_of(notebook, "mnist_binary_explorer(", namespace)
    assert explorer.settings == {
        "learning_rate": 0.001,
        "task": "one_vs_rest",
        "digit": 1,
        "other_digit": 0,
        "n_train": 4000,
        "epochs": 10,
    }
    assert_same_curves(explorer.history, namespace["history"].history)


def lesson03_namespace() -> dict:
    """Lesson 03 after its set-up cell (imports and ``yes``), its data and its ``build_cnn``."""
    from IPython.core.inputtransformer2 import TransformerManager

    notebook = "03_dropout_val_above_train.ipynb"
    namespace = lesson_namespace(notebook, seed=session_seed())
    setup = TransformerManager().transform_cell(cell_source(notebook, "def yes(condition)"))
    exec(compile(setup, notebook, "exec"), namespace)  # noqa: S102 - the lesson's own first cell
    for text in ("x_train, y_train, x_val, y_val = load_mnist(3000, 500)", "def build_cnn("):
        run_cell(notebook, text, namespace)
    return namespace


def test_lesson03_explorer_starts_from_the_lessons_run_with_dropout():
    """The lesson's 6 epochs on 3,000 images, dropout masks included (the callbacks restore the random state)."""
    notebook = "03_dropout_val_above_train.ipynb"
    namespace = lesson03_namespace()
    run_cell(notebook, "EPOCHS = 6  #", namespace)
    lesson = {name: namespace["h"][name] for name in ("loss", "accuracy", "val_loss", "val_accuracy")}
    explorer = explorer_of(notebook, "dropout_explorer(", namespace)
    assert explorer.settings == {
        "learning_rate": 0.001,
        "conv_dropout": 0.25,
        "dense_dropout": 0.5,
        "n_train": 3000,
        "epochs": namespace["EPOCHS"],
    }
    assert_same_curves(explorer.history, lesson)


def test_lesson04_explorer_starts_from_the_lessons_run_and_its_class_weights_give_the_weighted_run():
    """Also the lesson's longer run: ``fit`` again from epoch 20 takes the same permutation, as one 60-epoch run."""
    notebook = "04_class_imbalance.ipynb"
    namespace = lesson_namespace(
        notebook, "def yes_no", "mnist_rare_digit(digit=RARE_DIGIT", "def build_model", seed=session_seed()
    )
    for text in (
        "history_plain = plain.fit(",
        "weights = class_weight.compute_class_weight(class_weight=",
        "weighted = build_model()",
    ):
        run_cell(notebook, text, namespace)
    explorer = explorer_of(notebook, "imbalance_explorer(", namespace)
    assert explorer.settings == {
        "learning_rate": 0.001,
        "digit": namespace["RARE_DIGIT"],
        "rare_fraction": 0.03,
        "class_weights": False,
        "epochs": namespace["EPOCHS"],
    }
    assert_same_curves(explorer.history, namespace["history_plain"].history)
    explorer.set(class_weights=True)
    assert_same_curves(explorer.history, namespace["history_weighted"].history)
    for text in ("p_plain = plain.predict(", "p_weighted = weighted.predict(", "LONGER = 60"):
        run_cell(notebook, text, namespace)  # the unweighted model trained on, to epoch 60
    explorer.set(class_weights=False, epochs=namespace["LONGER"])
    assert_same_curves(explorer.history, namespace["history_longer"])


def test_lesson05_explorer_starts_from_the_lessons_run_without_augmentation_and_comes_close_with_it():
    """Strength 0: the lesson's run without augmentation, epoch for epoch (its images, batches, weights).

    Strength 1 is the lesson's augmentation block on the same model, data and batches, but the
    random rotations, shifts and zooms cannot be the lesson's: its layers take their seeds from
    Python's random state when the lesson builds them, and its preview cells have drawn from
    them before ``fit`` does (and ``fit`` took the batches of later passes over the dataset).
    So that run is held to the lesson's augmented run within a tolerance: over the last 10
    epochs each curve's mean within 0.03 (accuracy) or 20% (loss) of the lesson's, and the
    effects the lesson checks (training accuracy as fit reports it lower, validation accuracy
    higher than without augmentation) hold in it too.
    """
    import matplotlib.pyplot as plt

    notebook = "05_data_augmentation.ipynb"
    namespace = lesson_namespace(
        notebook,
        "def yes_no",
        "workdir = tempfile.TemporaryDirectory",
        "common = dict(color_mode=",
        "images, labels = next(iter(train_ds))",  # a pass over the training dataset: fit's batches follow it
        "augmentation = keras.Sequential(",
        "EPOCHS = 45",
        seed=session_seed(),
    )
    try:
        run_cell(notebook, "history_plain = plain.fit", namespace)
    finally:
        plt.close("all")
        namespace["workdir"].cleanup()
    explorer = explorer_of(notebook, "augmentation_explorer(", namespace)
    assert explorer.settings == {"learning_rate": 0.001, "strength": 0.0, "n_train": 300, "epochs": 45}
    plain = namespace["history_plain"].history
    assert_same_curves(explorer.history, plain)

    explorer.set(strength=1.0)
    ours, lesson = explorer.history, namespace["history_augmented"].history
    for name, values in lesson.items():
        mean_ours, mean_lesson = np.mean(ours[name][-10:]), np.mean(values[-10:])
        if name.endswith("accuracy"):
            assert abs(mean_ours - mean_lesson) <= 0.03, (name, mean_ours, mean_lesson)
        else:
            assert abs(mean_ours / mean_lesson - 1) <= 0.2, (name, mean_ours, mean_lesson)
    assert ours["accuracy"][-1] <= plain["accuracy"][-1] - 0.05
    assert np.mean(ours["val_accuracy"][-5:]) >= np.mean(plain["val_accuracy"][-5:]) + 0.02

"""Lesson 05 (data augmentation): its augmentation claim can fail, and the facts it only prints hold.

The can-fail test runs the lesson's own training cell with the augmentation block replaced by an
identity layer (augmentation strength 0, the cause removed), then the lesson's own "what you should
see" cell on those two runs: every line that credits augmentation must then print "no", while the
saved notebook prints "yes". The other tests hold what the lesson prints without checking it: what
``image_dataset_from_directory`` returns for the lesson's folders, and that augmentation layers act
only in training (Keras guarantees both).
"""

from __future__ import annotations

import numpy as np
import pytest
from lesson_cells import lesson_namespace, line_with, run_cell, saved_lines

NOTEBOOK = "05_data_augmentation.ipynb"
CHECKED_CELL = "learns its 300 images by heart"
SEED = 42
#: The lines of the checked cell that credit augmentation (the first one is about the plain run).
AUGMENTATION_LINES = (
    "training accuracy as fit reports it (on augmented images) at least 0.05 lower",
    "training minus validation accuracy (training images evaluated unchanged) at least 0.02 smaller",
    "validation accuracy (last 5 epochs) at least 0.02 higher",
    "final validation loss at least 20% lower",
    "with augmentation, validation accuracy above training accuracy",
)


@pytest.fixture(scope="module")
def lesson() -> dict:
    """The lesson's imports, image folders, datasets and augmentation block, run from the saved notebook."""
    namespace = lesson_namespace(
        NOTEBOOK,
        "def yes_no",
        "workdir = tempfile.TemporaryDirectory",
        "common = dict(color_mode=",
        "augmentation = keras.Sequential(",
        seed=SEED,
    )
    yield namespace
    namespace["workdir"].cleanup()


def test_without_augmentation_the_augmentation_lines_print_no(lesson):
    import keras
    import matplotlib.pyplot as plt

    namespace = dict(lesson)
    namespace["augmentation"] = keras.layers.Identity(name="augmentation")  # strength 0: the cause removed
    namespace["val_ds"] = lesson["val_ds"].cache()  # decoded once: faster, the same images in the same order
    run_cell(NOTEBOOK, "EPOCHS = 45", namespace)  # the model of the lesson's two runs
    run_cell(NOTEBOOK, "history_plain = plain.fit", namespace)  # plain, and "augmented" without augmentation
    run_cell(NOTEBOOK, "LAST = 5", namespace)
    plt.close("all")

    printed = run_cell(NOTEBOOK, CHECKED_CELL, namespace)
    saved = saved_lines(NOTEBOOK, CHECKED_CELL)
    for start in AUGMENTATION_LINES:
        assert line_with(saved, start).endswith(": yes"), line_with(saved, start)
        assert line_with(printed, start).endswith(": no"), line_with(printed, start)


def test_the_folders_load_as_the_lesson_prints(lesson):
    train_ds, val_ds = lesson["train_ds"], lesson["val_ds"]
    assert train_ds.class_names == [str(digit) for digit in range(10)]
    assert (len(train_ds), len(val_ds)) == (10, 16)  # 300 and 500 images in batches of 32
    images, labels = next(iter(train_ds))
    assert tuple(images.shape) == (32, 28, 28, 1) and images.dtype.name == "float32"
    assert tuple(labels.shape) == (32, 10)
    np.testing.assert_array_equal(np.sum(labels, axis=1), 1)  # one-hot
    assert (float(np.min(images)), float(np.max(images))) == (0.0, 255.0)  # not rescaled yet


def test_augmentation_layers_act_only_in_training(lesson):
    augmentation = lesson["augmentation"]
    images, _ = next(iter(lesson["train_ds"]))
    originals = images[:8]
    np.testing.assert_array_equal(augmentation(originals, training=False), originals)
    first, second = augmentation(originals, training=True), augmentation(originals, training=True)
    assert not np.array_equal(first, second)


def test_random_shear_refuses_negative_factors():
    from keras import layers

    with pytest.raises(ValueError):
        layers.RandomShear(x_factor=(-0.2, 0.2))  # the exercise uses one number, which shears both ways
    assert layers.RandomShear(x_factor=0.2).x_factor == pytest.approx((-0.2, 0.2))

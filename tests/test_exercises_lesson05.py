"""Lesson 05's exercises: each unmodified starter says "not yet", each worked solution passes.

The checks' bad-input errors are tested too: each says in one sentence what to pass instead.
"""

from __future__ import annotations

import numpy as np
import pytest
from exercise_runner import exercise_tests

from lessons_lib.exercises import check

lesson_context, test_starter_is_not_yet, test_solution_passes = exercise_tests(
    "05_data_augmentation.ipynb",
    "05",
    ("def yes_no(", "augmentation = keras.Sequential(", "EPOCHS = 45", "def lesson_arrays("),
)


def test_the_arrays_hold_the_images_the_folders_held(lesson_context, tmp_path):
    """lesson_arrays claims the split write_mnist_folders writes: the same images, as arrays."""
    from PIL import Image

    from lessons_lib.image_folders import write_mnist_folders

    root = write_mnist_folders(tmp_path, n_train=300, n_val=500, seed=lesson_context["SEED"])
    from_folders = np.array([np.asarray(Image.open(path)) for path in sorted((root / "train").glob("*/*.png"))])
    from_arrays = np.rint(lesson_context["x_digits"][..., 0]).astype(np.uint8)
    assert sorted(map(bytes, from_folders)) == sorted(map(bytes, from_arrays))


def _digits(n=20):
    rng = np.random.default_rng(0)
    images = np.zeros((n, 28, 28, 1))
    images[:, 6:22, 10:18] = rng.uniform(100, 255, (n, 16, 8, 1))
    return images


@pytest.mark.parametrize("exercise_id", ["05.1", "05.4", "05.5"])
def test_batch_checks_refuse_what_is_not_a_batch_of_digits(exercise_id):
    with pytest.raises(ValueError, match="must be a batch of at least 10 images"):
        check(exercise_id, _digits()[:3], _digits()[:3])
    with pytest.raises(ValueError, match="one image each"):
        check(exercise_id, _digits(20), _digits(12))


def test_reflect_check_refuses_batches_made_with_different_transformations():
    black = _digits()
    with pytest.raises(ValueError, match="same random transformations"):
        check("05.5", black, np.roll(black, 8, axis=2))


def test_upside_down_check_refuses_what_is_not_a_model_or_its_data():
    with pytest.raises(TypeError, match="trained Keras model"):
        check("05.2", "model", _digits(), np.arange(20) % 10)


def test_more_data_check_reads_a_history_and_asks_for_few_epochs():
    with pytest.raises(ValueError, match="has no 'val_accuracy'"):
        check("05.3", {"accuracy": [0.5, 0.9]})
    long_run = {"accuracy": [0.99] * 45, "val_accuracy": [0.95] * 45}
    result = check("05.3", long_run)
    assert not result.passed and "10 epochs" in result.hint

import numpy as np
import pytest

from lessons_lib.imbalance import mnist_rare_digit, oversample, undersample


def test_rare_digit_is_rare_in_both_sets_and_every_other_digit_is_kept():
    x_train, y_train, x_val, y_val = mnist_rare_digit(9, 0.03)
    assert x_train.shape == (3711, 784) and x_val.shape == (928, 784)
    assert (y_train.sum(), y_val.sum()) == (111, 28)
    assert y_train.mean() == pytest.approx(0.03, abs=0.001) and y_val.mean() == pytest.approx(0.03, abs=0.001)
    assert (y_train == 0).sum() + (y_val == 0).sum() == 4500
    assert x_train.dtype == np.float32 and 0.0 <= x_train.min() and x_train.max() == 1.0
    assert set(np.unique(y_train)) == {0, 1} and y_train.dtype == np.int64


def test_rare_digit_labels_are_right_and_no_image_is_in_both_sets():
    from lessons_lib.data import load_mnist_5k

    images, labels = load_mnist_5k()
    flat = images.reshape(len(images), -1).astype(np.float32) / 255.0
    row_of = {row.tobytes(): index for index, row in enumerate(flat)}
    x_train, y_train, x_val, y_val = mnist_rare_digit(3, 0.05, seed=1)
    train_rows = [row_of[row.tobytes()] for row in x_train]
    val_rows = [row_of[row.tobytes()] for row in x_val]
    assert not set(train_rows) & set(val_rows)
    np.testing.assert_array_equal(y_train, labels[train_rows] == 3)
    np.testing.assert_array_equal(y_val, labels[val_rows] == 3)


def test_rare_digit_is_repeatable_and_can_keep_the_image_shape():
    first, second = mnist_rare_digit(seed=4), mnist_rare_digit(seed=4)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    assert mnist_rare_digit(flatten=False)[0].shape[1:] == (28, 28)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"digit": 10}, "digit must be <= 9, got 10"),
        ({"rare_fraction": 0}, "rare_fraction must be > 0, got 0"),
        ({"rare_fraction": 0.5}, "rare_fraction must be <= 0.1, got 0.5"),
        ({"val_fraction": 0.9}, "val_fraction must be <= 0.5, got 0.9"),
    ],
)
def test_rare_digit_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        mnist_rare_digit(**kwargs)


# Labels that are not 0..K-1, and three classes: the helpers must not assume binary 0/1.
X = np.arange(14).reshape(7, 2)
Y = np.array([5, 5, 5, 5, 7, 7, 2])


def rows_by_label(x, y):
    return {label: sorted(map(tuple, x[y == label])) for label in np.unique(y)}


def test_oversample_repeats_smaller_classes_up_to_the_largest_and_keeps_every_original():
    x, y = oversample(X, Y, seed=0)
    assert dict(zip(*np.unique(y, return_counts=True), strict=True)) == {2: 4, 5: 4, 7: 4}
    original, resampled = rows_by_label(X, Y), rows_by_label(x, y)
    for label in original:
        assert set(resampled[label]) == set(original[label])  # pairs stay together, nothing invented
    assert sorted(resampled[5]) == original[5]  # the largest class is untouched
    assert len(y) == len(x) and not np.array_equal(y, np.sort(y))  # shuffled


def test_undersample_keeps_the_smallest_class_size_without_repeats():
    x, y = undersample(X, Y, seed=0)
    assert dict(zip(*np.unique(y, return_counts=True), strict=True)) == {2: 1, 5: 1, 7: 1}
    original = rows_by_label(X, Y)
    for label, rows in rows_by_label(x, y).items():
        assert len(set(rows)) == len(rows) and set(rows) <= set(original[label])


def test_resampling_is_repeatable_with_a_seed():
    np.testing.assert_array_equal(oversample(X, Y, seed=3)[0], oversample(X, Y, seed=3)[0])
    np.testing.assert_array_equal(undersample(X, Y, seed=3)[1], undersample(X, Y, seed=3)[1])


@pytest.mark.parametrize("resample", [oversample, undersample])
@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (X, Y[:-1], "x and y must have the same length, got 7 and 6"),
        (X, np.zeros(7), r"y must contain at least two classes to rebalance, got only \[0.0\]"),
        (X, Y.reshape(7, 1), r"y must be a non-empty 1-D array of class labels, got shape \(7, 1\)"),
    ],
)
def test_resampling_bad_arguments(resample, x, y, message):
    with pytest.raises(ValueError, match=message):
        resample(x, y)

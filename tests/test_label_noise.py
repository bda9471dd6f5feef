import numpy as np
import pytest

from lessons_lib.label_noise import flip_labels, precision_at_k


def test_flip_labels_changes_exactly_the_fraction_and_always_to_another_class():
    labels = np.repeat(np.arange(10), 100)
    noisy, flipped = flip_labels(labels, 0.1, seed=3)
    assert flipped.sum() == 100 and flipped.dtype == bool
    assert np.all(noisy[flipped] != labels[flipped])
    assert np.array_equal(noisy[~flipped], labels[~flipped])
    assert noisy.min() >= 0 and noisy.max() <= 9
    assert np.array_equal(labels, np.repeat(np.arange(10), 100)), "the input must not change"


def test_flip_labels_repeats_with_a_seed_and_reaches_every_other_class():
    labels = np.zeros(2000, dtype=np.int64)
    first, mask = flip_labels(labels, 0.5, n_classes=4, seed=1)
    second, _ = flip_labels(labels, 0.5, n_classes=4, seed=1)
    assert np.array_equal(first, second)
    assert set(np.unique(first[mask])) == {1, 2, 3}


def test_flip_labels_edge_fractions():
    labels = np.array([0, 1, 0, 1])
    assert not flip_labels(labels, 0.0)[1].any()
    noisy, flipped = flip_labels(labels, 1.0)
    assert flipped.all() and np.array_equal(noisy, 1 - labels)


@pytest.mark.parametrize(
    ("labels", "kwargs", "message"),
    [
        (np.array([0, 1]), {"fraction": 1.5}, "fraction must be <= 1, got 1.5"),
        (np.array([0.0, 1.0]), {"fraction": 0.1}, "labels must be a 1-D array of integer classes"),
        (np.array([[0, 1]]), {"fraction": 0.1}, "labels must be a 1-D array of integer classes"),
        (np.array([0, -1]), {"fraction": 0.1}, "labels must be >= 0, got -1"),
        (np.array([0, 5]), {"fraction": 0.1, "n_classes": 3}, "n_classes must be >= 6, got 3"),
    ],
)
def test_flip_labels_bad_arguments(labels, kwargs, message):
    with pytest.raises(ValueError, match=message):
        flip_labels(labels, **kwargs)


def test_precision_at_k_counts_wrong_labels_among_the_highest_losses():
    losses = np.array([0.1, 5.0, 0.2, 3.0, 4.0])
    wrong = np.array([False, True, False, False, True])
    assert precision_at_k(losses, wrong, 1) == 1.0
    assert precision_at_k(losses, wrong, 2) == 1.0
    assert precision_at_k(losses, wrong, 3) == pytest.approx(2 / 3)
    assert precision_at_k(losses, wrong, 5) == pytest.approx(2 / 5)


def test_precision_at_k_breaks_ties_in_the_original_order():
    assert precision_at_k(np.ones(4), np.array([True, False, False, False]), 1) == 1.0


@pytest.mark.parametrize(
    ("losses", "wrong", "k", "message"),
    [
        (np.ones(3), np.ones(2, dtype=bool), 1, "losses and is_wrong must be 1-D arrays of the same length"),
        (np.array([1.0, np.nan]), np.ones(2, dtype=bool), 1, "losses must all be finite numbers"),
        (np.ones(3), np.ones(3, dtype=bool), 4, "k must be <= 3, got 4"),
        (np.ones(3), np.ones(3, dtype=bool), 0, "k must be >= 1, got 0"),
    ],
)
def test_precision_at_k_bad_arguments(losses, wrong, k, message):
    with pytest.raises(ValueError, match=message):
        precision_at_k(losses, wrong, k)

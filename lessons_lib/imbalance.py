"""A rare class on purpose, and the resampling remedies for it (lesson 04).

``mnist_rare_digit`` builds a one-digit-against-the-rest problem in which the chosen digit
is rare in both the training and the validation set, as a fraud case or a disease is rare
in real data. ``oversample`` and ``undersample`` are the two resampling remedies seed 002
names; class weights need no helper (``sklearn.utils.class_weight.compute_class_weight``
and ``model.fit(class_weight=...)``, shown in the lesson itself).
"""

from __future__ import annotations

import numpy as np

from lessons_lib.checks import check_int, check_number
from lessons_lib.data import MNIST_PER_DIGIT, load_mnist_5k


def mnist_rare_digit(
    digit: int = 9,
    rare_fraction: float = 0.03,
    *,
    val_fraction: float = 0.2,
    flatten: bool = True,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Images labelled 1 for ``digit`` and 0 for the nine other digits, with ``digit`` rare.

    All 4,500 images of the other digits are kept and split ``val_fraction`` for validation;
    only as many images of ``digit`` are drawn as make it ``rare_fraction`` of each set (3%:
    111 of 3,711 training and 28 of 928 validation images). Images are float32 in [0, 1],
    flattened to 784 values unless ``flatten=False``; labels are int64.
    Returns ``x_train, y_train, x_val, y_val``, shuffled.
    """
    digit = check_int("digit", digit, low=0, high=9)
    rare_fraction = check_number("rare_fraction", rare_fraction, low=0, high=0.1, low_inclusive=False)
    val_fraction = check_number("val_fraction", val_fraction, low=0.05, high=0.5)
    seed = check_int("seed", seed, low=0)

    images, labels = load_mnist_5k()
    rng = np.random.default_rng(seed)
    others = rng.permutation(np.flatnonzero(labels != digit))
    rare = rng.permutation(np.flatnonzero(labels == digit))
    n_val_others = round(len(others) * val_fraction)
    others_val, others_train = others[:n_val_others], others[n_val_others:]
    n_rare_train = _rare_count(len(others_train), rare_fraction)
    n_rare_val = _rare_count(len(others_val), rare_fraction)
    if n_rare_train + n_rare_val > MNIST_PER_DIGIT:  # not reachable with rare_fraction <= 0.1; kept as a guard
        raise ValueError(f"rare_fraction {rare_fraction} needs more than the {MNIST_PER_DIGIT} images of digit {digit}")
    rare_train, rare_val = rare[:n_rare_train], rare[n_rare_train : n_rare_train + n_rare_val]

    def assemble(*parts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        order = rng.permutation(np.concatenate(parts))
        x = images[order].astype(np.float32) / 255.0
        return (x.reshape(len(x), -1) if flatten else x), (labels[order] == digit).astype(np.int64)

    x_train, y_train = assemble(others_train, rare_train)
    x_val, y_val = assemble(others_val, rare_val)
    return x_train, y_train, x_val, y_val


def _rare_count(n_common: int, fraction: float) -> int:
    """How many rare examples make ``fraction`` of a set that has ``n_common`` others (at least 1)."""
    return max(1, round(fraction * n_common / (1 - fraction)))


def _check_xy(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x), np.asarray(y)
    if y.ndim != 1 or len(y) == 0:
        raise ValueError(f"y must be a non-empty 1-D array of class labels, got shape {y.shape}")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    if len(np.unique(y)) < 2:
        raise ValueError(f"y must contain at least two classes to rebalance, got only {np.unique(y).tolist()}")
    return x, y


def oversample(x: np.ndarray, y: np.ndarray, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random oversampling: repeat examples of every smaller class (drawn with replacement) up to the largest.

    Every original example is kept once; the extra copies are drawn at random, and the
    result is shuffled. Works for any number of classes and any label values.
    """
    x, y = _check_xy(x, y)
    seed = check_int("seed", seed, low=0)
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(y, return_counts=True)
    extra = [
        rng.choice(np.flatnonzero(y == label), size=counts.max() - count, replace=True)
        for label, count in zip(classes, counts, strict=True)
    ]
    order = rng.permutation(np.concatenate([np.arange(len(y)), *extra]))
    return x[order], y[order]


def undersample(x: np.ndarray, y: np.ndarray, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random undersampling: keep as many examples of every class as the smallest class has.

    The kept examples are drawn without replacement, so nothing is repeated, but most of the
    larger classes is thrown away. The result is shuffled.
    """
    x, y = _check_xy(x, y)
    seed = check_int("seed", seed, low=0)
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(y, return_counts=True)
    kept = [rng.choice(np.flatnonzero(y == label), size=counts.min(), replace=False) for label in classes]
    order = rng.permutation(np.concatenate(kept))
    return x[order], y[order]

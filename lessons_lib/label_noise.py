"""Wrong labels on purpose, and how well a ranking finds them.

Lesson 09 flips some labels, trains, and ranks the training examples by their loss: the
examples the model disagrees with most are the first ones to check by eye. Flipping labels
ourselves is what lets the lesson *measure* the ranking, because we know which labels are wrong.
"""

from __future__ import annotations

import numpy as np

from lessons_lib.checks import check_int, check_number


def flip_labels(
    labels: np.ndarray, fraction: float, *, n_classes: int | None = None, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Give ``fraction`` of the examples a different class, chosen uniformly among the others.

    Returns the noisy labels (a new array) and a boolean mask that is True where a label was
    changed. ``n_classes`` defaults to ``labels.max() + 1``.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size < 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D array of integer classes, got shape {labels.shape} of {labels.dtype}")
    fraction = check_number("fraction", fraction, low=0, high=1)
    seed = check_int("seed", seed, low=0)
    if labels.min() < 0:
        raise ValueError(f"labels must be >= 0, got {labels.min()}")
    smallest = int(labels.max()) + 1
    n_classes = max(smallest, 2) if n_classes is None else check_int("n_classes", n_classes, low=max(smallest, 2))

    rng = np.random.default_rng(seed)
    n_flip = round(fraction * labels.size)
    chosen = rng.choice(labels.size, size=n_flip, replace=False)
    noisy = labels.copy()
    # Adding 1 .. n_classes-1 modulo n_classes always lands on another class.
    noisy[chosen] = (labels[chosen] + rng.integers(1, n_classes, size=n_flip)) % n_classes
    flipped = np.zeros(labels.size, dtype=bool)
    flipped[chosen] = True
    return noisy, flipped


def precision_at_k(losses: np.ndarray, is_wrong: np.ndarray, k: int) -> float:
    """Fraction of the ``k`` highest-loss examples whose label is wrong (``is_wrong`` is True).

    Ties in the loss keep the original order (a stable sort), so the result is deterministic.
    """
    losses = np.asarray(losses, dtype=float)
    is_wrong = np.asarray(is_wrong, dtype=bool)
    if losses.ndim != 1 or losses.shape != is_wrong.shape:
        raise ValueError(
            f"losses and is_wrong must be 1-D arrays of the same length, got shapes {losses.shape} and {is_wrong.shape}"
        )
    if not np.all(np.isfinite(losses)):
        raise ValueError("losses must all be finite numbers, got NaN or infinity")
    k = check_int("k", k, low=1, high=losses.size)
    highest_first = np.argsort(-losses, kind="stable")
    return float(is_wrong[highest_first[:k]].mean())

"""Data made on the spot from a seed, so a lesson needs no file and gives the same numbers."""

from __future__ import annotations

import numpy as np

from lessons_lib.checks import check_int, check_number


def house_prices(n_samples: int = 100, noise: float = 0.1, *, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    """Seed 000's synthetic house prices: ``y = 2*bedrooms + 3*size + 1 + noise*N(0, 1)``.

    The two features are uniform in [0, 1) (scaled bedrooms and square footage), as in the
    seed's ``np.random.rand(100, 2)``; here from a seeded generator, so runs repeat exactly.
    Returns ``X`` (float32, n_samples x 2) and ``y`` (float32, n_samples).
    """
    n_samples = check_int("n_samples", n_samples, low=2)
    noise = check_number("noise", noise, low=0)
    seed = check_int("seed", seed, low=0)
    rng = np.random.default_rng(seed)
    features = rng.random((n_samples, 2))
    prices = 2 * features[:, 0] + 3 * features[:, 1] + 1 + noise * rng.standard_normal(n_samples)
    return features.astype(np.float32), prices.astype(np.float32)

import numpy as np
import pytest

from lessons_lib.synthetic import house_prices


def test_house_prices_follow_the_seeds_formula():
    features, prices = house_prices(100, noise=0.0, seed=1)
    assert features.shape == (100, 2) and prices.shape == (100,)
    assert features.dtype == np.float32 and 0 <= features.min() and features.max() < 1
    np.testing.assert_allclose(prices, 2 * features[:, 0] + 3 * features[:, 1] + 1, rtol=1e-6)


def test_house_prices_repeat_with_a_seed_and_noise_has_its_scale():
    first, second = house_prices(seed=3), house_prices(seed=3)
    np.testing.assert_array_equal(first[0], second[0])
    features, prices = house_prices(5000, noise=0.5, seed=0)
    residual = prices - (2 * features[:, 0] + 3 * features[:, 1] + 1)
    assert 0.45 < residual.std() < 0.55


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n_samples": 1}, "n_samples must be >= 2, got 1"), ({"noise": -1}, "noise must be >= 0, got -1")],
)
def test_house_prices_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        house_prices(**kwargs)

"""Lesson 01's explorer: house prices, one neuron, SGD."""

from __future__ import annotations

import math

import numpy as np

from lessons_lib.checks import check_int, check_number
from lessons_lib.explore.controls import epochs_slider, learning_rate_slider, on_grid, slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.runs import Settings, TrainingRun, dataset_cache, start_from, train_fast
from lessons_lib.training import FastFit, Progress


def regression_explorer(
    *,
    learning_rate: float = 0.01,
    noise: float = 0.1,
    n_train: int = 80,
    epochs: int = 100,
    n_samples: int = 100,
    batch_size: int = 32,
    seed: int = 42,
) -> Explorer:
    """Lesson 01's house prices: ``Dense(1)``, SGD, mean squared error, 20% held out.

    Sliders: learning rate (1e-4 to 1, log scale; 1 diverges), noise on the prices (0 to
    2), training rows (the first ``n`` of the 80% split), epochs. The training loop is
    compiled with XLA (``FastFit(jit_compile=True)``, equal to ``fit`` within 1e-6 here): a
    move takes a few hundredths of a second, and a number of rows or epochs in a size class
    not met before compiles once (under a second).
    """
    learning_rate = check_number("learning_rate", learning_rate, low=1e-4, high=1.0)
    noise = on_grid("noise", noise, 0.0, 2.0, 0.05)
    n_samples = check_int("n_samples", n_samples, low=10, high=10_000)
    rows = n_samples - math.ceil(0.2 * n_samples)
    n_train = check_int("n_train", n_train, low=2, high=rows)
    epochs = check_int("epochs", epochs, low=1, high=1000)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)

    from sklearn.model_selection import train_test_split

    from lessons_lib.models import house_price_model
    from lessons_lib.synthetic import house_prices

    @dataset_cache
    def data(noise: float) -> tuple[np.ndarray, ...]:
        features, prices = house_prices(n_samples, noise, seed=seed)
        return tuple(train_test_split(features, prices, test_size=0.2, random_state=seed))

    start_from(seed)
    fast = FastFit(house_price_model(learning_rate), batch_size=batch_size, jit_compile=True)

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        x_train, x_val, y_train, y_val = data(settings["noise"])
        n = settings["n_train"]
        hints = {"baseline_loss": float(np.var(y_train[:n]))}
        return train_fast(fast, (x_train[:n], y_train[:n], x_val, y_val), settings, progress, seed=seed, hints=hints)

    sliders = {
        "learning_rate": learning_rate_slider(learning_rate, 1e-4, 1.0),
        "noise": slider("FloatSlider", "noise", value=noise, min=0.0, max=2.0, step=0.05),
        "n_train": slider("IntSlider", "training rows", value=n_train, min=2, max=rows),
        "epochs": epochs_slider(epochs, 300),
    }
    return Explorer(sliders, train, ["loss"])

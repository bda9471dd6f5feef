"""How long a slider move takes in each explorer, against the same training done with model.fit.

    python benchmarks/sliders.py --json PATH [--only NAME ...] [--fit-moves K]

For every explorer of ``lessons_lib.explore`` it builds the explorer (the first training
and graph build happen then and are not counted), then sets slider values programmatically,
as a learner's release would, and times each assignment: from setting the value to the
final curves drawn (cache misses only: every move is a setting not seen before). For the
same settings it times the plain way: build the model, compile, ``model.fit(verbose=0)``
with the same data, epochs, batch size and learning rate.

It prints a table and, with ``--json``, writes a list with one object per explorer:
``{"explorer": NAME, "moves": N, "median_s": S, "model_fit_median_s": F}``.

Sizes (the explorers' defaults): regression 100 epochs on 80 rows; MNIST binary 10 epochs
on 2,000 images (one digit vs the rest, 1,000 validation); dropout CNN 5 epochs on 600
images (500 validation, batch 64); imbalance 10 epochs on 2,000 images; augmentation 20
epochs on 300 images. Targets on a 2-core machine: regression <= 0.3 s a move and >= 10x
faster than model.fit; MNIST binary <= 1.5 s; dropout <= 4 s. The load average is printed
because other processes on the machine slow every number down; the table's "cpu s" column
(processor time of a move, summed over TensorFlow's threads) is what the move costs
whatever else runs: on a quiet machine a move takes between half of it and all of it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import lessons_lib  # noqa: E402

Move = dict[str, Any]


def regression_case() -> tuple[Any, list[Move], Callable[[Any, Move], None]]:
    from sklearn.model_selection import train_test_split

    from lessons_lib.explore import regression_explorer
    from lessons_lib.models import house_price_model
    from lessons_lib.synthetic import house_prices

    explorer = regression_explorer(epochs=100, n_train=80)
    moves = [
        {"learning_rate": 10**-1.5},
        {"learning_rate": 10**-1.0},
        {"noise": 0.5},
        {"learning_rate": 10**-2.5},
        {"noise": 1.0},
        {"learning_rate": 10**-1.25},
    ]

    def plain(explorer: Any, settings: Move) -> None:
        features, prices = house_prices(100, settings["noise"], seed=42)
        x, x_val, y, y_val = train_test_split(features, prices, test_size=0.2, random_state=42)
        n = settings["n_train"]
        model = house_price_model(settings["learning_rate"])
        model.fit(x[:n], y[:n], validation_data=(x_val, y_val), epochs=settings["epochs"], batch_size=32, verbose=0)

    return explorer, moves, plain


def mnist_case() -> tuple[Any, list[Move], Callable[[Any, Move], None]]:
    from lessons_lib.data import mnist_one_vs_rest
    from lessons_lib.explore import mnist_binary_explorer
    from lessons_lib.models import mnist_dense_model

    explorer = mnist_binary_explorer(task="one_vs_rest", n_train=2000, epochs=10)
    moves = [
        {"learning_rate": 10**-2.5},
        {"digit": 7},
        {"learning_rate": 10**-3.5},
        {"digit": 3},
        {"learning_rate": 10**-2.0},
        {"digit": 0},
    ]

    def plain(explorer: Any, settings: Move) -> None:
        x, y, x_val, y_val = mnist_one_vs_rest(settings["digit"], 2000, 1000, seed=0)
        n = settings["n_train"]
        model = mnist_dense_model(128, settings["learning_rate"])
        model.fit(x[:n], y[:n], validation_data=(x_val, y_val), epochs=settings["epochs"], batch_size=32, verbose=0)

    return explorer, moves, plain


def dropout_case() -> tuple[Any, list[Move], Callable[[Any, Move], None]]:
    import numpy as np

    from lessons_lib.data import load_mnist
    from lessons_lib.explore import dropout_explorer
    from lessons_lib.models import dropout_cnn

    explorer = dropout_explorer(n_train=600, n_val=500, epochs=5)
    # Dropout moves need one new graph each (the rate is part of the traced loop); learning
    # rate moves do not. A learner turns both.
    moves = [
        {"dense_dropout": 0.0},
        {"learning_rate": 10**-2.5},
        {"dense_dropout": 0.75},
        {"learning_rate": 10**-3.5},
        {"conv_dropout": 0.0},
        {"learning_rate": 10**-2.75},
    ]
    x_pool, y_pool, x_val, y_val = load_mnist(3000, 500, seed=0)

    def plain(explorer: Any, settings: Move) -> None:
        n = settings["n_train"]
        x, y = x_pool[:n, ..., None], np.eye(10, dtype=np.float32)[y_pool[:n]]
        validation = (x_val[..., None], np.eye(10, dtype=np.float32)[y_val])
        model = dropout_cnn(settings["conv_dropout"], settings["dense_dropout"], settings["learning_rate"])
        model.fit(x, y, validation_data=validation, epochs=settings["epochs"], batch_size=64, verbose=0)

    return explorer, moves, plain


def imbalance_case() -> tuple[Any, list[Move], Callable[[Any, Move], None]]:
    import keras
    import numpy as np
    from sklearn.utils.class_weight import compute_class_weight

    from lessons_lib.explore import imbalance_explorer, rare_digit_split
    from lessons_lib.models import mnist_dense_model

    explorer = imbalance_explorer(n_train=2000, epochs=10)
    moves = [
        {"class_weights": True},
        {"one_in": 50},
        {"class_weights": False},
        {"one_in": 20},
        {"learning_rate": 10**-2.5},
        {"digit": 3},
    ]

    def plain(explorer: Any, settings: Move) -> None:
        x, y, x_val, y_val = rare_digit_split(settings["digit"], settings["one_in"], settings["n_train"])
        weights = None
        if settings["class_weights"]:
            values = compute_class_weight("balanced", classes=np.array([0, 1]), y=y)
            weights = {0: float(values[0]), 1: float(values[1])}
        model = mnist_dense_model(learning_rate=settings["learning_rate"])
        model.compile(
            optimizer=keras.optimizers.Adam(settings["learning_rate"]),
            loss="binary_crossentropy",
            metrics=["accuracy", keras.metrics.Recall(name="recall")],
        )
        model.fit(x, y, validation_data=(x_val, y_val), epochs=settings["epochs"], class_weight=weights, verbose=0)

    return explorer, moves, plain


def augmentation_case() -> tuple[Any, list[Move], Callable[[Any, Move], None]]:
    import numpy as np

    from lessons_lib.data import load_mnist
    from lessons_lib.explore import augmentation_explorer
    from lessons_lib.models import augmented_cnn

    explorer = augmentation_explorer(n_train=300, epochs=20)
    moves = [
        {"strength": 0.0},
        {"learning_rate": 10**-2.5},
        {"strength": 1.0},
        {"n_train": 200},
        {"strength": 0.5},
        {"learning_rate": 10**-3.5},
    ]
    x_pool, y_pool, x_val, y_val = load_mnist(1000, 500, seed=0)

    def plain(explorer: Any, settings: Move) -> None:
        n = settings["n_train"]
        x, y = x_pool[:n, ..., None], np.eye(10, dtype=np.float32)[y_pool[:n]]
        validation = (x_val[..., None], np.eye(10, dtype=np.float32)[y_val])
        model = augmented_cnn(settings["strength"], settings["learning_rate"])
        model.fit(x, y, validation_data=validation, epochs=settings["epochs"], batch_size=32, verbose=0)

    return explorer, moves, plain


def _no_plain(explorer: Any, settings: Move) -> None:
    """New explorers are timed against their own targets, not against model.fit."""


def first_case() -> tuple[Any, list[Move], Callable[[Any, Move], None]]:
    from lessons_lib.explore import first_explorer

    explorer = first_explorer()
    moves = [{"learning_rate": 0.01}, {"n_train": 1000}, {"epochs": 30}, {"learning_rate": 0.001}, {"n_train": 2000}]
    return explorer, moves, _no_plain


def overfitting_case() -> tuple[Any, list[Move], Callable[[Any, Move], None]]:
    from lessons_lib.explore import overfitting_explorer

    explorer = overfitting_explorer()
    moves = [{"n_train": 600}, {"epochs": 40}, {"n_train": 200}, {"epochs": 50}, {"n_train": 400}]
    return explorer, moves, _no_plain


def learning_rate_case() -> tuple[Any, list[Move], Callable[[Any, Move], None]]:
    from lessons_lib.explore import learning_rate_explorer

    explorer = learning_rate_explorer()
    moves = [{"learning_rate": 0.3}, {"schedule": "cosine"}, {"learning_rate": 1.0}, {"schedule": "step"}]
    return explorer, moves, _no_plain


def label_noise_case() -> tuple[Any, list[Move], Callable[[Any, Move], None]]:
    from lessons_lib.explore import label_noise_explorer

    explorer = label_noise_explorer()
    moves = [{"wrong_labels": 0.0}, {"n_train": 1000}, {"wrong_labels": 0.4}, {"epochs": 30}]
    return explorer, moves, _no_plain


CASES = {
    "regression": regression_case,
    "mnist_binary": mnist_case,
    "dropout_cnn": dropout_case,
    "imbalance": imbalance_case,
    "augmentation": augmentation_case,
    "first": first_case,
    "overfitting": overfitting_case,
    "learning_rate": learning_rate_case,
    "label_noise": label_noise_case,
}


def measure(name: str, fit_moves: int | None) -> dict[str, Any]:
    explorer, moves, plain = CASES[name]()
    move_seconds, cpu_seconds, settings_seen = [], [], []
    for move in moves:
        ((slider_name, value),) = move.items()
        runs = explorer.runs
        started, cpu_started = time.perf_counter(), time.process_time()
        explorer.sliders[slider_name].value = value
        move_seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu_started)
        if explorer.runs != runs + 1 or explorer.error is not None:
            raise RuntimeError(f"{name}: moving {slider_name} to {value} did not retrain ({explorer.reading})")
        settings_seen.append(explorer.settings)
    fit_seconds = []
    for settings in settings_seen[:fit_moves] if plain is not _no_plain else []:
        started = time.perf_counter()
        plain(explorer, settings)
        fit_seconds.append(time.perf_counter() - started)
    return {
        "explorer": name,
        "moves": len(move_seconds),
        "median_s": round(statistics.median(move_seconds), 4),
        "model_fit_median_s": round(statistics.median(fit_seconds), 4) if plain is not _no_plain else None,
        "_each_s": [round(seconds, 3) for seconds in move_seconds],
        "_cpu_median_s": round(statistics.median(cpu_seconds), 3),
    }


def extreme_values(control: Any) -> list[Any]:
    """A control's lowest and highest values (a log slider's bounds are exponents)."""
    kind = type(control).__name__
    if kind == "FloatLogSlider":
        return [control.base**control.min, control.base**control.max]
    if kind in ("IntSlider", "FloatSlider"):
        return [control.min, control.max]
    if kind == "Checkbox":
        return [not control.value]
    values = [option[1] if isinstance(option, tuple) else option for option in control.options]
    return [values[0], values[-1]]


def extremes(name: str) -> dict[str, Any]:
    """The slowest single move that puts one slider at an end of its range."""
    explorer, _, _ = CASES[name]()
    defaults = explorer.settings
    worst = {"seconds": 0.0, "move": None}
    for slider_name, control in explorer.sliders.items():
        for value in extreme_values(control):
            explorer.set(**defaults)
            started = time.perf_counter()
            explorer.set(**{slider_name: value})
            seconds = time.perf_counter() - started
            if seconds > worst["seconds"]:
                worst = {"seconds": seconds, "move": f"{slider_name}={value!r}"}
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="write the results to this file as a JSON list")
    parser.add_argument("--only", nargs="+", choices=sorted(CASES), help="measure only these explorers")
    parser.add_argument("--fit-moves", type=int, default=None, help="time model.fit for the first K moves only")
    parser.add_argument("--extremes", action="store_true", help="also time every slider at its lowest and highest")
    args = parser.parse_args(argv)

    lessons_lib.setup()
    load_before = os.getloadavg()[0]
    results = []
    for name in args.only or CASES:
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        results.append(measure(name, args.fit_moves))
    load_after = os.getloadavg()[0]

    header = f"{'explorer':<14} {'moves':>5} {'median s':>9} {'cpu s':>6} {'model.fit s':>12} {'speed-up':>9}"
    print(header + "   each move (s)")
    for result in results:
        fit = result["model_fit_median_s"]
        fit_text, speedup = f"{'-':>12}", f"{'-':>9}"
        if fit:
            fit_text, speedup = f"{fit:>12.3f}", f"{fit / result['median_s']:>8.1f}x"
        each = ", ".join(f"{seconds:.2f}" for seconds in result["_each_s"])
        print(
            f"{result['explorer']:<14} {result['moves']:>5} {result['median_s']:>9.3f} {result['_cpu_median_s']:>6.2f} "
            f"{fit_text} {speedup}   {each}"
        )
    if args.extremes:
        print("\nworst move at a slider's extreme (each slider to its lowest and highest value, the others at default)")
        for name in args.only or CASES:
            worst = extremes(name)
            print(f"{name:<14} {worst['seconds']:>7.2f} s   {worst['move']}")
    print(f"{os.cpu_count()} CPUs; load average {load_before:.1f} before, {load_after:.1f} after")
    print("cpu s: processor time of a move, all threads together; alone, a move takes between half of it and all")
    if args.json:
        public = [{key: value for key, value in result.items() if not key.startswith("_")} for result in results]
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(public, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

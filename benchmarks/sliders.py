"""How long a slider move takes in each explorer, against the same training done with model.fit.

    python benchmarks/sliders.py [--only NAME ...] [--fit-moves K] [--extremes] [--all-extremes]
                                 [--issue-sizes] [--json PATH]

For every explorer of ``lessons_lib.explore`` it builds the explorer as its lesson does (the
first training and graph build happen then and are not counted), then sets slider values
programmatically, as a learner's release would, and times each assignment: from setting the
value to the final curves drawn (cache misses only: every move is a setting not seen before).
For the same settings it times the plain way: build the model, compile,
``model.fit(verbose=0)`` with the same data, epochs, batch size and learning rate.

Sizes are the explorers' defaults, which are the lessons' runs: regression 100 epochs on 80
rows (lesson 01); MNIST binary 10 epochs on 4,000 images (lesson 02); dropout CNN 6 epochs
on 3,000 images (lesson 03); imbalance 20 epochs of one sigmoid unit on 3,711 images
(lesson 04); augmentation 45 epochs on 300 images (lesson 05). ``--issue-sizes`` builds the
first explorers at the smaller sizes issue 13 measured instead (MNIST binary on 2,000 images,
dropout CNN 5 epochs on 600, augmentation 20 epochs), for a like-for-like comparison.
Targets on a quiet 2-core machine (issue 13): regression <= 0.1 s a move; MNIST dense
explorers <= 0.5 s; CNN explorers <= 2.5 s; the new explorers <= 1 s (2.5 s for a CNN).

``--extremes`` also times every slider at its lowest and its highest value, one at a time
(the others at their defaults), and ``--all-extremes`` every slider at its slowest end at
once: the end that was slower alone, applied in the order ``Explorer.set`` applies values (a
slider's range may follow another's value), on a freshly built explorer, so the move pays
for any new model or graph too. The worst move of both must take at most 10 s.

It prints a table and, with ``--json``, writes a list with one object per explorer:
``{"explorer": NAME, "moves": N, "median_s": S, "model_fit_median_s": F}``. The load average
is printed because other processes on the machine slow every number down; the table's "cpu s"
column (processor time of a move, summed over TensorFlow's threads) is what the move costs
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
Case = tuple[Any, list[Move], Callable[[Any, Move], None]]
#: Set by ``--issue-sizes``: build the first explorers at the sizes issue 13 measured.
ISSUE_SIZES = False


def regression_case() -> Case:
    from sklearn.model_selection import train_test_split

    from lessons_lib.explore import regression_explorer
    from lessons_lib.models import house_price_model
    from lessons_lib.synthetic import house_prices

    explorer = regression_explorer(seed=42)
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


def mnist_case() -> Case:
    from lessons_lib.data import mnist_one_vs_rest
    from lessons_lib.explore import mnist_binary_explorer
    from lessons_lib.models import mnist_dense_model

    explorer = mnist_binary_explorer(seed=42, **({"n_train": 2000} if ISSUE_SIZES else {}))
    moves = [
        {"learning_rate": 10**-2.5},
        {"digit": 7},
        {"learning_rate": 10**-3.5},
        {"digit": 3},
        {"learning_rate": 10**-2.0},
        {"digit": 0},
    ]

    def plain(explorer: Any, settings: Move) -> None:
        x, y, x_val, y_val = mnist_one_vs_rest(settings["digit"], 4000, 1000, seed=0)
        n = settings["n_train"]
        model = mnist_dense_model(128, settings["learning_rate"])
        model.fit(x[:n], y[:n], validation_data=(x_val, y_val), epochs=settings["epochs"], batch_size=32, verbose=0)

    return explorer, moves, plain


def dropout_case() -> Case:
    import numpy as np

    from lessons_lib.data import load_mnist
    from lessons_lib.explore import dropout_explorer
    from lessons_lib.models import dropout_cnn

    explorer = dropout_explorer(seed=42, **({"n_train": 600, "epochs": 5} if ISSUE_SIZES else {}))
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


def imbalance_case() -> Case:
    import keras
    import numpy as np
    from sklearn.utils.class_weight import compute_class_weight

    from lessons_lib.explore import imbalance_explorer
    from lessons_lib.imbalance import mnist_rare_digit

    explorer = imbalance_explorer(seed=42)
    moves = [
        {"class_weights": True},
        {"rare_fraction": 0.01},
        {"class_weights": False},
        {"rare_fraction": 0.05},
        {"learning_rate": 10**-2.5},
        {"digit": 3},
    ]

    def plain(explorer: Any, settings: Move) -> None:
        x, y, x_val, y_val = mnist_rare_digit(settings["digit"], settings["rare_fraction"], seed=42)
        weights = None
        if settings["class_weights"]:
            values = compute_class_weight("balanced", classes=np.array([0, 1]), y=y)
            weights = {0: float(values[0]), 1: float(values[1])}
        model = keras.Sequential(
            [keras.Input(shape=(784,)), keras.layers.Dense(1, "sigmoid", kernel_initializer="zeros")]
        )
        model.compile(
            optimizer=keras.optimizers.Adam(settings["learning_rate"]),
            loss="binary_crossentropy",
            metrics=["accuracy", keras.metrics.Recall(name="recall")],
        )
        model.fit(
            x,
            y,
            validation_data=(x_val, y_val),
            epochs=settings["epochs"],
            batch_size=64,
            class_weight=weights,
            verbose=0,
        )

    return explorer, moves, plain


def augmentation_case() -> Case:
    from lessons_lib.explore import augmentation_explorer
    from lessons_lib.explore.cnn import lesson05_cnn, lesson05_images

    explorer = augmentation_explorer(seed=42, **({"epochs": 20} if ISSUE_SIZES else {}))
    moves = [
        {"strength": 1.0},
        {"learning_rate": 10**-2.5},
        {"strength": 0.5},
        {"n_train": 200},
        {"strength": 0.0},
        {"learning_rate": 10**-3.5},
    ]

    def plain(explorer: Any, settings: Move) -> None:
        x, y, x_val, y_val = lesson05_images(settings["n_train"], 500, 42)
        model = lesson05_cnn(settings["strength"], 42, settings["learning_rate"])
        model.fit(x, y, validation_data=(x_val, y_val), epochs=settings["epochs"], batch_size=32, verbose=0)

    return explorer, moves, plain


def _no_plain(explorer: Any, settings: Move) -> None:
    """New explorers are timed against their own targets, not against model.fit."""


def first_case() -> Case:
    from lessons_lib.explore import first_explorer

    explorer = first_explorer()
    moves = [{"learning_rate": 0.01}, {"n_train": 1000}, {"epochs": 30}, {"learning_rate": 0.001}, {"n_train": 2000}]
    return explorer, moves, _no_plain


def overfitting_case() -> Case:
    from lessons_lib.explore import overfitting_explorer

    explorer = overfitting_explorer()
    moves = [{"n_train": 600}, {"epochs": 40}, {"n_train": 200}, {"epochs": 50}, {"n_train": 400}]
    return explorer, moves, _no_plain


def learning_rate_case() -> Case:
    from lessons_lib.explore import learning_rate_explorer

    explorer = learning_rate_explorer()
    moves = [{"learning_rate": 0.3}, {"schedule": "cosine"}, {"learning_rate": 1.0}, {"schedule": "step"}]
    return explorer, moves, _no_plain


def label_noise_case() -> Case:
    from lessons_lib.explore import label_noise_explorer

    explorer = label_noise_explorer()
    moves = [{"wrong_labels": 0.0}, {"n_train": 1000}, {"wrong_labels": 0.4}, {"epochs": 30}]
    return explorer, moves, _no_plain


def picker_case() -> Case:
    from lessons_lib.explore import broken_run_picker

    def run(epochs: int, start: float, slope: float, gap: float) -> dict[str, list[float]]:
        loss = [start * (1 - slope) ** epoch for epoch in range(epochs)]
        return {"loss": loss, "val_loss": [value + gap * epoch / epochs for epoch, value in enumerate(loss)]}

    runs = {
        "reason.overfitting": (run(30, 1.0, 0.1, 0.8), run(30, 1.0, 0.08, 0.05)),
        "reason.lr_too_high": (run(20, 1.0, -0.05, 0.1), run(20, 1.0, 0.1, 0.05)),
        "reason.insufficient_data": (run(25, 1.2, 0.12, 0.6), run(25, 1.0, 0.1, 0.1)),
    }
    explorer = broken_run_picker(runs)
    moves = [
        {"fixed": True},
        {"reason": "reason.lr_too_high"},
        {"fixed": False},
        {"reason": "reason.insufficient_data"},
    ]
    return explorer, moves, _no_plain


def ensemble_case() -> Case:
    from lessons_lib.explore import ensemble_explorer

    explorer = ensemble_explorer()
    moves = [{"members": 5}, {"bootstrap": False}, {"epochs": 30}, {"members": 2}]
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
    "picker": picker_case,
    "ensemble": ensemble_case,
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
        "model_fit_median_s": round(statistics.median(fit_seconds), 4) if fit_seconds else None,
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


def _timed_set(explorer: Any, **values: Any) -> float:
    started = time.perf_counter()
    explorer.set(**values)
    return time.perf_counter() - started


def extremes(name: str) -> dict[str, Any]:
    """Every slider alone at each end of its range (the others at their defaults): the slowest move, and each
    slider's slower end (0 or -1: its lowest or highest value in ``extreme_values``)."""
    explorer, _, _ = CASES[name]()
    defaults = explorer.settings
    worst: dict[str, Any] = {"seconds": 0.0, "move": None, "slower_end": {}}
    for slider_name, control in explorer.sliders.items():
        times = []
        for value in extreme_values(control):
            explorer.set(**defaults)
            explorer._cache.clear()  # an end that is the default value must train too, or it would look fast
            times.append(_timed_set(explorer, **{slider_name: value}))
            if times[-1] > worst["seconds"]:
                worst.update(seconds=times[-1], move=f"{slider_name}={value!r}")
        worst["slower_end"][slider_name] = max(range(len(times)), key=times.__getitem__)
    return worst


def all_extremes(name: str, slower_end: dict[str, int]) -> dict[str, Any]:
    """Every slider at its slower end at once, on a fresh explorer: one move, timed.

    The values are chosen in the order ``Explorer.set`` assigns them (choices first), each
    end read after the sliders before it moved, since a slider's range may follow another's
    value (the epochs a CNN explorer allows follow its training images).
    """
    explorer, _, _ = CASES[name]()
    choices = ("ToggleButtons", "SelectionSlider", "Checkbox", "Dropdown", "RadioButtons")
    order = sorted(explorer.sliders, key=lambda slider: type(explorer.sliders[slider]).__name__ not in choices)
    saved = explorer._snapshot()  # the values are worked out on the sliders themselves, then put back
    with explorer._hold():
        for slider_name in order:
            control = explorer.sliders[slider_name]
            control.value = extreme_values(control)[slower_end.get(slider_name, -1)]
            if explorer._adjust is not None:
                explorer._adjust(slider_name, explorer.sliders)
        target = explorer.settings
    explorer._restore(saved)
    runs = explorer.runs
    seconds = _timed_set(explorer, **target)
    if explorer.runs != runs + 1 and explorer.error is None and explorer.history is not None:
        raise RuntimeError(f"{name}: the all-extremes move did not retrain ({explorer.reading})")
    return {"seconds": seconds, "settings": target}


def main(argv: list[str] | None = None) -> int:
    global ISSUE_SIZES
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="write the results to this file as a JSON list")
    parser.add_argument("--only", nargs="+", choices=sorted(CASES), help="measure only these explorers")
    parser.add_argument("--fit-moves", type=int, default=None, help="time model.fit for the first K moves only")
    parser.add_argument("--extremes", action="store_true", help="also time every slider at its lowest and highest")
    parser.add_argument(
        "--all-extremes",
        action="store_true",
        help="also time every slider at its slowest end at once (implies --extremes)",
    )
    parser.add_argument("--issue-sizes", action="store_true", help="MNIST binary, dropout and augmentation smaller")
    parser.add_argument("--no-moves", action="store_true", help="skip the table of moves (extremes only)")
    args = parser.parse_args(argv)
    ISSUE_SIZES = args.issue_sizes

    lessons_lib.setup()
    names = args.only or list(CASES)
    load_before = os.getloadavg()
    results = []
    for name in [] if args.no_moves else names:
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        results.append(measure(name, args.fit_moves))
    if results:
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
    if args.extremes or args.all_extremes:
        print(
            "\nslowest moves: one slider at an end (the others at their defaults), and all at their slower end at once"
        )
        print(f"{'explorer':<14} {'one, s':>7}  {'move':<28} {'all, s':>7}  settings")
        for name in names:
            print(f"extremes of {name} ...", file=sys.stderr, flush=True)
            worst = extremes(name)
            line = f"{name:<14} {worst['seconds']:>7.2f}  {worst['move']:<28}"
            if args.all_extremes:
                together = all_extremes(name, worst["slower_end"])
                settings = ", ".join(f"{key}={value:.3g}" if isinstance(value, float) else f"{key}={value}"
                                     for key, value in together["settings"].items())  # fmt: skip
                line += f" {together['seconds']:>7.2f}  {settings}"
            print(line, flush=True)
    load_after = os.getloadavg()
    print(
        f"{os.cpu_count()} CPUs; load average (1, 5, 15 min) {' '.join(f'{x:.1f}' for x in load_before)} before, "
        f"{' '.join(f'{x:.1f}' for x in load_after)} after; sizes: {'issue 13' if ISSUE_SIZES else 'the lessons'}"
    )
    print("cpu s: processor time of a move, all threads together; alone, a move takes between half of it and all")
    if args.json:
        public = [{key: value for key, value in result.items() if not key.startswith("_")} for result in results]
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(public, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

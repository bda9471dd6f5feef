"""Lesson 08's broken-run pickers show each part's own broken runs and fixes, exactly.

Each test runs the part's cells that train the runs (as saved in the notebook), then the
part's picker cell, and walks through every entry of the picker: unticked, it must show the
broken run of that item, ticked the fixed one, each history exactly as ``fit`` returned it,
and the reading must change with the tick. The expected pairs are written out here, from the
items' own text, so a picker cell that pairs the wrong runs fails.
"""

from __future__ import annotations

import math
import warnings

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from lesson_cells import lesson_namespace  # noqa: E402
from test_explorers_follow_lessons import explorer_of  # noqa: E402

from lessons_lib.session import session_seed  # noqa: E402

PART_1 = "08_troubleshooting_checklist.ipynb"
PART_2 = "08_troubleshooting_checklist_part2.ipynb"

#: The cells of part 1 that train its runs, in the lesson's order.
CELLS_1 = [
    "def yes_no(",
    "x_train, y_train, x_val, y_val = load_mnist(",
    "def reference_model(",
    "too_short = model.fit(",
    "reference = model.fit(",
    "lr_runs = []",
    "decay_too_fast = model.fit(",
    "decay_slow = model.fit(",
    "overfit = model.fit(",
    "stopped = model.fit(",
    "smaller = model.fit(",
    "more_data = model.fit(",
    "vanishing = sigmoid_small.fit(",
    "relu_he = both.fit(",
    "exploding = model.fit(",
    "clipped = model.fit(",
    "zeros = model.fit(",
    "glorot = model.fit(",
]
#: Picker entry -> (broken run, fixed run), as expressions in the lesson's namespace.
PAIRS_1 = {
    "reason.insufficient_training": ("too_short", "reference"),
    "reason.lr_too_high": ("lr_runs[0]", "reference"),
    "reason.lr_decay_too_fast": ("decay_too_fast", "decay_slow"),
    "reason.overfitting": ("overfit", "stopped"),
    "reason.complex_model": ("overfit", "smaller"),
    "reason.insufficient_data": ("overfit", "more_data"),
    "reason.vanishing_exploding_gradients: vanishing": ("vanishing", "relu_he"),
    "reason.vanishing_exploding_gradients: exploding": ("exploding", "clipped"),
    "reason.initialization": ("zeros", "glorot"),
}

CELLS_2 = [
    "def yes_no(",
    "def compare(",
    "x_train, y_train, x_val, y_val = load_mnist(",
    "features, price = house_prices(",
    "raw_units = model.fit(",
    "normalized = model.fit(",
    "price_variance = float(",
    "mse = model.fit(",
    "cross_entropy = model.fit(",
    "shuffled_apart = model.fit(",
    "shuffled_together = model.fit(",
    "def with_few_nines(",
    "imbalanced = model.fit(",
    "weighted = model.fit(",
    "hints = dict(n_classes=2",
    "duplicates = model.fit(",
    "split_first = model.fit(",
    "val_20 = model.fit(",
    "val_500 = model.fit(",
]
PAIRS_2 = {
    "reason.data_preprocessing": ("raw_units", "normalized"),
    "reason.incorrect_loss": ("mse", "cross_entropy"),
    "reason.bugs_in_code": ("shuffled_apart", "shuffled_together"),
    "reason.class_imbalance": ("imbalanced", "weighted"),
    "culprit.validation_leak: duplicates across the split": ("duplicates", "split_first"),
    "culprit.data_quality_and_size: a tiny validation set": ("val_20", "val_500"),
}


def assert_same_history(shown: dict, trained: dict, what: str) -> None:
    assert set(shown) == set(trained), what
    for name, values in trained.items():
        np.testing.assert_array_equal(shown[name], values, err_msg=f"{what}: {name}")  # NaN equals NaN here


def without_note(reading: str) -> str:
    """The reading of the curves alone (the picker adds what went wrong, or the fix, at its end)."""
    return reading.rsplit(" · ", 1)[0]


def walk_through(notebook: str, cells: list[str], pairs: dict[str, tuple[str, str]]) -> list[tuple[str, str, str]]:
    namespace = lesson_namespace(notebook, *cells, seed=session_seed())
    picker = explorer_of(notebook, "broken_run_picker(", namespace)
    options = [value for _, value in picker.sliders["reason"].options]
    assert options == list(pairs), "the picker lists every item that trained a broken run and its fix, in order"
    readings = []
    for entry, (broken, fixed) in pairs.items():
        picker.set(reason=entry, fixed=False)
        assert picker.error is None, picker.reading
        assert_same_history(picker.history, eval(broken, namespace).history, f"{entry}, broken")  # noqa: S307
        assert "what went wrong:" in picker.reading
        broken_reading = picker.reading
        picker.set(fixed=True)
        assert picker.error is None, picker.reading
        assert_same_history(picker.history, eval(fixed, namespace).history, f"{entry}, fixed")  # noqa: S307
        assert "the fix:" in picker.reading
        assert without_note(picker.reading) != without_note(broken_reading), f"{entry}: the tick changes the reading"
        readings.append((entry, broken_reading, picker.reading))
    return readings


def test_part_1_picker_shows_each_items_broken_run_and_its_fix():
    readings = {entry: (broken, fixed) for entry, broken, fixed in walk_through(PART_1, CELLS_1, PAIRS_1)}
    # what the lesson's checked lines hold for every seed, seen in the picker's reading
    broken, fixed = readings["reason.insufficient_training"]
    assert "doctor: still_improving" in broken and "still_improving" not in fixed
    broken, fixed = readings["reason.lr_decay_too_fast"]
    assert "doctor: underfitting" in broken and "underfitting" not in fixed
    broken, _ = readings["reason.vanishing_exploding_gradients: exploding"]
    assert broken.endswith("what went wrong: Vanishing or exploding gradients")
    if broken.startswith("diverged at epoch"):  # a NaN loss: the reading names the reason, not the learning rate
        assert "learning rate" not in broken and "doctor: diverging" in broken
    else:  # the first epoch stopped just short of overflowing (some seeds and CPUs)
        assert "doctor: not_learning" in broken


def test_part_2_picker_shows_each_items_broken_run_and_its_fix():
    readings = {entry: (broken, fixed) for entry, broken, fixed in walk_through(PART_2, CELLS_2, PAIRS_2)}
    broken, fixed = readings["reason.data_preprocessing"]
    assert broken.startswith("diverged at epoch 1 (loss became nan)") and "learning rate" not in broken
    assert "Missing or wrong normalisation" in broken
    broken, fixed = readings["reason.incorrect_loss"]  # each run read with its own loss of guessing
    assert "doctor: not_learning" in broken and "doctor: not_learning" not in fixed
    broken, _ = readings["culprit.validation_leak: duplicates across the split"]
    assert "doctor: healthy" in broken or "doctor: still_improving" in broken  # the leak draws healthy curves


# -- the picker itself, on made-up curves -------------------------------------------------------


def made_up(start: float, factor: float, epochs: int = 6, accuracy: bool = True) -> dict[str, list[float]]:
    losses = [start * factor**epoch for epoch in range(epochs)]
    run = {"loss": losses, "val_loss": [1.05 * loss for loss in losses]}
    if accuracy:
        run |= {"accuracy": [1 - loss / 3 for loss in losses], "val_accuracy": [0.98 - loss / 3 for loss in losses]}
    return run


def test_a_reason_with_two_cases_gives_two_entries_and_a_fixed_run_sits_over_its_own_broken_run():
    from lessons_lib.explore import broken_run_picker

    first, second, fix = made_up(2.3, 1.0), made_up(2.3, 1.01), made_up(2.3, 0.6)
    picker = broken_run_picker(
        {
            "reason.initialization": (second, fix),
            "reason.vanishing_exploding_gradients": {"a": (first, fix), "b": (second, fix)},
        }
    )
    labels = [label for label, _ in picker.sliders["reason"].options]
    assert labels == [
        "Bad weight initialisation",
        "Vanishing or exploding gradients: a",
        "Vanishing or exploding gradients: b",
    ]
    picker.set(fixed=True)
    picker.set(reason="reason.vanishing_exploding_gradients: a")
    assert picker.history == fix
    faint = picker.panel.axes[0].lines[-1]  # the faint run is drawn last: the broken run of this entry
    assert list(faint.get_ydata()) == first["val_loss"]
    legend = [text.get_text() for text in picker.panel.axes[0].get_legend().get_texts()]
    assert "broken run, validation" in legend and not any("previous" in text for text in legend)


def test_each_run_can_have_its_own_hints_and_a_regression_leaves_the_accuracy_panel_empty():
    from lessons_lib.explore import broken_run_picker

    nan = math.nan
    broken = {"loss": [nan] * 4, "val_loss": [nan] * 4}
    fixed = made_up(1.0, 0.5, epochs=4, accuracy=False)
    flat = made_up(0.09, 0.999, epochs=8)
    learning = made_up(2.3, 0.7, epochs=8)
    picker = broken_run_picker(
        {"reason.incorrect_loss": (flat, learning), "reason.data_preprocessing": (broken, fixed)},
        hints={"reason.incorrect_loss": ({"n_classes": 10, "baseline_loss": 0.09}, {"n_classes": 10})},
    )
    assert picker.metrics == ["loss", "accuracy"]
    assert "doctor: not_learning" in picker.reading  # told the squared error's baseline 0.09
    picker.set(fixed=True)
    assert "doctor: not_learning" not in picker.reading  # the cross-entropy run is not judged against 0.09
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an empty panel must not warn (its legend has nothing to show)
        picker.set(reason="reason.data_preprocessing", fixed=False)
        assert picker.reading.startswith("diverged at epoch 1 (loss became nan) · doctor: diverging")
        assert picker.reading.endswith("what went wrong: Missing or wrong normalisation")
        picker.set(fixed=True)
    texts = [text.get_text() for text in picker.panel.axes[1].texts]
    assert texts == ["this run has no accuracy"]


def test_culprits_are_entries_too_and_bad_arguments_say_what_is_wrong():
    from lessons_lib.explore import broken_run_picker

    run = made_up(2.3, 0.8)
    picker = broken_run_picker({"culprit.validation_leak": (run, run)})
    assert "what went wrong: Validation set leak" in picker.reading
    with pytest.raises(ValueError, match=r"runs\['reason.initialization'\]\['a'\] must be a pair"):
        broken_run_picker({"reason.initialization": {"a": (run,)}})
    with pytest.raises(ValueError, match="hints has a reason 'reason.overfitting' that runs does not have"):
        broken_run_picker({"reason.initialization": (run, run)}, hints={"reason.overfitting": {}})
    with pytest.raises(ValueError, match=r"hints\['reason.initialization'\] must be a dict of hints, or a pair"):
        broken_run_picker({"reason.initialization": (run, run)}, hints={"reason.initialization": 10})

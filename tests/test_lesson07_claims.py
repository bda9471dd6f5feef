"""Lesson 07's checked lines can fail, and what it prints unchecked holds by construction.

The lesson reads its settings on the edge of stability (SGD at 1.0; batches of 8 at 0.5) over
three seeds and claims only what holds over them. Each claim must be able to fail: remove its
cause and the lesson's own checked cell, run as saved in the notebook, must say ``no``. The
cause is removed by swapping in calm runs: lr 0.1 in place of lr 1.0, the batch-256 runs in
place of the batch-8 ones (and the reverse), the rollercoaster in place of every remedy.

Some lines the lesson prints unchecked are not properties of a run but of arithmetic or of
Keras (steps per epoch, the 1/sqrt(batch size) law of a batch's noise, a validation set that
changes the measurement and not the training, the schedules' rates); they are tested here, where
a Keras upgrade that changes them fails a test.
"""

from __future__ import annotations

import ast
import math

import keras
import numpy as np
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from lesson_cells import cell_source, line_with, run_cell, saved_lines

import lessons_lib
from lessons_lib.callbacks import InferenceModeMetrics
from lessons_lib.data import load_mnist

NOTEBOOK = "07_learning_rate_and_batch_size.ipynb"
HELPERS_CELL = "def yes_no(condition)"  # the lesson's yes_no and doctor
MODEL_CELL = "def build_model("
SWEEP_CELL = "def rises(curve)"  # the checked cell of the four learning rates; defines rises
TRAIN_CELL = "def train(learning_rate, batch_size"  # the batch-size runs; defines train
SEEDS_CELL = "def band_width("  # the checked cell of lr 0.1 against lr 1.0, three seeds each
BATCH_CELL = "def mean_jumpiness("  # the checked cell of batch 8 against batch 256
DOCTOR_CELL = "doctor, batch 8 at lr 0.5: names the jumps"
REMEDIES_CELL = "rollercoaster = mean_jumpiness(runs[8])"
SEED = 42
SEEDS = [SEED, SEED + 1, SEED + 2]


def definitions(contains: str, names: tuple[str, ...], namespace: dict) -> None:
    """Execute only the named top-level definitions of a lesson cell (as saved) in ``namespace``."""
    code = TransformerManager().transform_cell(cell_source(NOTEBOOK, contains))

    def defines(node: ast.stmt) -> bool:
        if isinstance(node, ast.FunctionDef):
            return node.name in names
        return isinstance(node, ast.Assign) and any(getattr(target, "id", None) in names for target in node.targets)

    wanted = [node for node in ast.parse(code).body if defines(node)]
    assert len(wanted) == len(names), f"{contains!r}: found {len(wanted)} of {names}"
    exec(compile(ast.Module(wanted, type_ignores=[]), NOTEBOOK, "exec"), namespace)  # noqa: S102


@pytest.fixture(scope="module")
def lesson() -> dict:
    """The lesson's data and helpers, and three seeds each of the calm and the jumpy runs."""
    x_train, y_train, x_val, y_val = load_mnist(n_train=1000, n_val=1000, flatten=True)
    namespace = {
        "keras": keras,
        "math": math,
        "np": np,
        "lessons_lib": lessons_lib,
        "InferenceModeMetrics": InferenceModeMetrics,
        "SEED": SEED,
        "seeds": SEEDS,
        "x_train": x_train,
        "y_train": y_train,
        "x_val": x_val,
        "y_val": y_val,
        "x_val_small": x_val[:200],
        "y_val_small": y_val[:200],
    }
    definitions(HELPERS_CELL, ("yes_no", "doctor"), namespace)
    run_cell(NOTEBOOK, MODEL_CELL, namespace)  # build_model, EPOCHS, CHANCE_LOSS
    definitions(SWEEP_CELL, ("rises",), namespace)
    definitions(SEEDS_CELL, ("count", "jumps", "names_the_jumps"), namespace)
    definitions(TRAIN_CELL, ("measure_on_1000", "train"), namespace)
    train, measure = namespace["train"], namespace["measure_on_1000"]
    namespace["calm_lr"] = [
        namespace["build_model"](0.1, seed=seed)
        .fit(x_train, y_train, validation_data=(x_val, y_val), validation_batch_size=1000, epochs=15, verbose=0)
        .history
        for seed in SEEDS
    ]
    namespace["b8"] = [train(0.5, 8, seed=seed, callbacks=[measure]) for seed in SEEDS]
    namespace["b256"] = [train(0.5, 256, seed=seed, callbacks=[measure]) for seed in SEEDS]
    return namespace


def answers(lines: list[str]) -> dict[str, str]:
    """Each printed line's question (before the last colon) and its answer."""
    return dict(line.rsplit(": ", 1) for line in lines)


def test_the_saved_checked_lines_say_yes():
    for contains in (SEEDS_CELL, BATCH_CELL, DOCTOR_CELL):
        assert set(answers(saved_lines(NOTEBOOK, contains)).values()) == {"yes"}, contains
    remedies = answers(saved_lines(NOTEBOOK, REMEDIES_CELL))
    assert remedies.pop("doctor, lower learning rate (0.05)") == "healthy"
    assert set(remedies.values()) == {"yes"}


def test_with_lr_1_0_as_calm_as_lr_0_1_the_seed_cell_says_no(lesson):
    """lr 0.1's three seeds in both places: no rises, no wide band, no jumps for the doctor."""
    namespace = {**lesson, "runs_by_rate": {0.1: lesson["calm_lr"], 1.0: lesson["calm_lr"]}}
    printed = answers(run_cell(NOTEBOOK, SEEDS_CELL, namespace))
    assert printed["lr 0.1: training and validation loss fell in every epoch, in all 3 seeds"] == "yes"
    assert printed["doctor, lr 0.1: healthy in all 3 seeds"] == "yes"
    for question, answer in printed.items():
        if question.startswith(("lr 1.0", "doctor, lr 1.0")):
            assert answer == "no", question


def test_with_the_batch_sizes_swapped_the_batch_cell_says_no(lesson):
    """The calm batch-256 runs where the lesson has batch 8, and the reverse."""
    namespace = {**lesson, "runs": {8: lesson["b256"], 256: lesson["b8"]}}
    printed = answers(run_cell(NOTEBOOK, BATCH_CELL, namespace))
    assert set(printed.values()) == {"no"}, printed


def test_on_calm_runs_the_doctor_names_no_jumps(lesson):
    """lr 0.1's three seeds where the lesson has the batch-8 runs: the doctor calls them healthy."""
    namespace = {**lesson, "runs": {8: lesson["calm_lr"], 256: lesson["b256"]}}
    assert line_with(run_cell(NOTEBOOK, DOCTOR_CELL, namespace), "doctor, batch 8").endswith(": no")


def test_without_a_remedy_the_remedies_cell_says_no(lesson):
    """Every "remedy" is the rollercoaster itself; the larger validation set measures calm runs."""
    namespace = {**lesson, "runs": {8: lesson["b8"], 256: lesson["b256"]}}
    definitions(BATCH_CELL, ("jumpiness", "mean_jumpiness"), namespace)
    rollercoaster = lesson["b8"]
    namespace["remedies"] = {
        name: rollercoaster
        for name in ("lower learning rate (0.05)", "larger batch (256)", "ReduceLROnPlateau", "CosineDecay")
    }
    namespace["on_1000"] = lesson["b256"]  # if the jumps had been the measurement's: calm on a larger set
    printed = answers(run_cell(NOTEBOOK, REMEDIES_CELL, namespace))
    assert printed.pop("doctor, lower learning rate (0.05)") != "healthy"
    assert set(printed.values()) == {"no"}, printed


def test_the_measurement_on_1000_images_is_the_same_run(lesson):
    """InferenceModeMetrics measures; it does not train: the curves match a run without it."""
    plain = lesson["train"](0.5, 8, seed=SEED)
    measured = lesson["b8"][0]
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        assert measured[key] == pytest.approx(plain[key], rel=1e-6), key
    assert {"val1000_loss", "val1000_accuracy"} <= set(measured)


def test_a_larger_validation_set_does_not_change_training(lesson):
    """The lesson's prose: the validation set changes the measurement, not the run."""
    build_model, x_train, y_train = lesson["build_model"], lesson["x_train"], lesson["y_train"]
    histories = [
        build_model(0.5, seed=SEED)
        .fit(x_train, y_train, validation_data=data, epochs=3, batch_size=8, verbose=0)
        .history
        for data in ((lesson["x_val"][:200], lesson["y_val"][:200]), (lesson["x_val"], lesson["y_val"]))
    ]
    assert histories[0]["loss"] == pytest.approx(histories[1]["loss"], rel=1e-6)
    assert histories[0]["val_loss"] != pytest.approx(histories[1]["val_loss"], rel=1e-3)


@pytest.mark.parametrize(("batch_size", "steps"), [(8, 125), (32, 32), (256, 4)])
def test_steps_per_epoch_are_the_images_divided_by_the_batch_size_rounded_up(batch_size, steps):
    x = np.zeros((1000, 3), "float32")
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, np.zeros(1000), batch_size=batch_size, epochs=1, verbose=0)
    assert history.params["steps"] == steps == math.ceil(1000 / batch_size)


def test_the_noise_of_a_batch_shrinks_like_one_over_the_square_root_of_its_size():
    """The lesson measures the spread of batch losses; sampling theory says how it must come out."""
    rng = np.random.default_rng(SEED)
    per_example = rng.exponential(0.2, size=1000)  # skewed, like per-example losses
    spread = {
        size: np.std([per_example[rng.choice(1000, size, replace=False)].mean() for _ in range(4000)])
        for size in (8, 256)
    }
    correction = math.sqrt((1000 - 256) / (1000 - 8))  # drawing without replacement from 1,000
    assert spread[8] / spread[256] == pytest.approx(math.sqrt(256 / 8) / correction, rel=0.1)
    assert spread[8] / spread[256] > 4


def test_the_fast_decay_and_the_cosine_schedule_give_the_rates_the_lesson_states():
    fast = keras.optimizers.schedules.ExponentialDecay(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5)
    assert 1 / 200 < float(fast(2 * 32)) / 0.1 < 1 / 50  # "by the third epoch a hundredth"
    assert 1 / 20000 < float(fast(4 * 32)) / 0.1 < 1 / 5000  # "by the fifth a ten-thousandth"
    total_steps = 15 * 125
    cosine = keras.optimizers.schedules.CosineDecay(0.5, decay_steps=total_steps)
    assert float(cosine(0)) == pytest.approx(0.5)
    assert float(cosine(total_steps // 2)) == pytest.approx(0.25, rel=1e-3)
    assert float(cosine(total_steps)) == pytest.approx(0.0, abs=1e-7)

"""The curve doctor reads real training runs right, raises no false alarms, and never crashes.

The real runs are JSON fixtures made by ``tests/fixtures/make_histories.py`` (seeded Keras
runs on the shipped MNIST subset and seed 000's house prices); these tests only read them.
"""

import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import lessons_lib
from lessons_lib import checklist
from lessons_lib.doctor import ADVICE, CODES, LESSONS, Diagnosis, DiagnosisError, diagnose

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HISTORIES = sorted((FIXTURES / "histories").glob("*.json"))
sys.path.insert(0, str(FIXTURES))
import make_histories  # noqa: E402  (the script that made the fixtures; imports no TensorFlow)

sys.path.remove(str(FIXTURES))


def load(path):
    document = json.loads(path.read_text())
    history = {key: [float(value) for value in values] for key, values in document["history"].items()}
    return document, history


RUNS = {path.stem: load(path) for path in HISTORIES}


class FakeHistory:
    """Stands in for keras.callbacks.History, which keeps its curves in ``.history``."""

    def __init__(self, curves):
        self.history = curves


def falling(n=20, start=1.0, end=0.1):
    """A smooth exponential fall from ``start`` towards ``end``."""
    return [end + (start - end) * math.exp(-epoch / 3) for epoch in range(n)]


# ---------------------------------------------------------------------------------------
# real runs


def test_every_code_has_at_least_two_real_runs():
    counts = Counter(document["expect"] for document, _ in RUNS.values())
    assert {code: counts[code] for code in CODES if counts[code] < 2} == {}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_reads_each_real_run_with_the_code_it_was_made_to_show(name):
    document, history = RUNS[name]
    report = diagnose(history, **document["hints"])
    assert document["expect"] in report.codes, f"{name}: {report}"
    if document["expect"] == "healthy":
        assert report.codes == ["healthy"], f"false alarm on a healthy run: {report}"


@pytest.mark.parametrize("name", sorted(RUNS))
def test_findings_are_ordered_complete_and_consistent(name):
    document, history = RUNS[name]
    report = diagnose(history, **document["hints"])
    assert report.findings, report
    assert report.codes == sorted(report.codes, key=CODES.index)
    assert len(set(report.codes)) == len(report.codes)
    if "healthy" in report.codes or "diverging" in report.codes:
        assert set(report.codes) <= {"diverging", "unstable"} or report.codes == ["healthy"]
    for finding in report.findings:
        assert finding.code in CODES
        assert finding.message.endswith(".") and "\n" not in finding.message
        assert finding.evidence and finding.evidence_text
        assert all(isinstance(entry, checklist.Item) for entry in finding.advice) and finding.advice
        assert finding.lesson in checklist.LESSONS


@pytest.mark.parametrize("name", sorted(RUNS))
def test_loss_scale_does_not_change_the_verdict(name):
    """A regression loss of 1e4 and a cross-entropy of 0.3 are read alike."""
    _, history = RUNS[name]
    scaled = {key: [value * 1e4 for value in values] if "acc" not in key else values for key, values in history.items()}
    assert diagnose(scaled).codes == diagnose(history).codes


def test_healthy_runs_read_healthy_without_hints_too():
    for name, (document, history) in RUNS.items():
        if document["expect"] == "healthy":
            assert diagnose(history).codes == ["healthy"], name


def test_the_evidence_holds_the_numbers_of_the_curves():
    _, history = RUNS["overfitting_dense_200_images"]
    finding = diagnose(history)["overfitting"]
    best = finding.evidence["best_epoch"]
    assert history["val_loss"][best - 1] == min(history["val_loss"])
    assert finding.evidence["val_rise"] >= 0.1
    assert f"epoch {best}" in finding.message
    _, history = RUNS["diverging_house_prices_sgd_lr_1.5"]
    finding = diagnose(history)["diverging"]
    epoch = finding.evidence["epoch"]
    assert not math.isfinite(history[finding.evidence["curve"]][epoch - 1])
    assert all(math.isfinite(value) for value in history["loss"][: epoch - 1])


def test_noisy_validation_estimates_the_size_of_a_tiny_validation_set():
    document, history = RUNS["noisy_validation_sgd_batch_8_on_20_images"]
    finding = diagnose(history, **document["hints"])["noisy_validation"]
    assert finding.evidence["validation_size_estimate"] == document["settings"]["data"]["n_val"] == 20
    assert "about 20 validation examples" in finding.message


def test_val_better_than_train_says_whether_epoch_averaging_explains_it():
    _, history = RUNS["val_better_than_train_seed001_cnn"]
    assert diagnose(history)["val_better_than_train"].evidence["explained_by_epoch_averaging"] is False
    assert "dropout" in diagnose(history)["val_better_than_train"].message


#: Pairs of codes that never appear together (see "Co-occurrence" in the doctor's docstring).
NEVER_TOGETHER = [
    ("unstable", "still_improving"),
    ("unstable", "noisy_validation"),
    ("not_learning", "underfitting"),
    ("not_learning", "still_improving"),
    ("not_learning", "val_better_than_train"),
    ("not_learning", "noisy_validation"),
    ("underfitting", "still_improving"),
    ("overfitting", "still_improving"),
] + [(code, "healthy") for code in CODES if code != "healthy"]


def _textbook(code):
    """A hand-made history with the textbook shape of ``code`` (20 epochs)."""
    n = 20
    if code == "healthy":
        return {"loss": falling(n, 1.0, 0.10), "val_loss": falling(n, 1.1, 0.15)}
    if code == "overfitting":
        val = falling(8, 1.1, 0.3) + [0.3 * (1 + 0.04 * epoch) for epoch in range(1, n - 7)]
        return {"loss": falling(n, 1.0, 0.01), "val_loss": val}
    if code == "underfitting":
        return {"loss": falling(n, 2.3, 1.5), "val_loss": falling(n, 2.3, 1.55)}
    if code == "still_improving":
        return {
            "loss": [1.0 - 0.025 * epoch for epoch in range(n)],
            "val_loss": [1.05 - 0.025 * epoch for epoch in range(n)],
        }
    if code == "diverging":
        return {"loss": [1.0 * 1.5**epoch for epoch in range(n)], "val_loss": [1.1 * 1.5**epoch for epoch in range(n)]}
    if code == "unstable":
        zigzag = [0.1 + 0.9 * math.exp(-epoch / 3) + (0.15 if epoch % 2 else 0.0) for epoch in range(n)]
        return {"loss": zigzag, "val_loss": [value * 1.1 for value in zigzag]}
    if code == "not_learning":
        return {"loss": [2.3026 - 0.0005 * epoch for epoch in range(n)], "val_loss": [2.3030] * n}
    if code == "val_better_than_train":
        return {"loss": falling(n, 1.0, 0.1), "val_loss": [0.7 * value for value in falling(n, 1.0, 0.1)]}
    if code == "noisy_validation":
        val = [value + (0.1 if epoch % 2 else -0.05) for epoch, value in enumerate(falling(n, 1.1, 0.4))]
        return {"loss": falling(n, 1.0, 0.3), "val_loss": val}
    raise AssertionError(code)


@pytest.mark.parametrize("code", CODES)
def test_textbook_shapes_read_as_their_code(code):
    assert diagnose(_textbook(code)).codes == [code]


@pytest.mark.parametrize("history", [pytest.param(h, id=name) for name, (_, h) in sorted(RUNS.items())])
def test_codes_that_exclude_each_other_never_appear_together(history):
    codes = set(diagnose(history).codes)
    assert [pair for pair in NEVER_TOGETHER if set(pair) <= codes] == []
    if "diverging" in codes:
        assert codes <= {"diverging", "unstable"}


def test_the_module_tells_a_maintainer_how_each_code_is_decided():
    import lessons_lib.doctor as doctor

    section = doctor.__doc__.split("How each code is decided", 1)[1]
    for code in CODES:
        assert f"``{code}``" in section, code


# ---------------------------------------------------------------------------------------
# the fixtures and the script that made them


def test_fixtures_are_exactly_the_runs_of_the_script():
    assert sorted(RUNS) == sorted(run.name for run in make_histories.RUNS)


@pytest.mark.parametrize("run", make_histories.RUNS, ids=lambda run: run.name)
def test_each_fixture_records_the_settings_that_made_it(run):
    document, history = RUNS[run.name]
    settings = document["settings"]
    assert document["expect"] == run.expect and document["story"] == run.story
    assert json.loads(json.dumps(run.data)) == settings["data"]
    assert json.loads(json.dumps(run.model_args)) == settings["model_args"]
    for name in ("model", "optimizer", "learning_rate", "batch_size", "epochs", "seed"):
        assert settings[name] == getattr(run, name), name
    assert settings["made_by"] == "tests/fixtures/make_histories.py"
    assert {"tensorflow", "keras", "numpy"} <= set(settings["versions"])
    assert all(len(values) == run.epochs for values in history.values())
    assert document["hints"].keys() == run.hints.keys()


# ---------------------------------------------------------------------------------------
# edge cases


def test_nan_is_divergence_at_its_epoch():
    report = diagnose({"loss": [1.0, 0.8, math.nan, math.nan], "val_loss": [1.1, 0.9, math.nan, math.nan]})
    assert report.codes == ["diverging"]
    assert report.findings[0].evidence["epoch"] == 3
    assert "NaN" in report.findings[0].message


def test_inf_in_the_validation_loss_only_points_at_the_validation_data():
    report = diagnose({"loss": falling(), "val_loss": falling()[:5] + [math.inf] * 15})
    assert report.codes == ["diverging"]
    assert "validation data" in report.findings[0].message


def test_a_loss_that_grows_far_above_its_start_is_divergence():
    growing = [3.0**epoch for epoch in range(8)]
    report = diagnose({"loss": growing, "val_loss": [1.2 * value for value in growing]})
    assert report.codes[0] == "diverging"
    assert report.findings[0].evidence["growth"] > 1000


@pytest.mark.parametrize("epochs", [1, 2])
def test_too_few_epochs_get_a_note_not_a_guess(epochs):
    report = diagnose({"loss": [0.9, 0.5][:epochs], "val_loss": [1.0, 0.6][:epochs]})
    assert report.codes == []
    assert f"only {epochs} epoch" in report.notes[0] and "train for more epochs" in report.notes[0]
    assert "only" in str(report) and "no verdict" in str(report)


def test_a_single_nan_epoch_is_still_divergence():
    assert diagnose({"loss": [math.nan], "val_loss": [math.nan]}).codes == ["diverging"]


def test_no_validation_keys_gives_a_note_and_the_training_only_findings():
    report = diagnose({"loss": falling(), "accuracy": [0.5 + epoch / 50 for epoch in range(20)]})
    assert report.notes[0] == "no validation curves: pass validation_data=(x_val, y_val) to fit to see overfitting"
    assert report.codes == []  # nothing wrong with the training curve, and no verdict on generalisation
    assert diagnose({"loss": [1.0, 0.9, 0.8, 0.7, 0.6, 0.5]}).codes == ["still_improving"]
    assert diagnose({"loss": [2.3026] * 6}).codes == ["not_learning"]
    assert diagnose({"loss": [1.0, 0.5, math.nan]}).codes == ["diverging"]


def test_validation_curves_without_training_curves_are_refused():
    with pytest.raises(DiagnosisError, match="no training curves"):
        diagnose({"val_loss": [1.0, 0.5, 0.4]})


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ([1.0, 0.5], TypeError, "history must be a Keras History or a dict of lists, got list"),
        ({}, ValueError, "history is empty"),
        ({"loss": [1, 2], "val_loss": [1]}, ValueError, "one value per epoch"),
        ({"loss": ["a", "b"]}, TypeError, "must be a list of numbers"),
    ],
)
def test_bad_histories_get_one_sentence(bad, error, message):
    with pytest.raises(error, match=message):
        diagnose(bad)


@pytest.mark.parametrize(
    ("hints", "message"),
    [
        ({"n_classes": 1}, "n_classes must be >= 2, got 1"),
        ({"n_classes": 2.5}, "n_classes must be an integer"),
        ({"baseline_accuracy": 1.5}, "baseline_accuracy must be < 1"),
        ({"baseline_accuracy": 0.05, "n_classes": 10}, "baseline_accuracy must be at least 1/n_classes"),
        ({"baseline_loss": -1}, "baseline_loss must be > 0"),
        ({"baseline_loss": math.nan}, "baseline_loss must be a finite number"),
    ],
)
def test_bad_hints_get_one_sentence(hints, message):
    with pytest.raises(ValueError, match=message):
        diagnose({"loss": falling(), "val_loss": falling()}, **hints)


def test_accepts_a_history_object_numpy_arrays_and_extra_keys():
    np = pytest.importorskip("numpy")
    _, history = RUNS["healthy_mnist_dense"]
    expected = diagnose(history).codes
    assert diagnose(FakeHistory(history)).codes == expected
    arrays = {key: np.asarray(values, dtype=np.float32) for key, values in history.items()}
    assert diagnose(arrays).codes == expected
    assert diagnose({**history, "learning_rate": [0.001] * len(history["loss"])}).codes == expected


def test_accepts_a_real_keras_history():
    keras = pytest.importorskip("keras")
    _, curves = RUNS["overfitting_dense_200_images"]
    history = keras.callbacks.History()
    history.history = curves
    assert "overfitting" in diagnose(history).codes


def test_accuracy_only_and_other_metric_names_are_read():
    document, history = RUNS["overfitting_dense_200_images"]
    accuracy_only = {key: values for key, values in history.items() if "acc" in key}
    assert "overfitting" in diagnose(accuracy_only, **document["hints"]).codes
    _, regression = RUNS["overfitting_house_prices_20_houses"]
    as_mae = {"mae": regression["loss"], "val_mae": regression["val_loss"]}
    assert diagnose(as_mae).codes == diagnose(regression).codes
    document, history = RUNS["noisy_validation_sgd_batch_8_on_20_images"]
    accuracy_only = {key: values for key, values in history.items() if "acc" in key}
    assert "noisy_validation" in diagnose(accuracy_only).codes


def test_hints_make_chance_level_count():
    flat_at_chance = {"loss": [2.40, 2.31, 2.305, 2.303, 2.303], "val_loss": [2.31, 2.304, 2.303, 2.303, 2.303]}
    assert diagnose(flat_at_chance, n_classes=10).codes[0] == "not_learning"
    assert diagnose(flat_at_chance, baseline_loss=2.302585).codes[0] == "not_learning"


def test_a_negative_loss_gets_a_note():
    report = diagnose({"loss": [-1.0, -5.0, -9.0, -13.0], "val_loss": [-2.0, -6.0, -10.0, -14.0]})
    assert any("negative" in note for note in report.notes)


# ---------------------------------------------------------------------------------------
# the report


def test_report_reads_as_text_html_and_plain_data():
    document, history = RUNS["overfitting_dense_200_images"]
    report = diagnose(history, **document["hints"])
    text = str(report)
    assert text.startswith("Curve doctor (60 epochs): overfitting")
    assert "evidence:" in text and "try:" in text and "06_overfitting_regularization_early_stopping" in text
    page = report._repr_html_()
    assert page.startswith("<div") and "<table>" in page and "overfitting" in page
    assert "<" not in diagnose({"loss": [1.0]}).notes[0]  # notes are plain text, escaped in HTML
    data = json.loads(json.dumps(report.to_dict()))
    assert data["codes"] == report.codes and data["findings"][0]["advice"][0] == "reason.overfitting"
    assert report.headline.startswith("overfitting: ")
    assert "overfitting" in report and report["overfitting"] is report.findings[0]
    with pytest.raises(KeyError, match="no 'healthy' finding"):
        report["healthy"]
    assert repr(report).startswith("<Diagnosis ['overfitting'")


def test_advice_and_lessons_point_into_the_checklist():
    assert set(ADVICE) == set(LESSONS) == set(CODES)
    for code in CODES:
        assert all(item_id in checklist.ITEMS for item_id in ADVICE[code])
        assert LESSONS[code] in checklist.LESSONS


def test_package_exports_diagnose_without_importing_tensorflow():
    assert lessons_lib.diagnose is diagnose and isinstance(diagnose({"loss": falling()}), Diagnosis)
    code = (
        "import sys, lessons_lib; "
        "r = lessons_lib.diagnose({'loss': [1.0, 0.5, 0.4, 0.39], 'val_loss': [1.1, 0.6, 0.5, 0.5]}); "
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------------------------------
# real runs from the lessons (not made by make_histories.py: each says which lesson made it)

LESSON_RUNS = {path.stem: load(path) for path in sorted((FIXTURES / "histories" / "lessons").glob("*.json"))}


def test_lesson_runs_are_there_and_say_where_they_come_from():
    assert len(LESSON_RUNS) >= 3
    for name, (document, _) in LESSON_RUNS.items():
        assert document["name"] == name and "lesson" in document["note"].lower()


@pytest.mark.parametrize("name", sorted(LESSON_RUNS))
def test_reads_each_lesson_run_with_the_expected_code(name):
    document, history = LESSON_RUNS[name]
    expected = document.get("codes", [document["expect"]])
    assert document["expect"] == expected[0]
    codes = diagnose(history, **document["hints"]).codes
    assert codes == expected, f"{name}: {codes}"
    without_hints = document.get("codes_without_hints", expected)
    assert diagnose(history).codes == without_hints, f"{name} without hints"
    scaled = {key: [value * 1e4 for value in values] if "acc" not in key else values for key, values in history.items()}
    assert diagnose(scaled).codes == diagnose(history).codes


def test_a_loss_that_falls_by_a_large_factor_is_learning_whatever_the_chance_level():
    document, history = LESSON_RUNS["lesson08_large_init_clipnorm"]
    assert min(history["val_loss"]) > math.log(10)  # never below chance, yet learning
    assert "not_learning" not in diagnose(history, n_classes=10).codes
    slow = LESSON_RUNS["lesson01_house_prices_sgd_lr_0.001"][1]
    assert min(slow["val_loss"]) > 1.208  # above the variance of the targets, yet learning
    assert "not_learning" not in diagnose(slow, baseline_loss=1.208).codes


def test_a_slow_steady_fall_over_a_long_run_is_still_improving():
    _, history = LESSON_RUNS["lesson01_house_prices_sgd_lr_0.01"]
    finding = diagnose(history)["still_improving"]
    assert finding.evidence["best_epoch"] == len(history["val_loss"])


def test_a_loss_near_its_floor_or_asymptote_is_not_still_improving():
    """The long-run rule must not undo the test against the start on short runs."""
    _, history = RUNS["healthy_mnist_binary"]  # 10 epochs, still halving at 1% of its start
    assert history["val_loss"][-1] < history["val_loss"][-3] and diagnose(history).codes == ["healthy"]
    assert diagnose(_textbook("healthy")).codes == ["healthy"]


def test_a_chaotic_run_reads_the_same_whatever_the_floating_point_order():
    """Lesson 07's SGD at 1.0, with oneDNN off and on: the curves part from epoch 7, the reading must not."""
    _, off = LESSON_RUNS["lesson07_sgd_lr_1.0"]
    _, on = LESSON_RUNS["lesson07_sgd_lr_1.0_onednn"]
    assert off["loss"][:6] == pytest.approx(on["loss"][:6], rel=1e-3) and abs(off["loss"][-1] - on["loss"][-1]) > 0.1
    assert diagnose(off, n_classes=10).codes == diagnose(on, n_classes=10).codes == ["unstable", "underfitting"]


def test_a_validation_rise_inside_the_curves_own_zigzag_is_not_overfitting():
    _, history = LESSON_RUNS["lesson07_sgd_lr_1.0"]
    best = history["val_loss"].index(min(history["val_loss"]))
    assert history["val_loss"][-1] > 1.3 * history["val_loss"][best]  # it ends well above its minimum ...
    assert "overfitting" not in diagnose(history, n_classes=10).codes  # ... but it jumps by more than that


def test_small_wiggles_over_many_epochs_are_not_a_noisy_validation_curve():
    for name in ("lesson05_no_augmentation", "lesson06_l2"):
        document, history = LESSON_RUNS[name]
        assert len(history["loss"]) >= 25
        assert "noisy_validation" not in diagnose(history, **document["hints"]).codes, name


def test_a_straight_slow_fall_is_still_improving_and_a_slowing_one_is_underfitting():
    _, crawl = LESSON_RUNS["lesson07_sgd_lr_0.001"]
    assert crawl["loss"][-1] > 0.85 * crawl["loss"][0]  # barely moved: 2.38 -> 2.05
    assert diagnose(crawl, n_classes=10).codes == ["still_improving"]
    _, zeros = LESSON_RUNS["lesson08_zero_initialisation"]
    assert diagnose(zeros, n_classes=10).codes[0] == "underfitting"


def test_a_run_that_ends_stuck_at_chance_is_not_learning_despite_a_lucky_first_epoch():
    _, history = LESSON_RUNS["lesson07_sgd_lr_3.0"]
    assert max(history["val_accuracy"]) > 0.15  # epoch 1, before the units died
    finding = diagnose(history, n_classes=10)["not_learning"]
    assert "chance" in finding.message and finding.evidence["recent_accuracy"] <= 0.11

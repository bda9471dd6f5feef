"""The curve doctor reads histories as users have them: dicts with Keras's, Keras 2's and Lightning's names,
DataFrames, Keras and Lightning CSV logs, TensorBoard folders; and says in one sentence what it cannot read.

The Keras CSV log and the TensorBoard folder are written by a real ``fit`` with the real callbacks; the
Lightning ``metrics.csv`` is written the way Lightning's CSV logger writes it (see ``lightning_metrics_csv``).
"""

import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lessons_lib.doctor import DiagnosisError, diagnose

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "histories"


def load(name):
    document = json.loads((FIXTURES / f"{name}.json").read_text())
    return document, {key: [float(value) for value in values] for key, values in document["history"].items()}


OVERFIT_DOC, OVERFIT = load("overfitting_dense_200_images")  # 60 epochs, loss and accuracy pairs
NOISY_DOC, NOISY = load("noisy_validation_sgd_batch_8_on_20_images")


def findings(report):
    """What a reading says, without its notes (the notes say how the input was read)."""
    data = report.to_dict()
    return data["codes"], data["findings"]


# ---------------------------------------------------------------------------------------
# dicts


def test_keras_2_names_read_like_keras_3_names():
    renamed = {key.replace("accuracy", "acc"): values for key, values in OVERFIT.items()}
    assert diagnose(renamed).codes == diagnose(OVERFIT).codes
    assert "training acc ends" in str(diagnose(renamed))


def test_lightning_names_are_read_with_their_epoch_and_step_counters_left_out():
    n = len(OVERFIT["loss"])
    lightning = {
        "epoch": list(range(n)),
        "step": [7 * (epoch + 1) - 1 for epoch in range(n)],
        "train_loss": OVERFIT["loss"],
        "val_loss": OVERFIT["val_loss"],
        "train_acc": OVERFIT["accuracy"],
        "val_acc": OVERFIT["val_accuracy"],
    }
    report = diagnose(lightning)
    keras_2 = {"loss": OVERFIT["loss"], "val_loss": OVERFIT["val_loss"]}
    keras_2 |= {"acc": OVERFIT["accuracy"], "val_acc": OVERFIT["val_accuracy"]}
    assert findings(report) == findings(diagnose(keras_2))
    assert "read train_loss as loss, train_acc as acc" in report.notes
    assert "epoch" not in str(report.metrics) and "step" not in report.metrics


def test_the_epoch_counter_is_never_the_loss():
    """The issue's example: the counter read as a loss gave "diverging: the training loss grew from 0 to 4"."""
    report = diagnose(
        {"epoch": [0, 1, 2, 3, 4], "step": [9, 19, 29, 39, 49], "train_loss": [1.0, 0.6, 0.45, 0.4, 0.38]}
    )
    assert "diverging" not in report.codes and report.metrics == ("loss",)


@pytest.mark.parametrize("counter", ["epoch", "step", "lr", "learning_rate", "time", "lr-Adam", "global_step"])
def test_counters_are_never_metrics(counter):
    base = diagnose(OVERFIT)
    with_counter = diagnose({counter: [10.0**epoch for epoch in range(60)], **OVERFIT})
    assert findings(with_counter) == findings(base) and counter not in with_counter.metrics


def test_a_keyword_mapping_names_the_curves_to_read():
    odd = {"trn": OVERFIT["loss"], "valid_objective": OVERFIT["val_loss"]}
    report = diagnose(odd, loss="trn", val_loss="valid_objective")
    assert findings(report) == findings(diagnose({"loss": OVERFIT["loss"], "val_loss": OVERFIT["val_loss"]}))
    assert report.notes[0] == "read trn as loss, valid_objective as val_loss"
    with pytest.raises(DiagnosisError, match=r"loss='train_loss' names no curve of this history; it has trn"):
        diagnose(odd, loss="train_loss")


def test_validation_only_names_point_at_the_keyword_mapping():
    with pytest.raises(DiagnosisError, match=r"no training curves.*diagnose\(\.\.\., loss='<name>'\)"):
        diagnose({"val_loss": [1.0, 0.5, 0.4]})


def test_a_name_read_two_ways_asks_for_the_mapping():
    with pytest.raises(DiagnosisError, match=r"two curves read as loss.*diagnose\(\.\.\., loss="):
        diagnose({"train_loss": [1.0, 0.5, 0.4], "training_loss": [1.0, 0.5, 0.4], "val_loss": [1.1, 0.6, 0.5]})


# ---------------------------------------------------------------------------------------
# hard cases


def test_nan_in_an_extra_metric_is_named_and_leaves_the_loss_reading_alone():
    f1 = [math.nan] * 5 + [0.5] * 55  # an F1 score is NaN while a class has no prediction yet
    report = diagnose({**OVERFIT, "f1": f1, "val_f1": f1}, **OVERFIT_DOC["hints"])
    assert findings(report) == findings(diagnose(OVERFIT, **OVERFIT_DOC["hints"]))
    assert report.notes == (
        "NaN/inf in curves the doctor does not read, not divergence: f1 (NaN at epoch 1), val_f1 (NaN at epoch 1); "
        "it reads loss, val_loss, accuracy, val_accuracy",
    )


def test_nan_in_a_loss_is_still_divergence_even_where_another_curve_is_read():
    curves = {"loss": [1.0, 0.8, math.nan, math.nan], "accuracy": [0.5, 0.6, 0.7, 0.7], "val_accuracy": [0.5] * 4}
    assert diagnose(curves).codes == ["diverging"]


def test_percent_accuracies_are_read_as_fractions_with_a_note():
    percent = {key: [100 * value for value in values] if "acc" in key else values for key, values in OVERFIT.items()}
    report = diagnose(percent)
    assert findings(report) == findings(diagnose(OVERFIT))
    assert report.notes == ("accuracy and val_accuracy look like percentages (above 1): read divided by 100",)
    accuracy_only = {key: values for key, values in percent.items() if "acc" in key}
    assert diagnose(accuracy_only).codes == diagnose({k: v for k, v in OVERFIT.items() if "acc" in k}).codes


def test_accuracies_beyond_100_are_refused_in_one_sentence():
    with pytest.raises(
        DiagnosisError, match=r"^accuracy runs from 0.5 to 450: an accuracy-like metric lies between 0 "
    ):
        diagnose({"loss": [1.0, 0.5, 0.4], "accuracy": [0.5, 90.0, 450.0]})


@pytest.mark.parametrize(
    ("curves", "message"),
    [
        ({"loss": [1.0, None, 0.5]}, r"history\['loss'\] must be a list of numbers, got None at epoch 2: every epoch"),
        ({"loss": [[1.0, 0.9], [0.8, 0.7]]}, r"got a list of 2 values at epoch 1: give one number per epoch"),
        ({"loss": np.ones((3, 2))}, r"history\['loss'\] is an array of shape \(3, 2\): give one number per epoch"),
        ({"loss": ["a", "b"]}, r"history\['loss'\] must be a list of numbers, got list with 'a' at epoch 1"),
    ],
)
def test_none_nested_lists_and_wrong_shapes_get_a_sentence_that_says_what_is_wrong(curves, message):
    with pytest.raises(TypeError, match=message):
        diagnose(curves)


def test_n_by_1_arrays_and_one_element_lists_are_flattened():
    column = {key: np.asarray(values).reshape(-1, 1) for key, values in OVERFIT.items()}
    assert findings(diagnose(column)) == findings(diagnose(OVERFIT))
    nested = {key: [[value] for value in values] for key, values in OVERFIT.items()}
    assert findings(diagnose(nested)) == findings(diagnose(OVERFIT))


def test_other_inputs_are_refused_naming_what_works():
    with pytest.raises(
        TypeError, match=r"got list \(a pandas DataFrame, or the path of a CSV file or of a TensorBoard"
    ):
        diagnose([1.0, 0.5])


# ---------------------------------------------------------------------------------------
# pandas


def test_a_dataframe_is_read_like_its_dict():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"epoch": range(60), **OVERFIT})
    assert findings(diagnose(frame)) == findings(diagnose(OVERFIT))


def test_a_lightning_table_as_a_dataframe_is_merged_per_epoch(tmp_path):
    pd = pytest.importorskip("pandas")
    path = lightning_metrics_csv(tmp_path, NOISY)
    frame = pd.read_csv(path)  # half-empty rows: NaN where a logging call did not log
    assert findings(diagnose(frame)) == findings(diagnose(keras_2_names(NOISY)))


def test_the_doctor_does_not_import_pandas():
    code = (
        "import sys; from lessons_lib.doctor import diagnose; "
        "diagnose({'loss': [1.0, 0.5, 0.4, 0.39], 'val_loss': [1.1, 0.6, 0.5, 0.5]}); "
        "print('pandas' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


# ---------------------------------------------------------------------------------------
# CSV logs


def keras_2_names(history):
    return {key.replace("accuracy", "acc"): values for key, values in history.items()}


def lightning_metrics_csv(folder, history, *, steps_per_epoch=7, per_step=False):
    """``metrics.csv`` exactly as Lightning's ``CSVLogger`` writes it for a LightningModule that logs
    ``self.log("train_loss", ..., on_epoch=True)`` and ``self.log("val_loss", ...)`` in validation.

    Source read: Lightning-AI/pytorch-lightning, src/lightning/fabric/loggers/csv_logs.py
    (``_ExperimentWriter``: each ``log_metrics`` call is one row with its ``step``; the header is the
    sorted union of all keys; ``csv.DictWriter`` leaves the other cells empty) and
    src/lightning/pytorch/trainer/connectors/logger_connector/logger_connector.py (``log_metrics`` adds
    ``epoch`` = the current epoch and logs at step = the batches stepped so far). In each epoch the
    validation loop's epoch-end metrics are logged first, then the training epoch-end metrics, at the
    same step; with ``on_step=True`` too, ``train_loss_step`` rows come every ``log_every_n_steps``.
    """
    rows = []
    n = len(history["loss"])
    for epoch in range(n):
        step = steps_per_epoch * (epoch + 1) - 1
        if per_step:
            for batch in range(steps_per_epoch):  # log_every_n_steps=1
                rows.append(
                    {
                        "train_loss_step": history["loss"][epoch],
                        "epoch": epoch,
                        "step": step - steps_per_epoch + 1 + batch,
                    }
                )
        rows.append(
            {
                "val_loss": history["val_loss"][epoch],
                "val_acc": history["val_accuracy"][epoch],
                "epoch": epoch,
                "step": step,
            }
        )
        suffix = "_epoch" if per_step else ""
        rows.append(
            {
                f"train_loss{suffix}": history["loss"][epoch],
                f"train_acc{suffix}": history["accuracy"][epoch],
                "epoch": epoch,
                "step": step,
            }
        )
    keys = sorted(set().union(*rows))
    folder = Path(folder) / "lightning_logs" / "version_0"
    folder.mkdir(parents=True)
    path = folder / "metrics.csv"
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_lightning_metrics_csv_is_merged_per_epoch(tmp_path):
    path = lightning_metrics_csv(tmp_path, NOISY)
    assert path.read_text().splitlines()[0] == "epoch,step,train_acc,train_loss,val_acc,val_loss"
    report = diagnose(path, **NOISY_DOC["hints"])
    assert findings(report) == findings(diagnose(keras_2_names(NOISY), **NOISY_DOC["hints"]))
    assert findings(diagnose(tmp_path)) == findings(report)  # the run folder finds its metrics.csv
    assert "read train_acc as acc, train_loss as loss" in report.notes


def test_lightning_step_and_epoch_columns_read_the_epoch_means(tmp_path):
    path = lightning_metrics_csv(tmp_path, NOISY, per_step=True)
    assert "train_loss_epoch" in path.read_text().splitlines()[0]
    assert findings(diagnose(path)) == findings(diagnose(keras_2_names(NOISY)))


def test_validation_logged_every_other_epoch_leaves_out_the_other_epochs_with_a_note(tmp_path):
    path = tmp_path / "log.csv"
    lines = ["epoch,loss,val_loss"] + [f"{e},{1 / (e + 1)},{(1.1 / (e + 1)) if e % 2 else 'NA'}" for e in range(10)]
    path.write_text("\n".join(lines) + "\n")
    report = diagnose(path)
    assert report.epochs == 5 and report.notes[0] == "left out epochs 1, 3, 5, 7, 9: not every curve has a value"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty: a CSV log starts with a header row"),
        ("0.5,0.4\n0.3,0.2\n", "does not start with a header row of curve names"),
        ("epoch,loss\n", "has a header but no rows"),
        ("epoch,loss\n0,0.5,7\n", "line 2 has 3 cells, the header 2"),
        ("epoch,step\n0,5\n1,10\n", "has only counters"),
    ],
)
def test_a_bad_csv_gets_one_sentence(tmp_path, text, message):
    path = tmp_path / "log.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        diagnose(path)


def test_a_missing_path_gets_one_sentence(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file or folder at .*nothing.csv"):
        diagnose(tmp_path / "nothing.csv")
    with pytest.raises(DiagnosisError, match="no TensorBoard event file and no CSV file"):
        diagnose(tmp_path)


def test_a_json_history_file_is_read(tmp_path):
    path = tmp_path / "history.json"
    path.write_text(json.dumps(OVERFIT))
    assert findings(diagnose(path)) == findings(diagnose(OVERFIT))
    assert findings(diagnose(FIXTURES / "overfitting_dense_200_images.json")) == findings(diagnose(OVERFIT))


# ---------------------------------------------------------------------------------------
# real logs from a real fit: Keras's CSVLogger and TensorBoard callbacks


@pytest.fixture(scope="module")
def keras_logs(tmp_path_factory):
    """A tiny real fit that writes a CSVLogger file and a TensorBoard folder (about 3 s)."""
    keras = pytest.importorskip("keras")
    folder = tmp_path_factory.mktemp("keras_logs")
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(240, 8)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")
    model = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1, activation="sigmoid")]
    )
    model.compile(keras.optimizers.Adam(0.01), "binary_crossentropy", metrics=["accuracy"])
    callbacks = [keras.callbacks.CSVLogger(str(folder / "log.csv")), keras.callbacks.TensorBoard(str(folder / "tb"))]
    history = model.fit(x[:160], y[:160], validation_data=(x[160:], y[160:]), epochs=8, verbose=0, callbacks=callbacks)
    return folder, history


def test_a_keras_csvlogger_file_reads_like_the_history(keras_logs):
    folder, history = keras_logs
    assert (folder / "log.csv").read_text().splitlines()[0] == "epoch,accuracy,loss,val_accuracy,val_loss"
    report = diagnose(folder / "log.csv", n_classes=2)
    assert str(report) == str(diagnose(history, n_classes=2))


def test_a_keras_tensorboard_folder_reads_like_the_history(keras_logs):
    folder, history = keras_logs
    assert {path.name for path in (folder / "tb").iterdir()} == {"train", "validation"}
    report = diagnose(folder / "tb", n_classes=2)
    expected = diagnose(history, n_classes=2)
    assert report.codes == expected.codes and report.metrics == expected.metrics and report.epochs == 8
    for finding, reference in zip(report.findings, expected.findings, strict=True):
        assert finding.evidence == pytest.approx(dict(reference.evidence), rel=1e-6)


def test_reading_a_tensorboard_folder_imports_tensorboard_but_not_tensorflow(keras_logs):
    folder, _ = keras_logs
    code = (
        "import sys; from lessons_lib.doctor import diagnose; "
        f"r = diagnose({str(folder / 'tb')!r}); "
        "print(sorted(m for m in ('tensorflow', 'keras', 'tensorboard') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['tensorboard']"


def test_reading_dicts_csv_json_and_dataframes_imports_no_tensorflow_or_keras(tmp_path):
    path = lightning_metrics_csv(tmp_path, NOISY)
    code = (
        "import sys, importlib.util\n"
        "from lessons_lib.doctor import diagnose\n"
        f"diagnose({{'loss': [1.0, 0.5, 0.4, 0.39], 'val_loss': [1.1, 0.6, 0.5, 0.5]}})\n"
        f"diagnose({str(path)!r}); diagnose({str(FIXTURES / 'overfitting_dense_200_images.json')!r})\n"
        "if importlib.util.find_spec('pandas'):\n"
        "    import pandas\n"
        f"    diagnose(pandas.read_csv({str(path)!r}))\n"
        "print(sorted(m for m in ('tensorflow', 'keras', 'tensorboard') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_lightning_tensorboard_folder_is_read_by_its_epoch_scalar(tmp_path):
    """Lightning's TensorBoardLogger writes every logged metric, ``epoch`` included, with ``add_scalar(name,
    value, step)`` of torch's SummaryWriter: a ``simple_value`` event written by tensorboard's EventFileWriter."""
    pytest.importorskip("tensorboard")
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    writer = EventFileWriter(str(tmp_path / "lightning_logs" / "version_0"))

    def add_scalar(tag, value, step):
        summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=value)])
        writer.add_event(event_pb2.Event(summary=summary, step=step, wall_time=1.0))

    add_scalar("hp_metric", -1.0, 0)  # log_hyperparams' placeholder
    for epoch in range(len(NOISY["loss"])):
        step = 7 * (epoch + 1) - 1
        for name, value in (("val_loss", NOISY["val_loss"]), ("val_acc", NOISY["val_accuracy"]), ("epoch", None)):
            add_scalar(name, float(epoch) if value is None else value[epoch], step)
        for name, value in (("train_loss", NOISY["loss"]), ("train_acc", NOISY["accuracy"]), ("epoch", None)):
            add_scalar(name, float(epoch) if value is None else value[epoch], step)
    writer.close()
    report = diagnose(tmp_path)
    expected = diagnose(keras_2_names(NOISY))
    assert report.codes == expected.codes and report.epochs == expected.epochs
    assert f"left out hp_metric: logged in only 1 of {len(NOISY['loss'])} epochs" in report.notes
    for finding, reference in zip(report.findings, expected.findings, strict=True):
        assert finding.evidence == pytest.approx(dict(reference.evidence), rel=1e-5)

"""``python -m lessons_lib.doctor PATH``: the reading of a log on disk, and exit codes an ML project's CI can use.

Every run is a real subprocess; importing and running the doctor this way must import neither TensorFlow nor keras.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "histories"
OVERFITTING = FIXTURES / "overfitting_dense_200_images.json"


def doctor(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "lessons_lib.doctor", *map(str, arguments)], capture_output=True, text=True
    )


def csv_log(folder, history):
    """A log as Keras's CSVLogger writes it: epoch, then the names sorted."""
    names = sorted(history)
    lines = ["epoch," + ",".join(names)]
    lines += [
        ",".join([str(epoch)] + [repr(history[name][epoch]) for name in names]) for epoch in range(len(history["loss"]))
    ]
    path = folder / "log.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_prints_the_reading_of_a_csv_log(tmp_path):
    history = json.loads(OVERFITTING.read_text())["history"]
    result = doctor(csv_log(tmp_path, history), "--n-classes", 10)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith(
        "Curve doctor (60 epochs): overfitting\n1. overfitting: The validation loss was lowest"
    )


def test_json_output_is_the_reading_as_plain_data():
    result = doctor(OVERFITTING, "--json")
    data = json.loads(result.stdout)
    assert result.returncode == 0 and data["codes"] == ["overfitting"] and data["epochs"] == 60


def test_fail_on_exits_1_when_a_named_code_is_found():
    found = doctor(OVERFITTING, "--fail-on", "overfitting,diverging")
    assert found.returncode == 1 and "found overfitting (--fail-on)" in found.stderr
    assert doctor(OVERFITTING, "--fail-on", "diverging,not_learning").returncode == 0


def test_names_are_mapped_from_the_command_line(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("epoch,trn,dev\n" + "".join(f"{e},{1 / (e + 1)},{1.1 / (e + 1)}\n" for e in range(12)))
    result = doctor(path, "--loss", "trn", "--val-loss", "dev")
    assert result.returncode == 0 and "note: read trn as loss, dev as val_loss" in result.stdout


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda folder: folder / "missing.csv", "no file or folder at"),
        (lambda folder: folder, "is a folder with no TensorBoard event file and no CSV file"),
        (lambda folder: _write(folder / "x.csv", "just text\n"), "does not start with a header row"),
        (lambda folder: _write(folder / "x.json", "[1, 2]"), "holds a JSON list, not an object of curves"),
    ],
)
def test_a_bad_path_or_format_gets_one_sentence_and_exit_2(tmp_path, make, message):
    result = doctor(make(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("curve doctor: ") and message in lines[0]


def _write(path, text):
    path.write_text(text)
    return path


def test_an_unknown_code_for_fail_on_is_refused():
    result = doctor(OVERFITTING, "--fail-on", "overfit")
    assert result.returncode == 2 and "'overfit' is not a code" in result.stderr


def test_the_command_line_imports_no_tensorflow_or_keras(tmp_path):
    history = json.loads(OVERFITTING.read_text())["history"]
    path = csv_log(tmp_path, history)
    code = (
        "import sys, runpy; sys.argv = ['doctor', sys.argv[1]]\n"
        "try:\n    runpy.run_module('lessons_lib.doctor', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"

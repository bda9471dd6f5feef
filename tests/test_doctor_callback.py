"""``lessons_lib.DoctorCallback`` reads a real ``fit`` as it runs, and stops a run that cannot recover."""

import subprocess
import sys

import keras
import numpy as np
import pytest

import lessons_lib
from lessons_lib.doctor import callback as callback_module
from lessons_lib.doctor.callback import DoctorCallback


def regression(seed=0, n=160):
    """Inputs from 0 to 10, a linear target: SGD diverges above a learning rate of about 0.01."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, size=(n, 4)).astype("float32")
    y = (x @ np.array([0.5, -0.2, 0.1, 0.3], dtype="float32")).reshape(-1, 1)
    return x, y


def fit(optimizer, doctor, epochs=30, seed=0, scaled=False):
    keras.utils.set_random_seed(seed)
    x, y = regression(seed)
    if scaled:
        x = (x - x.mean(axis=0)) / x.std(axis=0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer, "mse")
    history = model.fit(
        x[:120],
        y[:120],
        validation_data=(x[120:], y[120:]),
        epochs=epochs,
        batch_size=32,
        verbose=0,
        callbacks=[doctor],
    )
    return model, history


def test_a_diverging_fit_is_stopped_at_a_reading_and_the_callback_says_so(capsys):
    doctor = DoctorCallback(every=5)
    model, history = fit(keras.optimizers.SGD(0.02), doctor)  # the loss grows about 10,000 times per epoch
    assert len(history.history["loss"]) == 5 and doctor.stopped_epoch == 5 and model.stop_training
    assert doctor.reading.codes[0] == "diverging" and "grew" in doctor.reading.findings[0].message
    printed = capsys.readouterr().out.strip().splitlines()
    assert printed == doctor.lines and len(printed) == 1
    assert printed[0].startswith("curve doctor, epoch 5: diverging: The training loss grew from ")
    assert printed[0].endswith("Stopping training: diverging is in stop_on.")


def test_a_loss_that_becomes_inf_is_read_at_once_whatever_every_is():
    doctor = DoctorCallback(every=10)
    _, history = fit(keras.optimizers.SGD(0.05), doctor)
    epochs = len(history.history["loss"])
    assert epochs < 10 and doctor.stopped_epoch == epochs and doctor.reading.codes[0] == "diverging"
    assert not all(np.isfinite(history.history["loss"] + history.history["val_loss"]))


def test_a_run_that_does_not_learn_is_stopped_at_a_reading(capsys):
    doctor = DoctorCallback(every=4)
    _, history = fit(keras.optimizers.SGD(1e-12), doctor, epochs=20)
    assert len(history.history["loss"]) == 4 and doctor.stopped_epoch == 4
    assert doctor.reading.codes == ["not_learning"]
    assert "Stopping training: not_learning is in stop_on." in capsys.readouterr().out


def test_a_healthy_fit_prints_a_line_every_few_epochs_and_is_not_stopped(capsys):
    doctor = DoctorCallback(every=3, stop_on=("diverging",))
    _, history = fit(keras.optimizers.Adam(0.05), doctor, epochs=8, scaled=True)
    assert len(history.history["loss"]) == 8 and doctor.stopped_epoch is None
    printed = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0] for line in printed] == [f"curve doctor, epoch {epoch}" for epoch in (3, 6, 8)]
    assert doctor.reading.epochs == 8  # the last line is the reading of the whole run
    assert str(doctor.reading) == str(lessons_lib.diagnose(history))


def test_in_jupyter_the_line_is_shown_as_html(monkeypatch):
    shown = []

    class HTML:
        def __init__(self, markup):
            self.markup = markup

    monkeypatch.setattr(callback_module, "_notebook_html", lambda: (HTML, shown.append))
    doctor = DoctorCallback(every=1)
    doctor.on_train_begin()
    for epoch, (loss, val_loss) in enumerate([(1.0, 1.1), (0.6, 0.7), (0.5, 0.6)]):
        doctor.on_epoch_end(epoch, {"loss": loss, "val_loss": val_loss})
    assert len(shown) == 3 and shown[0].markup.startswith("<div class='curve-doctor-live'><b>curve doctor, epoch 1</b>")
    assert "only 1 epoch" in shown[0].markup


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"every": 0}, ValueError, "every must be >= 1, got 0"),
        (
            {"stop_on": ("diverging", "exploding")},
            ValueError,
            "stop_on must hold codes of the doctor .* got 'exploding'",
        ),
        ({"n_classes": 1}, ValueError, "n_classes must be >= 2"),
        ({"patience": 3}, TypeError, "DoctorCallback got an unknown argument 'patience'"),
    ],
)
def test_bad_arguments_get_one_sentence(arguments, error, message):
    with pytest.raises(error, match=message):
        DoctorCallback(**arguments)


def test_the_callback_is_exported_lazily():
    assert lessons_lib.DoctorCallback is DoctorCallback is lessons_lib.doctor.DoctorCallback
    code = (
        "import sys, lessons_lib, lessons_lib.doctor; from lessons_lib import *; from lessons_lib.doctor import *; "
        "before = 'keras' in sys.modules; "
        "lessons_lib.DoctorCallback; print(before, 'keras' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False True"

"""The explorers: a slider move retrains, redraws, reads the curves, and survives extremes."""

import math
import sys
import time
import types

import matplotlib

matplotlib.use("Agg")
import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lessons_lib.session import quiet_tensorflow  # noqa: E402

quiet_tensorflow()

from lessons_lib import explore  # noqa: E402
from lessons_lib.explore import (  # noqa: E402
    CannotTrain,
    Explorer,
    TrainingRun,
    augmentation_explorer,
    dropout_explorer,
    imbalance_explorer,
    learning_rate_explorer,
    mnist_binary_explorer,
    overfitting_explorer,
    rare_digit_split,
    reading_for,
    regression_explorer,
)


def figure_texts(explorer):
    return [text.get_text() for ax in explorer.figure.axes for text in ax.texts]


# -- the regression explorer, end to end ------------------------------------------------------


def test_moving_a_slider_retrains_and_redraws():
    explorer = regression_explorer(epochs=20)
    first, image, runs, draws = explorer.history, explorer.image.value, explorer.runs, explorer.draws
    assert len(first["loss"]) == 20 and "best epoch" in explorer.reading

    explorer.sliders["learning_rate"].value = 0.1

    assert explorer.runs == runs + 1 and explorer.history != first
    assert explorer.previous == first  # drawn faint behind the new run
    assert explorer.draws == draws + 1 and explorer.image.value != image  # one redraw: a fast run streams nothing
    labels = [line.get_label() for line in explorer.figure.axes[0].lines]
    assert "training" in labels and "previous training" in labels
    assert explorer.error is None and explorer.last_seconds is not None


def test_a_setting_seen_before_comes_from_the_cache():
    explorer = regression_explorer(epochs=20)
    first = explorer.history
    explorer.sliders["learning_rate"].value = 0.1
    runs, hits, draws = explorer.runs, explorer.cache_hits, explorer.draws

    explorer.sliders["learning_rate"].value = 0.01
    assert (explorer.runs, explorer.cache_hits, explorer.draws) == (runs, hits + 1, draws + 1)
    assert explorer.history == first

    explorer.sliders["epochs"].value = 8  # fewer epochs: the start of the run already made
    assert explorer.runs == runs and explorer.cache_hits == hits + 2
    assert explorer.history == {name: values[:8] for name, values in first.items()}


def test_the_top_learning_rate_says_diverged_and_the_sliders_keep_working():
    explorer = regression_explorer(epochs=100)
    slider = explorer.sliders["learning_rate"]
    slider.value = slider.base**slider.max  # a log slider's min and max are exponents
    assert slider.value == 1.0

    assert explorer.error is None
    assert explorer.reading.startswith("diverged at epoch")
    assert any(text.startswith("diverged at epoch") for text in figure_texts(explorer))
    assert len(explorer.history["loss"]) < 100  # training stopped at the first inf

    runs = explorer.runs
    explorer.sliders["noise"].value = 0.5
    assert explorer.runs == runs + 1
    slider.value = 0.01
    assert explorer.runs == runs + 2 and "best epoch" in explorer.reading
    assert not any("diverged" in text for text in figure_texts(explorer))


def test_the_smallest_training_set_still_trains():
    explorer = regression_explorer(epochs=10)
    explorer.sliders["n_train"].value = explorer.sliders["n_train"].min
    assert explorer.error is None
    assert len(explorer.history["loss"]) == 10 and all(math.isfinite(v) for v in explorer.history["val_loss"])


def test_curves_grow_while_a_slow_run_trains(monkeypatch):
    explorer = regression_explorer(epochs=6)
    monkeypatch.setattr(explore.runs, "REDRAW_INTERVAL", 0.0)  # pretend every epoch is slow
    monkeypatch.setattr(explore.panel, "DRAW_SHARE", math.inf)  # and drawing cheap
    draws = explorer.draws
    explorer.sliders["learning_rate"].value = 0.1
    assert explorer.draws - draws >= 4  # growing curves, then the final drawing
    assert not explorer.reading.startswith("training…")


def test_the_explorer_displays_as_widgets_with_a_picture_for_static_viewers():
    explorer = regression_explorer(epochs=5)
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/png"] and bundle["text/plain"] == explorer.reading
    assert isinstance(explorer.sliders["learning_rate"], widgets.FloatLogSlider)
    assert all(not slider.continuous_update for slider in explorer.sliders.values())
    controls, image = explorer.widget.children[:2]
    assert list(controls.children) == list(explorer.sliders.values()) and image is explorer.image
    assert isinstance(explorer.output, widgets.Output)


def test_set_moves_several_sliders_and_trains_once():
    explorer = regression_explorer(epochs=5)
    runs = explorer.runs
    history = explorer.set(learning_rate=0.1, noise=1.0, n_train=40)
    assert explorer.runs == runs + 1 and history is explorer.history
    with pytest.raises(ValueError, match="slider name must be one of"):
        explorer.set(batch=3)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"learning_rate": 100}, "learning_rate must be a number from 0.0001 to 1, got 100"),
        ({"learning_rate": None}, "learning_rate must be a number from 0.0001 to 1, got None"),
        ({"epochs": 10_000}, "epochs must be a whole number from 1 to 300, got 10000"),
        ({"n_train": 2.5}, "n_train must be a whole number from 2 to 80, got 2.5"),
        ({"noise": 0.33}, "noise must be a multiple of 0.05 from 0 to 2, got 0.33"),
        ({"noise": 0.5, "epochs": 0}, "epochs must be a whole number from 1 to 300, got 0"),
    ],
)
def test_a_value_a_slider_cannot_show_is_refused_and_the_panel_stays_as_it_was(values, message):
    explorer = regression_explorer(epochs=5)
    before = (explorer.settings, explorer.history, explorer.reading, explorer.image.value, explorer.runs)
    with pytest.raises(ValueError) as raised:
        explorer.set(**values)
    assert str(raised.value) == message
    assert (explorer.settings, explorer.history, explorer.reading, explorer.image.value, explorer.runs) == before


def test_set_chooses_the_task_before_the_size_it_allows():
    explorer = mnist_binary_explorer(task="two_digits", epochs=1)
    assert explorer.settings["n_train"] == 800  # the factory's defaults work together
    explorer.set(task="one_vs_rest", n_train=2000)
    assert explorer.settings["n_train"] == 2000 and len(explorer.history["loss"]) == 1
    with pytest.raises(ValueError, match="task must be one of 'one_vs_rest', 'two_digits', got 'bogus'"):
        explorer.set(task="bogus")
    with pytest.raises(ValueError, match="n_train must be a whole number from 20 to 800, got 2000"):
        explorer.set(task="two_digits", n_train=2000)
    assert explorer.settings["task"] == "one_vs_rest" and explorer.sliders["n_train"].max == 4000


def test_a_newer_move_supersedes_a_running_one(monkeypatch):
    monkeypatch.setattr(explore.runs, "REDRAW_INTERVAL", 0.0)  # a progress report after every epoch
    monkeypatch.setattr(explore.panel, "DRAW_SHARE", math.inf)  # and a drawing: a slow run
    explorer = regression_explorer(epochs=300)
    explorer.background = True  # as in a Jupyter kernel: moves train on a worker thread
    runs, draws = explorer.runs, explorer.draws
    explorer.sliders["noise"].value = 0.5  # starts training 300 epochs...
    deadline = time.monotonic() + 60
    while explorer.draws < draws + 2 and time.monotonic() < deadline:  # ...and draws its growing curves
        time.sleep(0.01)
    explorer.sliders["noise"].value = 1.0  # this move arrives while it trains
    assert explorer.wait(timeout=120)
    assert explorer.superseded >= 1 and explorer.runs == runs + 1  # only the latest setting trained to the end
    assert explorer.settings["noise"] == 1.0 and len(explorer.history["loss"]) == 300
    monkeypatch.setattr(explore.panel, "DRAW_SHARE", 0.2)
    reference = regression_explorer(epochs=300, noise=1.0)
    assert explorer.history == reference.history


def test_a_slow_move_says_how_long_it_will_take(monkeypatch):
    explorer = regression_explorer(epochs=10)
    explorer._seconds_per_unit = 1.0  # pretend every epoch of every row takes a second
    readings = []
    original = explorer._set_reading
    monkeypatch.setattr(explorer, "_set_reading", lambda text: readings.append(text) or original(text))
    explorer.set(epochs=20)
    assert readings[0].startswith("training… this setting takes about 1600 s")


# -- the other lessons' explorers, small ---------------------------------------------------------


def test_mnist_binary_explorer_explains_a_setting_it_cannot_train():
    explorer = mnist_binary_explorer(task="two_digits", digit=1, other_digit=0, n_train=100, epochs=2)
    assert "majority class" in explorer.reading
    explorer.sliders["other_digit"].value = 1
    assert explorer.reading == "choose two different digits: both sliders are at 1"
    assert explorer.history is None and explorer.error is None
    assert figure_texts(explorer) == [explorer.reading]

    explorer.sliders["digit"].value = 7
    assert explorer.history is not None and "best epoch" in explorer.reading


def test_mnist_binary_explorer_task_sets_the_pool_and_top_rate_diverges():
    explorer = mnist_binary_explorer(n_train=1000, epochs=2)
    assert explorer.sliders["other_digit"].disabled
    explorer.sliders["task"].value = "two_digits"
    assert explorer.sliders["n_train"].value == 800 and not explorer.sliders["other_digit"].disabled
    assert explorer.error is None and len(explorer.history["loss"]) == 2

    explorer.sliders["learning_rate"].value = 1.0  # the top of the slider
    assert explorer.reading.startswith("diverged at epoch 1") and explorer.error is None
    assert "diverged at epoch 1" in figure_texts(explorer)


def test_dropout_explorer_turns_the_models_dropout_layers():
    explorer = dropout_explorer(n_train=100, n_val=50, epochs=1)
    assert "validation accuracy above training accuracy in" in explorer.reading
    first = explorer.history
    explorer.set(conv_dropout=0.0, dense_dropout=0.0)
    assert explorer.history != first and explorer.runs == 2


def test_imbalance_explorer_toggles_class_weights():
    explorer = imbalance_explorer(epochs=2)
    assert [ax.get_title() for ax in explorer.figure.axes] == ["loss", "accuracy", "recall"]
    assert "validation recall of digit 9" in explorer.reading and "of 28 found" in explorer.reading  # 3% of 928
    first = explorer.history
    explorer.sliders["class_weights"].value = True
    assert explorer.runs == 2 and explorer.history != first


def test_a_cnn_explorer_never_trains_more_than_the_lessons_run():
    """Training images x epochs stay within the lesson's run: the epochs slider's top follows the images."""
    explorer = dropout_explorer(n_train=100, n_val=50, epochs=1)
    assert explorer.sliders["epochs"].max == 90  # 100 images: up to 90 epochs (9,000 image-epochs)
    before = (explorer.settings, explorer.history, explorer.runs)
    with pytest.raises(ValueError, match="epochs must be a whole number from 1 to 6, got 7"):
        explorer.set(n_train=3000, epochs=7)  # 3,000 images: 6 epochs, the lesson's run
    assert (explorer.settings, explorer.history, explorer.runs) == before and explorer.sliders["epochs"].max == 90


def test_lesson05_images_and_batches_are_its_folders_and_its_reshuffled_passes():
    x, y, x_val, y_val = explore.cnn.lesson05_images(50, 20, 42)
    assert x.shape == (50, 28, 28, 1) and y.shape == (50, 10) and x_val.shape == (20, 28, 28, 1)
    assert x.max() > 200 and x.dtype == np.float32  # pixels 0 to 255: the model rescales them
    assert list(np.argmax(y_val, axis=1)) == sorted(np.argmax(y_val, axis=1))  # validation in folder order
    orders = explore.cnn.lesson05_orders(50, 4, 42)
    assert orders.shape == (4, 50) and all(sorted(order) == list(range(50)) for order in orders)
    assert len({tuple(order) for order in orders}) == 4  # a new shuffle every epoch


def test_augmentation_explorer_builds_a_model_per_strength():
    explorer = augmentation_explorer(strength=0.0, n_train=50, n_val=20, epochs=1)
    first = explorer.history
    explorer.sliders["strength"].value = 0.5
    assert explorer.runs == 2 and explorer.history != first and "best validation accuracy" in explorer.reading


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: regression_explorer(learning_rate=-0.1), "learning_rate must be >= 0.0001, got -0.1"),
        (lambda: regression_explorer(epochs=0), "epochs must be >= 1, got 0"),
        (lambda: regression_explorer(noise=0.33), "noise must be a multiple of 0.05 between 0.0 and 2.0, got 0.33"),
        (lambda: regression_explorer(n_train=81), "n_train must be <= 80, got 81"),
        (lambda: mnist_binary_explorer(task="pairs"), "task must be one of 'one_vs_rest', 'two_digits', got 'pairs'"),
        (lambda: mnist_binary_explorer(task="two_digits", n_train=1000), "n_train must be <= 800, got 1000"),
        (lambda: dropout_explorer(dense_dropout=0.95), "dense_dropout must be <= 0.9, got 0.95"),
        (
            lambda: imbalance_explorer(rare_fraction=0.5),
            "rare_fraction must be one of 0.01, 0.02, 0.03, 0.05, 0.1, got 0.5",
        ),
        (
            lambda: dropout_explorer(n_train=3000, epochs=7),
            "epochs must be at most 6 with 3000 training images (training images x epochs at most 18,000), got 7",
        ),
        (
            lambda: augmentation_explorer(n_train=1000, epochs=14),
            "epochs must be at most 13 with 1000 training images (training images x epochs at most 13,500), got 14",
        ),
        (lambda: imbalance_explorer(class_weights="yes"), "class_weights must be True or False, got 'yes'"),
        (lambda: augmentation_explorer(strength=3), "strength must be <= 2.0, got 3"),
    ],
)
def test_invalid_explorer_arguments_are_refused_in_one_sentence(call, message):
    with pytest.raises(ValueError) as raised:
        call()
    assert str(raised.value) == message


# -- the panel itself, with a stand-in for training ----------------------------------------------------


def toy_explorer(train):
    sliders = {
        "learning_rate": widgets.FloatLogSlider(value=0.1, min=-3, max=0, continuous_update=False),
        "epochs": widgets.IntSlider(value=4, min=1, max=10, continuous_update=False),
    }
    return Explorer(sliders, train, ["loss"])


def test_an_unexpected_error_is_shown_below_the_panel_and_the_sliders_keep_working():
    def train(settings, progress):
        if settings["learning_rate"] == 1.0:
            raise RuntimeError("boom")
        curve = [settings["learning_rate"] / epoch for epoch in range(1, settings["epochs"] + 1)]
        return TrainingRun({"loss": curve, "val_loss": curve}, epochs=settings["epochs"])

    explorer = toy_explorer(train)
    explorer.sliders["learning_rate"].value = 1.0
    assert isinstance(explorer.error, RuntimeError) and explorer.reading == "training failed: RuntimeError: boom"
    assert any("RuntimeError: boom" in str(output) for output in explorer.output.outputs)

    explorer.sliders["learning_rate"].value = 0.01
    assert explorer.error is None and explorer.history["loss"][0] == 0.01 and not explorer.output.outputs


def test_cannot_train_is_a_reason_not_an_error():
    def train(settings, progress):
        raise CannotTrain("not enough images for 4 epochs")

    explorer = toy_explorer(train)
    assert explorer.reading == "not enough images for 4 epochs" and explorer.error is None


# -- the reading line ---------------------------------------------------------------------------------


def test_reading_names_best_epoch_and_final_gap(monkeypatch):
    monkeypatch.setitem(sys.modules, "lessons_lib.doctor", None)  # no doctor yet: no verdict
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.6, 0.7], "accuracy": [0.5, 0.7, 0.9]}
    history["val_accuracy"] = [0.4, 0.6, 0.65]
    assert reading_for(history) == (
        "best epoch 2 of 3 (validation loss 0.6) · final gap (validation minus training): loss +0.4, accuracy -0.25"
    )


def test_reading_adds_the_doctors_first_finding(monkeypatch):
    finding = types.SimpleNamespace(code="overfitting", message="validation loss rises from epoch 2", evidence={})
    doctor = types.ModuleType("lessons_lib.doctor")
    hints_seen = {}

    def diagnose(history, **hints):
        hints_seen.update(hints)
        return types.SimpleNamespace(findings=[finding])

    doctor.diagnose = diagnose
    monkeypatch.setitem(sys.modules, "lessons_lib.doctor", doctor)
    reading = reading_for({"loss": [1.0, 0.5], "val_loss": [0.9, 1.0]}, hints={"n_classes": 2})
    assert reading.endswith("doctor: overfitting (validation loss rises from epoch 2)")
    assert hints_seen == {"n_classes": 2}


def test_reading_says_where_a_run_diverged():
    assert reading_for({"loss": [1.0, 1e30, math.inf], "val_loss": [1.0, 1e31, math.nan]}).startswith(
        "diverged at epoch 3 (loss became nan)"
    )
    blown = reading_for({"loss": [70.0, 0.3], "val_loss": [0.3, 0.3]}, start_loss=0.35)
    assert blown.startswith("diverged at epoch 1 (training loss 70, 200x the untrained model's)")
    assert "diverged" not in reading_for({"loss": [3.0, 0.3], "val_loss": [0.3, 0.3]}, start_loss=0.35)


def test_rare_digit_split_has_the_asked_rarity():
    x, y, x_val, y_val = rare_digit_split(digit=8, one_in=50, n_train=500, seed=0)
    assert x.shape == (500, 784) and y.sum() == 10
    assert len(y_val) == 900 + y_val.sum() and y_val.sum() == round(900 / 49)
    _, tiny, _, _ = rare_digit_split(digit=8, one_in=200, n_train=20)
    assert tiny.sum() == 1  # at least one rare image, whatever the size


def test_an_explorer_without_an_epochs_slider_caches_whole_runs():
    def train(settings, progress):
        curve = [settings["rate"] * step for step in (3, 2, 1)]
        return TrainingRun({"loss": curve, "val_loss": curve})

    rate = widgets.FloatSlider(value=1.0, min=0.5, max=2.0, continuous_update=False)
    explorer = Explorer({"rate": rate}, train, ["loss"])
    rate.value = 2.0
    rate.value = 1.0
    assert (explorer.runs, explorer.cache_hits) == (2, 1) and explorer.history["loss"] == [3.0, 2.0, 1.0]


def test_the_seed_alone_fixes_the_starting_weights():
    """Whatever the lesson drew from the random generators before, the same seed gives the same run."""
    import keras

    first = regression_explorer(epochs=10, seed=42).history
    keras.random.uniform((100,))  # the lesson went on drawing random numbers
    np.random.rand(100)
    second = regression_explorer(epochs=10, seed=42).history
    other = regression_explorer(epochs=10, seed=43).history
    assert first == second
    assert other["val_loss"] != first["val_loss"]


def test_early_stopping_cuts_the_run_where_keras_stops_and_marks_the_restored_epoch():
    import keras

    from lessons_lib.explore.runs import early_stop

    losses = [1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9]
    assert early_stop(losses, 3) == (6, 3) and early_stop(losses, 5) is None

    class Recorder(keras.callbacks.Callback):
        pass

    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    stopper = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    history = model.fit(x[:16], y[:16], validation_data=(x[16:], y[16:]), epochs=60, callbacks=[stopper], verbose=0)
    assert early_stop(history.history["val_loss"], 2) == (len(history.history["loss"]), stopper.best_epoch + 1)


def test_the_overfitting_explorer_moves_patience_without_training_again():
    explorer = overfitting_explorer(units=64, layers=1, epochs=30)
    runs, full = explorer.runs, explorer.history
    explorer.sliders["patience"].value = 2
    assert explorer.runs == runs and explorer.cache_hits == 1
    stop = len(explorer.history["loss"])
    assert stop < 30 and explorer.history["val_loss"] == full["val_loss"][:stop]
    labels = [line.get_label() for line in explorer.figure.axes[0].lines]
    assert any(label.startswith("early stop (epoch") for label in labels)
    assert any(label.startswith("restored weights (epoch") for label in labels)


@pytest.mark.parametrize("shape", ["step", "cosine"])
def test_the_adjustable_schedule_follows_keras_own_schedules(shape):
    import keras

    from lessons_lib.explore.schedules import adjustable_schedule

    schedule = adjustable_schedule(0.1)
    schedule.set(0.5, shape, 40)
    if shape == "step":
        reference = keras.optimizers.schedules.ExponentialDecay(0.5, 40, 0.5, staircase=True)
    else:
        reference = keras.optimizers.schedules.CosineDecay(0.5, 40)
    for step in (0, 1, 39, 40, 41, 100, 500):
        assert float(schedule(step)) == pytest.approx(float(reference(step)), rel=1e-6, abs=1e-9)
    schedule.set(0.2, "constant", 40)
    assert float(schedule(1000)) == pytest.approx(0.2)


def test_the_learning_rate_explorer_trains_a_schedule_and_a_batch_size():
    explorer = learning_rate_explorer(epochs=3)
    constant = explorer.history
    explorer.set(schedule="cosine", decay_epochs=1)
    assert explorer.history != constant and explorer.error is None
    explorer.set(batch_size=256)
    assert len(explorer.history["loss"]) == 3 and explorer.error is None


def test_the_broken_run_picker_shows_the_fix_beside_the_broken_run():
    from lessons_lib.explore import broken_run_picker

    diverging = {"loss": [1.0, 3.0, 9.0, 27.0, 81.0], "val_loss": [1.1, 3.2, 9.5, 28.0, 85.0]}
    fixed = {"loss": [1.0, 0.6, 0.4, 0.3, 0.25], "val_loss": [1.0, 0.65, 0.45, 0.36, 0.3]}
    picker = broken_run_picker({"reason.lr_too_high": (diverging, fixed)})
    assert picker.history == diverging and "diverging" in picker.reading
    assert "what went wrong: Learning rate too high" in picker.reading
    picker.sliders["fixed"].value = True
    assert picker.history == fixed and picker.previous == diverging and "the fix:" in picker.reading
    with pytest.raises(ValueError, match="runs has an unknown reason 'reason.typo'"):
        broken_run_picker({"reason.typo": (diverging, fixed)})
    with pytest.raises(ValueError, match=r"reason must be one of 'reason.lr_too_high', got 'reason.overfitting'"):
        picker.set(reason="reason.overfitting")


def test_the_label_noise_explorer_shows_a_large_model_learning_wrong_labels():
    from lessons_lib.explore import label_noise_explorer

    explorer = label_noise_explorer(epochs=30)
    assert "above: it learned wrong labels too" in explorer.reading
    explorer.set(model="small (16)")
    assert explorer.error is None and "training accuracy" in explorer.reading

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from lessons_lib.plots import plot_history  # noqa: E402

RUN = {
    "loss": [1.0, 0.6, 0.4, 0.3],
    "val_loss": [1.1, 0.7, 0.6, 0.65],
    "accuracy": [0.5, 0.7, 0.8, 0.9],
    "val_accuracy": [0.45, 0.6, 0.7, 0.68],
}


def labels(ax):
    return [line.get_label() for line in ax.lines]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_one_panel_per_metric_loss_first_training_solid_validation_dashed():
    figure = plot_history(RUN)
    loss_ax, accuracy_ax = figure.axes
    assert loss_ax.get_title() == "loss" and accuracy_ax.get_title() == "accuracy"
    training, validation = loss_ax.lines[0], loss_ax.lines[1]
    assert training.get_linestyle() == "-" and validation.get_linestyle() == "--"
    assert list(training.get_xdata()) == [1, 2, 3, 4] and list(validation.get_ydata()) == RUN["val_loss"]


def test_best_validation_epoch_is_marked_per_metric():
    figure = plot_history(RUN)
    loss_ax, accuracy_ax = figure.axes
    assert "best epoch 3" in labels(loss_ax) and "best epoch 3" in labels(accuracy_ax)
    marker = loss_ax.lines[labels(loss_ax).index("best epoch 3")]
    assert list(marker.get_ydata()) == [0.6]


def test_several_runs_are_overlaid_with_labels_and_one_colour_each():
    other = {"loss": [2.0, 1.0, 0.5, 0.2], "val_loss": [2.0, 1.5, 1.4, 1.3]}
    figure = plot_history(RUN, other, labels=["small", "large"])
    loss_ax = figure.axes[0]
    assert {"small training", "small validation", "large training", "large validation"} <= set(labels(loss_ax))
    colours = {line.get_label(): line.get_color() for line in loss_ax.lines}
    assert colours["large training"] == colours["large validation"] != colours["small training"]


def test_shifted_training_curve_is_half_an_epoch_earlier():
    figure = plot_history(RUN, shift_training=True)
    assert list(figure.axes[0].lines[0].get_xdata()) == [0.5, 1.5, 2.5, 3.5]


def test_divergence_is_written_on_the_panel():
    figure = plot_history({"loss": [1.0, 50.0, math.inf], "val_loss": [1.0, 80.0, math.nan]})
    assert [text.get_text() for text in figure.axes[0].texts] == ["diverged at epoch 3 (loss became inf)"]


def test_redraws_into_the_figure_it_is_given():
    figure = plot_history(RUN)
    assert plot_history(RUN, metrics=["loss"], figure=figure) is figure and len(figure.axes) == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: plot_history(), "needs at least one history"),
        (lambda: plot_history(RUN, RUN, labels=["one"]), "labels must have one entry per history"),
        (lambda: plot_history(RUN, metrics=["auc"]), "metric 'auc' is in none of the histories"),
    ],
)
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()

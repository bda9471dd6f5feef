"""Draw training histories one way everywhere.

A loss panel, then one panel per metric; training solid, validation dashed, one colour per
run; the best validation epoch marked; an epoch where a curve became NaN or infinite
written on the panel. It only reads histories (see ``lessons_lib.history``); it never trains.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lessons_lib.history import (
    HistoryLike,
    as_history_dict,
    best_epoch,
    first_nonfinite_epoch,
    metric_names,
)

#: A loss that ends this many times above its smallest value gets a log axis, so a
#: diverging run does not flatten every other curve into a line at the bottom.
LOG_SCALE_RATIO = 100.0


def plot_history(
    *histories: HistoryLike,
    labels: Sequence[str] | None = None,
    metrics: Sequence[str] | None = None,
    title: str | None = None,
    shift_training: bool = False,
    mark_best: bool = True,
    figure: Figure | None = None,
) -> Figure:
    """Plot one or more runs and return the figure.

    ``histories`` are Keras ``History`` objects or dicts of lists; ``labels`` names each run
    in the legend. ``metrics`` picks panels (default: ``loss`` then every other metric with a
    training curve). ``shift_training`` draws training curves half an epoch to the left,
    because a training metric is an average over the epoch while the validation metric is
    measured at its end. ``figure`` redraws into an existing figure (used by the sliders).
    """
    if not histories:
        raise ValueError("plot_history needs at least one history, got none")
    runs = [as_history_dict(history, name=f"histories[{index}]") for index, history in enumerate(histories)]
    if labels is None:
        labels = [""] * len(runs) if len(runs) == 1 else [f"run {index + 1}" for index in range(len(runs))]
    labels = list(labels)
    if len(labels) != len(runs):
        raise ValueError(f"labels must have one entry per history ({len(runs)}), got {len(labels)}")
    panels = list(metrics) if metrics is not None else _panels(runs)
    for metric in panels:
        if not any(metric in run for run in runs):
            raise ValueError(f"metric {metric!r} is in none of the histories; they have {sorted(runs[0])}")

    if figure is None:
        width, height = plt.rcParams["figure.figsize"]
        figure = plt.figure(figsize=(max(width, 5 * len(panels)), height))
    else:
        figure.clear()
    axes = figure.subplots(1, len(panels), squeeze=False)[0]
    for index, (run, label) in enumerate(zip(runs, labels, strict=True)):
        color = f"C{index % 10}"
        for ax, metric in zip(axes, panels, strict=True):
            draw_curves(ax, run, metric, label=label, color=color, shift_training=shift_training, mark_best=mark_best)
    for ax, metric in zip(axes, panels, strict=True):
        ax.set_title(metric.replace("_", " "))
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="best", fontsize="small")
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def _panels(runs: list[dict[str, list[float]]]) -> list[str]:
    names: list[str] = []
    for run in runs:
        names.extend(name for name in metric_names(run) if name not in names)
    return sorted(names, key=lambda name: name != "loss")


def draw_curves(
    ax: Axes,
    curves: dict[str, list[float]],
    metric: str,
    *,
    label: str = "",
    color: str = "C0",
    alpha: float = 1.0,
    shift_training: bool = False,
    mark_best: bool = True,
) -> None:
    """Draw one run's training (solid) and validation (dashed) curve of ``metric`` on ``ax``."""
    prefix = f"{label} " if label else ""
    training, validation = curves.get(metric), curves.get(f"val_{metric}")
    if training is not None:
        offset = -0.5 if shift_training else 0.0
        epochs = [epoch + offset for epoch in range(1, len(training) + 1)]
        shifted = " (shifted half an epoch)" if shift_training else ""
        ax.plot(epochs, training, "-", color=color, alpha=alpha, label=f"{prefix}training{shifted}")
    if validation is not None:
        epochs = list(range(1, len(validation) + 1))
        ax.plot(epochs, validation, "--", color=color, alpha=alpha, label=f"{prefix}validation")
        best = best_epoch(validation, metric)
        if mark_best and best is not None:
            ax.plot(
                [best],
                [validation[best - 1]],
                "o",
                color=color,
                alpha=alpha,
                markersize=8,
                label=f"{prefix}best epoch {best}",
            )
    broken = [first_nonfinite_epoch(values) for values in (training, validation) if values is not None]
    broken_epochs = [epoch for epoch in broken if epoch is not None]
    if broken_epochs:
        epoch = min(broken_epochs)
        values = (training or validation or [])[epoch - 1 :]
        kind = "nan" if any(math.isnan(value) for value in values) else "inf"
        ax.text(
            0.5,
            0.5,
            f"{prefix}diverged at epoch {epoch} ({metric} became {kind})",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=color,
            fontsize="large",
            fontweight="bold",
        )
    if metric.endswith("loss") and _spans_orders_of_magnitude(training, validation):
        ax.set_yscale("log")


def _spans_orders_of_magnitude(*curves: list[float] | None) -> bool:
    values = [value for curve in curves if curve for value in curve if math.isfinite(value) and value > 0]
    return bool(values) and max(values) / min(values) > LOG_SCALE_RATIO

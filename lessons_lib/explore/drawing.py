"""The curve panel of an explorer: the new run in colour, the previous one faint behind it."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

from lessons_lib.explore.reading import blow_up_epoch
from lessons_lib.history import first_nonfinite_epoch, higher_is_better
from lessons_lib.plots import draw_curves
from lessons_lib.training import History

#: The previous run stays in view unless showing it would stretch the y axis more than this.
ZOOM_OUT_LIMIT = 3.0


class CurvePanel:
    """One matplotlib figure with a panel per metric, redrawn in place and rendered to PNG."""

    def __init__(self, metrics: Sequence[str]) -> None:
        import matplotlib as mpl

        self.metrics = list(metrics)
        width, height = mpl.rcParams["figure.figsize"]
        self.figure = Figure(figsize=(max(width, 4 * len(self.metrics)), height), dpi=mpl.rcParams["figure.dpi"])
        self.axes = self.figure.subplots(1, len(self.metrics), squeeze=False)[0]
        for ax, metric in zip(self.axes, self.metrics, strict=True):
            ax.set_title(metric.replace("_", " "))
            ax.set_xlabel("epoch")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.22)

    def draw(
        self,
        history: History,
        epochs: int,
        faint: History | None,
        *,
        start_loss: float | None = None,
        marks: dict[str, int] | None = None,
    ) -> None:
        """Redraw every panel: the new run in colour, the ``faint`` one (the previous) behind it.

        The y axis shows both runs unless the previous one would flatten the new one; the
        legend sits in the corner the curves move away from (a legend placed "best" and
        mathtext tick labels cost more than the curves).
        """
        previous = finite_part(faint) if faint is not None else None
        last = max(epochs, len(previous["loss"]) if previous else 0, 1)
        for ax, metric in zip(self.axes, self.metrics, strict=True):
            clear(ax)
            draw_curves(ax, history, metric, color="C0")
            blow_up = blow_up_epoch(history, start_loss) if metric == "loss" else None
            if blow_up is not None and first_nonfinite_epoch(history["loss"]) is None:
                ax.text(0.5, 0.5, f"diverged at epoch {blow_up}", transform=ax.transAxes, ha="center", va="center",
                        color="C0", fontsize="large", fontweight="bold")  # fmt: skip
            scale, limits = ax.get_yscale(), ax.get_ylim()
            if previous is not None and metric in previous:
                draw_curves(ax, previous, metric, label="previous", color="C7", alpha=0.45, mark_best=False)
                ax.set_yscale(scale)
                if span(ax.get_ylim(), scale) > ZOOM_OUT_LIMIT * span(limits, scale):
                    ax.set_ylim(limits)  # the previous run would flatten the new one: follow the new one
            if scale == "log":
                ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
                ax.yaxis.set_minor_formatter(NullFormatter())
            for (label, epoch), style in zip((marks or {}).items(), (":", "-."), strict=False):
                ax.axvline(epoch, color="C3", linestyle=style, linewidth=1.5, label=f"{label} (epoch {epoch})")
            ax.set_xlim(0.5, last + 0.5)
            ax.legend(loc="lower right" if higher_is_better(metric) else "upper right", fontsize="small")

    def message(self, text: str) -> None:
        """No curves: one sentence on the first panel (why this setting did not train)."""
        for ax in self.axes:
            clear(ax)
        self.axes[0].text(0.02, 0.5, text, transform=self.axes[0].transAxes, va="center", wrap=True)

    def png(self) -> bytes:
        """The figure as PNG; the fastest zlib level (the image is drawn for every move, a few % larger)."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
        return buffer.getvalue()


def clear(ax: Any) -> None:
    """Empty an axes but keep it (making new axes costs more than the drawing itself)."""
    for artist in [*ax.lines, *ax.texts]:
        artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_yscale("linear")
    ax.relim()
    ax.set_autoscale_on(True)


def span(limits: tuple[float, float], scale: str) -> float:
    low, high = limits
    return math.log10(high / low) if scale == "log" and low > 0 else high - low


def finite_part(history: History) -> History:
    """A history up to its last epoch before any NaN or inf (the faint previous run)."""
    broken = [first_nonfinite_epoch(values) for values in history.values()]
    end = min([epoch - 1 for epoch in broken if epoch is not None], default=None)
    return {name: values[:end] for name, values in history.items()}

"""The controls of an explorer: sliders that react on release, and checks of the values set."""

from __future__ import annotations

import math
from typing import Any

from lessons_lib.checks import check_number

_STYLE = {"description_width": "initial"}
_WIDTH = "340px"


def slider(kind: str, description: str, *, width: str = _WIDTH, **options: Any) -> Any:
    """An ipywidgets control of ``kind``; a slider reacts when released, not while dragged."""
    import ipywidgets as widgets

    if kind.endswith("Slider"):
        options["continuous_update"] = False
    return getattr(widgets, kind)(description=description, style=_STYLE, layout=widgets.Layout(width=width), **options)


def learning_rate_slider(value: float, low: float, high: float) -> Any:
    """Log scale, four stops a decade: 1e-3, 1.8e-3, 3.2e-3, 5.6e-3, 1e-2, ..."""
    exponents = {"min": math.log10(low), "max": math.log10(high), "step": 0.25}
    return slider("FloatLogSlider", "learning rate", value=value, base=10, readout_format=".2g", **exponents)


def epochs_slider(value: int, high: int) -> Any:
    return slider("IntSlider", "epochs", value=value, min=1, max=max(high, value))


def on_grid(name: str, value: float, low: float, high: float, step: float) -> float:
    """``value`` if a slider from ``low`` to ``high`` in steps of ``step`` can show it."""
    value = check_number(name, value, low=low, high=high)
    steps = (value - low) / step
    if abs(steps - round(steps)) > 1e-6:
        raise ValueError(f"{name} must be a multiple of {step} between {low} and {high}, got {value!r}")
    return value


def allowed(widget: Any) -> str:
    """What a control accepts, in words: "a number from 1e-05 to 1", "one of 'a', 'b'"."""
    kind = type(widget).__name__
    if kind == "FloatLogSlider":
        return f"a number from {widget.base**widget.min:.3g} to {widget.base**widget.max:.3g}"
    if kind == "IntSlider":
        return f"a whole number from {widget.min} to {widget.max}"
    if kind == "FloatSlider":
        return f"a multiple of {widget.step:g} from {widget.min:g} to {widget.max:g}"
    if kind == "Checkbox":
        return "True or False"
    options = ", ".join(repr(value) for value in option_values(widget))
    return f"one of {options}"


def option_values(widget: Any) -> list[Any]:
    """The values a choice control (toggle buttons, selection slider) can take."""
    return [option[1] if isinstance(option, tuple) else option for option in widget.options]


def checked(name: str, widget: Any, value: Any) -> Any:
    """``value`` if ``widget`` can show it exactly; else one sentence naming ``name`` and what it allows.

    A slider would clamp 100 to its maximum or round 2.5 to 2 without a word; ``set`` must
    refuse instead, so the curves never show a setting the learner did not ask for.
    """
    kind = type(widget).__name__
    number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if kind == "FloatLogSlider":
        ok = number and widget.base**widget.min * (1 - 1e-9) <= value <= widget.base**widget.max * (1 + 1e-9)
    elif kind == "IntSlider":
        ok = number and float(value).is_integer() and widget.min <= value <= widget.max
    elif kind == "FloatSlider":
        steps = (value - widget.min) / widget.step if number else 0.5
        ok = number and widget.min - 1e-9 <= value <= widget.max + 1e-9 and abs(steps - round(steps)) < 1e-6
    elif kind == "Checkbox":
        ok = isinstance(value, bool)
    else:
        ok = value in option_values(widget)
    if not ok:
        raise ValueError(f"{name} must be {allowed(widget)}, got {value!r}")
    return int(value) if kind == "IntSlider" else value

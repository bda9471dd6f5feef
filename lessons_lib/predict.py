"""Predict first, then compare: a place to commit to an answer before a run, and the reveal.

Guessing before you look is what turns a plot into a lesson: the surprise is where the
learning is. A lesson asks its question with buttons (or a text box), the learner clicks
before running the next cell, and after the run ``reveal`` puts the prediction beside what
the run showed, computed from the run itself.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lessons_lib.checks import check_choice


@dataclass(frozen=True)
class Reveal:
    """A prediction beside what happened; printed as text, shown as a coloured box in Jupyter."""

    question: str
    predicted: str | None
    outcome: str
    evidence: str
    choices: tuple[str, ...] | None

    @property
    def matched(self) -> bool | None:
        """True or False for a choice question answered in time; None for free text or no answer."""
        if self.predicted is None or self.choices is None:
            return None
        return self.predicted == self.outcome

    def _lines(self) -> list[str]:
        said = self.predicted if self.predicted is not None else "(no prediction committed)"
        verdict = {True: "as you predicted", False: "not what you predicted", None: "compare with your prediction"}
        outcome = f"{self.outcome} ({self.evidence})" if self.evidence else self.outcome
        return [f"You predicted: {said}", f"The run shows: {outcome} - {verdict[self.matched]}"]

    def __str__(self) -> str:
        return "\n".join(self._lines())

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = {True: "#1a7f37", False: "#cf222e", None: "#57606a"}[self.matched]
        lines = "".join(f"<div>{html.escape(line)}</div>" for line in self._lines())
        return f"<div class='prediction-reveal' style='border-left:4px solid {colour};padding:4px 10px'>{lines}</div>"


class Prediction:
    """A question to answer before running: choice buttons, or a text box when ``choices`` is None.

    Clicking a choice (or *Commit* under a text box) locks the answer, so it is the guess made
    before the run; running the question's cell again unlocks a fresh copy.
    """

    def __init__(self, question: str, choices: Sequence[str] | None = None) -> None:
        if not isinstance(question, str) or not question.strip():
            raise ValueError(f"question must be a non-empty sentence, got {question!r}")
        if choices is not None:
            choices = tuple(str(choice) for choice in choices)
            if len(choices) < 2 or len(set(choices)) != len(choices):
                raise ValueError(f"choices must be two or more different answers, got {list(choices)!r}")
        self.question = question
        self.choices = choices
        self._answer: str | None = None
        self._widget: Any = None

    @property
    def answer(self) -> str | None:
        """The committed prediction, or None while nothing is committed."""
        return self._answer

    def commit(self, answer: str) -> None:
        """Commit ``answer`` (what a click does; also for keyboard users and tests)."""
        if self.choices is not None:
            check_choice("answer", answer, self.choices)
        elif not isinstance(answer, str) or not answer.strip():
            raise ValueError(f"answer must be a non-empty text, got {answer!r}")
        self._answer = answer.strip()
        if self._widget is not None:
            self._lock()

    def reveal(self, outcome: str, evidence: str = "") -> Reveal:
        """What the run showed (one of the choices, for a choice question) beside the prediction."""
        if self.choices is not None:
            check_choice("outcome", outcome, self.choices)
        return Reveal(self.question, self._answer, str(outcome), str(evidence), self.choices)

    # -- the widget ---------------------------------------------------------------------------

    def _build(self) -> Any:
        import ipywidgets as widgets

        prompt = widgets.HTML(f"<b>Predict first:</b> {html.escape(self.question)}")
        self._status = widgets.HTML("<i>Click your answer before you run the next cell.</i>")
        if self.choices is not None:
            self._input = widgets.ToggleButtons(options=list(self.choices), value=None, style={"button_width": "auto"})
            self._input.observe(self._on_click, names="value")
            controls = [self._input]
        else:
            label = widgets.HTML("Your prediction, in a sentence or a number:")
            self._input = widgets.Textarea(layout={"width": "60%"})
            button = widgets.Button(description="Commit", button_style="info")
            button.on_click(lambda _: self._input.value.strip() and self.commit(self._input.value))
            self._button = button
            controls = [label, self._input, button]
        return widgets.VBox([prompt, *controls, self._status])

    def _on_click(self, change: Any) -> None:
        if change["new"] is not None and self._answer is None:
            self.commit(change["new"])

    def _lock(self) -> None:
        self._input.disabled = True
        if hasattr(self, "_button"):
            self._button.disabled = True
        self._status.value = (
            f"Your prediction: <b>{html.escape(self._answer or '')}</b> (locked). Now run the next cell."
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if self._widget is None:
            self._widget = self._build()
        display(self._widget)

    def __repr__(self) -> str:
        options = f" {' / '.join(self.choices)}" if self.choices else " (free text)"
        return f"Predict first: {self.question}{options}"


def predict_first(question: str, choices: Sequence[str] | None = None) -> Prediction:
    """Ask ``question`` before a run; show the returned object (last line of a cell) to answer it."""
    return Prediction(question, choices)

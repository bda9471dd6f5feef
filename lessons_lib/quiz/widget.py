"""The quiz in a notebook: one item's curves, "what do you see?", "what would you try first?", feedback.

Buttons and boxes have stable descriptions ("Check my answer", "Next item", "Retry the ones
I missed", "Reveal the answer"), so a browser test or a keyboard user finds them by name.
It works with ipywidgets 7 and 8: it is shown by ``IPython.display.display`` from
``_ipython_display_``, and its plot is a PNG in an ``Image`` widget (no output capture).
"""

from __future__ import annotations

import html
import io
import os
from collections.abc import Sequence
from typing import Any

from lessons_lib.doctor import CODES, TITLES
from lessons_lib.quiz.grading import Feedback, fix_label
from lessons_lib.quiz.items import QuizItem
from lessons_lib.quiz.session import QuizSession

CHECK = "Check my answer"
NEXT = "Next item"
RETRY = "Retry the ones I missed"
REVEAL = "Reveal the answer"


def classroom_default() -> bool:
    """True when the projector style is on: ``LESSONS_CLASSROOM=1``, or ``lessons_lib.setup(classroom=True)``.

    ``setup`` leaves its choice in matplotlib's settings (large fonts), so the quiz reads it there.
    """
    import matplotlib as mpl

    from lessons_lib.session import _CLASSROOM_STYLE

    if os.environ.get("LESSONS_CLASSROOM", "") not in ("", "0"):
        return True
    return mpl.rcParams["font.size"] >= _CLASSROOM_STYLE["font.size"]


class Quiz(QuizSession):
    """The read-the-curves quiz; end a cell with it to show it.

    ``seed`` orders the items (default: the session's seed, ``LESSONS_SEED``). ``classroom``
    makes text and plots large for a projector (default: ``LESSONS_CLASSROOM``, as
    ``lessons_lib.setup`` sets it). ``class_mode`` keeps the answer hidden after "Check my
    answer" until the teacher clicks "Reveal the answer", so a room can discuss first.
    """

    def __init__(
        self,
        seed: int | None = None,
        items: Sequence[QuizItem] | None = None,
        *,
        classroom: bool | None = None,
        class_mode: bool = False,
    ) -> None:
        super().__init__(seed, items)
        self.classroom = classroom_default() if classroom is None else bool(classroom)
        self.class_mode = bool(class_mode)
        self.last_feedback: Feedback | None = None
        self.revealed = not self.class_mode
        self._widget: Any = None

    # -- programmatic use also updates the widget, if it is shown ----------------------------

    def answer(self, codes: Any, fix: str | None = None) -> Feedback:
        feedback = super().answer(codes, fix)
        self.last_feedback = feedback
        self.revealed = not self.class_mode
        self._refresh_feedback()
        return feedback

    def reveal(self) -> Feedback | None:
        """Show the last answer's feedback (class mode: what the teacher's button does)."""
        self.revealed = True
        self._refresh_feedback()
        return self.last_feedback

    def next(self) -> QuizItem | None:
        entry = super().next()
        self.last_feedback = None
        self._show_item()
        return entry

    def retry_missed(self) -> int:
        count = super().retry_missed()
        self.last_feedback = None
        self._show_item()
        return count

    # -- the widget --------------------------------------------------------------------------

    def _style(self, text: str) -> str:
        size = "150%" if self.classroom else "100%"
        return f"<div style='font-size:{size};line-height:1.4'>{text}</div>"

    def _build(self) -> Any:
        import ipywidgets as widgets

        self.header = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.code_boxes = {
            code: widgets.Checkbox(value=False, description=f"{TITLES[code]} ({code})", indent=False) for code in CODES
        }
        codes_box = widgets.VBox(list(self.code_boxes.values()))
        self.fix_buttons = widgets.RadioButtons(options=[("-", "")], value="", layout={"width": "max-content"})
        self.check_button = widgets.Button(description=CHECK, button_style="primary", layout={"width": "auto"})
        self.next_button = widgets.Button(description=NEXT, layout={"width": "auto"})
        self.retry_button = widgets.Button(description=RETRY, layout={"width": "auto"})
        self.reveal_button = widgets.Button(
            description=REVEAL,
            button_style="warning",
            layout={"width": "auto", "display": "" if self.class_mode else "none"},
        )
        self.feedback = widgets.HTML()
        self.score_line = widgets.HTML()
        self.check_button.on_click(lambda _: self._on_check())
        self.next_button.on_click(lambda _: self.next())
        self.retry_button.on_click(lambda _: self.retry_missed())
        self.reveal_button.on_click(lambda _: self.reveal())
        see = widgets.HTML(self._style("<b>1. What do you see?</b> Tick every code that applies."))
        fix = widgets.HTML(self._style("<b>2. What would you try first?</b>"))
        buttons = widgets.HBox([self.check_button, self.reveal_button, self.next_button, self.retry_button])
        self._widget = widgets.VBox(
            [self.header, self.image, see, codes_box, fix, self.fix_buttons, buttons, self.feedback, self.score_line]
        )
        self._show_item()
        return self._widget

    def _on_check(self) -> None:
        if self.current is None:
            self.feedback.value = self._style("<i>The round is over: retry the ones you missed.</i>")
            return
        picked = [code for code, box in self.code_boxes.items() if box.value]
        if not picked:
            self.feedback.value = self._style("<i>Tick at least one code first.</i>")
            return
        self.answer(picked, self.fix_buttons.value or None)

    def _show_item(self) -> None:
        if self._widget is None:
            return
        entry = self.current
        self.feedback.value = ""
        self.score_line.value = self._style(f"<b>Score:</b> {html.escape(str(self.score))}")
        for box in self.code_boxes.values():
            box.value = False
        if entry is None:
            self.header.value = self._style(
                f"<b>End of the round.</b> {html.escape(self.summary())} Click <i>{RETRY}</i> to try the others again."
            )
            self.image.value = b""
            self.fix_buttons.options = [("-", "")]
            self.fix_buttons.value = ""
            return
        self.header.value = self._style(f"<b>Item {self.position + 1} of {len(self.queue)}</b>")
        self.image.value = self._png(entry)
        self.fix_buttons.options = [(fix_label(fix), fix) for fix in self.choices(entry)]
        try:
            self.fix_buttons.value = None  # nothing chosen yet
        except Exception:  # noqa: BLE001 - an ipywidgets version that refuses None keeps the first choice
            pass

    def _png(self, entry: QuizItem) -> bytes:
        """The item's loss and accuracy panels, drawn with ``plot_history`` (title hides the answer)."""
        import matplotlib.pyplot as plt

        from lessons_lib.plots import plot_history

        figure = plot_history(entry.curves(), title="What do these curves show?")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        plt.close(figure)
        return buffer.getvalue()

    def _refresh_feedback(self) -> None:
        if self._widget is None:
            return
        self.score_line.value = self._style(f"<b>Score:</b> {html.escape(str(self.score))}")
        if self.last_feedback is None:
            self.feedback.value = ""
        elif not self.revealed:
            self.feedback.value = self._style(f"<i>Answer recorded. The teacher clicks <b>{REVEAL}</b>.</i>")
        else:
            self.feedback.value = self._style(self.last_feedback._repr_html_())

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if self._widget is None:
            self._build()
        display(self._widget)

    def __repr__(self) -> str:
        return f"<Quiz: {len(self.items)} items, seed {self.seed}; {self.score}>"

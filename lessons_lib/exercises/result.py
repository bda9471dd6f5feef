"""What ``check`` shows: pass or not yet, the evidence read from the run, and one hint."""

from __future__ import annotations

import html
from dataclasses import dataclass

from lessons_lib.exercises.registry import Exercise, Reading

PASS = "pass"
NOT_YET = "not yet"


@dataclass(frozen=True)
class CheckResult:
    """The answer to one check; true in an ``if`` when the exercise passed."""

    exercise: Exercise
    reading: Reading

    @property
    def passed(self) -> bool:
        return bool(self.reading.passed)

    @property
    def verdict(self) -> str:
        return PASS if self.passed else NOT_YET

    @property
    def hint(self) -> str | None:
        """One hint when the goal is not reached yet; none after a pass."""
        return None if self.passed else (self.reading.hint or self.exercise.hint)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        lines = [f"Exercise {self.exercise.id} ({self.exercise.title}): {self.verdict}"]
        lines += [f"  read: {line}" for line in self.reading.evidence]
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        escape = html.escape
        colour = "#1a7f37" if self.passed else "#9a6700"
        mark = "&#10004; pass" if self.passed else "&#8635; not yet"
        parts = [
            f"<div class='exercise-check' style='border-left:4px solid {colour};padding:4px 10px'>",
            f"<b>Exercise {escape(self.exercise.id)}</b> ({escape(self.exercise.title)}): "
            f"<b style='color:{colour}'>{mark}</b>",
            "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in self.reading.evidence) + "</ul>",
        ]
        if self.hint:
            parts.append(f"<p><i>Hint:</i> {escape(self.hint)}</p>")
        parts.append("</div>")
        return "".join(parts)

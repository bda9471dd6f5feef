"""Grade one answer against the curve doctor's reading of the item, computed live.

The right answer to "what do you see?" is the set of codes ``diagnose`` finds on the item's
history with its hints; every code is marked right (picked and found), missed (found, not
picked) or wrong (picked, not found). The fix is right if it is one of the item's fixes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from lessons_lib import checklist
from lessons_lib.doctor import CODES, TITLES
from lessons_lib.quiz.items import QuizItem

#: What each mark means, for the text and the HTML feedback.
MARKS = {"right": "right", "missed": "missed: the doctor sees it", "wrong": "not in these curves"}
VERDICTS = ("right", "partly", "wrong")


def check_codes(codes: object) -> tuple[str, ...]:
    """The picked codes as a tuple in the doctor's order; one sentence if one is unknown or none is picked."""
    if isinstance(codes, str):
        codes = [codes]
    if not isinstance(codes, Iterable):
        raise TypeError(f"codes must be a list of the doctor's codes, got {type(codes).__name__}")
    picked = list(codes)
    unknown = [code for code in picked if code not in CODES]
    if unknown:
        raise ValueError(f"unknown code {unknown[0]!r}: the codes are {', '.join(CODES)}")
    if not picked:
        raise ValueError(f"pick at least one code: {', '.join(CODES)}")
    return tuple(code for code in CODES if code in picked)


def fix_label(fix_id: str) -> str:
    """A fix choice as a learner reads it: the checklist item's title and the first clause of its fix."""
    entry = checklist.item(fix_id)
    first = entry.fix.split("; ")[0].split(". ")[0].rstrip(".")
    return f"{entry.title}: {first}"


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer, with the doctor's evidence, the run's story and the lesson."""

    item: QuizItem
    picked: tuple[str, ...]
    found: tuple[str, ...]
    fix: str | None
    fix_right: bool

    @property
    def marks(self) -> dict[str, str]:
        """Every code picked or found: ``right``, ``missed`` or ``wrong``."""
        return {
            code: "right" if code in self.picked and code in self.found else "missed" if code in self.found else "wrong"
            for code in CODES
            if code in self.picked or code in self.found
        }

    @property
    def verdict(self) -> str:
        """``right`` (all codes and the fix), ``partly`` (some of it), or ``wrong`` (none of it)."""
        codes_right = set(self.picked) == set(self.found)
        if codes_right and self.fix_right:
            return "right"
        if self.fix_right or set(self.picked) & set(self.found):
            return "partly"
        return "wrong"

    @property
    def evidence(self) -> list[str]:
        """The doctor's sentences for this item: one per finding, message and numbers."""
        report = self.item.diagnosis()
        return [f"{finding.code}: {finding.message} ({finding.evidence_text})" for finding in report.findings]

    @property
    def lesson_link(self) -> str:
        return f"[lesson {self.item.lesson[:2]}]({self.item.lesson})"

    def _fix_line(self) -> str:
        expected = fix_label(self.item.fixes[0])
        if self.fix is None:
            return f"Fix: none chosen; try first: {expected}."
        if self.fix_right:
            return f"Fix: right ({fix_label(self.fix)})."
        return f"Fix: not the first thing to try ({fix_label(self.fix)}); try first: {expected}."

    def lines(self) -> list[str]:
        marks = [f"  {code}: {MARKS[mark]}" for code, mark in self.marks.items()]
        return [
            f"{self.verdict.upper()}: you picked {', '.join(self.picked)}; the doctor finds {', '.join(self.found)}.",
            *marks,
            self._fix_line(),
            "The doctor's evidence:",
            *[f"  {line}" for line in self.evidence],
            f"What was done: {self.item.story}",
            f"Cause: {self.item.cause_title}. Lesson: {self.item.lesson}",
        ]

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = {"right": "#1a7f37", "partly": "#9a6700", "wrong": "#cf222e"}[self.verdict]
        rows = "".join(
            f"<li><code>{html.escape(code)}</code> ({html.escape(TITLES[code])}): {html.escape(MARKS[mark])}</li>"
            for code, mark in self.marks.items()
        )
        evidence = "".join(f"<li>{html.escape(line)}</li>" for line in self.evidence)
        link = html.escape(self.item.lesson)
        return (
            f"<div class='quiz-feedback' style='border-left:4px solid {colour};padding:4px 10px'>"
            f"<p><b style='color:{colour}'>{self.verdict.upper()}</b></p>"
            f"<ul>{rows}</ul><p>{html.escape(self._fix_line())}</p>"
            f"<p><b>The doctor's evidence:</b></p><ul>{evidence}</ul>"
            f"<p><b>What was done:</b> {html.escape(self.item.story)}</p>"
            f"<p><b>Cause:</b> {html.escape(self.item.cause_title)}. "
            f"<b>Read more:</b> <a href='{link}' target='_blank'>{link}</a></p></div>"
        )


def grade(item: QuizItem, codes: Iterable[str] | str, fix: str | None = None) -> Feedback:
    """Grade ``codes`` (what the learner sees) and ``fix`` (a checklist id) on ``item``."""
    picked = check_codes(codes)
    if fix is not None and fix not in checklist.ITEMS:
        raise ValueError(f"unknown fix {fix!r}: pick one of the choices offered for this item")
    found = tuple(item.codes)
    return Feedback(item, picked, found, fix, fix is not None and fix in item.fixes)

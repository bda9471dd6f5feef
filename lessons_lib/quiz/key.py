"""The answer key for teachers: every item's codes (the doctor's, computed now), cause, fix and lesson."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from lessons_lib import checklist
from lessons_lib.quiz.items import QuizItem, load_items


@dataclass(frozen=True)
class AnswerKey:
    """A table of the items; shown as HTML in a notebook, ``str()`` gives markdown."""

    items: tuple[QuizItem, ...]

    def rows(self) -> list[dict[str, str]]:
        """One dict per item: item, codes, cause, fix, lesson."""
        return [
            {
                "item": entry.id,
                "codes": ", ".join(entry.codes),
                "cause": entry.cause,
                "fix": ", ".join(entry.fixes),
                "lesson": entry.lesson,
            }
            for entry in self.items
        ]

    def to_markdown(self) -> str:
        def link(lesson: str) -> str:
            return f"[{lesson}]({lesson})"

        lines = ["| item | codes | cause | fix | lesson |", "| --- | --- | --- | --- | --- |"]
        lines += [
            f"| `{row['item']}` | {row['codes']} | `{row['cause']}` | {row['fix']} | {link(row['lesson'])} |"
            for row in self.rows()
        ]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.to_markdown()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{name}</th>" for name in ("item", "codes (the doctor's)", "cause", "fix first", "lesson"))
        body = []
        for entry, row in zip(self.items, self.rows(), strict=True):
            cause = "none (healthy)" if entry.cause == "none" else checklist.item(entry.cause).title
            fixes = "<br>".join(html.escape(checklist.item(fix).title) for fix in entry.fixes)
            lesson = html.escape(row["lesson"])
            body.append(
                f"<tr><td><code>{html.escape(row['item'])}</code></td><td><code>{html.escape(row['codes'])}</code></td>"
                f"<td>{html.escape(cause)}</td><td>{fixes}</td><td><a href='{lesson}'>{lesson}</a></td></tr>"
            )
        return f"<table class='quiz-answer-key'><tr>{head}</tr>{''.join(body)}</table>"


def answer_key(items: Sequence[QuizItem] | None = None) -> AnswerKey:
    """The answer key of the quiz (all shipped items, in the file's order, unless ``items`` are given)."""
    return AnswerKey(tuple(load_items() if items is None else items))

"""A quiz session: the items in a seeded order, the answers given, the score, retrying the misses.

Everything the widget does can be done by calling methods, so a keyboard or screen-reader
user (and a test) can take the quiz without the mouse::

    quiz = Quiz(seed=SEED)
    quiz.current.id, quiz.choices()          # the item shown, and its fix choices
    print(quiz.answer(codes=["overfitting"], fix="improve.early_stopping"))
    quiz.next(); quiz.retry_missed()
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lessons_lib.checks import check_int
from lessons_lib.quiz.grading import Feedback, grade
from lessons_lib.quiz.items import QuizItem, load_items

#: How many fix choices an item offers: its first fix and plausible others.
N_CHOICES = 4


@dataclass(frozen=True)
class Score:
    """Verdicts of the latest answer to each item answered so far."""

    right: int
    partly: int
    wrong: int
    total: int

    @property
    def answered(self) -> int:
        return self.right + self.partly + self.wrong

    def __str__(self) -> str:
        return (
            f"{self.right} right, {self.partly} partly, {self.wrong} wrong "
            f"({self.answered} of {self.total} items answered)"
        )


class QuizSession:
    """The quiz's state; ``lessons_lib.quiz.Quiz`` adds the widget on top."""

    def __init__(self, seed: int | None = None, items: Sequence[QuizItem] | None = None) -> None:
        if seed is None:
            from lessons_lib.session import session_seed

            seed = session_seed()
        self.seed = check_int("seed", seed, low=0)
        self.items: tuple[QuizItem, ...] = tuple(load_items() if items is None else items)
        if not self.items:
            raise ValueError("a quiz needs at least one item, got none")
        order = list(range(len(self.items)))
        random.Random(self.seed).shuffle(order)
        self.order: list[QuizItem] = [self.items[index] for index in order]
        self.queue: list[QuizItem] = list(self.order)
        self.position = 0
        self.results: dict[str, Feedback] = {}
        fix_pool = sorted({fix for entry in self.items for fix in entry.fixes})
        self._choices = {entry.id: self._make_choices(entry, fix_pool) for entry in self.items}

    def _make_choices(self, entry: QuizItem, pool: Sequence[str]) -> tuple[str, ...]:
        """The item's first fix and distractors from the other items' fixes, in a seeded order."""
        rng = random.Random(f"{self.seed}:{entry.id}")
        others = [fix for fix in pool if fix not in entry.fixes]
        choices = [entry.fixes[0], *rng.sample(others, min(N_CHOICES - 1, len(others)))]
        rng.shuffle(choices)
        return tuple(choices)

    @property
    def current(self) -> QuizItem | None:
        """The item to answer now, or None when the round is over."""
        return self.queue[self.position] if self.position < len(self.queue) else None

    @property
    def finished(self) -> bool:
        return self.current is None

    def choices(self, item: QuizItem | None = None) -> tuple[str, ...]:
        """The fix choices (checklist ids) offered for ``item`` (default: the current one)."""
        entry = item or self.current
        if entry is None:
            raise ValueError("the round is over: call retry_missed() or start a new Quiz")
        return self._choices[entry.id]

    def answer(self, codes: Iterable[str] | str, fix: str | None = None) -> Feedback:
        """Grade an answer to the current item and record it (the latest answer to an item counts)."""
        entry = self.current
        if entry is None:
            raise ValueError("the round is over: call retry_missed() to answer the items you missed")
        if fix is not None and fix not in self.choices(entry):
            raise ValueError(f"fix must be one of this item's choices {', '.join(self.choices(entry))}, got {fix!r}")
        feedback = grade(entry, codes, fix)
        self.results[entry.id] = feedback
        return feedback

    def next(self) -> QuizItem | None:
        """Move to the next item; returns it, or None at the end of the round."""
        if self.position < len(self.queue):
            self.position += 1
        return self.current

    @property
    def missed(self) -> list[QuizItem]:
        """Items answered not quite right, and items not answered yet, in the quiz's order."""
        return [
            entry for entry in self.order if entry.id not in self.results or self.results[entry.id].verdict != "right"
        ]

    def retry_missed(self) -> int:
        """Start a new round with the items not answered right yet; returns how many."""
        self.queue = self.missed
        self.position = 0
        return len(self.queue)

    @property
    def score(self) -> Score:
        verdicts = [feedback.verdict for feedback in self.results.values()]
        return Score(verdicts.count("right"), verdicts.count("partly"), verdicts.count("wrong"), len(self.items))

    def summary(self) -> str:
        """How you did, in a few lines: the score and the codes you missed most."""
        score = self.score
        if not score.answered:
            return f"No answers yet: {score.total} items are waiting."
        missed: dict[str, int] = {}
        for feedback in self.results.values():
            for code, mark in feedback.marks.items():
                if mark != "right":
                    missed[code] = missed.get(code, 0) + 1
        lines = [f"Score: {score}."]
        if missed:
            worst = sorted(missed.items(), key=lambda pair: -pair[1])[:3]
            lines.append("Codes to read again: " + ", ".join(f"{code} ({count}x)" for code, count in worst) + ".")
        return "\n".join(lines)

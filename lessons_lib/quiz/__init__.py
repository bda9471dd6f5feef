"""Lesson 12's quiz: real training curves, graded by the curve doctor.

    from lessons_lib.quiz import Quiz, answer_key
    quiz = Quiz(seed=SEED)          # end a cell with `quiz` to show it
    quiz.answer(codes=["overfitting"], fix="improve.early_stopping")   # without the mouse
    answer_key()                    # for teachers: every item's codes, cause, fix and lesson

The items (``data/quiz_histories.json``, checksummed) are runs ``tools/make_quiz.py`` trained
with a cause put in on purpose; the right codes are what ``lessons_lib.diagnose`` finds on
each, computed when asked, never stored answers.
"""

from lessons_lib.quiz.grading import Feedback, check_codes, fix_label, grade
from lessons_lib.quiz.items import QuizItem, history_from_json, item, load_items
from lessons_lib.quiz.key import AnswerKey, answer_key
from lessons_lib.quiz.session import QuizSession, Score
from lessons_lib.quiz.widget import Quiz

__all__ = [
    "AnswerKey",
    "Feedback",
    "Quiz",
    "QuizItem",
    "QuizSession",
    "Score",
    "answer_key",
    "check_codes",
    "fix_label",
    "grade",
    "history_from_json",
    "item",
    "load_items",
]

"""The exercise framework and the predict-first widget: answers, errors, and what a learner sees.

Each lesson's own exercises are proven in ``tests/test_exercises_lessonNN.py`` (starter says
"not yet", worked solution passes); here the machinery they share, and the course-wide rules:
every lesson's "Try it yourself" became exercises, each with a starter, a folded solution and a
test file that runs them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from exercise_runner import solution_source, starter_source

import lessons_lib
from lessons_lib.exercises import LESSONS, CheckResult, all_exercises, check, exercises_for, get
from lessons_lib.predict import Prediction, predict_first

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_OF = {
    lesson: next(
        path.name
        for path in sorted((ROOT / "notebooks").glob(f"{lesson[:2]}_*.ipynb"))
        if lesson[:2] != "08" or ("part2" in path.name) == lesson.endswith("b")
    )
    for lesson in LESSONS
}
LABELS = np.array([1, 0, 0, 1, 0])
LESSON_PROBABILITIES = np.array([0.9, 0.2, 0.6, 0.4, 0.1])


def test_a_check_answers_not_yet_with_evidence_and_a_hint():
    result = check("00.4", LABELS, LESSON_PROBABILITIES)
    assert isinstance(result, CheckResult) and not result and result.verdict == "not yet"
    text = str(result)
    assert text.startswith("Exercise 00.4 (Same accuracy, lower loss): not yet")
    assert "read: mean loss 0.453" in text and "hint:" in text
    assert "not yet" in result._repr_html_() and result.hint


def test_a_pass_shows_no_hint():
    result = check("00.4", LABELS, np.array([0.9, 0.2, 0.51, 0.4, 0.1]))
    assert result.passed and result.hint is None and "hint" not in str(result)
    assert "pass" in result._repr_html_()


@pytest.mark.parametrize(
    ("exercise_id", "message"),
    [
        ("6.2", "exercise_id must be a lesson and a number such as '06.2'"),
        ("99.1", "exercise_id must be a lesson and a number such as '06.2'"),
        (62, "exercise_id must be a lesson and a number such as '06.2'"),
        ("00.99", "exercise_id '00.99' does not exist; lesson 00 has 00.1"),
    ],
)
def test_an_unknown_exercise_is_named_with_what_exists(exercise_id, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        check(exercise_id, LABELS, LESSON_PROBABILITIES)


def test_wrong_arguments_say_what_the_check_reads():
    with pytest.raises(TypeError, match=r"check\('00\.4', \.\.\.\) reads \(is_a_one, probability\)"):
        check("00.4", LABELS)


def test_a_check_refuses_what_is_not_a_run():
    with pytest.raises(ValueError, match="probability must be 5 numbers from 0 to 1"):
        check("00.4", LABELS, np.array([0.9, 2.0, 0.6, 0.4, 0.1]))


def test_the_package_offers_check_without_importing_tensorflow():
    assert lessons_lib.exercises.check is check
    assert get("00.4").lesson == "00"


# -- predict first ------------------------------------------------------------------------------


def test_a_committed_prediction_is_shown_beside_the_outcome():
    prediction = predict_first("Which ends lower?", ["training", "validation"])
    prediction.commit("validation")
    reveal = prediction.reveal("training", evidence="0.31 against 0.35")
    assert str(reveal) == (
        "You predicted: validation\nThe run shows: training (0.31 against 0.35) - not what you predicted"
    )
    assert reveal.matched is False
    assert prediction.reveal("validation").matched is True


def test_no_prediction_is_said_plainly():
    reveal = predict_first("Shape?", ["steep then flat", "straight"]).reveal("steep then flat")
    assert str(reveal).startswith("You predicted: (no prediction committed)")
    assert reveal.matched is None


def test_free_text_predictions_are_compared_by_the_learner():
    prediction = predict_first("How high is the loss after one epoch?")
    prediction.commit("  about 8  ")
    assert prediction.answer == "about 8"
    assert "compare with your prediction" in str(prediction.reveal("7.84", evidence="epoch 1"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Prediction("", ["a", "b"]), "question must be a non-empty sentence"),
        (lambda: Prediction("Q?", ["a"]), "choices must be two or more different answers"),
        (lambda: Prediction("Q?", ["a", "a"]), "choices must be two or more different answers"),
        (lambda: Prediction("Q?", ["a", "b"]).commit("c"), "answer must be one of 'a', 'b', got 'c'"),
        (lambda: Prediction("Q?", ["a", "b"]).reveal("c"), "outcome must be one of 'a', 'b', got 'c'"),
        (lambda: Prediction("Q?").commit("   "), "answer must be a non-empty text"),
    ],
)
def test_bad_predictions_get_one_sentence(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_click_locks_the_prediction():
    prediction = predict_first("Which ends lower?", ["training", "validation"])
    widget = prediction._build()
    prediction._widget = widget
    prediction._input.value = "training"
    assert prediction.answer == "training" and prediction._input.disabled
    assert "locked" in prediction._status.value


def test_the_text_box_commits_on_its_button():
    prediction = predict_first("How high?")
    prediction._widget = prediction._build()
    prediction._input.value = "about 8"
    prediction._button.click()
    assert prediction.answer == "about 8" and prediction._button.disabled


# -- every lesson's exercises --------------------------------------------------------------------


def _cells(lesson: str) -> list[dict]:
    return json.loads((ROOT / "notebooks" / NOTEBOOK_OF[lesson]).read_text())["cells"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_has_exercises_instead_of_try_it_yourself(lesson):
    markdown = ["".join(cell["source"]) for cell in _cells(lesson) if cell["cell_type"] == "markdown"]
    assert not any("## Try it yourself" in text for text in markdown), "the old list is still there"
    assert any(text.startswith("## Exercises") for text in markdown)
    assert exercises_for(lesson), f"lesson {lesson} registers no exercise"


@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda entry: entry.id)
def test_every_exercise_has_a_heading_a_starter_and_a_folded_solution(exercise):
    lesson = exercise.lesson
    starter = starter_source(NOTEBOOK_OF[lesson], exercise.id)
    solution = solution_source(NOTEBOOK_OF[lesson], exercise.id)
    assert starter.rstrip().splitlines()[-1].startswith(f'lessons_lib.exercises.check("{exercise.id}"')
    assert solution.rstrip().splitlines()[-1].startswith(f'lessons_lib.exercises.check("{exercise.id}"')
    assert solution.strip() != starter.strip(), "the solution is the starter unchanged"
    headings = ["".join(cell["source"]) for cell in _cells(lesson) if cell["cell_type"] == "markdown"]
    assert any(text.startswith(f"### Exercise {exercise.id} ·") for text in headings)


def test_exercise_numbers_run_from_one_without_gaps():
    for lesson in LESSONS:
        numbers = [int(entry.id.split(".")[1]) for entry in exercises_for(lesson)]
        assert numbers == list(range(1, len(numbers) + 1)), f"lesson {lesson}: {numbers}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_has_a_test_file_that_runs_its_exercises(lesson):
    path = ROOT / "tests" / f"test_exercises_lesson{lesson}.py"
    assert path.exists(), f"{path.name} is missing: nothing proves lesson {lesson}'s checks can fail"
    assert "exercise_tests(" in path.read_text()


# -- predict first ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_predict_first_question_has_buttons_before_the_run_and_a_reveal_after(lesson):
    import re

    cells = _cells(lesson)
    asked = []
    for index, cell in enumerate(cells):
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and re.search(r"^(#+ Predict first|\*\*Predict first)", text, re.M):
            following = next((c for c in cells[index + 1 :] if c["cell_type"] == "code"), None)
            source = "".join(following["source"]) if following else ""
            assert "lessons_lib.predict_first(" in source, f"no buttons after: {text[:80]!r}"
    for cell in cells:
        source = "".join(cell["source"])
        asked += re.findall(r"^(\w+) = lessons_lib\.predict_first\(", source, re.M)
    code = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
    for name in asked:
        assert f"{name}.reveal(" in code, f"{name} is asked but never revealed"

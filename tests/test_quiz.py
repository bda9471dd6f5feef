"""Lesson 12's quiz: its shipped items, the grading by the doctor, the session, the answer key, the widget."""

from __future__ import annotations

import html
import importlib.util
import json
import math
import shutil
import sys
from pathlib import Path

import pytest

from lessons_lib import checklist
from lessons_lib.data import SHIPPED_FILES, DataFileError, sha256_of
from lessons_lib.doctor import CODES
from lessons_lib.quiz import Quiz, QuizSession, answer_key, grade, history_from_json, items, load_items
from lessons_lib.quiz.widget import CHECK, NEXT, RETRY, REVEAL

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NAME = "quiz_histories.json"
NOTEBOOK = ROOT / "notebooks" / "12_read_the_curves_quiz.ipynb"


@pytest.fixture(scope="module")
def all_items():
    return load_items()


def a_wrong_code(entry) -> str:
    return next(code for code in CODES if code not in entry.codes)


# --- the shipped file ------------------------------------------------------------------------


def test_the_file_is_checksummed_in_all_three_places():
    digest = SHIPPED_FILES[NAME]
    assert sha256_of(DATA / NAME) == digest
    assert f"{digest}  {NAME}" in (DATA / "SHA256SUMS").read_text().splitlines()
    readme = (DATA / "README.md").read_text()
    assert f"`{NAME}`" in readme and digest in readme and "tools/make_quiz.py" in readme


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of data/ that a test may damage; the real data/ is never touched."""
    for name in SHIPPED_FILES:
        shutil.copy(DATA / name, tmp_path / name)
    monkeypatch.setenv("LESSONS_DATA_DIR", str(tmp_path))
    items.load_items.cache_clear()
    yield tmp_path
    items.load_items.cache_clear()


def test_a_corrupted_file_is_refused_with_its_name_and_the_fix(data_copy):
    path = data_copy / NAME
    path.write_text(path.read_text().replace('"story"', '"Story"', 1))
    with pytest.raises(DataFileError) as error:
        load_items()
    message = str(error.value)
    assert str(path) in message and SHIPPED_FILES[NAME] in message and "corrupted" in message
    assert f"git checkout -- data/{NAME}" in message and "\n" not in message


def test_a_missing_file_is_named_with_the_fix(data_copy):
    (data_copy / NAME).unlink()
    with pytest.raises(DataFileError, match=f"is missing .*git checkout -- data/{NAME}"):
        Quiz(seed=1)


def test_nan_and_inf_are_stored_as_strings_and_read_back():
    assert history_from_json({"loss": [1.5, "nan", "inf", "-inf"]})["loss"][1:] == [
        pytest.approx(math.nan, nan_ok=True),
        math.inf,
        -math.inf,
    ]
    text = (DATA / NAME).read_text()  # strict JSON: no NaN or Infinity tokens
    document = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard JSON constant {name}"))
    stored = [value for entry in document["items"] for values in entry["history"].values() for value in values]
    assert "nan" in stored or "inf" in stored  # a diverging item keeps its blow-up


# --- coverage and agreement with the doctor ----------------------------------------------------


def test_at_least_30_items_with_unique_ids(all_items):
    assert len(all_items) >= 30
    assert len({entry.id for entry in all_items}) == len(all_items)


def test_every_item_still_shows_the_code_its_cause_should_produce(all_items):
    disagree = {entry.id: entry.codes for entry in all_items if entry.expect not in entry.codes}
    assert not disagree, f"the doctor no longer finds the expected code on: {disagree}"


def test_the_doctor_finds_all_nine_codes_among_the_items(all_items):
    found = {code for entry in all_items for code in entry.codes}
    assert found == set(CODES)
    assert {entry.expect for entry in all_items} == set(CODES)


def test_every_troubleshooting_reason_is_the_cause_of_an_item(all_items):
    reasons = {entry.id for entry in checklist.items("reasons")}
    assert len(reasons) == 12
    assert reasons <= {entry.cause for entry in all_items}


def test_items_are_complete_and_link_to_lessons_that_exist(all_items):
    for entry in all_items:
        assert entry.cause == "none" or entry.cause in checklist.ITEMS, entry.id
        assert (entry.cause == "none") == (entry.expect == "healthy"), entry.id
        assert entry.fixes and all(fix in checklist.ITEMS for fix in entry.fixes), entry.id
        assert all(not fix.startswith("reason.") for fix in entry.fixes), entry.id
        assert (ROOT / "notebooks" / entry.lesson).is_file(), entry.id
        assert 20 < len(entry.story) < 400 and entry.settings, entry.id
        assert len({len(values) for values in entry.history.values()}) == 1 and "loss" in entry.history


def test_histories_are_rounded_to_5_significant_digits(all_items):
    stored = json.loads((DATA / NAME).read_text())["items"]
    for entry in stored:
        for values in entry["history"].values():
            for value in values:
                if isinstance(value, float) and value != 0:
                    assert float(f"{value:.5g}") == value, (entry["id"], value)


def test_make_quiz_made_every_item_and_documents_itself(all_items):
    tool = (ROOT / "tools" / "make_quiz.py").read_text()
    assert all(f'"{entry.id}"' in tool for entry in all_items)
    assert "set aside" in tool.lower() and "never relabel" in tool


# --- grading ---------------------------------------------------------------------------------


def test_a_right_a_partly_and_a_wrong_answer(all_items):
    entry = next(entry for entry in all_items if len(entry.codes) == 1)
    other_fix = next(fix for fix in checklist.ITEMS if fix.startswith("improve.") and fix not in entry.fixes)

    right = grade(entry, entry.codes, entry.fixes[0])
    assert right.verdict == "right" and set(right.marks.values()) == {"right"} and right.fix_right

    extra = a_wrong_code(entry)
    partly = grade(entry, [*entry.codes, extra], entry.fixes[0])
    assert partly.verdict == "partly" and partly.marks[extra] == "wrong" and partly.marks[entry.codes[0]] == "right"

    missed = grade(entry, [extra], other_fix)
    assert missed.verdict == "wrong" and missed.marks[entry.codes[0]] == "missed" and not missed.fix_right


def test_feedback_gives_evidence_story_and_lesson(all_items):
    entry = all_items[0]
    feedback = grade(entry, entry.codes, entry.fixes[0])
    text = str(feedback)
    assert entry.story in text and entry.lesson in text
    assert feedback.evidence and all(line.split(":")[0] in entry.codes for line in feedback.evidence)
    page = feedback._repr_html_()
    assert f"href='{entry.lesson}'" in page and "doctor's evidence" in page


def test_the_right_codes_are_computed_live_not_stored(all_items):
    stored = json.loads((DATA / NAME).read_text())["items"][0]
    assert "codes" not in stored and "answer" not in stored
    assert all_items[0].codes == items.diagnose(all_items[0].curves(), **all_items[0].hints).codes


@pytest.mark.parametrize(
    ("codes", "fix", "message"),
    [
        (["overfit"], None, "unknown code 'overfit': the codes are diverging, unstable"),
        ([], None, "pick at least one code"),
        (["healthy"], "improve.nothing", "unknown fix 'improve.nothing'"),
    ],
)
def test_bad_answers_are_refused_in_one_sentence(all_items, codes, fix, message):
    with pytest.raises(ValueError) as error:
        grade(all_items[0], codes, fix)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_a_fix_that_was_not_offered_is_refused(all_items):
    quiz = QuizSession(seed=3)
    not_offered = next(fix for fix in checklist.ITEMS if fix not in quiz.choices() and not fix.startswith("reason."))
    with pytest.raises(ValueError, match="fix must be one of this item's choices"):
        quiz.answer(["healthy"], not_offered)


# --- the session -----------------------------------------------------------------------------


def test_the_order_is_seeded_and_holds_every_item(all_items):
    first, again, other = QuizSession(seed=5), QuizSession(seed=5), QuizSession(seed=6)
    assert [entry.id for entry in first.order] == [entry.id for entry in again.order]
    assert [entry.id for entry in first.order] != [entry.id for entry in other.order]
    assert sorted(entry.id for entry in first.order) == sorted(entry.id for entry in all_items)
    assert first.choices(first.order[0]) == again.choices(again.order[0])


def test_the_session_seed_comes_from_lessons_seed(monkeypatch):
    monkeypatch.setenv("LESSONS_SEED", "11")
    assert QuizSession().seed == 11


def test_choices_hold_the_fix_and_three_distractors(all_items):
    quiz = QuizSession(seed=7)
    for entry in all_items:
        choices = quiz.choices(entry)
        assert len(choices) == 4 and len(set(choices)) == 4 and entry.fixes[0] in choices
        assert sum(choice in entry.fixes for choice in choices) == 1


def test_retry_the_ones_missed_and_the_running_score():
    quiz = QuizSession(seed=8)
    first = quiz.current
    quiz.answer(first.codes, first.fixes[0])
    second = quiz.next()
    quiz.answer([a_wrong_code(second)])
    quiz.next()
    assert (quiz.score.right, quiz.score.wrong, quiz.score.answered) == (1, 1, 2)
    count = quiz.retry_missed()
    assert count == len(quiz.items) - 1 and quiz.current.id == second.id
    assert first.id not in [entry.id for entry in quiz.queue]
    quiz.answer(second.codes, second.fixes[0])  # the latest answer counts
    assert (quiz.score.right, quiz.score.wrong) == (2, 0)
    assert "2 right" in quiz.summary()


def test_the_end_of_a_round():
    chosen = load_items()[:2]
    quiz = QuizSession(seed=1, items=chosen)
    quiz.next()
    assert quiz.next() is None and quiz.finished
    with pytest.raises(ValueError, match="the round is over"):
        quiz.answer(["healthy"])
    assert quiz.retry_missed() == 2 and not quiz.finished


# --- the answer key --------------------------------------------------------------------------


def test_the_answer_key_lists_every_item_with_the_doctors_codes(all_items):
    key = answer_key()
    rows = key.rows()
    assert [row["item"] for row in rows] == [entry.id for entry in all_items]
    assert all(row["codes"] == ", ".join(entry.codes) for row, entry in zip(rows, all_items, strict=True))
    markdown = str(key)
    assert markdown.startswith("| item | codes | cause | fix | lesson |")
    assert len(markdown.splitlines()) == len(rows) + 2
    assert key._repr_html_().count("<tr>") == len(rows) + 1


def test_the_notebook_hides_the_answer_key_from_learners():
    notebook = json.loads(NOTEBOOK.read_text())
    text = "\n".join("".join(cell["source"]) for cell in notebook["cells"])
    assert "<details>" in text and "SHOW_ANSWER_KEY = False" in text
    outputs = json.dumps([cell.get("outputs", []) for cell in notebook["cells"]])
    assert "quiz-answer-key" not in outputs


# --- the widget ------------------------------------------------------------------------------


def test_the_widget_builds_and_a_click_gives_feedback():
    quiz = Quiz(seed=2)
    quiz._build()
    entry = quiz.current
    assert quiz.check_button.description == CHECK and quiz.next_button.description == NEXT
    assert quiz.retry_button.description == RETRY
    assert bytes(quiz.image.value).startswith(b"\x89PNG") and entry.id not in quiz.header.value
    for code in entry.codes:
        quiz.code_boxes[code].value = True
    quiz.fix_buttons.value = entry.fixes[0]
    quiz.check_button.click()
    assert "RIGHT" in quiz.feedback.value and html.escape(entry.story[:30]) in quiz.feedback.value
    assert "1 right" in quiz.score_line.value
    quiz.next_button.click()
    assert "Item 2 of" in quiz.header.value and quiz.feedback.value == ""
    assert not any(box.value for box in quiz.code_boxes.values())


def test_a_click_with_no_code_asks_for_one():
    quiz = Quiz(seed=2)
    quiz._build()
    quiz.check_button.click()
    assert "at least one code" in quiz.feedback.value and quiz.score.answered == 0


def test_class_mode_reveals_the_answer_only_when_the_teacher_clicks():
    quiz = Quiz(seed=4, class_mode=True)
    quiz._build()
    assert quiz.reveal_button.description == REVEAL
    entry = quiz.current
    quiz.code_boxes[entry.codes[0]].value = True
    quiz.check_button.click()
    assert "Answer recorded" in quiz.feedback.value and html.escape(entry.story[:30]) not in quiz.feedback.value
    quiz.reveal_button.click()
    assert html.escape(entry.story[:30]) in quiz.feedback.value and quiz.revealed


def test_classroom_mode_makes_the_text_large(monkeypatch):
    monkeypatch.setenv("LESSONS_CLASSROOM", "1")
    quiz = Quiz(seed=1)
    quiz._build()
    assert quiz.classroom and "font-size:150%" in quiz.header.value
    assert "font-size:100%" in Quiz(seed=1, classroom=False)._build().children[0].value


def test_setup_classroom_true_makes_the_quiz_large_too(monkeypatch):
    import matplotlib as mpl

    import lessons_lib

    monkeypatch.delenv("LESSONS_CLASSROOM", raising=False)
    with mpl.rc_context():
        lessons_lib.setup(1, classroom=True)
        assert Quiz(seed=1).classroom
        lessons_lib.setup(1, classroom=False)
        assert not Quiz(seed=1).classroom


def test_the_quiz_is_shown_with_ipython_display(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda widget: shown.append(widget))
    quiz = Quiz(seed=1)
    quiz._ipython_display_()
    assert shown and shown[0] is quiz._widget
    assert not hasattr(quiz, "_repr_mimebundle_")


def test_the_shipped_items_are_what_make_quiz_describes():
    """Story, cause, fixes, lesson and expected code in the file are the tool's, word for word."""
    spec = importlib.util.spec_from_file_location("make_quiz", ROOT / "tools" / "make_quiz.py")
    tool = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = tool  # dataclasses look their module up while it loads
    spec.loader.exec_module(tool)
    runs = {run.id: run for run in tool.RUNS}
    for entry in json.loads((DATA / NAME).read_text())["items"]:
        run = runs[entry["id"]]
        made = (run.story, run.cause, list(run.fixes), f"{run.lesson}.ipynb", run.expect, run.settings)
        keys = ("story", "cause", "fixes", "lesson", "expect", "settings")
        assert made == tuple(entry[key] for key in keys), entry["id"]

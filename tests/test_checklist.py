"""The seeds' checklists as data: complete, stable, corrected where the seeds are wrong."""

import dataclasses

import pytest

from lessons_lib import checklist
from lessons_lib.checklist import CULPRITS, IMPROVEMENTS, LESSONS, REASONS, VAL_ABOVE_TRAIN

# Every item the seeds list, in their order (seed 000's two checklists, seed 002's culprits).
SEED_000_REASONS = [
    "overfitting",
    "complex",
    "data",
    "too high",
    "decays",
    "gradients",
    "normalisation",
    "loss",
    "steps",
    "bug",
    "imbalance",
    "initialisation",
]
SEED_000_IMPROVEMENTS = [
    "quality",
    "augmentation",
    "regularization",
    "complexity",
    "learning rate",
    "batch size",
    "normalise",
    "exploratory",
    "feature",
    "loss",
    "initialisation",
    "hyperparameter",
    "monitor",
    "early stopping",
    "ensembles",
    "transfer",
    "iterate",
]
SEED_002_CULPRITS = ["quality and size", "overfitting", "learning rate", "batch size", "imbalance", "leak"]


@pytest.mark.parametrize(
    ("items", "words"),
    [(REASONS, SEED_000_REASONS), (IMPROVEMENTS, SEED_000_IMPROVEMENTS), (CULPRITS, SEED_002_CULPRITS)],
    ids=["seed000-reasons", "seed000-improvements", "seed002-culprits"],
)
def test_every_seed_item_is_there_in_the_seed_order(items, words):
    assert len(items) == len(words)
    for entry, word in zip(items, words, strict=True):
        assert word in entry.title.lower(), (entry.title, word)


def test_seed_001_causes_include_the_keras_faq_two():
    ids = [entry.id for entry in VAL_ABOVE_TRAIN]
    assert "val_above.regularization_in_training_only" in ids and "val_above.epoch_averaging" in ids


def test_ids_are_unique_prefixed_and_looked_up():
    assert len(checklist.ITEMS) == len(checklist.ALL) == 12 + 17 + 6 + 4
    prefixes = {
        "reasons": "reason.",
        "improvements": "improve.",
        "culprits": "culprit.",
        "val_above_train": "val_above.",
    }
    for entry in checklist.ALL:
        assert entry.id.startswith(prefixes[entry.group])
        assert checklist.item(entry.id) is entry
    assert checklist.items("culprits") == CULPRITS


def test_every_item_is_complete_and_points_to_a_lesson():
    for entry in checklist.ALL:
        for name in ("title", "reason", "example", "fix", "source"):
            assert getattr(entry, name).strip(), (entry.id, name)
        assert entry.lesson in LESSONS


def test_items_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        REASONS[0].title = "changed"


def test_corrections_say_what_the_seed_said_and_why():
    corrected = [entry for entry in checklist.ALL if entry.corrected]
    assert len(corrected) >= 8
    for entry in checklist.ALL:
        if entry.seed_text:
            assert entry.note, f"{entry.id} quotes the seed but does not say why it was changed"
    # A few corrections the course depends on.
    assert "keyword" in checklist.item("culprit.class_imbalance").note
    assert "random" in checklist.item("reason.initialization").note.lower()
    assert "different" in checklist.item("reason.lr_decay_too_fast").note
    assert "underfitting" in checklist.item("val_above.not_underfitting_by_itself").note


def test_later_lessons_each_cover_some_items():
    for lesson in LESSONS[3:]:
        if lesson == "12_read_the_curves_quiz":
            continue  # the quiz is home to no item: it reviews them all
        assert checklist.items_for_lesson(lesson), lesson


def test_markdown_groups_items_under_their_list():
    text = checklist.to_markdown(["reason.lr_too_high", checklist.item("culprit.batch_size")], title="Try")
    assert text.startswith("### Try")
    assert "**Seed 000: reasons" in text and "**Seed 002: common culprits" in text
    assert "*Fix:*" in text and "*Corrected from the seed:*" in text  # culprit.batch_size is corrected
    short = checklist.to_markdown(checklist.IMPROVEMENTS, details=False)
    assert short.count("\n- ") == len(IMPROVEMENTS) and "*Why:*" not in short
    assert checklist.item("improve.early_stopping")._repr_markdown_().startswith("- **Early stopping**")
    everything = checklist.to_markdown()
    assert all(entry.title in everything for entry in checklist.ALL)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: checklist.item("reason.nope"), KeyError, "no checklist item 'reason.nope'"),
        (lambda: checklist.items("recipes"), ValueError, "group must be one of"),
        (lambda: checklist.items_for_lesson("10_nope"), ValueError, "lesson must be one of"),
        (lambda: checklist.to_markdown([42]), TypeError, "entries must be checklist items or their ids, got int"),
    ],
)
def test_bad_arguments_get_one_sentence(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_an_item_refuses_an_unknown_lesson_or_a_wrong_prefix():
    with pytest.raises(ValueError, match="lesson must be one of"):
        checklist.Item("reason.x", "reasons", "t", "r", "e", "f", "99_nope", "s")
    with pytest.raises(ValueError, match="must start with 'culprit'"):
        checklist.Item("reason.x", "culprits", "t", "r", "e", "f", "00_start_here", "s")


def test_lessons_are_exactly_the_notebooks_on_disk():
    from pathlib import Path

    from lessons_lib.checklist import LESSONS

    notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    assert set(LESSONS) == {path.stem for path in notebooks.glob("[0-9][0-9]_*.ipynb")}

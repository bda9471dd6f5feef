"""Lessons 00, 09 and 11: their links resolve, and their checked lines can fail.

A checked line is a teaching claim only if it prints the other answer when the phenomenon is
gone. These tests run the lessons' own cells (``tests/lesson_cells.py``: the exact saved
source) on made-up inputs where the phenomenon is absent, and on inputs where it is present,
without training anything. They also pin the one guarantee lesson 11's prose leans on: the
cross-entropy of averaged probabilities is never above the members' average cross-entropy.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from lesson_cells import NOTEBOOKS, line_with, run_cell, saved_lines

LESSON_00 = "00_start_here.ipynb"
LESSON_09 = "09_improvement_checklist.ipynb"
LESSON_11 = "11_improvement_checklist_part3.ipynb"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "histories"

#: The glossary anchors of lesson 00 that later lessons may link to (00_start_here.ipynb#glossary-...).
GLOSSARY = (
    "glossary",
    "glossary-dense-layer",
    "glossary-activation",
    "glossary-relu",
    "glossary-sigmoid",
    "glossary-softmax",
    "glossary-gradient",
    "glossary-learning-rate",
    "glossary-sgd",
    "glossary-adam",
    "glossary-one-hot",
    "glossary-convolution",
    "glossary-pooling",
    "glossary-dropout",
    "glossary-regularization",
)


def markdown(notebook: str) -> str:
    cells = json.loads((NOTEBOOKS / notebook).read_text())["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")


def anchors(notebook: str) -> set[str]:
    return set(re.findall(r'<a id="([^"]+)"></a>', markdown(notebook)))


def relative_links(notebook: str) -> list[str]:
    targets = re.findall(r"\]\(([^)\s]+)\)", markdown(notebook))
    return [target for target in targets if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize("notebook", [LESSON_00, LESSON_09, LESSON_11])
def test_every_relative_link_resolves_anchors_included(notebook):
    links = relative_links(notebook)
    assert links, f"{notebook} has no relative links"
    for link in links:
        path, _, anchor = link.partition("#")
        target = path or notebook
        assert (NOTEBOOKS / target).is_file(), f"{notebook}: link to a missing file: {link}"
        if anchor:
            assert anchor in anchors(target), f"{notebook}: link to a missing anchor: {link}"


def test_lesson_00_has_the_glossary_anchors_and_lists_every_lesson():
    assert set(GLOSSARY) <= anchors(LESSON_00)
    linked = set(relative_links(LESSON_00))
    lessons = sorted(path.name for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert [name for name in lessons if name not in linked] == []


# --- lesson 00: the doctor's main finding per shape ------------------------------------------


def fixture_history(name: str) -> dict[str, list[float]]:
    document = json.loads((FIXTURES / f"{name}.json").read_text())
    return {key: [float(value) for value in values] for key, values in document["history"].items()}


def doctor_namespace(healthy, overfitting, underfitting) -> dict:
    import lessons_lib

    namespace = {"lessons_lib": lessons_lib, "healthy": healthy, "overfitting": overfitting}
    namespace["underfitting"] = underfitting
    run_cell(LESSON_00, "def yes_no(condition):", namespace)  # the imports cell: yes_no
    return namespace


def test_lesson_00_doctor_lines_say_no_when_the_shapes_are_swapped():
    namespace = doctor_namespace(
        healthy=fixture_history("overfitting_dense_200_images"),
        overfitting=fixture_history("healthy_mnist_dense"),
        underfitting=fixture_history("healthy_mnist_dense"),
    )
    lines = run_cell(LESSON_00, "the doctor's reading includes", namespace)
    for name in ("healthy", "overfitting", "underfitting"):
        assert line_with(lines, f"{name} run: ").endswith(": no")


def test_lesson_00_doctor_lines_say_yes_on_runs_of_each_shape():
    namespace = doctor_namespace(
        healthy=fixture_history("healthy_mnist_dense"),
        overfitting=fixture_history("overfitting_dense_200_images"),
        underfitting=fixture_history("underfitting_bottleneck_2_units"),
    )
    lines = run_cell(LESSON_00, "the doctor's reading includes", namespace)
    assert lines == saved_lines(LESSON_00, "the doctor's reading includes")


# --- lesson 09, §2: the loss ranking finds the flipped labels ----------------------------------


def test_lesson_09_ranking_line_says_no_for_a_ranking_that_knows_nothing():
    from lessons_lib.label_noise import precision_at_k

    rng = np.random.default_rng(0)
    flipped = np.zeros(2000, dtype=bool)
    flipped[rng.choice(2000, 200, replace=False)] = True
    namespace = {"np": np, "precision_at_k": precision_at_k, "flipped": flipped}
    namespace["per_example_loss"] = rng.random(2000)  # a loss that ignores which labels are wrong
    lines = run_cell(LESSON_09, "ranking at least 5 times better", namespace)
    assert line_with(lines, "ranking at least 5 times better").endswith(": no")
    assert line_with(lines, "top-50 highest-loss").endswith(": few")

    namespace["per_example_loss"] = flipped + rng.random(2000) * 0.5  # flipped labels rank first
    lines = run_cell(LESSON_09, "ranking at least 5 times better", namespace)
    assert lines == saved_lines(LESSON_09, "ranking at least 5 times better")


def test_lesson_09_eda_line_says_no_when_bedrooms_carry_more_signal():
    rng = np.random.default_rng(0)
    features = rng.random((100, 2))
    prices = 3 * features[:, 0] + 2 * features[:, 1] + 1  # the weights swapped: bedrooms dominate
    correlation = np.corrcoef(np.column_stack([features, prices]), rowvar=False)
    lines = run_cell(LESSON_09, "size correlates more strongly", {"np": np, "correlation": correlation})
    assert line_with(lines, "size correlates more strongly").endswith(": no")


def test_lesson_09_corrupted_line_says_no_for_a_ranking_that_knows_nothing():
    rng = np.random.default_rng(0)
    corrupted = np.array([3, 500, 1500])
    namespace = {"np": np, "corrupted": corrupted}
    namespace["most_unusual_first"] = rng.permutation(2000)  # statistics that see nothing
    while np.isin(corrupted, namespace["most_unusual_first"][:10]).all():  # pragma: no cover
        namespace["most_unusual_first"] = rng.permutation(2000)
    lines = run_cell(LESSON_09, "all three corrupted images among", namespace)
    assert line_with(lines, "all three corrupted images among").endswith(": no")

    namespace["most_unusual_first"] = np.concatenate([corrupted, np.setdiff1d(np.arange(2000), corrupted)])
    lines = run_cell(LESSON_09, "all three corrupted images among", namespace)
    assert lines == saved_lines(LESSON_09, "all three corrupted images among")


# --- lesson 11 -------------------------------------------------------------------------------


def cross_entropy(labels, probabilities):
    return -np.log(probabilities[np.arange(len(labels)), labels])


def random_probabilities(rng, labels, sharpness):
    logits = rng.normal(size=(len(labels), 10))
    logits[np.arange(len(labels)), labels] += sharpness  # better than chance, often wrong
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def test_averaging_probabilities_never_raises_the_cross_entropy():
    """Lesson 11's guarantee: -log is convex, so loss(mean of p) <= mean of loss(p), per example."""
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 10, size=500)
    members = [random_probabilities(rng, labels, 2.0) for _ in range(3)]
    per_member = np.array([cross_entropy(labels, p) for p in members])
    of_average = cross_entropy(labels, np.mean(members, axis=0))
    assert np.all(of_average <= per_member.mean(axis=0) + 1e-12)
    assert of_average.mean() < per_member.mean()
    same = cross_entropy(labels, np.mean([members[0]] * 3, axis=0))
    assert np.allclose(same, per_member[0])  # identical members: no gain at all


def ensemble_namespace(members, labels) -> dict:
    import keras

    namespace = {
        "np": np,
        "keras": keras,
        "y_val": labels,
        "member_probabilities": members,
        "ensemble_probabilities": np.mean(members, axis=0),
    }
    run_cell(LESSON_11, "def mean_loss(probabilities):", namespace)
    return namespace


def test_lesson_11_ensemble_lines_say_no_for_members_that_agree():
    rng = np.random.default_rng(2)
    labels = rng.integers(0, 10, size=500)
    clone = random_probabilities(rng, labels, 2.0).astype("float32")
    lines = run_cell(LESSON_11, "members disagree:", ensemble_namespace([clone, clone, clone], labels))
    assert line_with(lines, "members disagree:").endswith(": no")
    assert line_with(lines, "ensemble accuracy above the members' average").endswith(": no")


def test_lesson_11_ensemble_lines_say_yes_for_members_that_disagree():
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 10, size=500)
    members = [random_probabilities(rng, labels, 2.0).astype("float32") for _ in range(3)]
    lines = run_cell(LESSON_11, "members disagree:", ensemble_namespace(members, labels))
    assert lines == saved_lines(LESSON_11, "members disagree:")


def fake_search(scores_and_rates):
    trials = [SimpleNamespace(score=score) for score, _ in scores_and_rates]
    best_rate = max(scores_and_rates)[1]
    return {"trials": trials, "best_hp": SimpleNamespace(get=lambda name: {"learning_rate": best_rate}[name])}


def test_lesson_11_search_lines_say_no_when_the_hyperparameters_do_not_matter():
    flat = fake_search([(0.81, 0.00005), (0.80, 0.01), (0.80, 0.001), (0.79, 0.0003)])
    lines = run_cell(LESSON_11, "best learning rate above 0.0001", flat)
    assert line_with(lines, "best learning rate above 0.0001").endswith(": no")
    assert line_with(lines, "best trial beats the worst").endswith(": no")
    spread = fake_search([(0.85, 0.002), (0.50, 0.0002), (0.15, 0.00002), (0.12, 0.00001)])
    lines = run_cell(LESSON_11, "best learning rate above 0.0001", spread)
    assert lines == saved_lines(LESSON_11, "best learning rate above 0.0001")


def test_lesson_11_iteration_lines_say_no_when_the_change_did_not_help():
    run = SimpleNamespace(history={"val_loss": [1.0, 0.8, 0.7, 0.69, 0.69]})
    namespace = {
        "iterations": {"1": run, "2": SimpleNamespace(history={"val_loss": [0.9, 0.6, 0.5, 0.5, 0.5]})},
        "first_diagnosis": SimpleNamespace(codes=("healthy",)),
    }
    lines = run_cell(LESSON_11, "run 2, one change:", namespace)
    assert line_with(lines, "run 1 diagnosed as still improving").endswith(": no")
    assert line_with(lines, "run 2, one change:").endswith(": no")

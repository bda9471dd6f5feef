"""Lessons 09 to 11's explorers start from the lessons' own runs, number for number; and what they add.

Each lesson test runs the lesson's cells as saved (data, model, ``fit``) and its explorer cell,
and compares the explorer's curves with what ``fit`` returned (the explorers train with
``FastFit``, which takes the rows in ``fit``'s own order, so the two agree to float rounding).
The other tests hold the explorers' additions to what they claim: lesson 09's ranking of
flipped labels at every epoch shown, lesson 11's ensemble curves and its reuse of members.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from lesson_cells import assert_same_curves, explorer_of, lesson_namespace, run_cell  # noqa: E402

from lessons_lib.session import session_seed  # noqa: E402

LESSON09 = "09_improvement_checklist.ipynb"
LESSON10 = "10_improvement_checklist_part2.ipynb"
LESSON11 = "11_improvement_checklist_part3.ipynb"


def test_lesson09_explorer_starts_from_the_ranking_run_of_section_2():
    namespace = lesson_namespace(
        LESSON09,
        "from lessons_lib.plots import plot_history",
        "x_train, y_train, x_val, y_val = load_mnist(2000, 500)",
        "y_noisy, flipped = flip_labels(y_train, 0.1, seed=SEED)",
        seed=session_seed(),
    )
    explorer = explorer_of(LESSON09, "label_noise_explorer(", namespace)
    assert_same_curves(explorer.history, namespace["ranking_run"].history)  # training curves: §2 has no validation
    top50 = namespace["precision_at_k"](namespace["per_example_loss"], namespace["flipped"], 50)
    assert f"flipped labels among the 50 highest losses: {top50:.0%} (a random pick: 10%)" in explorer.reading


def test_lesson10_explorer_starts_from_the_large_model_and_reaches_the_other_two():
    namespace = lesson_namespace(
        LESSON10, "x_train, y_train, x_val, y_val = load_mnist(2000, 500, flatten=True)", seed=session_seed()
    )
    run_cell(LESSON10, "architectures = {", namespace)
    runs = {name: run.history for name, run in namespace["capacity_runs"].items()}
    explorer = explorer_of(LESSON10, "label_noise_explorer(", namespace)
    assert_same_curves(explorer.history, runs["large"])
    explorer.set(dropout=0.5)
    assert_same_curves(explorer.history, runs["large + dropout"])
    explorer.set(dropout=0.0, model="small (16)")
    assert_same_curves(explorer.history, runs["small"])


def test_lesson11_explorer_ends_at_the_ensemble_of_section_3():
    namespace = lesson_namespace(LESSON11, "def dense_classifier(units=64", seed=session_seed())
    run_cell(LESSON11, "member_probabilities = []", namespace)
    run_cell(LESSON11, "def mean_loss(probabilities):", namespace)
    explorer = explorer_of(LESSON11, "ensemble_explorer(", namespace)
    history = explorer.history
    assert len(history["val_loss"]) == 20
    np.testing.assert_allclose(history["val_loss"][-1], namespace["ensemble_loss"], rtol=1e-4)
    assert history["val_accuracy"][-1] == pytest.approx(namespace["accuracy"](namespace["ensemble_probabilities"]))
    average = np.mean(namespace["member_loss"])
    assert f"{(average - history['val_loss'][-1]) / average:.1%} below its members' average" in explorer.reading
    explorer.set(members=1)  # the first member alone: §3's first model
    np.testing.assert_allclose(explorer.history["val_loss"][-1], namespace["member_loss"][0], rtol=1e-4)
    assert "one member: the ensemble is that model" in explorer.reading


def test_the_label_noise_ranking_is_read_at_the_last_epoch_shown():
    from lessons_lib.explore import label_noise_explorer

    settings = {"wrong_labels": 0.3, "model": "medium (64)", "n_train": 300, "seed": 3}
    longer = label_noise_explorer(epochs=6, **settings)
    longer.set(epochs=2)  # from the cache: the first 2 epochs of the 6-epoch run
    assert longer.cache_hits == 1
    fresh = label_noise_explorer(epochs=2, **settings)
    assert longer.history == fresh.history
    assert "flipped labels among the 50 highest losses" in fresh.reading
    assert longer.reading == fresh.reading
    longer.set(wrong_labels=0.0)  # nothing flipped: nothing to rank
    assert "highest losses" not in longer.reading and "against 100% right labels" in longer.reading


def test_the_label_noise_explorer_refuses_a_model_it_does_not_have():
    from lessons_lib.explore import label_noise_explorer

    allowed = r"'small \(16\)', 'medium \(64\)', 'large \(256, 256\)'"
    with pytest.raises(ValueError, match=rf"^model must be one of {allowed}, got 'huge'$"):
        label_noise_explorer(model="huge")


def test_the_ensemble_reuses_its_trained_members_without_changing_a_number():
    from lessons_lib.explore import ensemble_explorer

    grown = ensemble_explorer(members=2, epochs=6, seed=5)
    grown.set(members=4)  # all seven members trained in the first run: nothing trains now
    grown.set(epochs=3)  # the first 3 epochs of the same four members
    fresh = ensemble_explorer(members=4, epochs=3, seed=5)
    for name, values in fresh.history.items():
        np.testing.assert_allclose(grown.history[name], values, rtol=1e-6, err_msg=name)
    assert grown.reading == fresh.reading


def test_the_side_by_side_model_scores_each_member_and_each_ensemble():
    import keras

    from lessons_lib.explore.ensemble import MAX_MEMBERS, _side_by_side

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, size=(50, MAX_MEMBERS))
    labels[:, :] = labels[:, :1]  # validation: every member sees the same labels
    logits = rng.normal(size=(50, MAX_MEMBERS, 10))
    probabilities = (np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)).astype("float32")
    scores = _side_by_side(0).scores
    scores.update_state(labels, probabilities)
    result = {name: float(value) for name, value in scores.result().items()}
    for member in range(MAX_MEMBERS):
        alone = probabilities[:, member]
        loss = float(np.mean(keras.losses.sparse_categorical_crossentropy(labels[:, 0], alone)))
        assert result[f"member{member}_loss"] == pytest.approx(loss, rel=1e-5)
        assert result[f"member{member}_accuracy"] == pytest.approx(np.mean(alone.argmax(axis=1) == labels[:, 0]))
        averaged = probabilities[:, : member + 1].mean(axis=1)
        loss = float(np.mean(keras.losses.sparse_categorical_crossentropy(labels[:, 0], averaged)))
        assert result[f"ensemble{member + 1}_loss"] == pytest.approx(loss, rel=1e-5)
        assert result[f"ensemble{member + 1}_accuracy"] == pytest.approx(
            np.mean(averaged.argmax(axis=1) == labels[:, 0])
        )
        # averaging probabilities never costs loss (-log is convex): at most the members' average
        members_average = np.mean([result[f"member{i}_loss"] for i in range(member + 1)])
        assert result[f"ensemble{member + 1}_loss"] <= members_average + 1e-6
    scores.reset_state()
    scores.update_state(labels[:10], probabilities[:10])
    assert float(scores.result()["member0_loss"]) == pytest.approx(
        float(np.mean(keras.losses.sparse_categorical_crossentropy(labels[:10, 0], probabilities[:10, 0]))), rel=1e-5
    )


def test_the_ensemble_view_averages_training_curves_and_takes_the_ensembles_validation_curves():
    from lessons_lib.explore.ensemble import ensemble_view

    history = {
        "member0_loss": [3.0, 2.0],
        "member1_loss": [5.0, 4.0],
        "member0_accuracy": [0.1, 0.2],
        "member1_accuracy": [0.3, 0.4],
        "val_ensemble2_loss": [1.5, 1.0],
        "val_ensemble2_accuracy": [0.6, 0.7],
    }
    view = ensemble_view(history, 2)
    assert view == {
        "loss": [4.0, 3.0],
        "accuracy": pytest.approx([0.2, 0.3]),
        "val_loss": [1.5, 1.0],
        "val_accuracy": [0.6, 0.7],
    }


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"members": 0}, r"^members must be >= 1, got 0"),
        ({"members": 8}, r"^members must be <= 7, got 8"),
        ({"bootstrap": "yes"}, r"^bootstrap must be True or False, got 'yes'$"),
        ({"epochs": 41}, r"^epochs must be <= 40, got 41"),
    ],
)
def test_the_ensemble_explorer_refuses_bad_arguments_in_one_sentence(arguments, message):
    from lessons_lib.explore import ensemble_explorer

    with pytest.raises(ValueError, match=message):
        ensemble_explorer(**arguments)

"""Lesson 00's exercises: read the three shapes of curves, and what accuracy and loss each count."""

from __future__ import annotations

import numpy as np

from lessons_lib.exercises.registry import Reading, exercise

#: The tiny example of the lesson: five images, the correct answers and the model's probabilities.
_LESSON_LABELS = np.array([1, 0, 0, 1, 0])
_LESSON_PROBABILITIES = np.array([0.9, 0.2, 0.6, 0.4, 0.1])


def _accuracy_and_loss(labels: np.ndarray, probabilities: np.ndarray) -> tuple[float, float]:
    predicted = (probabilities > 0.5).astype(int)
    picked = np.where(labels == 1, probabilities, 1 - probabilities)
    return float(np.mean(predicted == labels)), float(-np.log(np.clip(picked, 1e-12, 1)).mean())


@exercise(
    "00.4",
    title="Same accuracy, lower loss",
    goal="Change the model's probabilities so that the accuracy stays at 60% while the mean loss falls.",
    hint="Accuracy only changes when a probability crosses 0.5: move one a little towards its right answer, "
    "on the side of 0.5 where it is now.",
)
def _same_accuracy_lower_loss(is_a_one: np.ndarray, probability: np.ndarray) -> Reading:
    labels = np.asarray(is_a_one)
    probabilities = np.asarray(probability, dtype=float)
    if probabilities.shape != labels.shape or np.any((probabilities < 0) | (probabilities > 1)):
        raise ValueError(f"probability must be {labels.size} numbers from 0 to 1, one per image, got {probability!r}")
    accuracy, loss = _accuracy_and_loss(labels, probabilities)
    lesson_accuracy, lesson_loss = _accuracy_and_loss(_LESSON_LABELS, _LESSON_PROBABILITIES)
    same_labels = np.array_equal(labels, _LESSON_LABELS)
    evidence = [
        f"accuracy {accuracy:.0%} (the lesson's: {lesson_accuracy:.0%})",
        f"mean loss {loss:.3f} (the lesson's: {lesson_loss:.3f})",
    ]
    passed = same_labels and accuracy == lesson_accuracy and loss < lesson_loss - 1e-6
    hint = None if same_labels else "Keep the correct answers is_a_one as they are; change only probability."
    return Reading(passed, evidence, hint)

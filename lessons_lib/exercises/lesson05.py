"""Lesson 05's exercises: what an augmentation does to the digits, and what training with it costs.

Three checks read a batch of augmented digits (quick: no training), two read a short run.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lessons_lib.exercises.reading import curves, trained_model_and_digits
from lessons_lib.exercises.registry import Reading, exercise

#: A digit "touches the frame" when a pixel of the outermost ring is at half the brightest ink or more.
_HALF = 0.5
#: The check of 05.3 asks for this validation accuracy (mean of the last two epochs), within this many epochs.
_MORE_DATA_ACCURACY, _MORE_DATA_EPOCHS = 0.92, 10


def _batch(name: str, images: Any) -> np.ndarray:
    """Images as (n, 28, 28) floats: a batch of digits, with or without the channel axis."""
    array = np.asarray(images, dtype=float)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 3 or array.shape[0] < 10 or not np.isfinite(array).all():
        raise ValueError(f"{name} must be a batch of at least 10 images shaped (n, 28, 28, 1), got shape {array.shape}")
    return array


def _pair(originals: Any, augmented: Any, names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    first, second = _batch(names[0], originals), _batch(names[1], augmented)
    if first.shape != second.shape:
        raise ValueError(
            f"{names[1]} must be {names[0]} transformed, one image each: shapes {second.shape} and {first.shape}"
        )
    return first, second


def _touches_frame(images: np.ndarray, level: float) -> np.ndarray:
    ring = np.ones(images.shape[1:], dtype=bool)
    ring[1:-1, 1:-1] = False
    return (images[:, ring] >= level).any(axis=1)


def _slant(images: np.ndarray) -> np.ndarray:
    """Sideways movement of the ink per row (image moments): 0.1 moves a 20-row digit's top 2 pixels."""
    rows, columns = np.mgrid[0 : images.shape[1], 0 : images.shape[2]]
    ink = np.clip(images, 0, None)
    total = ink.sum(axis=(1, 2))
    total = np.where(total > 0, total, 1.0)
    x_mean = (ink * columns).sum(axis=(1, 2)) / total
    y_mean = (ink * rows).sum(axis=(1, 2)) / total
    dx, dy = columns - x_mean[:, None, None], rows - y_mean[:, None, None]
    spread = (ink * dy**2).sum(axis=(1, 2))
    return (ink * dx * dy).sum(axis=(1, 2)) / np.where(spread > 0, spread, 1.0)


@exercise(
    "05.1",
    title="The seed's strengths",
    goal="Give the augmentation the seed's 20% shift and zoom, and see the frame cut the digits: "
    "at least a quarter of the augmented digits must have a stroke on the outermost ring of pixels.",
    hint="Shifts and zooms push strokes towards the frame: use the seed's values for both.",
)
def _seed_strengths(originals: Any, augmented: Any) -> Reading:
    before, after = _pair(originals, augmented, ("originals", "augmented"))
    level = _HALF * before.max()
    touching_before, touching_after = _touches_frame(before, level), _touches_frame(after, level)
    n = len(before)
    evidence = [
        f"digits with a stroke on the frame before augmentation: {touching_before.sum()} of {n}",
        f"after augmentation: {touching_after.sum()} of {n} ({touching_after.mean():.0%}; the goal: 25% or more)",
    ]
    return Reading(bool(touching_after.mean() >= 0.25), evidence)


@exercise(
    "05.2",
    title="Upside down",
    goal="Train with a vertical flip in place of the horizontal one, until the model reads upside-down "
    "validation digits about as well as upright ones (within 0.15 of accuracy).",
    hint="Your model was never shown upside-down digits: add the flip that turns images top to bottom.",
)
def _upside_down(model: Any, images: Any, labels: Any) -> Reading:
    batch = trained_model_and_digits(model, images)
    digits = np.asarray(labels)
    digits = digits.argmax(axis=1) if digits.ndim == 2 else digits.astype(int)
    if digits.shape != (len(batch),):
        raise ValueError(f"labels must give one digit (or one one-hot row) per image, got shape {np.shape(labels)}")
    upright = np.argmax(model.predict(batch, verbose=0), axis=1)
    flipped = np.argmax(model.predict(batch[:, ::-1], verbose=0), axis=1)  # rows reversed: upside down
    accuracy, accuracy_flipped = float(np.mean(upright == digits)), float(np.mean(flipped == digits))
    per_digit = {digit: float(np.mean(upright[digits == digit] == digit)) for digit in np.unique(digits)}
    worst = sorted(per_digit, key=per_digit.get)[:3]
    sixes, nines = digits == 6, digits == 9
    evidence = [
        f"validation accuracy upright {accuracy:.3f}, upside down {accuracy_flipped:.3f}",
        "digits read worst (upright): " + ", ".join(f"{digit} ({per_digit[digit]:.2f})" for digit in worst),
        f"upside-down 6s read as 9: {np.sum(flipped[sixes] == 9)} of {sixes.sum()}; "
        f"upside-down 9s read as 6: {np.sum(flipped[nines] == 6)} of {nines.sum()}",
    ]
    hint = "The model reads few digits at all: train it for more epochs." if accuracy < 0.5 else None
    return Reading(bool(accuracy >= 0.5 and accuracy_flipped >= accuracy - 0.15), evidence, hint)


@exercise(
    "05.3",
    title="More data instead",
    goal=f"Reach a validation accuracy of {_MORE_DATA_ACCURACY} (mean of the last two epochs) within "
    f"{_MORE_DATA_EPOCHS} epochs: what section 6's augmentation reached on 300 images only after 45.",
    hint="Augmentation made 300 images look like more; give the model ten times more real ones.",
)
def _more_data(history: Any) -> Reading:
    logs = curves(history, "accuracy", "val_accuracy")
    validation, training = logs["val_accuracy"], logs["accuracy"]
    epochs = len(validation)
    if epochs < 2:
        raise ValueError(f"history must have at least 2 epochs, got {epochs}")
    reached = float(np.mean(validation[-2:]))
    evidence = [
        f"{epochs} epochs; validation accuracy, mean of the last two: {reached:.3f} (the goal: {_MORE_DATA_ACCURACY})",
        f"training minus validation accuracy at the end: {training[-1] - validation[-1]:+.3f}",
    ]
    hint = (
        f"Within {_MORE_DATA_EPOCHS} epochs, please: more epochs is not the point."
        if epochs > _MORE_DATA_EPOCHS
        else None
    )
    return Reading(bool(epochs <= _MORE_DATA_EPOCHS and reached >= _MORE_DATA_ACCURACY), evidence, hint)


@exercise(
    "05.4",
    title="Shear for real",
    goal="Make a shear that slants the digits visibly (by 0.05 or more on average) and keeps them digits: "
    "at least 90% of the sheared digits keep a slant that real handwriting in the batch has.",
    hint="The seed's 0.2 was degrees; RandomShear's x_factor is a fraction of the image's width.",
)
def _shear(originals: Any, sheared: Any) -> Reading:
    before, after = _pair(originals, sheared, ("originals", "sheared"))
    slant_before, slant_after = _slant(before), _slant(after)
    change = float(np.mean(np.abs(slant_after - slant_before)))
    low, high = np.percentile(slant_before, [1, 99])
    natural = float(np.mean((slant_after >= low) & (slant_after <= high)))
    evidence = [
        f"slant changed by {change:.3f} on average (0.1 moves the top of a 20-row digit 2 pixels sideways; "
        "the goal: 0.05 or more)",
        f"sheared digits whose slant stays within the originals' (1st to 99th percentile, {low:.2f} to {high:.2f}): "
        f"{natural:.0%} (the goal: 90% or more)",
    ]
    hint = "That shear slants digits beyond what people write: make it smaller." if natural < 0.9 else None
    return Reading(bool(change >= 0.05 and natural >= 0.9), evidence, hint)


@exercise(
    "05.5",
    title="Reflect instead of constant",
    goal="Fill the empty border with the layers' default instead of black, and find the digits where new "
    "strokes appear: at least 2% of the batch must gain 3 or more lit pixels that the black fill left dark.",
    hint="The fill only shows where a digit reaches the frame: try the layers' default fill_mode.",
)
def _reflect(black_fill: Any, your_fill: Any) -> Reading:
    black, yours = _pair(black_fill, your_fill, ("black_fill", "your_fill"))
    level = _HALF * black.max()
    lit = black >= level
    if lit.any() and np.mean(yours[lit] >= 0.25 * level) < 0.95:
        raise ValueError(
            "black_fill and your_fill differ where the digits are: make both with the same random "
            "transformations (keras.utils.set_random_seed(SEED) before each, as the starter does)"
        )
    new_pixels = ((yours >= 0.5 * level) & (black < 0.25 * level)).sum(axis=(1, 2))
    gained = np.flatnonzero(new_pixels >= 3)
    share = len(gained) / len(black)
    evidence = [
        f"digits with new strokes that the black fill does not have: {len(gained)} of {len(black)} "
        f"({share:.0%}; the goal: 2% or more)"
    ]
    if len(gained):
        evidence.append("for example the digits at index " + ", ".join(str(index) for index in gained[:5]))
    return Reading(bool(share >= 0.02), evidence)

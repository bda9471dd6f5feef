"""The lessons' data: the shipped MNIST subset, verified by SHA-256, and its splits.

Nothing here downloads and nothing writes into ``data/``. A missing or altered file is
refused with one sentence naming the file, the checksum it should have and how to restore
it, because a silently different file would make every checked notebook output drift.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import numpy as np

from lessons_lib.checks import check_choice, check_int

#: SHA-256 of every shipped file; ``data/SHA256SUMS`` lists the same (a test keeps them equal).
SHIPPED_FILES = {
    "mnist_5k.npz": "01210a8b5472d662d7f27787059d9ce6d280794dfd906b22b6f8efd00193ba25",
    "quiz_histories.json": "31135622c6da493ceda1a46b51b8fdccc81cc2d098164dd052c7c3d01342860f",
}
MNIST_SIZE = 5000
MNIST_PER_DIGIT = 500


class DataFileError(RuntimeError):
    """A shipped data file is missing or does not match its checksum."""


def data_dir() -> Path:
    """The folder with the shipped data: ``$LESSONS_DATA_DIR`` if set, else the repository's ``data/``."""
    override = os.environ.get("LESSONS_DATA_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "data"


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_path(name: str) -> Path:
    """Path of the shipped file ``name`` after checking that its SHA-256 is the expected one."""
    check_choice("name", name, SHIPPED_FILES)
    path = data_dir() / name
    expected = SHIPPED_FILES[name]
    restore = f"restore it with `git checkout -- data/{name}` (data/README.md says how to rebuild it)"
    if not path.is_file():
        raise DataFileError(f"data file {path} is missing (expected SHA-256 {expected}): {restore}")
    actual = sha256_of(path)
    if actual != expected:
        raise DataFileError(
            f"data file {path} is corrupted: its SHA-256 is {actual} but should be {expected}; {restore}"
        )
    return path


@functools.lru_cache(maxsize=1)
def _mnist_arrays() -> tuple[np.ndarray, np.ndarray]:
    with np.load(verified_path("mnist_5k.npz"), allow_pickle=False) as archive:
        images, labels = archive["images"], archive["labels"]
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def load_mnist_5k() -> tuple[np.ndarray, np.ndarray]:
    """All 5,000 images (uint8, 5000x28x28, 500 per digit) and their digit labels (uint8).

    Returns fresh copies, so a lesson may change them without touching the next lesson's data.
    """
    images, labels = _mnist_arrays()
    return images.copy(), labels.copy()


def load_mnist(
    n_train: int = 4000,
    n_val: int = 1000,
    *,
    digits: tuple[int, ...] | None = None,
    flatten: bool = False,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A stratified train/validation split of the shipped MNIST subset.

    Images are float32 scaled to [0, 1], shaped (n, 28, 28), or (n, 784) with ``flatten``;
    labels are the digits (int64). ``digits`` keeps only those digits (500 images each).
    Returns ``x_train, y_train, x_val, y_val``.
    """
    chosen = tuple(range(10)) if digits is None else tuple(digits)
    for digit in chosen:
        check_int("each of digits", digit, low=0, high=9)
    if len(set(chosen)) != len(chosen) or len(chosen) < 2:
        raise ValueError(f"digits must name at least two different digits 0-9, got {digits!r}")
    available = MNIST_PER_DIGIT * len(chosen)
    n_train = check_int("n_train", n_train, low=len(chosen), high=available - len(chosen))
    n_val = check_int("n_val", n_val, low=len(chosen), high=available - n_train)
    seed = check_int("seed", seed, low=0)

    images, labels = _mnist_arrays()
    keep = np.isin(labels, chosen)
    x = images[keep].astype(np.float32) / 255.0
    y = labels[keep].astype(np.int64)
    from sklearn.model_selection import train_test_split

    x_train, x_val, y_train, y_val = train_test_split(
        x, y, train_size=n_train, test_size=n_val, stratify=y, random_state=seed
    )
    if flatten:
        x_train, x_val = x_train.reshape(len(x_train), -1), x_val.reshape(len(x_val), -1)
    return x_train, y_train, x_val, y_val


def mnist_one_vs_rest(
    digit: int = 1, n_train: int = 4000, n_val: int = 1000, *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Flattened images labelled 1 for ``digit`` and 0 for the nine others (about 10% positives).

    This is what seed 000's code does with ``(y == 1).astype(int)``.
    """
    digit = check_int("digit", digit, low=0, high=9)
    x_train, y_train, x_val, y_val = load_mnist(n_train, n_val, flatten=True, seed=seed)
    return x_train, (y_train == digit).astype(np.int64), x_val, (y_val == digit).astype(np.int64)


def mnist_two_digits(
    negative: int = 0, positive: int = 1, n_train: int = 800, n_val: int = 200, *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Flattened images of two digits only, labelled 1 for ``positive`` and 0 for ``negative``.

    This is the task seed 000's text describes ("0" or "1"), with balanced classes.
    """
    negative = check_int("negative", negative, low=0, high=9)
    positive = check_int("positive", positive, low=0, high=9)
    if negative == positive:
        raise ValueError(f"negative and positive must be different digits, got {negative} for both")
    x_train, y_train, x_val, y_val = load_mnist(n_train, n_val, digits=(negative, positive), flatten=True, seed=seed)
    return x_train, (y_train == positive).astype(np.int64), x_val, (y_val == positive).astype(np.int64)

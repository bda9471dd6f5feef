"""The image-folder layout of seed 002 (``train/<class>/<image>``, ``val/<class>/<image>``), on disk.

Lesson 05 loads images the way a real project does, from one folder per class, so this
module writes the shipped MNIST subset out as PNG files (Pillow, 8-bit grayscale). It writes
only where it is told, never into the repository's ``data/`` folder, and never over a
non-empty folder it did not create unless ``overwrite=True``: a lesson cell run by mistake
must not destroy anything. A folder it wrote carries a marker file, so running the lesson
again simply rewrites it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from lessons_lib.checks import check_int
from lessons_lib.data import data_dir, load_mnist_5k

#: Present in every folder this module wrote; its presence is the permission to rewrite it.
MARKER = ".written_by_lessons_lib"
SPLIT_NAMES = ("train", "val")
_REPOSITORY_DATA = Path(__file__).resolve().parent.parent / "data"


class ImageFolderError(ValueError):
    """The image folders cannot be written where asked (inside data/, or over someone's files)."""


def _check_target(target: os.PathLike | str, overwrite: bool) -> Path:
    if not isinstance(target, (str, os.PathLike)) or str(target) == "":
        raise ImageFolderError(f"target must be a folder path (str or pathlib.Path), got {target!r}")
    root = Path(target).expanduser().resolve()
    for protected in {_REPOSITORY_DATA.resolve(), data_dir().resolve()}:
        if root == protected or root.is_relative_to(protected):
            raise ImageFolderError(
                f"refusing to write image folders into {root}: it is inside the course's data folder "
                f"{protected}, which holds only the checksummed shipped files; use a temporary or cache folder"
            )
    if root.exists() and not root.is_dir():
        raise ImageFolderError(f"target {root} exists and is not a folder; give a folder path")
    if root.is_dir() and any(root.iterdir()) and not (root / MARKER).is_file() and not overwrite:
        raise ImageFolderError(
            f"refusing to write into {root}: it is not empty and was not written by lessons_lib; "
            "pass an empty or new folder, or overwrite=True to replace its train/ and val/ folders"
        )
    return root


def _check_split(name: str, split: object) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(split, (tuple, list)) or len(split) != 2:
        raise ValueError(f"splits[{name!r}] must be a pair (images, labels), got {type(split).__name__}")
    images, labels = np.asarray(split[0]), np.asarray(split[1])
    if images.dtype != np.uint8 or images.ndim != 3:
        raise ValueError(
            f"splits[{name!r}] images must be a uint8 array shaped (n, height, width), "
            f"got {images.dtype} shaped {images.shape}"
        )
    if labels.ndim != 1 or len(labels) != len(images) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"splits[{name!r}] labels must be one integer per image ({len(images)}), "
            f"got {labels.dtype} shaped {labels.shape}"
        )
    if labels.size and labels.min() < 0:
        raise ValueError(f"splits[{name!r}] labels must be >= 0 (they name the class folders), got {labels.min()}")
    return images, labels


def write_image_folders(
    target: os.PathLike | str,
    splits: Mapping[str, tuple[np.ndarray, np.ndarray]],
    *,
    overwrite: bool = False,
) -> Path:
    """Write ``target/<split>/<label>/<index>.png`` for each ``split: (images, labels)`` and return ``target``.

    Images are uint8 arrays shaped (n, height, width), saved as 8-bit grayscale PNGs that read
    back to the same pixels; labels are non-negative integers, one folder per label. Folder
    names are the labels padded to the same width (``0``-``9``, or ``00``-``11``), so their
    alphabetical order, which is how Keras numbers classes, is their numeric order.

    ``target`` may be new, empty, or a folder this function wrote before (it is rewritten).
    Anything else is refused unless ``overwrite=True``, which deletes and rewrites only the
    split folders named in ``splits``. A target inside the course's ``data/`` is always refused.
    """
    if not isinstance(splits, Mapping) or not splits:
        raise ValueError(f"splits must be a non-empty dict like {{'train': (images, labels)}}, got {splits!r}")
    for name in splits:
        if not isinstance(name, str) or not name or name != Path(name).name or name.startswith("."):
            raise ValueError(f"each split name must be a plain folder name like 'train', got {name!r}")
    checked = {name: _check_split(name, split) for name, split in splits.items()}
    root = _check_target(target, overwrite)

    from PIL import Image

    largest = max((int(labels.max()) for _, labels in checked.values() if labels.size), default=0)
    width = len(str(largest))
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text("Written by lessons_lib.image_folders; safe to delete.\n")
    for name, (images, labels) in checked.items():
        split_dir = root / name
        if split_dir.exists():
            shutil.rmtree(split_dir)
        for label in np.unique(labels):
            (split_dir / f"{int(label):0{width}d}").mkdir(parents=True)
        digits = len(str(max(len(images) - 1, 0)))
        for index, (image, label) in enumerate(zip(images, labels, strict=True)):
            path = split_dir / f"{int(label):0{width}d}" / f"{index:0{digits}d}.png"
            Image.fromarray(image).save(path)  # 2-D uint8: 8-bit grayscale ("L")
    return root


def write_mnist_folders(
    target: os.PathLike | str,
    n_train: int = 300,
    n_val: int = 500,
    *,
    seed: int = 0,
    overwrite: bool = False,
) -> Path:
    """Seed 002's layout from the shipped MNIST subset: ``target/train/<digit>/`` and ``target/val/<digit>/``.

    A stratified split (the same number of images of every digit, up to rounding) with
    ``n_train`` training and ``n_val`` validation images; see ``write_image_folders`` for
    where it may write. Returns ``target`` as an absolute path.
    """
    n_train = check_int("n_train", n_train, low=10, high=4990)
    n_val = check_int("n_val", n_val, low=10, high=5000 - n_train)
    seed = check_int("seed", seed, low=0)
    from sklearn.model_selection import train_test_split

    images, labels = load_mnist_5k()
    x_train, x_val, y_train, y_val = train_test_split(
        images, labels, train_size=n_train, test_size=n_val, stratify=labels, random_state=seed
    )
    return write_image_folders(target, {"train": (x_train, y_train), "val": (x_val, y_val)}, overwrite=overwrite)


def count_images(root: os.PathLike | str) -> dict[str, dict[str, int]]:
    """``{split: {class: number of image files}}`` for the folders under ``root``, sorted by name."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"no image folders at {root}: write them first (write_mnist_folders)")
    counts: dict[str, dict[str, int]] = {}
    for split_dir in sorted(path for path in root.iterdir() if path.is_dir()):
        classes = sorted(path for path in split_dir.iterdir() if path.is_dir())
        counts[split_dir.name] = {path.name: sum(1 for file in path.iterdir() if file.is_file()) for path in classes}
    return counts


def tree_text(root: os.PathLike | str, *, show_classes: int = 2) -> str:
    """A few lines drawing the folder tree under ``root`` with image counts, like ``tree`` would.

    Every split is listed; inside each, the first ``show_classes`` class folders with their
    first file name, then one line summing up the rest.
    """
    show_classes = check_int("show_classes", show_classes, low=0)
    root = Path(root)
    counts = count_images(root)
    lines = [f"{root.name}/"]
    splits = list(counts.items())
    for split_index, (split, classes) in enumerate(splits):
        last_split = split_index == len(splits) - 1
        lines.append(f"{'└──' if last_split else '├──'} {split}/  ({sum(classes.values())} images)")
        indent = "    " if last_split else "│   "
        shown = list(classes.items())[:show_classes]
        hidden = list(classes.items())[show_classes:]
        for class_index, (name, count) in enumerate(shown):
            last = class_index == len(shown) - 1 and not hidden
            first_file = min(file.name for file in (root / split / name).iterdir()) if count else "(empty)"
            lines.append(f"{indent}{'└──' if last else '├──'} {name}/  {count} images: {first_file}, ...")
        if hidden:
            names = f"{hidden[0][0]}/ ... {hidden[-1][0]}/" if len(hidden) > 1 else f"{hidden[0][0]}/"
            lines.append(f"{indent}└── {names}  {sum(count for _, count in hidden)} images in {len(hidden)} folders")
    return "\n".join(lines)

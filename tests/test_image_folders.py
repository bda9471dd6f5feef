from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lessons_lib import image_folders
from lessons_lib.image_folders import (
    MARKER,
    ImageFolderError,
    count_images,
    tree_text,
    write_image_folders,
    write_mnist_folders,
)

REPOSITORY_DATA = Path(__file__).resolve().parent.parent / "data"


def tiny_split(n=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 5, 4), dtype=np.uint8)
    return images, np.arange(n) % classes


def test_mnist_folders_have_the_seeds_layout_and_counts(tmp_path):
    root = write_mnist_folders(tmp_path / "digits", n_train=30, n_val=20)
    assert root == (tmp_path / "digits").resolve()
    counts = count_images(root)
    assert list(counts) == ["train", "val"]
    assert counts["train"] == {str(digit): 3 for digit in range(10)}
    assert counts["val"] == {str(digit): 2 for digit in range(10)}
    assert all(path.suffix == ".png" for path in (root / "train").rglob("*") if path.is_file())


def test_pngs_read_back_to_the_same_pixels_and_label(tmp_path):
    images, labels = tiny_split()
    root = write_image_folders(tmp_path, {"train": (images, labels)})
    for index, (image, label) in enumerate(zip(images, labels, strict=True)):
        with Image.open(root / "train" / str(label) / f"{index}.png") as png:
            assert png.mode == "L"
            np.testing.assert_array_equal(np.asarray(png), image)


def test_mnist_pngs_are_the_shipped_pixels(tmp_path):
    from lessons_lib.data import load_mnist_5k

    images, labels = load_mnist_5k()
    shipped = {image.tobytes(): label for image, label in zip(images, labels, strict=True)}
    root = write_mnist_folders(tmp_path, n_train=10, n_val=10)
    for png_path in (root / "val").rglob("*.png"):
        with Image.open(png_path) as png:
            assert shipped[np.asarray(png).tobytes()] == int(png_path.parent.name)


def test_class_folders_sort_like_their_numbers(tmp_path):
    images, _ = tiny_split(n=12)
    root = write_image_folders(tmp_path, {"train": (images, np.arange(12))})
    names = sorted(count_images(root)["train"])
    assert names[:3] == ["00", "01", "02"] and names[-1] == "11"


@pytest.mark.parametrize("inside", ["", "sub", "sub/deeper"])
def test_refuses_the_repositorys_data_folder_and_anything_inside_it(inside):
    target = REPOSITORY_DATA / inside if inside else REPOSITORY_DATA
    before = sorted(path.name for path in REPOSITORY_DATA.iterdir())
    with pytest.raises(ImageFolderError, match="inside the course's data folder") as error:
        write_mnist_folders(target, n_train=10, n_val=10)
    assert "\n" not in str(error.value) and str(error.value).count(". ") == 0  # one sentence
    assert sorted(path.name for path in REPOSITORY_DATA.iterdir()) == before
    assert not (REPOSITORY_DATA / "sub").exists()


def test_refuses_data_folder_reached_through_dots_or_a_symlink(tmp_path):
    link = tmp_path / "link"
    link.symlink_to(REPOSITORY_DATA, target_is_directory=True)
    for target in (link / "images", REPOSITORY_DATA.parent / "notebooks" / ".." / "data" / "x"):
        with pytest.raises(ImageFolderError, match="inside the course's data folder"):
            write_image_folders(target, {"train": tiny_split()})


def test_refuses_the_data_folder_named_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LESSONS_DATA_DIR", str(tmp_path / "shipped"))
    with pytest.raises(ImageFolderError, match="inside the course's data folder"):
        write_image_folders(tmp_path / "shipped" / "images", {"train": tiny_split()})


def test_refuses_to_clobber_a_folder_it_did_not_create(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "train").mkdir()
    (tmp_path / "train" / "keep.txt").write_text("also mine")
    with pytest.raises(ImageFolderError, match="not empty and was not written by lessons_lib"):
        write_image_folders(tmp_path, {"train": tiny_split()})
    assert (tmp_path / "train" / "keep.txt").read_text() == "also mine"
    assert not (tmp_path / MARKER).exists()


def test_overwrite_replaces_only_the_split_folders(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "train").mkdir()
    (tmp_path / "train" / "stale.png").write_text("old")
    write_image_folders(tmp_path, {"train": tiny_split()}, overwrite=True)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert not (tmp_path / "train" / "stale.png").exists()
    assert count_images(tmp_path)["train"] == {"0": 2, "1": 2, "2": 2}


def test_rewrites_its_own_folder_without_leftovers(tmp_path):
    write_image_folders(tmp_path, {"train": tiny_split(n=9)})
    write_image_folders(tmp_path, {"train": tiny_split(n=3)})
    assert count_images(tmp_path)["train"] == {"0": 1, "1": 1, "2": 1}


def test_an_empty_existing_folder_is_fine(tmp_path):
    assert write_image_folders(tmp_path, {"val": tiny_split()}) == tmp_path.resolve()


def test_tree_text_shows_splits_counts_and_a_few_classes(tmp_path):
    root = write_mnist_folders(tmp_path / "digits", n_train=30, n_val=20)
    lines = tree_text(root).splitlines()
    assert lines[0] == "digits/"
    assert lines[1] == "├── train/  (30 images)"
    assert lines[2].startswith("│   ├── 0/  3 images: ") and lines[2].endswith(".png, ...")
    assert lines[4] == "│   └── 2/ ... 9/  24 images in 8 folders"
    assert lines[5] == "└── val/  (20 images)"
    assert len(lines) == 9


@pytest.mark.parametrize(
    ("splits", "message"),
    [
        ({}, "splits must be a non-empty dict"),
        ({"../up": tiny_split()}, "each split name must be a plain folder name"),
        ({"train": tiny_split()[0]}, r"splits\['train'\] must be a pair \(images, labels\)"),
        ({"train": (tiny_split()[0].astype(float), tiny_split()[1])}, "images must be a uint8 array"),
        ({"train": (tiny_split()[0], tiny_split()[1][:-1])}, "labels must be one integer per image"),
        ({"train": (tiny_split()[0], -tiny_split()[1] - 1)}, "labels must be >= 0"),
    ],
)
def test_bad_splits_are_named(tmp_path, splits, message):
    with pytest.raises(ValueError, match=message):
        write_image_folders(tmp_path, splits)
    assert not any(tmp_path.iterdir())


def test_bad_targets_and_sizes(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(ImageFolderError, match="exists and is not a folder"):
        write_image_folders(tmp_path / "file", {"train": tiny_split()})
    with pytest.raises(ImageFolderError, match="target must be a folder path"):
        write_image_folders(None, {"train": tiny_split()})
    with pytest.raises(ValueError, match="n_val must be <= 4000, got 4001"):
        write_mnist_folders(tmp_path / "x", n_train=1000, n_val=4001)
    with pytest.raises(FileNotFoundError, match="write them first"):
        count_images(tmp_path / "nothing")


def test_module_knows_the_repository_data_folder():
    assert image_folders._REPOSITORY_DATA == REPOSITORY_DATA

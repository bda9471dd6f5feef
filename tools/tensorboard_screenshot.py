"""Make lesson 11's picture of the TensorBoard dashboard from a real run, not by hand.

    .venv/bin/python tools/tensorboard_screenshot.py

It trains lesson 11's small dense classifier twice (learning rates 0.0001 and 0.001, 5 epochs,
the `keras.callbacks.TensorBoard` callback, one folder per run) into a temporary folder, starts
TensorBoard on 127.0.0.1, opens its scalars dashboard in Debian's headless Chromium (through
Playwright; no browser is downloaded), and saves the screenshot as
``notebooks/images/tensorboard_scalars.png``. Lesson 11 shows that file; run this again when
TensorBoard or the lesson's model changes.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "notebooks" / "images" / "tensorboard_scalars.png"
CHROMIUM = os.environ.get("LESSONS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
RUNS = {"lr_0.0001": 1e-4, "lr_0.001": 1e-3}


def train_runs(log_root: Path) -> None:
    """Lesson 11's runs, each logged to its own folder under ``log_root``."""
    sys.path.insert(0, str(ROOT))
    import lessons_lib

    lessons_lib.setup()
    import keras

    from lessons_lib.data import load_mnist

    x_train, y_train, x_val, y_val = load_mnist(1000, 500, flatten=True)
    for name, learning_rate in RUNS.items():
        keras.utils.set_random_seed(42)
        model = keras.Sequential(
            [
                keras.Input(shape=(784,)),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        callback = keras.callbacks.TensorBoard(log_dir=str(log_root / name))
        model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=5, callbacks=[callback], verbose=0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"TensorBoard did not answer at {url} within {seconds:.0f} s")


def screenshot(log_root: Path, target: Path) -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tensorboard.main",
            "--logdir",
            str(log_root),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(url + "data/environment")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            # the four curves only, unsmoothed as the lessons draw them (TensorBoard reads both from the URL)
            page.goto(url + "?darkMode=false#scalars&tagFilter=epoch_(loss%7Caccuracy)&_smoothingWeight=0")
            page.wait_for_selector("text=epoch_loss", timeout=60_000)
            page.wait_for_timeout(3000)  # let the charts draw their lines
            target.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": 1080, "height": 470})  # the two charts
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tensorboard_logs_") as folder:
        log_root = Path(folder)
        train_runs(log_root)
        screenshot(log_root, TARGET)
    print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The first cell of every lesson: quiet TensorFlow, fixed seeds, readable plots."""

from __future__ import annotations

import contextlib
import os
import random
import sys
from dataclasses import dataclass

from lessons_lib.checks import check_int

#: Both are needed to silence TensorFlow's import-time log lines. oneDNN off also makes a
#: run repeat exactly on one machine with the same number of cores; it does NOT make runs
#: identical across core counts or CPU kinds (1 and 2 cores differ in the last digits), which
#: is why the lessons' checked lines must hold for other seeds and machines too
#: (``tools/check_claims.py``).
QUIET_TENSORFLOW = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}

DEFAULT_SEED = 42
#: ``LESSONS_SEED=7 make lab`` (or ``make test``) runs every lesson from seed 7.
SEED_VARIABLE = "LESSONS_SEED"

_PLOT_STYLE = {
    "figure.figsize": (10, 4),
    "figure.dpi": 80,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 11,
    "lines.linewidth": 2,
    "legend.frameon": False,
}
#: For a projector at the back of a classroom: everything larger and thicker.
_CLASSROOM_STYLE = {
    **_PLOT_STYLE,
    "figure.figsize": (12, 5),
    "font.size": 16,
    "axes.titlesize": 18,
    "axes.labelsize": 16,
    "legend.fontsize": 14,
    "lines.linewidth": 3.5,
    "lines.markersize": 10,
}


def quiet_tensorflow() -> None:
    """Import TensorFlow without the log lines it writes to the process's standard error.

    The variables must be set before the import. With TensorFlow 2.21 they are not enough
    when set from inside a running Python (a notebook kernel): the CUDA-stub lines are
    written before TensorFlow reads its log level. So the import also runs with file
    descriptor 2 pointed at ``/dev/null``; Python errors are still raised as usual.
    """
    for key, value in QUIET_TENSORFLOW.items():
        os.environ.setdefault(key, value)
    if "tensorflow" in sys.modules:
        return
    with _stderr_fd_silenced():
        import tensorflow  # noqa: F401


@contextlib.contextmanager
def _stderr_fd_silenced():
    """Send what C++ code writes to file descriptor 2 to /dev/null for a moment."""
    try:
        saved = os.dup(2)
    except OSError:  # no usable descriptor 2 (some embedded interpreters): nothing to hide
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


@dataclass(frozen=True)
class LessonSettings:
    """What ``setup`` did; shown under a lesson's first cell so a learner sees the versions."""

    seed: int
    tensorflow: str
    keras: str
    classroom: bool
    #: One sentence when the versions are not the course's pins (``lessons_lib.versions``).
    version_note: str | None = None

    def __repr__(self) -> str:
        style = "classroom (large)" if self.classroom else "normal"
        ready = f"Ready: seed {self.seed}, TensorFlow {self.tensorflow}, Keras {self.keras}, plot style {style}."
        return f"{ready}\n{self.version_note}" if self.version_note else ready


def session_seed() -> int:
    """The seed of this session: ``LESSONS_SEED`` if it is set, else 42.

    Lessons take every random choice from it, so a claim checked with seed 42 can be
    re-checked with any other seed without editing a notebook.
    """
    text = os.environ.get(SEED_VARIABLE, "").strip()
    if not text:
        return DEFAULT_SEED
    if not text.isdigit() or int(text) > 2**32 - 1:
        raise ValueError(f"{SEED_VARIABLE} must be a whole number from 0 to {2**32 - 1}, got {text!r}")
    return int(text)


def setup(seed: int | None = None, *, classroom: bool | None = None) -> LessonSettings:
    """Prepare a lesson: quiet TensorFlow, seed Python, NumPy and Keras, set the plot style.

    ``seed`` defaults to ``session_seed()`` (the environment variable ``LESSONS_SEED``, else
    42). ``classroom=True`` (or ``LESSONS_CLASSROOM=1``) switches to large fonts and thick
    lines for a projector. Returns what it set (``.seed`` among it): a lesson passes that
    seed to everything random it does.
    """
    seed = session_seed() if seed is None else check_int("seed", seed, low=0, high=2**32 - 1)
    quiet_tensorflow()
    import absl.logging
    import keras
    import matplotlib as mpl
    import numpy as np
    import tensorflow as tf

    from lessons_lib import container

    container.size_tensorflow_threads(tf)  # threads from the container's CPU quota, before TF's first op
    warning = container.memory_warning()  # one sentence when the container's memory is close
    if warning:
        print(warning, file=sys.stderr)

    absl.logging.set_verbosity(absl.logging.ERROR)
    tf.get_logger().setLevel("ERROR")
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    if classroom is None:
        classroom = os.environ.get("LESSONS_CLASSROOM", "") not in ("", "0")
    mpl.rcParams.update(_CLASSROOM_STYLE if classroom else _PLOT_STYLE)
    from lessons_lib.versions import version_note

    return LessonSettings(seed, tf.__version__, keras.__version__, bool(classroom), version_note())

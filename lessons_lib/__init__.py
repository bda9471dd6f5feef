"""Plumbing for the "Reading the Curves" lessons: data, plots, sliders, exercises and the curve doctor.

Importing this package does not import TensorFlow, so ``lessons_lib.setup()`` in a lesson's
first cell can still quiet TensorFlow before anything loads it.
"""

from typing import Any

from lessons_lib import exercises
from lessons_lib.doctor import diagnose
from lessons_lib.predict import predict_first
from lessons_lib.session import setup

# DoctorCallback is exported lazily (below) and left out of __all__: `import *` must not import keras.
__all__ = ["diagnose", "exercises", "predict_first", "setup"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``lessons_lib.DoctorCallback`` loads on first use: it is a Keras callback, and importing
    ``lessons_lib`` must not import keras or TensorFlow."""
    if name == "DoctorCallback":
        from lessons_lib.doctor.callback import DoctorCallback

        return DoctorCallback
    raise AttributeError(f"module 'lessons_lib' has no attribute {name!r}")

"""Plumbing for the "Reading the Curves" lessons: data, plots, sliders, exercises and the curve doctor.

Importing this package does not import TensorFlow, so ``lessons_lib.setup()`` in a lesson's
first cell can still quiet TensorFlow before anything loads it.
"""

from lessons_lib import exercises
from lessons_lib.doctor import diagnose
from lessons_lib.predict import predict_first
from lessons_lib.session import setup

__all__ = ["diagnose", "exercises", "predict_first", "setup"]
__version__ = "0.1.0"

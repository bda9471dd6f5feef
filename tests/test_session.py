import os
import random
import subprocess
import sys

import matplotlib as mpl
import numpy as np

import lessons_lib


def test_setup_seeds_python_numpy_and_keras():
    import keras

    lessons_lib.setup(7)
    first = (random.random(), np.random.rand(), float(keras.random.uniform(()).numpy()))
    lessons_lib.setup(7)
    second = (random.random(), np.random.rand(), float(keras.random.uniform(()).numpy()))
    assert first == second


def test_classroom_style_is_larger():
    lessons_lib.setup(classroom=False)
    normal = mpl.rcParams["font.size"]
    lessons_lib.setup(classroom=True)
    assert mpl.rcParams["font.size"] > normal and mpl.rcParams["lines.linewidth"] >= 3
    lessons_lib.setup(classroom=False)


def test_importing_the_package_does_not_import_tensorflow():
    code = "import sys, lessons_lib; print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_setup_imports_tensorflow_without_log_lines():
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TF_")}
    code = "import lessons_lib; lessons_lib.setup(); import keras; keras.Sequential()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True)
    assert result.stderr == ""


def test_setup_reports_what_it_set():
    settings = lessons_lib.setup(3)
    assert settings.seed == 3
    assert repr(settings).startswith("Ready: seed 3, TensorFlow 2.") and "plot style normal" in repr(settings)


def test_the_seed_comes_from_lessons_seed(monkeypatch):
    monkeypatch.setenv("LESSONS_SEED", "7")
    assert lessons_lib.setup().seed == 7
    monkeypatch.delenv("LESSONS_SEED")
    assert lessons_lib.setup().seed == 42
    assert lessons_lib.setup(3).seed == 3


def test_a_bad_lessons_seed_is_named(monkeypatch):
    import pytest

    monkeypatch.setenv("LESSONS_SEED", "forty-two")
    with pytest.raises(ValueError, match="LESSONS_SEED must be a whole number from 0 to 4294967295, got 'forty-two'"):
        lessons_lib.setup()

"""Test-session settings shared by the unit tests and the notebook tests (nbval)."""

from __future__ import annotations

import os

import pytest

# Kernels that nbval starts inherit this environment: TensorFlow starts quiet and with oneDNN
# off (a lesson repeats exactly on one machine; tools/check_claims.py tries it with oneDNN on).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


def pytest_collectstart(collector: pytest.Collector) -> None:
    """Compare only stdout in notebooks: under pytest, ipykernel's stderr differs from Jupyter's."""
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)

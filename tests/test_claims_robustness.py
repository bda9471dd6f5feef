"""The checked lines were last proven to hold for other seeds, with oneDNN on and on one core.

The perturbed runs are too slow for every ``make test`` (every lesson four more times), so
``tools/check_claims.py --write-report`` records them in ``tests/fixtures/claims_robustness.json``
with a fingerprint of each lesson's code and checked lines. These tests fail when a lesson
changed since that run, or when that run saw a checked line print something else.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _tool():
    spec = importlib.util.spec_from_file_location("check_claims", ROOT / "tools" / "check_claims.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


check_claims = _tool()
REPORT = json.loads(check_claims.REPORT.read_text()) if check_claims.REPORT.exists() else {"lessons": {}}
RERUN = "re-run `.venv/bin/python tools/check_claims.py {} --write-report`"


@pytest.mark.parametrize("path", LESSONS, ids=[path.name for path in LESSONS])
def test_robustness_run_is_for_the_lesson_as_saved(path):
    entry = REPORT["lessons"].get(path.name)
    assert entry, f"{path.name} has no robustness run: " + RERUN.format(path.relative_to(ROOT))
    assert entry["fingerprint"] == check_claims.fingerprint(json.loads(path.read_text())), (
        f"{path.name} changed since its robustness run: " + RERUN.format(path.relative_to(ROOT))
    )


@pytest.mark.parametrize("path", LESSONS, ids=[path.name for path in LESSONS])
def test_every_checked_line_held_in_every_variant(path):
    variants = REPORT["lessons"].get(path.name, {}).get("variants", {})
    other_seeds = {name for name in variants if not name.startswith("seed 42")}
    assert len(other_seeds) >= 3, f"{path.name}: fewer than three other seeds were tried ({sorted(variants)})"
    assert any("oneDNN" in name for name in variants) and any("1 core" in name for name in variants)
    broken = {name: outcome for name, outcome in variants.items() if outcome["changed"] or outcome["error"]}
    assert not broken, f"{path.name}: checked lines changed: {json.dumps(broken, indent=1)}"


def test_changed_lines_are_found():
    """The comparison the tool relies on sees a changed word in a checked cell."""
    cell = {"cell_type": "code", "source": ["# NBVAL_CHECK_OUTPUT\n", "print('x')"], "outputs": []}
    saved = {"cells": [{**cell, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["held: yes\n"]}]}]}
    rerun = {"cells": [{**cell, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["held: no\n"]}]}]}
    assert check_claims.compare(saved, rerun) == ["cell 0: 'held: yes' -> 'held: no'"]
    assert check_claims.compare(saved, saved) == []
    assert check_claims.fingerprint(saved) != check_claims.fingerprint(rerun)

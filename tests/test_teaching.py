"""The classroom kit (docs/teaching.md and docs/hub/) agrees with the course and with what was measured.

- Links and anchors of docs/teaching.md resolve; the README links to it.
- docs/hub/config.yaml's per-student memory comes from docs/hub/measured.json (written by
  ``tools/execute_notebooks.py --record``), and the sizing table of docs/teaching.md is
  computed from both (``sizing_table()``): change a figure and the test names the line.
- docs/hub/Dockerfile installs the tested pins, the same Python, the JupyterLab settings, and
  puts the folder the hub link clones into first on the import path.
- nbgitpuller's merge (``git merge -Xours`` after committing the student's changes, as in
  ``nbgitpuller/pull.py``) brings a teacher's fixed line and new cell into a lesson a student
  has run and edited. ``python tests/test_teaching.py`` runs the whole comparison of
  docs/teaching.md (40 cases, lessons committed with outputs against a stripped branch).
"""

from __future__ import annotations

import copy
import json
import math
import random
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TEACHING = DOCS / "teaching.md"
CONFIG = yaml.safe_load((DOCS / "hub" / "config.yaml").read_text())
MEASURED = json.loads((DOCS / "hub" / "measured.json").read_text())
sys.path.insert(0, str(ROOT / "tools"))

import sync_repo_url  # noqa: E402

SERVER_GB = 0.25  # what we keep per student for the Jupyter server (0.10 GB measured)
NODE = {"vcpu": 8, "memory_gb": 32, "allocatable_gb": 29, "allocatable_vcpu": 7.5}
CLASS_SIZES = (30, 100, 500)
MERGE_LESSON = ROOT / "notebooks" / "01_house_price_regression.ipynb"


def gigabytes(quantity: str) -> float:
    """A Kubernetes memory quantity (``1.4G``, ``2G``) in GB."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)G", str(quantity))
    assert match, f"write memory as <number>G, got {quantity!r}"
    return float(match.group(1))


def peak_gb() -> float:
    return max(lesson["peak_gb"] for lesson in MEASURED["lessons"].values())


def slug(heading: str) -> str:
    """GitHub's anchor for a markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_and_anchor_of_teaching_md_resolves():
    text = TEACHING.read_text()
    anchors = {slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"https?://", target):
            continue
        path, _, anchor = target.partition("#")
        if path and not (TEACHING.parent / path).exists():
            broken.append(target)
        elif not path and anchor not in anchors:
            broken.append(target)
    assert not broken, f"docs/teaching.md links to missing files or headings: {broken}"


def test_readme_links_to_the_kit_and_its_memory_section():
    readme = (ROOT / "README.md").read_text()
    anchors = {slug(line.lstrip("#")) for line in TEACHING.read_text().splitlines() if line.startswith("#")}
    targets = re.findall(r"\]\(docs/teaching\.md(?:#([^)]+))?\)", readme)
    assert targets, "the README must link to docs/teaching.md"
    assert all(anchor in anchors for anchor in targets if anchor), targets


def test_no_placeholder_is_left():
    assert not re.search(r"\b[A-Z]{3,}_[A-Z_]+\b", TEACHING.read_text())


def test_measured_figures_are_the_tools_and_within_the_budget():
    assert MEASURED["measured_with"].startswith("tools/execute_notebooks.py")
    assert len(MEASURED["lessons"]) >= 2
    for name, lesson in MEASURED["lessons"].items():
        assert (ROOT / "notebooks" / name).exists(), name
        assert 0.3 < lesson["peak_gb"] <= 1.5 and 0 < lesson["seconds"] <= 90, (name, lesson)


def test_memory_guarantee_and_limit_come_from_the_measured_figures():
    memory = CONFIG["singleuser"]["memory"]
    guarantee, limit = gigabytes(memory["guarantee"]), gigabytes(memory["limit"])
    assert guarantee == math.ceil((peak_gb() + SERVER_GB) * 10) / 10, "guarantee: one lesson at its peak + the server"
    assert limit == 2.0, "the limit Binder uses and tests/test_memory_limit.py checks"
    assert guarantee < limit


def test_config_culls_pre_pulls_and_shuts_idle_kernels():
    assert CONFIG["cull"]["enabled"] and CONFIG["cull"]["timeout"] <= 3600
    assert CONFIG["prePuller"]["hook"]["enabled"] and CONFIG["prePuller"]["continuous"]["enabled"]
    assert CONFIG["singleuser"]["image"]["tag"] != "latest", "a new tag per build, or students keep old images"
    cpu = CONFIG["singleuser"]["cpu"]
    assert 0 < cpu["guarantee"] <= cpu["limit"] == 2
    server_config = CONFIG["singleuser"]["extraFiles"]["kernel-culling"]
    assert server_config["mountPath"].endswith(".json")
    assert server_config["data"]["MappingKernelManager"]["cull_idle_timeout"] <= 1800


def sizing_table() -> str:
    """The sizing table of docs/teaching.md, computed from config.yaml and measured.json."""
    guarantee = gigabytes(CONFIG["singleuser"]["memory"]["guarantee"])
    per_node = math.floor(NODE["allocatable_gb"] / guarantee)
    placeholders = CONFIG["scheduling"]["userPlaceholder"]["replicas"]
    rows = [
        "| students | user nodes (8 vCPU, 32 GB) | memory guaranteed | vCPU when all run at once |",
        "| --- | --- | --- | --- |",
    ]
    for students in CLASS_SIZES:
        nodes = math.ceil((students + placeholders) / per_node)
        share = NODE["allocatable_vcpu"] * nodes / (students + placeholders)
        rows.append(f"| {students} | {nodes} | {students * guarantee:.0f} GB | {share:.2f} per student |")
    return "\n".join(rows)


def test_sizing_table_follows_from_the_config_and_the_figures():
    assert sizing_table() in TEACHING.read_text(), "replace the sizing table with:\n" + sizing_table()


def test_dockerfile_installs_the_tested_pins_python_and_settings():
    dockerfile = (DOCS / "hub" / "Dockerfile").read_text()
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()  # python-3.11
    assert re.search(rf"^FROM quay\.io/jupyter/base-notebook:{runtime}$", dockerfile, re.M)
    assert "COPY binder/requirements.txt /tmp/requirements.txt" in dockerfile
    assert re.search(r"pip install --no-cache-dir -r /tmp/requirements.txt nbgitpuller==\d+\.\d+\.\d+", dockerfile)
    assert "COPY jupyter/overrides.json /opt/conda/share/jupyter/lab/settings/overrides.json" in dockerfile
    name = sync_repo_url.read_address(ROOT).name
    assert f"ENV PYTHONPATH=/home/jovyan/{name}" in dockerfile, "the folder the hub link clones into"
    ignored = (DOCS / "hub" / "Dockerfile.dockerignore").read_text().split()
    assert ".venv" in ignored and ".git" in ignored


def test_hub_link_in_the_kit_is_the_one_the_sync_tool_writes():
    assert sync_repo_url.read_address(ROOT).hub_link() in TEACHING.read_text()


# nbgitpuller's merge, reproduced with its own git commands


def _git(cwd: Path, *arguments: str) -> subprocess.CompletedProcess:
    command = ["git", "-c", "user.email=student@example.org", "-c", "user.name=student", *arguments]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True)


def _strip(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return notebook


def _run_like(notebook: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> None:
    """The outputs of a real run (the saved ones); widget ids are new in every run."""
    for cell, ran in zip(notebook.cells, executed.cells, strict=False):
        if cell.cell_type == "code":
            cell.execution_count, cell.outputs = ran.execution_count, copy.deepcopy(ran.outputs)
            for output in cell.outputs:
                view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
                if view:
                    view["model_id"] = uuid.uuid4().hex


def merge_case(work: Path, stripped: bool, fix: int, insert: int, edit: int | None) -> dict[str, bool]:
    """A teacher fixes cell ``fix`` and inserts a cell at ``insert``; the student ran the lesson
    and edited cell ``edit``; then nbgitpuller's update: commit, fetch, ``merge -Xours``."""
    shutil.rmtree(work, ignore_errors=True)
    teacher, student = work / "teacher", work / "student"
    teacher.mkdir(parents=True)
    executed = nbformat.read(MERGE_LESSON, as_version=4)
    _git(teacher, "init", "-q", "-b", "main")
    nbformat.write(_strip(copy.deepcopy(executed)) if stripped else executed, teacher / "lesson.ipynb")
    _git(teacher, "add", ".")
    _git(teacher, "commit", "-qm", "lesson")
    _git(work, "clone", "-q", "--depth", "1", f"file://{teacher}", "student")

    mine = nbformat.read(student / "lesson.ipynb", as_version=4)
    _run_like(mine, executed)
    if edit is not None:
        mine.cells[edit].source += "\n# the student's own line"
    nbformat.write(mine, student / "lesson.ipynb")

    theirs = nbformat.read(teacher / "lesson.ipynb", as_version=4)
    lines = theirs.cells[fix].source.split("\n")
    theirs.cells[fix].source = "\n".join([lines[0] + "  # fixed by the teacher", *lines[1:]])
    theirs.cells.insert(insert, new_code_cell("print('a new cell from the teacher')"))
    if not stripped:
        _run_like(theirs, theirs)  # the teacher re-runs the lesson before committing it
    nbformat.write(theirs, teacher / "lesson.ipynb")
    _git(teacher, "commit", "-qam", "fix")

    _git(student, "commit", "-qam", "WIP", "--allow-empty")
    _git(student, "fetch", "-q")
    merged = _git(student, "merge", "-Xours", "origin/main").returncode == 0
    try:
        result = nbformat.read(student / "lesson.ipynb", as_version=4)
        nbformat.validate(result)
    except Exception:  # noqa: BLE001 - any unreadable notebook counts as lost
        return {"merged": merged, "valid": False, "fix": False, "new cell": False, "edit kept": False}
    sources = [cell.source for cell in result.cells]
    return {
        "merged": merged,
        "valid": True,
        "fix": any("# fixed by the teacher" in source for source in sources),
        "new cell": any("a new cell from the teacher" in source for source in sources),
        "edit kept": edit is None or any("# the student's own line" in source for source in sources),
    }


def merge_cases(count: int, seed: int = 0) -> list[tuple[int, int, int | None]]:
    cells = nbformat.read(MERGE_LESSON, as_version=4).cells
    code = [index for index, cell in enumerate(cells) if cell.cell_type == "code"]
    rng = random.Random(seed)
    cases = []
    while len(cases) < count:
        fix, insert, edit = rng.randrange(len(cells)), rng.randrange(len(cells) + 1), rng.choice([None, *code])
        if fix != edit:
            cases.append((fix, insert, edit))
    return cases


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_teachers_fix_and_new_cell_reach_a_student_who_ran_and_edited_the_lesson(tmp_path):
    for fix, insert, edit in merge_cases(8):
        outcome = merge_case(tmp_path / "case", stripped=False, fix=fix, insert=insert, edit=edit)
        assert all(outcome.values()), (fix, insert, edit, outcome)


def main() -> None:
    """Print the comparison of docs/teaching.md: 40 cases, with outputs and stripped."""
    work = Path("/tmp") / f"merge-experiment-{uuid.uuid4().hex[:8]}"
    print("| branch the link pulls | merged | fixed line arrived | new cell arrived | student's edit kept |")
    print("| --- | --- | --- | --- | --- |")
    cases = merge_cases(40)
    for stripped in (False, True):
        outcomes = [merge_case(work, stripped, *case) for case in cases]
        counts = [sum(outcome[key] for outcome in outcomes) for key in ("merged", "fix", "new cell", "edit kept")]
        kind = "outputs stripped (a student branch)" if stripped else "lessons with their outputs (as committed)"
        print(f"| {kind} | " + " | ".join(f"{count}/{len(cases)}" for count in counts) + " |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

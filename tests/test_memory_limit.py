"""A lesson finishes inside 2 GB, the memory after which mybinder.org stops a session.

Lesson 00 (a copy; the saved notebook is not touched) runs with ``tools/execute_notebooks.py``
inside a real memory limit of 2 GB (2e9 bytes, as Kubernetes reads ``2G``): the kernel and
everything it starts are in one cgroup, so the kernel is killed if their sum goes over. Two
more runs in the same limit show that the limit is real: a process that allocates 2.5 GB is
killed, and ``lessons_lib.container`` reads the limit back.

How the limit is made, the first that works here:

1. ``systemd-run --user --scope -p MemoryMax=2G`` (a user's systemd with cgroup v2: no root);
2. ``systemd-run --scope -p MemoryMax=2G`` (the system's systemd, as root);
3. a child cgroup of this process's own cgroup, made by hand (cgroup v2 ``memory.max``, or
   v1 ``memory.limit_in_bytes``), where that directory is writable (root in a container).

Without any of them (no Linux cgroups, no systemd, no rights) the test is skipped and says why.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 2_000_000_000
LESSON = ROOT / "notebooks" / "00_start_here.ipynb"
CGROUP = Path("/sys/fs/cgroup")


def _works(prefix: list[str]) -> bool:
    try:
        return subprocess.run([*prefix, "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _own_cgroup(controller: str) -> str | None:
    """This process's cgroup path for a v1 controller, or the v2 path for controller ``""``."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in (controllers.split(",") if controllers else [""]):
            return path
    return None


def _child_cgroup() -> tuple[Path, str, list[str]] | None:
    """A new child of our own memory cgroup: (directory, file for the limit, extra limit files)."""
    v1, v2 = _own_cgroup("memory"), _own_cgroup("")
    candidates = []
    if v2 is not None:
        for mount in (CGROUP, CGROUP / "unified"):
            if (mount / "cgroup.controllers").exists():
                candidates.append((mount / v2.strip("/"), "memory.max", ["memory.swap.max"]))
    if v1 is not None:
        candidates.append((CGROUP / "memory" / v1.strip("/"), "memory.limit_in_bytes", ["memory.memsw.limit_in_bytes"]))
    for parent, limit_file, extra in candidates:
        if not os.access(parent, os.W_OK):
            continue
        child = parent / f"reading-the-curves-test-{uuid.uuid4().hex[:8]}"
        try:
            child.mkdir()
            (child / limit_file).write_text(str(LIMIT))
            for name in extra:
                if (child / name).exists():
                    (child / name).write_text("0" if name == "memory.swap.max" else str(LIMIT))
            if abs(int((child / limit_file).read_text().split()[0]) - LIMIT) >= 4096:  # whole pages
                raise OSError("the limit did not take")
        except OSError:
            _remove(child)
            continue
        return child, limit_file, extra
    return None


def _remove(child: Path) -> None:
    """Remove our cgroup once the processes we started in it have exited."""
    if not child.exists():
        return
    for _ in range(50):
        try:
            child.rmdir()
            return
        except OSError:
            time.sleep(0.1)


@contextmanager
def memory_limit() -> Iterator[tuple[list[str], str]]:
    """A command prefix that runs a command under the 2 GB limit, and how it is made."""
    for prefix, how in (
        (
            ["systemd-run", "--user", "--scope", "--quiet", "-p", f"MemoryMax={LIMIT}", "-p", "MemorySwapMax=0"],
            "systemd-run --user --scope",
        ),
        (
            ["systemd-run", "--scope", "--quiet", "-p", f"MemoryMax={LIMIT}", "-p", "MemorySwapMax=0"],
            "systemd-run --scope",
        ),
    ):
        if shutil.which("systemd-run") and _works(prefix):
            yield prefix, how
            return
    made = _child_cgroup() if sys.platform.startswith("linux") else None
    if made is None:
        pytest.skip(
            "no way to limit memory on this machine: it needs systemd-run with cgroup v2 "
            "(`systemd-run --user --scope -p MemoryMax=2G true` must work), or a writable cgroup "
            "(root in a container); run this test where one of them exists"
        )
    child, limit_file, _ = made
    enter = f'echo $$ > "{child}/cgroup.procs" && exec "$@"'
    try:
        yield ["sh", "-c", enter, "sh"], f"cgroup {child} ({limit_file} = {LIMIT})"
    finally:
        _remove(child)


def test_lesson_00_finishes_under_a_2_gb_memory_limit(tmp_path):
    copy = tmp_path / LESSON.name
    shutil.copy(LESSON, copy)
    with memory_limit() as (prefix, how):
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", "from lessons_lib import container; print(container.memory().limit)"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        hog = subprocess.run(
            [*prefix, sys.executable, "-c", f"data = b'x' * {int(LIMIT * 1.25)}; print('survived')"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        run = subprocess.run(
            [*prefix, sys.executable, str(ROOT / "tools" / "execute_notebooks.py"), str(copy)],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=ROOT,
        )
    assert "survived" not in hog.stdout and hog.returncode != 0, f"the limit ({how}) did not stop 2.5 GB"
    assert probe.returncode == 0 and abs(int(probe.stdout.split()[-1]) - LIMIT) < 4096, (
        how,
        probe.stdout,
        probe.stderr,
    )
    assert run.returncode == 0, f"lesson 00 did not finish within 2 GB ({how}):\n{run.stdout}\n{run.stderr[-3000:]}"
    peak = float(re.search(r"peak (\d+\.\d+) GB", run.stdout).group(1))
    assert 0.2 < peak < LIMIT / 1e9, run.stdout


def test_the_execute_tool_counts_the_kernels_child_processes(tmp_path):
    """A kernel holding 0.2 GB that starts a process holding 0.4 GB: the peak counts both."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    code = (
        "import subprocess, sys\n"
        "kernel_data = b'k' * 200_000_000\n"
        "child = \"import time; data = b'c' * 400_000_000; time.sleep(1.5)\"\n"
        "subprocess.run([sys.executable, '-c', child], check=True)"
    )
    notebook = new_notebook(cells=[new_code_cell(code)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "tiny.ipynb")
    record = tmp_path / "measured.json"
    tool = str(ROOT / "tools" / "execute_notebooks.py")
    run = subprocess.run(
        [sys.executable, tool, "--record", str(record), str(tmp_path / "tiny.ipynb")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    peak = float(re.search(r"tiny\.ipynb  peak (\d+\.\d+) GB", run.stdout).group(1))
    assert 0.6 <= peak < 1.0, run.stdout
    figures = json.loads(record.read_text())["lessons"]["tiny.ipynb"]
    assert figures["peak_gb"] == peak and figures["seconds"] > 1.5

"""Restart and Run All for lessons, with the test suite's settings, and save them in place.

    .venv/bin/python tools/execute_notebooks.py                 # every lesson
    .venv/bin/python tools/execute_notebooks.py notebooks/01_*.ipynb
    .venv/bin/python tools/execute_notebooks.py --record docs/hub/measured.json notebooks/0[016]_*.ipynb

Notebooks are committed executed (GitHub and nbviewer show the plots, nbval compares the
checked cells against them), so run this after editing a lesson. It prints each lesson's
wall time and the peak memory of its kernel (with any process the kernel starts): every
lesson must stay under 90 s on a 2-core machine and at most 1.5 GB (mybinder.org stops a
session at 2 GB; a hub sizes its students' limits from these figures, see docs/teaching.md).
``--record FILE`` also stores both figures per lesson in a JSON file, with the kernel's CPU
time (user + system seconds: what a lesson costs a shared hub).

The peak is sampled: every 0.1 s the resident memory (RSS) of the kernel and all its
descendants is summed; the kernel's own high-water mark (``VmHWM`` in ``/proc/<pid>/status``,
exact between samples) is taken when larger. Memory shared between processes is counted
once per process, so the figure errs high, the safe side for a limit.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 90.0
MEMORY_BUDGET_GB = 1.5
GB = 1e9


class PeakMemory:
    """Peak resident memory, in bytes, of this process's descendants while the block runs."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = 0
        self.cpu_seconds = 0.0  # user + system CPU time of the descendants, at the last sample
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> int:
        """Sum of the descendants' RSS now, or one descendant's high-water mark when larger."""
        total, high_water, cpu = 0, 0, 0.0
        for process in psutil.Process().children(recursive=True):
            try:
                total += process.memory_info().rss
                high_water = max(high_water, _vm_hwm(process.pid))
                times = process.cpu_times()
                cpu += times.user + times.system + times.children_user + times.children_system  # exited ones too
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        self.cpu_seconds = max(self.cpu_seconds, cpu)
        return max(total, high_water)

    def _poll(self) -> None:
        while True:
            self.peak = max(self.peak, self.sample())
            if self._stop.wait(self.interval):
                return


def _vm_hwm(pid: int) -> int:
    """The process's peak resident memory so far (Linux), 0 where /proc does not say."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def execute(path: Path) -> float:
    """Run ``path`` top to bottom in a fresh kernel, save it, and return the wall time."""
    return execute_measured(path)[0]


def execute_measured(path: Path) -> tuple[float, int, float]:
    """Run ``path`` like ``execute``; return the wall time, the kernel's peak memory in bytes and its CPU seconds."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    with PeakMemory() as memory:
        start = time.perf_counter()
        client.execute()
        elapsed = time.perf_counter() - start
    nbformat.write(notebook, path)
    return elapsed, memory.peak, memory.cpu_seconds


def record(file: Path, path: Path, elapsed: float, peak: int, cpu_seconds: float) -> None:
    """Merge one lesson's figures into the JSON file ``file``."""
    data = json.loads(file.read_text()) if file.exists() else {}
    data.setdefault("lessons", {})[path.name] = {
        "seconds": round(elapsed, 1),
        "peak_gb": round(peak / GB, 2),
        "cpu_seconds": round(cpu_seconds),
    }
    data["measured_with"] = "tools/execute_notebooks.py (RSS of the kernel and its children, sampled every 0.1 s)"
    data["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, {datetime.date.today().isoformat()}"
    data["lessons"] = dict(sorted(data["lessons"].items()))
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(data, indent=1) + "\n")


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="lessons to run (default: every lesson)")
    parser.add_argument("--record", type=Path, metavar="FILE", help="also store time and peak memory in FILE (JSON)")
    options = parser.parse_args(arguments)
    os.environ.update({"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"})
    paths = options.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    over = 0
    for path in paths:
        elapsed, peak, cpu_seconds = execute_measured(path)
        flags = []
        if elapsed > BUDGET_S:
            flags.append(f"over the {BUDGET_S:.0f} s budget")
        if peak > MEMORY_BUDGET_GB * GB:
            flags.append(f"over the {MEMORY_BUDGET_GB} GB memory budget")
        over += bool(flags)
        flag = "".join(f"  {text}" for text in flags)
        print(f"{elapsed:6.1f} s  {path.name}  peak {peak / GB:.2f} GB{flag}", flush=True)
        if options.record:
            record(options.record, path, elapsed, peak, cpu_seconds)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

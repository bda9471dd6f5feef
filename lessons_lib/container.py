"""What the container the lesson runs in allows: its memory and CPU limits (Linux cgroups).

On Binder and on JupyterHub a lesson runs in a container whose limits are not those of the
machine: ``os.cpu_count()`` says 64 where two CPUs are allowed, and the machine's free memory
says nothing about the 2 GB after which mybinder.org stops a session. TensorFlow sizes its
thread pools from the machine's cores, so in a container limited to 2 CPUs it starts dozens
of threads that then wait for their turn; and a learner who opened four lessons has four
kernels of about 1 GB each. ``lessons_lib.setup()`` uses this module to size TensorFlow's
threads from the CPU limit and to say, in one sentence, when the memory left is too little
for a lesson.

Both cgroup versions are read: v2 (``memory.max``, ``memory.current``, ``cpu.max``) and v1
(``memory.limit_in_bytes``, ``memory.usage_in_bytes``, ``cpu.cfs_quota_us`` and
``cpu.cfs_period_us``). The limit that applies is the smallest one on the path from the
process's own cgroup (``/proc/self/cgroup``) to the root. Outside Linux, or without limits,
the functions return ``None``.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessons_lib.checks import check_number

# How much a lesson's kernel still grows after setup(): the largest measured peak, 1.33 GB
# (lesson 06, docs/hub/measured.json), minus the 0.67 GB a kernel holds right after setup()
# (TensorFlow, Keras and matplotlib loaded), with a margin.
LESSON_GROWTH_BYTES = int(0.9e9)
_UNLIMITED = 2**60  # v1 writes "no limit" as a huge number (9223372036854771712)


@dataclass(frozen=True)
class Memory:
    """The container's memory limit and what is in use now, in bytes."""

    limit: int
    used: int

    @property
    def free(self) -> int:
        return max(0, self.limit - self.used)


def _cgroup_paths(proc_self_cgroup: Path) -> dict[str, str]:
    """``{controller: path}`` from /proc/self/cgroup; the v2 unified path under the key ``""``."""
    paths: dict[str, str] = {}
    try:
        lines = proc_self_cgroup.read_text().splitlines()
    except OSError:
        return paths
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        for controller in controllers.split(",") if controllers else [""]:
            paths[controller] = path
    return paths


def _ancestors(mount: Path, path: str) -> list[Path]:
    """The cgroup directory of ``path`` under ``mount`` and each parent up to ``mount`` itself."""
    parts = [part for part in path.strip("/").split("/") if part and part != ".."]
    return [mount.joinpath(*parts[:depth]) for depth in range(len(parts), -1, -1)]


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().split()[0]
    except (OSError, IndexError):
        return None
    if text == "max":
        return None
    try:
        value = int(text)
    except ValueError:
        return None
    return None if value >= _UNLIMITED else value


def _inactive_file(stat: Path, key: str) -> int:
    """Reclaimable page cache (``inactive_file``) from a memory.stat file, 0 if absent."""
    try:
        for line in stat.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return 0


def memory(root: Path = Path("/"), proc_self_cgroup: Path | None = None) -> Memory | None:
    """The tightest memory limit on this process's cgroups and the usage there, or None.

    Usage excludes the reclaimable page cache (``inactive_file``), as ``docker stats`` does.
    ``root`` and ``proc_self_cgroup`` exist for tests (a fake /sys/fs/cgroup tree).
    """
    cgroup_root = root / "sys" / "fs" / "cgroup"
    paths = _cgroup_paths(proc_self_cgroup or root / "proc" / "self" / "cgroup")
    candidates = []  # (limit, used) per cgroup directory with a limit
    if "" in paths:  # v2: the unified hierarchy, mounted at /sys/fs/cgroup or /sys/fs/cgroup/unified
        for mount in (cgroup_root, cgroup_root / "unified"):
            for directory in _ancestors(mount, paths[""]):
                limit = _read_int(directory / "memory.max")
                used = _read_int(directory / "memory.current")
                if limit is not None and used is not None:
                    candidates.append((limit, used - _inactive_file(directory / "memory.stat", "inactive_file")))
    if "memory" in paths:  # v1
        for directory in _ancestors(cgroup_root / "memory", paths["memory"]):
            limit = _read_int(directory / "memory.limit_in_bytes")
            used = _read_int(directory / "memory.usage_in_bytes")
            if limit is not None and used is not None:
                stat = directory / "memory.stat"
                candidates.append((limit, used - _inactive_file(stat, "total_inactive_file")))
    if not candidates:
        return None
    limit, used = min(candidates, key=lambda pair: pair[0] - pair[1])
    return Memory(limit=limit, used=max(0, used))


def memory_warning(need: float = LESSON_GROWTH_BYTES, **where: Any) -> str | None:
    """One sentence when less than ``need`` bytes are left under the container's limit, else None.

    Called from a lesson's first cell: on Binder (2 GB) one lesson leaves enough; a second
    lesson's kernel still running does not.
    """
    need = check_number("need", need, low=0)
    found = memory(**where)
    if found is None or found.free >= need:
        return None
    return (
        f"Memory is short: {found.free / 1e9:.1f} GB of this container's {found.limit / 1e9:.1f} GB limit "
        f"is free and a lesson can need {need / 1e9:.1f} GB more, so shut down the kernels of lessons you "
        "have finished (Kernel menu > Shut Down All Kernels, then restart this one) before you run it."
    )


def cpu_limit(root: Path = Path("/"), proc_self_cgroup: Path | None = None) -> float | None:
    """The CPUs the container may use (``cpu.max`` quota / period), or None without a quota."""
    cgroup_root = root / "sys" / "fs" / "cgroup"
    paths = _cgroup_paths(proc_self_cgroup or root / "proc" / "self" / "cgroup")
    limits = []
    if "" in paths:
        for mount in (cgroup_root, cgroup_root / "unified"):
            for directory in _ancestors(mount, paths[""]):
                try:
                    quota, period = (directory / "cpu.max").read_text().split()[:2]
                except (OSError, ValueError):
                    continue
                if quota != "max" and int(period) > 0:
                    limits.append(int(quota) / int(period))
    if "cpu" in paths:  # v1, mounted alone or together with cpuacct
        for mount in ("cpu", "cpu,cpuacct", "cpuacct,cpu"):
            for directory in _ancestors(cgroup_root / mount, paths["cpu"]):
                quota = _read_int(directory / "cpu.cfs_quota_us")
                period = _read_int(directory / "cpu.cfs_period_us")
                if quota is not None and quota > 0 and period:
                    limits.append(quota / period)
    return min(limits) if limits else None


def schedulable_cpus() -> int:
    """The cores this process may be scheduled on (its CPU affinity), as TensorFlow counts them."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def available_cpus(**where: Any) -> int:
    """Whole CPUs this process may use: the cgroup quota rounded up, at most the schedulable cores."""
    cores = schedulable_cpus()
    limit = cpu_limit(**where)
    return max(1, min(cores, math.ceil(limit - 1e-9))) if limit is not None else cores


def size_tensorflow_threads(tf: Any, **where: Any) -> int | None:
    """Size TensorFlow's thread pools from the container's CPU quota; return the count, or None.

    TensorFlow sizes both pools from the cores it may be scheduled on and ignores a cgroup CPU
    quota. Where the quota is smaller (a hub or Binder container limited to 2 CPUs on a 64-core
    node) both pools get the quota's CPUs, as if the machine had that many cores. Where there is
    no such quota (a laptop, ``taskset``) nothing changes, so a lesson prints what it printed
    before. TensorFlow accepts this only before its first operation: called later, it leaves
    the pools as they are and returns None.
    """
    cpus = available_cpus(**where)
    if cpus >= schedulable_cpus():
        return None
    try:
        tf.config.threading.set_intra_op_parallelism_threads(cpus)
        tf.config.threading.set_inter_op_parallelism_threads(cpus)
    except RuntimeError:  # TensorFlow's runtime already started
        return None
    return cpus

"""lessons_lib.container reads a container's memory and CPU limits from fake cgroup trees."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lessons_lib import container

ROOT = Path(__file__).resolve().parent.parent
UNLIMITED_V1 = "9223372036854771712"


def tree(root: Path, proc_cgroup: str, files: dict[str, str]) -> dict:
    """A fake / with /proc/self/cgroup and files under /sys/fs/cgroup; the keyword arguments to pass."""
    (root / "proc" / "self").mkdir(parents=True)
    (root / "proc" / "self" / "cgroup").write_text(proc_cgroup)
    for name, text in files.items():
        path = root / "sys" / "fs" / "cgroup" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n")
    return {"root": root}


def test_v2_limit_and_usage_without_reclaimable_cache(tmp_path):
    where = tree(
        tmp_path,
        "0::/user.slice/lab\n",
        {
            "user.slice/lab/memory.max": "2000000000",
            "user.slice/lab/memory.current": "500000000",
            "user.slice/lab/memory.stat": "anon 300000000\ninactive_file 100000000",
            "user.slice/memory.max": "max",
            "user.slice/memory.current": "900000000",
        },
    )
    assert container.memory(**where) == container.Memory(limit=2_000_000_000, used=400_000_000)


def test_the_tightest_limit_on_the_way_up_applies(tmp_path):
    where = tree(
        tmp_path,
        "0::/kubepods/pod/c\n",
        {
            "kubepods/pod/c/memory.max": "max",
            "kubepods/pod/c/memory.current": "100000000",
            "kubepods/pod/memory.max": "1000000000",
            "kubepods/pod/memory.current": "800000000",
        },
    )
    found = container.memory(**where)
    assert found.limit == 1_000_000_000 and found.free == 200_000_000


def test_v1_limit_with_its_own_cache_counter(tmp_path):
    where = tree(
        tmp_path,
        "12:pids:/docker/abc\n4:memory:/docker/abc\n1:name=systemd:/docker/abc\n",
        {
            "memory/docker/abc/memory.limit_in_bytes": "2147483648",
            "memory/docker/abc/memory.usage_in_bytes": "1000000000",
            "memory/docker/abc/memory.stat": "cache 400000000\ntotal_inactive_file 250000000",
            "memory/docker/memory.limit_in_bytes": UNLIMITED_V1,
            "memory/docker/memory.usage_in_bytes": "3000000000",
        },
    )
    assert container.memory(**where) == container.Memory(limit=2_147_483_648, used=750_000_000)


@pytest.mark.parametrize(
    "proc, files",
    [
        ("4:memory:/\n", {"memory/memory.limit_in_bytes": UNLIMITED_V1, "memory/memory.usage_in_bytes": "5"}),
        ("0::/\n", {"memory.max": "max", "memory.current": "5"}),
        ("0::/\n", {}),
        ("", {}),
    ],
)
def test_no_limit_means_none(tmp_path, proc, files):
    where = tree(tmp_path, proc, files)
    assert container.memory(**where) is None
    assert container.memory_warning(**where) is None


def test_no_cgroup_file_at_all_means_none(tmp_path):
    assert container.memory(root=tmp_path) is None and container.cpu_limit(root=tmp_path) is None


def binder_like(tmp_path, used: int) -> dict:
    return tree(tmp_path, "0::/\n", {"memory.max": "2000000000", "memory.current": str(used)})


def test_warning_is_one_sentence_with_the_figures_when_memory_is_short(tmp_path):
    warning = container.memory_warning(**binder_like(tmp_path, used=1_500_000_000))
    assert warning.startswith("Memory is short: 0.5 GB of this container's 2.0 GB limit is free")
    assert "0.9 GB more" in warning and "Shut Down All Kernels" in warning
    assert warning.endswith(".") and warning.count(". ") == 0 and "\n" not in warning


def test_no_warning_when_a_lesson_fits(tmp_path):
    """Binder at a lesson's first cell: the server and one kernel after setup() hold about 0.8 GB."""
    assert container.memory_warning(**binder_like(tmp_path, used=800_000_000)) is None


def test_warning_threshold_is_the_argument_and_is_checked(tmp_path):
    where = binder_like(tmp_path, used=300_000_000)
    assert container.memory_warning(need=1.8e9, **where) is not None
    with pytest.raises(ValueError, match="need must be"):
        container.memory_warning(need=-1, **where)


@pytest.mark.parametrize(
    "proc, files, expected",
    [
        ("0::/pod\n", {"pod/cpu.max": "200000 100000"}, 2.0),
        ("0::/pod\n", {"pod/cpu.max": "max 100000"}, None),
        ("0::/pod\n", {"pod/cpu.max": "max 100000", "cpu.max": "50000 100000"}, 0.5),
        (
            "3:cpu,cpuacct:/docker/x\n",
            {"cpu,cpuacct/docker/x/cpu.cfs_quota_us": "150000", "cpu,cpuacct/docker/x/cpu.cfs_period_us": "100000"},
            1.5,
        ),
        (
            "3:cpu:/docker/x\n",
            {"cpu/docker/x/cpu.cfs_quota_us": "-1", "cpu/docker/x/cpu.cfs_period_us": "100000"},
            None,
        ),
    ],
)
def test_cpu_limit_from_quota_and_period(tmp_path, proc, files, expected):
    assert container.cpu_limit(**tree(tmp_path, proc, files)) == expected


def test_available_cpus_rounds_the_quota_up_and_never_exceeds_the_cores(tmp_path, monkeypatch):
    monkeypatch.setattr(container, "schedulable_cpus", lambda: 64)
    assert container.available_cpus(**tree(tmp_path / "a", "0::/\n", {"cpu.max": "150000 100000"})) == 2
    assert container.available_cpus(**tree(tmp_path / "b", "0::/\n", {"cpu.max": "10000 100000"})) == 1
    assert container.available_cpus(**tree(tmp_path / "c", "0::/\n", {"cpu.max": "max 100000"})) == 64
    monkeypatch.setattr(container, "schedulable_cpus", lambda: 2)
    assert container.available_cpus(**tree(tmp_path / "d", "0::/\n", {"cpu.max": "800000 100000"})) == 2


class FakeThreading:
    def __init__(self, fail: bool = False):
        self.calls, self.fail = [], fail

    def set_intra_op_parallelism_threads(self, n):
        if self.fail:
            raise RuntimeError("Intra op parallelism cannot be modified after initialization.")
        self.calls.append(("intra", n))

    def set_inter_op_parallelism_threads(self, n):
        self.calls.append(("inter", n))


class FakeTF:
    def __init__(self, fail: bool = False):
        self.config = type("config", (), {})()
        self.config.threading = FakeThreading(fail)


def test_tensorflow_threads_follow_a_quota_below_the_cores(tmp_path, monkeypatch):
    monkeypatch.setattr(container, "schedulable_cpus", lambda: 64)
    tf = FakeTF()
    assert container.size_tensorflow_threads(tf, **tree(tmp_path, "0::/\n", {"cpu.max": "200000 100000"})) == 2
    assert tf.config.threading.calls == [("intra", 2), ("inter", 2)]


def test_tensorflow_threads_unchanged_without_a_quota_or_once_started(tmp_path, monkeypatch):
    monkeypatch.setattr(container, "schedulable_cpus", lambda: 64)
    tf = FakeTF()
    assert container.size_tensorflow_threads(tf, **tree(tmp_path / "a", "0::/\n", {"cpu.max": "max 100000"})) is None
    assert tf.config.threading.calls == []
    started = FakeTF(fail=True)
    assert (
        container.size_tensorflow_threads(started, **tree(tmp_path / "b", "0::/\n", {"cpu.max": "100000 100000"}))
        is None
    )


def test_real_tensorflow_takes_the_sizing_before_its_first_operation(tmp_path):
    """In a fresh interpreter: a 1-CPU quota gives TensorFlow 1 thread per pool; once it ran, no change."""
    tree(tmp_path, "0::/\n", {"cpu.max": "100000 100000"})
    code = textwrap.dedent(
        f"""
        import os
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        from pathlib import Path
        import tensorflow as tf
        from lessons_lib import container
        container.schedulable_cpus = lambda: 4  # a machine with more cores than the quota
        print(container.size_tensorflow_threads(tf, root=Path({str(tmp_path)!r})))
        threading = tf.config.threading
        print(threading.get_intra_op_parallelism_threads(), threading.get_inter_op_parallelism_threads())
        tf.constant(1.0) + 1.0
        (Path({str(tmp_path)!r}) / "sys/fs/cgroup/cpu.max").write_text("200000 100000")
        print(container.size_tensorflow_threads(tf, root=Path({str(tmp_path)!r})))
        print(threading.get_intra_op_parallelism_threads())
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.stdout.split() == ["1", "1", "1", "None", "1"], out.stdout + out.stderr[-2000:]

"""Re-run lessons with other seeds, oneDNN on and one core, and list the checked lines that change.

    .venv/bin/python tools/check_claims.py                          # every lesson, the default variants
    .venv/bin/python tools/check_claims.py notebooks/07_*.ipynb     # some lessons
    .venv/bin/python tools/check_claims.py --seeds 7 1234 --jobs 2  # other seeds, two runs at a time
    .venv/bin/python tools/check_claims.py --write-report           # also record the result (see below)
    .venv/bin/python tools/check_claims.py --seeds 31337 --seeds-only  # one new seed, oneDNN on, nothing else

A checked line ("what you should see", ``# NBVAL_CHECK_OUTPUT``) is a teaching claim. It must
hold for the phenomenon, not for one seed on one CPU: a claim true only for seed 42 is a claim
about seed 42. Each variant runs a lesson top to bottom in a fresh kernel with other settings
(``LESSONS_SEED``, ``TF_ENABLE_ONEDNN_OPTS=1``, ``taskset`` to one core); its checked cells are
compared line by line with the saved notebook, as nbval compares them. The table says, per
lesson and variant, how many checked lines printed something else; the changed lines follow.

``--write-report`` stores the outcome in ``tests/fixtures/claims_robustness.json`` with a hash
of each lesson's code and checked outputs; ``tests/test_claims_robustness.py`` fails when a
lesson changed since its last robustness run, or when that run found a changed line. The
suite itself runs the lessons once, as saved; this tool is the slow, perturbed pass.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import fcntl
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "tests" / "fixtures" / "claims_robustness.json"
CHECK_MARK = "NBVAL_CHECK_OUTPUT"
DEFAULT_SEEDS = (7, 1234, 2026)


@dataclass(frozen=True)
class Variant:
    """One way to perturb a run: another seed, oneDNN on, fewer cores."""

    seed: int = 42
    onednn: bool = False
    one_core: bool = False

    @property
    def name(self) -> str:
        parts = [f"seed {self.seed}"]
        if self.onednn:
            parts.append("oneDNN")
        if self.one_core:
            parts.append("1 core")
        return ", ".join(parts)

    def environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        environment.update(
            {
                "LESSONS_SEED": str(self.seed),
                "TF_CPP_MIN_LOG_LEVEL": "3",
                "TF_ENABLE_ONEDNN_OPTS": "1" if self.onednn else "0",
            }
        )
        return environment

    def summary(self) -> str:
        """The settings as a command line would set them."""
        parts = [f"LESSONS_SEED={self.seed}", f"TF_ENABLE_ONEDNN_OPTS={int(self.onednn)}"]
        return " ".join(["taskset -c 0", *parts] if self.one_core else parts)

    def command_prefix(self) -> list[str]:
        return ["taskset", "-c", "0"] if self.one_core and shutil.which("taskset") else []


def default_variants(seeds: list[int]) -> list[Variant]:
    """Every other seed with oneDNN on; the last one also on a single core; seed 42 on one core."""
    variants = [Variant(seed, onednn=True, one_core=index == len(seeds) - 1) for index, seed in enumerate(seeds)]
    return [*variants, Variant(42, one_core=True)]


@dataclass
class Outcome:
    notebook: str
    variant: str
    seconds: float
    changed: list[str] = field(default_factory=list)
    error: str | None = None


def checked_lines(notebook: dict) -> dict[int, list[str]]:
    """The text each checked cell printed, per cell index, as nbval compares it (stdout, results)."""
    lines: dict[int, list[str]] = {}
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code" or CHECK_MARK not in "".join(cell["source"]):
            continue
        text = []
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream" and output.get("name") == "stdout":
                text.append("".join(output["text"]))
            elif output["output_type"] in ("execute_result", "display_data"):
                text.append("".join(output.get("data", {}).get("text/plain", "")) + "\n")
            elif output["output_type"] == "error":
                text.append(f"ERROR {output.get('ename')}: {output.get('evalue')}\n")
        lines[index] = "".join(text).splitlines()
    return lines


def compare(saved: dict, rerun: dict) -> list[str]:
    """Changed checked lines, as ``cell N: 'saved' -> 'now'``."""
    changes = []
    before, after = checked_lines(saved), checked_lines(rerun)
    for index, old in before.items():
        new = after.get(index, [])
        for number in range(max(len(old), len(new))):
            was = old[number] if number < len(old) else "(nothing)"
            now = new[number] if number < len(new) else "(nothing)"
            if was != now:
                changes.append(f"cell {index}: {was!r} -> {now!r}")
    return changes


def fingerprint(notebook: dict) -> str:
    """A hash of what a robustness run vouches for: the code of every cell and the checked lines."""
    code = [("".join(cell["source"])) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    payload = json.dumps({"code": code, "checked": checked_lines(notebook)}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def run_variant(path: Path, variant: Variant) -> Outcome:
    """Execute ``path`` in a fresh kernel under ``variant`` (in a child process) and compare."""
    saved = json.loads(path.read_text())
    with tempfile.TemporaryDirectory(prefix="claims_") as folder:
        output = Path(folder) / path.name
        command = [*variant.command_prefix(), sys.executable, __file__, "--execute", str(path), str(output)]
        start = time.perf_counter()
        result = subprocess.run(command, env=variant.environment(), capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if result.returncode != 0 or not output.exists():
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            return Outcome(path.name, variant.name, seconds, error=" / ".join(tail) or "no output")
        rerun = json.loads(output.read_text())
    return Outcome(path.name, variant.name, seconds, changed=compare(saved, rerun))


def execute(source: Path, target: Path) -> None:
    """Run ``source`` top to bottom (errors included in the outputs) and write it to ``target``."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=900,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(source.parent)}},
    )
    client.execute()
    nbformat.write(notebook, target)


def has_avx2() -> bool:
    """Whether this CPU has AVX2: the record names the CPU kind its runs were made on."""
    try:
        return "avx2" in Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False


def verdict(outcome: Outcome | None) -> str:
    if outcome is None:
        return "-"
    if outcome.error:
        return f"error ({outcome.seconds:.0f} s)"
    state = f"{len(outcome.changed)} changed" if outcome.changed else "ok"
    return f"{state} ({outcome.seconds:.0f} s)"


def print_table(outcomes: list[Outcome], notebooks: list[str], variants: list[str]) -> None:
    """A markdown table lesson x variant, then every changed line."""
    by_key = {(outcome.notebook, outcome.variant): outcome for outcome in outcomes}
    print("| lesson | " + " | ".join(variants) + " |")
    print("| --- | " + " | ".join("---" for _ in variants) + " |")
    for notebook in notebooks:
        print(f"| {notebook} | " + " | ".join(verdict(by_key.get((notebook, variant))) for variant in variants) + " |")
    for outcome in outcomes:
        if outcome.error:
            print(f"\n{outcome.notebook}, {outcome.variant}: did not run: {outcome.error}")
        if outcome.changed:
            print(f"\n{outcome.notebook}, {outcome.variant}:")
            for line in outcome.changed:
                print(f"  {line}")


def write_report(paths: list[Path], outcomes: list[Outcome], variants: list[Variant]) -> None:
    """Record which lesson (by fingerprint) held under which variants, keeping other lessons' entries."""
    with open(REPORT.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two runs of this tool may finish at the same time
        _merge_into_report(paths, outcomes, variants)
    print(f"\nwrote {REPORT.relative_to(ROOT)}")


def _merge_into_report(paths: list[Path], outcomes: list[Outcome], variants: list[Variant]) -> None:
    report = json.loads(REPORT.read_text()) if REPORT.exists() else {"lessons": {}}
    for path in paths:
        mine = [outcome for outcome in outcomes if outcome.notebook == path.name]
        report["lessons"][path.name] = {
            "fingerprint": fingerprint(json.loads(path.read_text())),
            "variants": {
                outcome.variant: {
                    "changed": outcome.changed,
                    "error": outcome.error,
                    "seconds": round(outcome.seconds),
                }
                for outcome in mine
            },
            "cpu": f"{platform.machine()}, {'with' if has_avx2() else 'without'} AVX2, {os.cpu_count()} cores",
            "date": time.strftime("%Y-%m-%d"),
        }
    report.setdefault("variants_meaning", {}).update({variant.name: variant.summary() for variant in variants})
    REPORT.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--seeds", nargs="+", type=int, default=list(DEFAULT_SEEDS))
    parser.add_argument("--jobs", type=int, default=2, help="lessons run at the same time (default 2)")
    parser.add_argument(
        "--seeds-only",
        action="store_true",
        help="each given seed once, with oneDNN on, and nothing else (a quick look at a new seed)",
    )
    parser.add_argument("--write-report", action="store_true", help=f"record the outcome in {REPORT.name}")
    parser.add_argument("--execute", nargs=2, type=Path, metavar=("SOURCE", "TARGET"), help=argparse.SUPPRESS)
    options = parser.parse_args(arguments)
    if options.execute:
        execute(*options.execute)
        return 0
    if options.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {options.jobs}")
    paths = options.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    if options.seeds_only and options.write_report:
        parser.error("--seeds-only is a quick look: it cannot --write-report (the record needs every variant)")
    variants = [Variant(seed, onednn=True) for seed in options.seeds] if options.seeds_only else None
    variants = variants or default_variants(options.seeds)
    tasks = [(path, variant) for path in paths for variant in variants]
    print(f"{len(tasks)} runs ({len(paths)} lessons x {len(variants)} variants), {options.jobs} at a time", flush=True)
    outcomes = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=options.jobs) as pool:
        futures = {pool.submit(run_variant, path, variant): (path, variant) for path, variant in tasks}
        for future in concurrent.futures.as_completed(futures):
            outcome = future.result()
            outcomes.append(outcome)
            state = outcome.error and "error" or (f"{len(outcome.changed)} changed" if outcome.changed else "ok")
            print(f"  {outcome.notebook}, {outcome.variant}: {state} ({outcome.seconds:.0f} s)", flush=True)
    order = {(path.name, variant.name): i for i, (path, variant) in enumerate(tasks)}
    outcomes.sort(key=lambda outcome: order[(outcome.notebook, outcome.variant)])
    print()
    print_table(outcomes, [path.name for path in paths], [variant.name for variant in variants])
    if options.write_report:
        write_report(paths, outcomes, variants)
    return 0 if all(not outcome.changed and not outcome.error for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

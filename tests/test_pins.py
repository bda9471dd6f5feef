"""requirements.lock (used by `make lab`, `make test` and CI) and environment.yml (Binder, conda) must pin the same."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def lock_pins() -> set[str]:
    lines = (ROOT / "requirements.lock").read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def environment_pins() -> set[str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [entry["pip"] for entry in environment["dependencies"] if isinstance(entry, dict)]
    assert len(pip_sections) == 1, "environment.yml must have one pip section"
    return {line for line in pip_sections[0] if "==" in line}


def test_every_pin_is_exact():
    assert lock_pins() and all("==" in pin for pin in lock_pins())


def test_environment_yml_pins_the_same_versions_as_the_lock():
    only_lock, only_env = lock_pins() - environment_pins(), environment_pins() - lock_pins()
    assert not only_lock and not only_env, (
        f"run `make pins`: only in lock {only_lock}, only in environment.yml {only_env}"
    )


def test_core_stack_is_pinned():
    names = {pin.split("==")[0].lower() for pin in lock_pins()}
    for package in ("tensorflow", "keras", "scikit-learn", "matplotlib", "ipywidgets", "jupyterlab", "nbval", "pytest"):
        assert package in names

"""The versions a lesson runs on, against the pins the course was written and checked with.

On Colab, or any environment not built from ``requirements.lock``, TensorFlow, Keras and
their companions are other versions than the pinned ones, and a lesson's numbers can then
differ from the ones its text quotes. ``lessons_lib.setup()`` says so in one sentence.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

#: The packages whose version changes what a lesson prints (and ipywidgets, its sliders).
WATCHED = ("tensorflow", "keras", "numpy", "scikit-learn", "matplotlib", "ipywidgets", "keras-tuner")
LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"


def pinned_versions(lock: Path = LOCK) -> dict[str, str]:
    """``{package: version}`` of the watched packages in ``lock``; empty where there is no lock file."""
    try:
        text = lock.read_text()
    except OSError:  # installed without the repository (a wheel): nothing to compare with
        return {}
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", text, flags=re.MULTILINE))
    return {name: pins[name] for name in WATCHED if name in pins}


def installed_version(package: str) -> str | None:
    """The installed version, or None; ``tensorflow-cpu`` (Binder) counts as ``tensorflow``."""
    for candidate in (package, f"{package}-cpu") if package == "tensorflow" else (package,):
        try:
            return metadata.version(candidate)
        except metadata.PackageNotFoundError:
            continue
    return None


def differences(pinned: dict[str, str], installed: dict[str, str | None]) -> list[str]:
    """``"TensorFlow 2.18.0 (pinned 2.21.0)"`` for each watched package whose version is not the pin."""
    return [
        f"{name} {installed.get(name) or 'missing'} (pinned {version})"
        for name, version in pinned.items()
        if installed.get(name) != version
    ]


def version_note(lock: Path = LOCK) -> str | None:
    """One sentence when this environment's versions are not the course's pins, else None."""
    pinned = pinned_versions(lock)
    found = differences(pinned, {name: installed_version(name) for name in pinned})
    if not found:
        return None
    return (
        f"This environment runs {', '.join(found)}: the lessons were checked with the pinned "
        "versions (requirements.lock), so numbers may differ from the ones the text quotes."
    )

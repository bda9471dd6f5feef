"""Binder builds the course with repo2docker's conda buildpack from environment.yml.

repo2docker's rules (its docs, "Configuration Files", and its conda buildpack): a
``python=X.Y`` dependency selects the interpreter; a pip section may name local requirements
such as ``-e .``, in which case repo2docker copies the whole repository before it installs
the environment, so ``lessons_lib`` is importable without a ``postBuild`` script.
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = yaml.safe_load((ROOT / "environment.yml").read_text())


def test_python_version_is_pinned_to_a_tensorflow_supported_minor():
    pythons = [dep for dep in ENVIRONMENT["dependencies"] if isinstance(dep, str) and dep.startswith("python")]
    assert len(pythons) == 1
    minor = int(re.fullmatch(r"python=3\.(\d+)", pythons[0]).group(1))
    assert 10 <= minor <= 13


def test_the_course_package_is_installed_from_the_repository():
    pip = next(dep["pip"] for dep in ENVIRONMENT["dependencies"] if isinstance(dep, dict))
    assert "-e ." in pip
    assert "pip" in ENVIRONMENT["dependencies"], "conda needs pip itself to install the pip section"

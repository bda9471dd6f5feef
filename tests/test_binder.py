"""Binder builds the course from ``binder/``, once per change of the pins.

What repo2docker (the builder behind mybinder.org and BinderHub) does, from its source
(jupyterhub/repo2docker):

- ``docs/source/use/repository.md``, "Where to put configuration files": repo2docker looks
  first in a folder ``binder/`` (or ``.binder/``), then in the root; "If one of the folders
  ``binder/`` or ``.binder/`` exists, only configuration files in that folder are considered,
  and configuration files in the root directory will be ignored." So the root
  ``environment.yml`` (with the test tools and ``-e .``) is for conda users only.
- ``repo2docker/buildpacks/base.py``: ``binder_path()`` resolves every configuration file
  (``runtime.txt``, ``apt.txt``, ``postBuild``, ``start``) inside that folder; ``runtime.txt``
  reads ``python-X.Y``.
- ``repo2docker/buildpacks/python/__init__.py``: ``requirements.txt`` is installed in the
  *pre-assemble* step, before the repository is copied into the image, unless it names a
  local reference (``-e .``, a path) or the repository is itself a Python package;
  ``_is_python_package()`` is False whenever a ``binder/`` folder exists, so our root
  ``pyproject.toml`` does not force a full copy either. That step is a cached image layer:
  a commit that does not touch ``binder/requirements.txt`` need not reinstall TensorFlow.
- ``docs/source/config_files.rst``, ``postBuild``: runs "after the whole repository has been
  built" (copied), so ``binder/postBuild`` installs ``lessons_lib`` from the checkout
  (``pip install --no-deps -e .``) and the JupyterLab settings; it takes seconds. (Not with
  ``--no-build-isolation``: the pinned setuptools 65.5 cannot read ``license = "MIT"``.)

With repo2docker installed (``LESSONS_REPO2DOCKER=/path/to/repo2docker``; checked with
jupyter-repo2docker 2026.4.0), the last test reads repo2docker's own build plan for this
repository and sees the order above.
"""

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
sys.path.insert(0, str(ROOT / "tools"))

import sync_binder  # noqa: E402

TEST_ONLY = {"pytest", "pytest-xdist", "nbval", "testbook", "playwright", "ruff", "coverage", "execnet", "iniconfig"}


def binder_pins() -> dict[str, str]:
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    pins = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return {sync_binder.normalise(pin.split("==")[0]): pin.split("==")[1] for pin in pins}


def test_binder_folder_holds_only_what_repo2docker_should_read():
    assert {path.name for path in BINDER.iterdir()} == {"requirements.txt", "runtime.txt", "postBuild"}


def test_every_binder_line_is_an_exact_pin_and_none_is_local():
    lines = [line for line in (BINDER / "requirements.txt").read_text().splitlines() if line and line[0] != "#"]
    assert lines and all(re.fullmatch(r"[A-Za-z0-9._-]+==[^\s;]+", line) for line in lines), (
        "a local reference (-e ., a path) would make repo2docker copy the whole repository before installing"
    )


def test_binder_requirements_are_in_step_with_the_lock():
    expected, current = sync_binder.render(), (BINDER / "requirements.txt").read_text()
    assert current == expected, "binder/requirements.txt is out of step: run .venv/bin/python tools/sync_binder.py"


def test_tensorflow_is_the_cpu_build_at_the_locked_version():
    pins, lock = binder_pins(), sync_binder.lock_pins()
    assert "tensorflow" not in pins
    assert pins["tensorflow-cpu"] == lock["tensorflow"].split("==")[1]


def test_no_test_tool_reaches_the_learner():
    assert not TEST_ONLY & set(binder_pins()), TEST_ONLY & set(binder_pins())


def test_every_package_a_lesson_imports_is_there():
    pins = binder_pins()
    for package in (
        "keras",
        "scikit-learn",
        "matplotlib",
        "ipywidgets",
        "pillow",
        "keras-tuner",
        "tensorboard",
        "jupyterlab",
        "ipykernel",
        "numpy",
    ):
        assert package in pins, package


def test_python_version_is_pinned_to_a_tensorflow_supported_minor_and_matches_conda():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    minor = int(re.fullmatch(r"python-3\.(\d+)", runtime).group(1))
    assert 10 <= minor <= 13
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"python=3.{minor}" in environment["dependencies"], "binder/runtime.txt and environment.yml disagree"


def test_conda_users_environment_still_installs_the_course():
    """The root environment.yml is what `conda env create` reads (Binder ignores it now)."""
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(dep["pip"] for dep in environment["dependencies"] if isinstance(dep, dict))
    assert "-e ." in pip
    assert "pip" in environment["dependencies"], "conda needs pip itself to install the pip section"


def test_pyproject_extras_name_only_packages_binder_installs():
    project = sync_binder.tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = binder_pins()
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["lessons"]]:
        name = sync_binder.normalise(re.split(r"[<>=\[ ]", requirement)[0])
        assert sync_binder.RENAMED.get(name, name) in pins, name


@pytest.mark.skipif(not Path("/bin/bash").exists(), reason="postBuild is a bash script")
def test_post_build_installs_the_course_and_the_lab_settings(tmp_path):
    """Run binder/postBuild as repo2docker would (cwd = the repository), with a stand-in pip."""
    post_build = BINDER / "postBuild"
    assert post_build.stat().st_mode & stat.S_IXUSR, "repo2docker runs postBuild only if it is executable"
    assert post_build.read_text().startswith("#!/bin/bash")
    fake_bin, prefix, log = tmp_path / "bin", tmp_path / "prefix", tmp_path / "calls"
    fake_bin.mkdir()
    (fake_bin / "python").write_text(f'#!/bin/bash\necho "$@" >> {log}\n')
    (fake_bin / "python").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake_bin}:{os.environ['PATH']}", "NB_PYTHON_PREFIX": str(prefix)}
    subprocess.run([str(post_build)], cwd=ROOT, env=env, check=True)
    assert log.read_text().split() == "-m pip install --no-cache-dir --no-deps -e .".split()
    installed = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.read_text() == (ROOT / "jupyter" / "overrides.json").read_text()


def test_no_binder_package_pulls_the_full_tensorflow_back_in():
    """pip would install ``tensorflow`` beside ``tensorflow-cpu`` if a package required it by name."""
    import importlib.metadata as metadata

    from packaging.requirements import Requirement

    pulling = []
    for name in binder_pins():
        if name == "tensorflow-cpu":
            continue
        for line in metadata.distribution(name).requires or []:
            requirement = Requirement(line)
            if sync_binder.normalise(requirement.name) == "tensorflow" and (
                requirement.marker is None or requirement.marker.evaluate({"extra": ""})
            ):
                pulling.append(f"{name}: {line}")
    assert not pulling, pulling


REPO2DOCKER = os.environ.get("LESSONS_REPO2DOCKER") or shutil.which("repo2docker")


@pytest.mark.skipif(REPO2DOCKER is None, reason="repo2docker is not installed (set LESSONS_REPO2DOCKER=/path/to/it)")
def test_repo2docker_installs_the_pins_before_it_copies_the_repository(tmp_path):
    """repo2docker's own plan (``--no-build --debug`` prints the Dockerfile; no Docker needed)."""
    source = tmp_path / "repository"
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", ".ruff_cache", ".ipynb_checkpoints")
    shutil.copytree(ROOT, source, ignore=ignore)
    plan = subprocess.run(
        [REPO2DOCKER, "--no-build", "--debug", str(source)], capture_output=True, text=True, timeout=300
    )
    text = plan.stdout + plan.stderr
    assert "Building conda environment for python=3.11" in text, text[-3000:]
    install = text.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    copy_all = text.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    assert install < copy_all < text.index("./binder/postBuild"), "pins first, then the repository, then postBuild"
    assert "environment.yml" not in text, "the root environment.yml must not be read"

"""Colab-like environments: ipywidgets 7, and a first cell that must fetch the course itself.

Both tests build a second, small virtual environment with ``pip``, offline, from the pinned
wheels of ``tests/colab_like.lock`` that ``make test`` downloads into ``.venv/wheels`` before
it goes offline. Without those wheels they are skipped (on CI they fail instead): run
``make test`` once, or ``make .venv/wheels/.downloaded``.

The small environment is a venv of the same Python that sees ``.venv``'s packages behind its
own (a path line in a ``.pth`` file, so ``.venv``'s editable ``lessons_lib`` is *not* seen):

- ipywidgets 7 (Colab shipped 7.x for years): ``ipywidgets==7.8.5`` and the companions it
  needs are installed into it, shadowing ``.venv``'s ipywidgets 8; an explorer is built,
  displayed (its mime bundle, and ``IPython.display.display``) and moved with ``.set()``.
- the first cell: the lesson's own first code cell runs in a kernel of that venv, with
  ``HOME`` in a temporary folder and git told to fetch the course's GitHub URL from a local
  repository (``url.<local>.insteadOf``): it must clone, install, import ``lessons_lib``
  from the clone and return the settings.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import sync_repo_url  # noqa: E402

WHEELS = ROOT / ".venv" / "wheels"
LOCK = [
    line.strip()
    for line in (ROOT / "tests" / "colab_like.lock").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]
IPYWIDGETS_7 = [pin for pin in LOCK if not pin.startswith("setuptools")]


def wheels_missing() -> list[str]:
    """The pins of the lock that have no wheel in ``.venv/wheels`` (wheel names: ``name_with_underscores-version-``)."""
    names = [path.name.lower() for path in WHEELS.glob("*.whl")]
    prefixes = {pin: "{}-{}-".format(*pin.lower().replace("-", "_").split("==")) for pin in LOCK}
    return [pin for pin, prefix in prefixes.items() if not any(name.startswith(prefix) for name in names)]


if wheels_missing():
    if os.environ.get("CI"):
        raise RuntimeError(f"{WHEELS} lacks {wheels_missing()}: `make test` downloads them before it goes offline")
    pytest.skip(f"no wheels for {wheels_missing()} in {WHEELS}: `make test` downloads them", allow_module_level=True)
#: pip in the small environments, and in the first cell's kernel: the downloaded wheels, no index.
PIP_OFFLINE = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(WHEELS), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def overlay_venv(path: Path) -> Path:
    """A venv whose own packages come first and ``.venv``'s after them; returns its python."""
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    python = path / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    course_site = sysconfig.get_paths()["purelib"]  # .venv's site-packages (this interpreter's)
    (Path(purelib) / "zz_course_env.pth").write_text(course_site + "\n")
    return python


def pip_install(python: Path, *requirements: str) -> None:
    command = [str(python), "-m", "pip", "install", "--quiet", "--no-deps"]
    subprocess.run([*command, *requirements], check=True, timeout=600, env={**os.environ, **PIP_OFFLINE})


def test_an_explorer_and_the_quiz_work_under_ipywidgets_7(tmp_path):
    python = overlay_venv(tmp_path / "ipywidgets7")
    pip_install(python, *IPYWIDGETS_7)
    pth = next((tmp_path / "ipywidgets7").glob("lib/python*/site-packages/zz_course_env.pth"))
    pth.write_text(pth.read_text() + str(ROOT) + "\n")  # the course from this checkout
    code = textwrap.dedent(
        """
        import os
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        import ipywidgets
        from IPython.core.interactiveshell import InteractiveShell
        from IPython.display import display

        InteractiveShell.instance()  # display() as in a notebook: it calls _ipython_display_
        from lessons_lib.explore import regression_explorer

        assert ipywidgets.__version__.startswith("7."), ipywidgets.__version__
        from lessons_lib.versions import version_note
        assert "ipywidgets 7.8.5 (pinned 8." in version_note(), version_note()
        explorer = regression_explorer(epochs=20)
        bundle = explorer._repr_mimebundle_()
        view = bundle["application/vnd.jupyter.widget-view+json"]
        assert view["model_id"] == explorer.widget.model_id and "text/plain" in bundle
        display(explorer)
        first = explorer.history
        explorer.set(learning_rate=0.1)
        assert explorer.history != first and explorer.error is None
        from lessons_lib.quiz import Quiz

        quiz = Quiz(seed=7)
        display(quiz)  # builds its widgets: Image, Checkbox, RadioButtons, Button, HTML
        quiz.code_boxes["overfitting"].value = True
        quiz.check_button.click()
        assert quiz.last_feedback is not None and quiz.feedback.value, "no feedback after the check"
        print("ipywidgets", ipywidgets.__version__, "ok")
        """
    )
    run = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0 and "ok" in run.stdout, run.stdout + run.stderr[-3000:]


def local_repository(path: Path) -> Path:
    """A git repository of the working tree's course files (no .venv, no history)."""
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".ipynb_checkpoints", "*.egg-info", ".ruff_cache")
    shutil.copytree(ROOT, path, ignore=ignore)
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "course"]):
        subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *command], cwd=path, check=True)
    return path


def test_the_first_cell_fetches_and_installs_the_course_in_a_clean_environment(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    python = overlay_venv(tmp_path / "clean")
    check = subprocess.run([str(python), "-c", "import lessons_lib"], capture_output=True, text=True, cwd=tmp_path)
    assert check.returncode != 0, "the clean venv must not see the course"

    address = sync_repo_url.read_address(ROOT)
    repository = local_repository(tmp_path / "served")
    home = tmp_path / "home"
    home.mkdir()
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(f'[url "file://{repository}"]\n\tinsteadOf = {address.clone()}\n')  # no network
    kernels = tmp_path / "jupyter" / "kernels" / "clean"
    kernels.mkdir(parents=True)
    spec = {"argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"], "language": "python"}
    (kernels / "kernel.json").write_text(json.dumps({**spec, "display_name": "clean"}))

    lesson = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    first = sync_repo_url.first_code_cell(lesson)
    probe = nbformat.v4.new_code_cell("import lessons_lib, os\nprint(os.path.realpath(lessons_lib.__file__))")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(first.source), probe])
    environment = {
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "JUPYTER_PATH": str(tmp_path / "jupyter"),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        **PIP_OFFLINE,  # the first cell's `%pip install` builds the course with the pinned setuptools
    }
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        NotebookClient(
            notebook, kernel_name="clean", timeout=900, resources={"metadata": {"path": str(home)}}
        ).execute()
    finally:
        for name, value in saved.items():
            os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)
    clone = home / address.name
    assert (clone / ".git").is_dir(), "the first cell did not clone into ~/" + address.name
    printed = "".join(output.get("text", "") for output in notebook.cells[1].outputs)
    assert printed.strip() == str((clone / "lessons_lib" / "__init__.py").resolve()), printed
    assert notebook.cells[0].outputs, "the first cell shows the settings it used"

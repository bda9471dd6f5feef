"""The course's address is kept in one place (pyproject.toml) and written everywhere from it.

`tools/sync_repo_url.py --check` must find every Binder and Colab badge, the hub link and each
lesson's first cell in agreement; a fork's one command must point all of them at the fork
without touching anything else.
"""

import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import sync_repo_url  # noqa: E402

FORK = "https://github.com/me/fork"


def test_everything_agrees_with_pyproject(capsys):
    assert sync_repo_url.main(["--check"]) == 0, capsys.readouterr().out


def test_the_address_is_in_project_urls():
    address = sync_repo_url.read_address(ROOT)
    assert address.url == "https://github.com/reading-the-curves/reading-the-curves"
    assert address.branch == "main"


def test_the_hub_link_clones_shallow_into_the_folder_the_first_cell_uses():
    address = sync_repo_url.read_address(ROOT)
    link = address.hub_link()
    assert "&depth=1&" in link and "branch=main" in link
    assert "urlpath=lab%2Ftree%2Freading-the-curves%2Fnotebooks%2F00_start_here.ipynb" in link
    assert link in (ROOT / "README.md").read_text()
    assert address.folder() == "~/reading-the-curves"


@pytest.fixture
def copy(tmp_path):
    """The files the tool reads and writes, copied (notebooks included)."""
    for name in ("pyproject.toml", "README.md", "docs/teaching.md", "docs/hub/Dockerfile"):
        if (ROOT / name).exists():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return tmp_path


def test_a_fork_points_everything_at_itself_in_one_command(copy, capsys):
    before = {path.name: nbformat.read(path, as_version=4) for path in copy.glob("notebooks/[0-9][0-9]_*.ipynb")}
    readme_before = (copy / "README.md").read_text()

    assert sync_repo_url.main([FORK, "--root", str(copy)]) == 0
    assert sync_repo_url.main(["--check", "--root", str(copy)]) == 0, capsys.readouterr().out

    assert f'Repository = "{FORK}"' in (copy / "pyproject.toml").read_text()
    for name in ("README.md", "docs/teaching.md"):
        if (copy / name).exists():
            assert "~/reading-the-curves" not in (copy / name).read_text(), name
            assert "reading-the-curves/reading-the-curves" not in (copy / name).read_text(), name
            assert "reading-the-curves%2Freading-the-curves" not in (copy / name).read_text(), name
    readme = (copy / "README.md").read_text()
    assert readme.count("https://mybinder.org/v2/gh/me/fork/HEAD?labpath=") == readme_before.count(
        "mybinder.org/v2/gh/"
    )
    assert readme.count("https://colab.research.google.com/github/me/fork/blob/main/notebooks/") == readme_before.count(
        "colab.research.google.com/github/"
    )
    assert "repo=https%3A%2F%2Fgithub.com%2Fme%2Ffork&branch=main&depth=1&urlpath=lab%2Ftree%2Ffork%2F" in readme
    assert "https://github.com/jupyterhub/nbgitpuller" in readme, "links to other repositories stay"
    assert "ENV PYTHONPATH=/home/jovyan/fork\n" in (copy / "docs" / "hub" / "Dockerfile").read_text()
    assert len(readme.splitlines()) == len(readme_before.splitlines())

    for path in copy.glob("notebooks/[0-9][0-9]_*.ipynb"):
        after, old = nbformat.read(path, as_version=4), before[path.name]
        first = sync_repo_url.first_code_cell(after)
        assert "git clone --quiet --depth 1 https://github.com/me/fork.git" in first.source, path.name
        assert 'os.path.expanduser("~/fork")' in first.source, path.name
        assert "reading-the-curves" not in first.source, path.name
        changed = [i for i, (a, b) in enumerate(zip(after.cells, old.cells, strict=True)) if a != b]
        assert changed == [after.cells.index(first)], f"{path.name}: only the first code cell may change"


def test_check_lists_a_disagreeing_badge_and_fails(copy, capsys):
    readme = copy / "README.md"
    readme.write_text(
        readme.read_text().replace("mybinder.org/v2/gh/reading-the-curves/", "mybinder.org/v2/gh/someone/", 1)
    )
    assert sync_repo_url.main(["--check", "--root", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "README.md:" in out and "someone" in out and "should be:" in out
    assert sync_repo_url.main(["--root", str(copy)]) == 0
    assert sync_repo_url.main(["--check", "--root", str(copy)]) == 0


def test_check_names_a_first_cell_that_clones_elsewhere(copy, capsys):
    path = next(copy.glob("notebooks/01_*.ipynb"))
    notebook = nbformat.read(path, as_version=4)
    cell = sync_repo_url.first_code_cell(notebook)
    cell.source = cell.source.replace("reading-the-curves/reading-the-curves.git", "old/name.git")
    nbformat.write(notebook, path)
    assert sync_repo_url.main(["--check", "--root", str(copy)]) == 1
    assert path.name in capsys.readouterr().out


def test_only_github_addresses_are_accepted():
    with pytest.raises(SystemExit, match="github.com"):
        sync_repo_url.parse_url("https://gitlab.com/me/fork")
    assert sync_repo_url.parse_url("https://github.com/me/fork.git/").name == "fork"

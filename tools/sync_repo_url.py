"""Write the course's own address everywhere it appears, from the one place it is kept.

    python tools/sync_repo_url.py                                  # rewrite from pyproject.toml
    python tools/sync_repo_url.py https://github.com/me/fork       # a fork: point everything at it
    python tools/sync_repo_url.py --check                          # list disagreements, exit 1 if any

The address lives in ``[project.urls] Repository`` of ``pyproject.toml``, and the branch the
links open in ``[tool.reading-the-curves] branch``. From them this tool writes:

- README.md and docs/teaching.md: the Binder and Colab badges and the nbgitpuller hub link
  (with ``depth=1``); when the address changes, also any plain link to the old address and
  the old clone folder ``~/<old name>``;
- docs/hub/Dockerfile: the student's copy ``/home/jovyan/<repository name>`` on ``PYTHONPATH``;
- every lesson's first code cell: the ``git clone`` URL and the folder it clones into
  (``~/<repository name>``, the folder nbgitpuller also uses on a hub).

``tests/test_repo_url.py`` runs ``--check``. Notebooks are rewritten through nbformat, code
cells' sources only; nothing else of a notebook changes.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import nbformat

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the copy pip vendors
    from pip._vendor import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
TEXT_FILES = ("README.md", "docs/teaching.md", "docs/hub/Dockerfile")
START_NOTEBOOK = "notebooks/00_start_here.ipynb"

_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*"
BINDER = re.compile(rf"https://mybinder\.org/v2/gh/{_NAME}/{_NAME}/[^?\s)\"']+")
COLAB = re.compile(rf"https://colab\.research\.google\.com/github/{_NAME}/{_NAME}/blob/[^/\s)\"']+/")
HUB = re.compile(r"https://HUB/hub/user-redirect/git-pull\?[^\s)\"'`]+")
CLONE = re.compile(rf"https://github\.com/{_NAME}/{_NAME}?\.git\b")
FOLDER = re.compile(r"""(?<=["'])~/[A-Za-z0-9._-]+(?=["'])""")
HUB_IMPORT_PATH = re.compile(r"(?<=ENV PYTHONPATH=/home/jovyan/)[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Address:
    owner: str
    name: str
    branch: str

    @property
    def url(self) -> str:
        return f"https://github.com/{self.owner}/{self.name}"

    def binder(self) -> str:
        return f"https://mybinder.org/v2/gh/{self.owner}/{self.name}/HEAD"

    def colab(self) -> str:
        return f"https://colab.research.google.com/github/{self.owner}/{self.name}/blob/{self.branch}/"

    def clone(self) -> str:
        return f"{self.url}.git"

    def folder(self) -> str:
        return f"~/{self.name}"

    def hub_link(self, notebook: str = START_NOTEBOOK) -> str:
        """The nbgitpuller link: a shallow clone (depth=1) into ~/<name>, opening ``notebook``."""
        return (
            "https://HUB/hub/user-redirect/git-pull"
            f"?repo={quote(self.url, safe='')}&branch={self.branch}&depth=1"
            f"&urlpath={quote(f'lab/tree/{self.name}/{notebook}', safe='')}"
        )


def parse_url(url: str, branch: str = "main") -> Address:
    """``https://github.com/owner/name`` (``.git`` and a trailing slash allowed) as an Address."""
    match = re.fullmatch(rf"https://github\.com/({_NAME})/({_NAME}?)(?:\.git)?/?", url.strip())
    if not match:
        raise SystemExit(
            f"expected https://github.com/<owner>/<name> (Binder and Colab links need GitHub), got {url!r}"
        )
    return Address(match.group(1), match.group(2), branch)


def read_address(root: Path = ROOT) -> Address:
    """The address kept in ``pyproject.toml``."""
    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    try:
        url = pyproject["project"]["urls"]["Repository"]
    except KeyError:
        raise SystemExit('pyproject.toml has no [project.urls] Repository = "https://github.com/..."') from None
    branch = pyproject.get("tool", {}).get("reading-the-curves", {}).get("branch", "main")
    return parse_url(url, branch)


def write_address(root: Path, address: Address) -> None:
    """Put ``address`` into pyproject.toml's ``Repository`` line (the file's only edit)."""
    path = root / "pyproject.toml"
    text, count = re.subn(r'(?m)^Repository = "[^"]*"$', f'Repository = "{address.url}"', path.read_text())
    if count != 1:
        raise SystemExit('pyproject.toml must have exactly one line Repository = "..." under [project.urls]')
    path.write_text(text)


def rewrite_text(text: str, address: Address, old: Address | None = None) -> str:
    """``text`` with every badge, hub link and clone URL of the course pointing at ``address``."""
    text = BINDER.sub(address.binder(), text)
    text = COLAB.sub(address.colab(), text)
    text = HUB.sub(lambda match: address.hub_link(_hub_notebook(match.group(0), address)), text)
    text = HUB_IMPORT_PATH.sub(address.name, text)  # the hub image: the student's copy first on the path
    if old is not None and (old.owner, old.name) != (address.owner, address.name):
        plain = rf"https://github\.com/{re.escape(old.owner)}/{re.escape(old.name)}(?![A-Za-z0-9._-])"
        text = re.sub(plain, address.url, text)
        text = re.sub(rf"~/{re.escape(old.name)}(?![A-Za-z0-9._-])", address.folder(), text)
    return text


def _hub_notebook(link: str, address: Address) -> str:
    """The notebook a hub link opens (kept when the address changes), lesson 00 if unreadable."""
    match = re.search(r"urlpath=lab%2Ftree%2F[^%&]+%2F([^&\s]+)", link)
    return match.group(1).replace("%2F", "/") if match else START_NOTEBOOK


def rewrite_first_cell(source: str, address: Address) -> str:
    """The bootstrap cell with its clone URL and folder pointing at ``address``."""
    return FOLDER.sub(address.folder(), CLONE.sub(address.clone(), source))


def first_code_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    return next((cell for cell in notebook.cells if cell.cell_type == "code"), None)


@dataclass
class Change:
    path: Path
    before: str
    after: str
    new_text: str | None = None  # text files
    notebook: nbformat.NotebookNode | None = None  # notebooks

    def lines(self, root: Path) -> list[str]:
        old, new = self.before.splitlines(), self.after.splitlines()
        rel = self.path.relative_to(root)
        out = []
        for number, (a, b) in enumerate(zip(old, new, strict=False), start=1):
            if a != b:
                out.append(f"{rel}:{number}: {a.strip()}\n{' ' * len(str(rel))}  should be: {b.strip()}")
        return out or [f"{rel}: differs"]


def plan(root: Path, address: Address, old: Address | None = None) -> tuple[list[Change], list[str]]:
    """Every file whose address disagrees with ``address``, and problems no rewrite can fix."""
    changes: list[Change] = []
    problems: list[str] = []
    for name in TEXT_FILES:
        path = root / name
        if not path.exists():
            continue
        text = path.read_text()
        new = rewrite_text(text, address, old)
        if new != text:
            changes.append(Change(path, text, new, new_text=new))
    if (root / "README.md").exists() and not HUB.search((root / "README.md").read_text()):
        problems.append("README.md: no nbgitpuller hub link (https://HUB/hub/user-redirect/git-pull?...) found")
    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        cell = first_code_cell(notebook)
        if cell is None or not CLONE.search(cell.source):
            problems.append(
                f"{path.relative_to(root)}: the first code cell clones no https://github.com/<owner>/<name>.git"
            )
            continue
        new = rewrite_first_cell(cell.source, address)
        if new != cell.source:
            before = cell.source
            cell.source = new
            changes.append(Change(path, before, new, notebook=notebook))
    return changes, problems


def apply(changes: list[Change]) -> None:
    for change in changes:
        if change.notebook is not None:
            nbformat.write(change.notebook, change.path)
        else:
            change.path.write_text(change.new_text)


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", help="a new address, https://github.com/<owner>/<name> (a fork)")
    parser.add_argument("--check", action="store_true", help="change nothing; list disagreements, exit 1 if any")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)  # tests run it on copies
    options = parser.parse_args(arguments)
    root = options.root.resolve()
    current = read_address(root)
    if options.url and options.check:
        parser.error("--check compares with pyproject.toml; give a URL only to change the address")
    address = parse_url(options.url, current.branch) if options.url else current
    changes, problems = plan(root, address, old=current if options.url else None)
    if options.check:
        for change in changes:
            print("\n".join(change.lines(root)))
        for problem in problems:
            print(problem)
        if changes or problems:
            print(
                f"\n{len(changes)} file(s) disagree with {address.url} (pyproject.toml); "
                "run `python tools/sync_repo_url.py` to rewrite them."
            )
            return 1
        print(f"every badge, hub link and first cell points at {address.url} ({address.branch})")
        return 0
    if options.url:
        write_address(root, address)
    apply(changes)
    for change in changes:
        print(f"rewrote {change.path.relative_to(root)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(changes)} file(s) now point at {address.url}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""The README is the course's front door: every lesson is listed and every link works."""

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def lesson_table_rows() -> list[str]:
    return [line for line in README.splitlines() if re.match(r"\|\s*\[?\d\d", line)]


def test_every_notebook_is_in_the_lesson_table():
    rows = "\n".join(lesson_table_rows())
    missing = [path.name for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) if path.name not in rows]
    assert not missing, f"add these lessons to the README's lesson table: {missing}"


def test_every_relative_link_resolves():
    broken = []
    for target in LINK.findall(README):
        parsed = urlparse(target)
        if parsed.scheme or target.startswith("#"):
            continue
        if not (ROOT / unquote(parsed.path)).exists():
            broken.append(target)
    assert not broken, f"README links to missing files: {broken}"


def test_readme_names_the_two_commands_and_ci_runs_the_test_command():
    assert "make lab" in README and "make test" in README
    ci_commands = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and line[0] not in "#"]
    assert ci_commands[-1] == "make test"

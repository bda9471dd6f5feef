"""Every cross-reference resolves, anchors included; nothing ships a placeholder or an outside document.

A learner who clicks "see lesson 06" must land on lesson 06, on the section meant. Anchors are
checked as JupyterLab makes them for notebooks (a heading's text with spaces as hyphens, or an
explicit ``<a id="...">``) and as GitHub makes them for Markdown files (lower case, punctuation
dropped, spaces as hyphens).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MARKDOWN_FILES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "data" / "README.md"]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HTML_ID = re.compile(r"""<a\s+(?:id|name)=["']([^"']+)["']""")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)

#: Text a user of the repository must never meet: promises of things that are not there, and
#: documents that live outside the repository.
FORBIDDEN = [
    "will appear below this cell",
    "will appear below",
    "TODO",
    "TBD",
    "placeholder",
    "GUIDE.md",
    "../shared",
    "shared/seeds",
]


def markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    return path.read_text()


def jupyter_anchors(markdown: str) -> set[str]:
    """Anchors JupyterLab gives a notebook's headings (text, spaces as hyphens) and explicit ids."""
    headings = {_plain(text).replace(" ", "-") for text in HEADING.findall(markdown)}
    return headings | set(HTML_ID.findall(markdown))


def github_anchors(markdown: str) -> set[str]:
    """Anchors GitHub gives a Markdown file's headings, and explicit ids."""
    anchors = set(HTML_ID.findall(markdown))
    for text in HEADING.findall(markdown):
        slug = re.sub(r"[^\w\- ]", "", _plain(text).lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def _plain(heading: str) -> str:
    """A heading's visible text: links, code marks and emphasis removed."""
    heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    return re.sub(r"[`*_]", "", heading).strip()


def anchors_of(path: Path) -> set[str]:
    markdown = markdown_of(path)
    return jupyter_anchors(markdown) if path.suffix == ".ipynb" else github_anchors(markdown)


def broken_links(path: Path) -> list[str]:
    broken = []
    for target in LINK.findall(markdown_of(path)):
        parsed = urlparse(target)
        if parsed.scheme in ("http", "https", "mailto"):
            continue
        destination = (path.parent / unquote(parsed.path)).resolve() if parsed.path else path
        if not destination.exists():
            broken.append(f"{target} (no such file)")
        elif parsed.fragment and destination.is_file() and destination.suffix in (".ipynb", ".md"):
            if unquote(parsed.fragment) not in anchors_of(destination):
                broken.append(f"{target} (no such heading or anchor)")
    return broken


@pytest.mark.parametrize("path", NOTEBOOKS + MARKDOWN_FILES, ids=lambda path: path.name)
def test_every_link_resolves(path):
    assert not broken_links(path), f"{path.name} links to what is not there: {broken_links(path)}"


def _shipped_text_files() -> list[Path]:
    files = [*NOTEBOOKS, *MARKDOWN_FILES, *sorted((ROOT / "lessons_lib").rglob("*.py"))]
    return files + sorted((ROOT / "tools").glob("*.py")) + sorted((ROOT / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("path", _shipped_text_files(), ids=lambda path: path.name)
def test_no_placeholder_and_no_outside_document(path):
    text = path.read_text()
    if path.suffix == ".ipynb":  # what a learner reads: the cells, not the saved outputs
        text = "\n".join("".join(cell["source"]) for cell in json.loads(text)["cells"])
    found = [word for word in FORBIDDEN if word in text]
    assert not found, f"{path.relative_to(ROOT)} contains {found}"


def test_the_anchor_rules_match_what_jupyterlab_and_github_make():
    assert "The-four-curves" in jupyter_anchors("## The four curves")
    assert "the-four-curves-made-precise" in github_anchors("## The four curves, made precise")
    assert "glossary-dropout" in jupyter_anchors('<a id="glossary-dropout"></a>')


#: Terms of lesson 00's glossary, as they appear in prose (outside code marks).
GLOSSARY_TERMS = {
    "dense-layer": r"\bdense layers?\b",
    "relu": r"\bReLU\b",
    "sigmoid": r"\bsigmoid\b",
    "softmax": r"\bsoftmax\b",
    "adam": r"\bAdam\b",
    "sgd": r"\bSGD\b",
    "one-hot": r"\bone-hot\b",
    "convolution": r"\bconvolution(?:s|al)?\b",
    "pooling": r"\bpooling\b",
    "dropout": r"\b[Dd]ropout\b",
    "learning-rate": r"\blearning rate\b",
    "gradient": r"\bgradients?\b",
    "regularization": r"\bregulari[sz]ation\b",
    "activation": r"\bactivation\b",
}
LESSONS = [path for path in NOTEBOOKS if path.name[:2].isdigit() and not path.name.startswith("00_")]


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_glossary_terms_link_to_the_glossary(path):
    """A learner who meets 'softmax' in lesson 07 can look it up in one click."""
    glossary = jupyter_anchors(markdown_of(ROOT / "notebooks" / "00_start_here.ipynb"))
    markdown = markdown_of(path)
    # code blocks, inline code and links (titles of other lessons) aside
    prose = re.sub(r"```.*?```|`[^`]*`|\[[^\]]*\]\([^)]*\)", "", markdown, flags=re.DOTALL)
    unlinked = [
        term
        for term, pattern in GLOSSARY_TERMS.items()
        if f"glossary-{term}" in glossary
        and re.search(pattern, prose)
        and f"00_start_here.ipynb#glossary-{term})" not in markdown
    ]
    assert not unlinked, f"{path.name} uses these glossary terms without linking them: {unlinked}"

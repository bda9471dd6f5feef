"""No lesson may run an API that the seeds use but current libraries removed or changed.

Two rules, checked on the code cells of every notebook in ``notebooks/``:

1. ``ImageDataGenerator`` is deprecated (Keras 3 keeps it only in the legacy ``tf.keras``
   namespace): no code cell may import, call or otherwise name it. Markdown cells, comments
   and strings may mention it, because the detector reads the syntax tree (``ast``), in
   which comments do not exist and a string is a constant, not a name.
2. ``compute_class_weight`` takes ``classes`` and ``y`` as keyword-only arguments since
   scikit-learn 1.0 (seed 002 passes them by position, which raises ``TypeError``): a call
   that passes more than its first argument (``class_weight``, which may still be positional)
   by position, or unpacks ``*args`` into it, is refused, whether it is spelled
   ``compute_class_weight(...)``, ``class_weight.compute_class_weight(...)`` or through an
   import alias. (The lessons write all three as keywords; the rule refuses what breaks.)

How the intentional demonstration of the seed's positional call (lesson 04) is recognised:
a refused ``compute_class_weight`` call is allowed only when it sits in the body of a
``try:`` statement one of whose ``except`` clauses names ``TypeError`` (alone or in a
tuple), with no function, lambda or class boundary in between. That is exactly the shape
of a cell that shows the call *failing*; a positional call that is meant to run, or one
wrapped in a handler that would hide a different error (``except Exception``), still fails
the test. The rule for ``ImageDataGenerator`` has no such exemption: the lessons describe it
in prose and tables, they never run it.

Cells are parsed with IPython's own input transformer, so ``%magics`` and ``!shell`` lines
do not break parsing. A cell that is not valid Python fails the test with its location.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

DEPRECATED_NAMES = {
    "ImageDataGenerator": (
        "ImageDataGenerator is deprecated: use keras.utils.image_dataset_from_directory and Keras preprocessing layers"
    ),
}
KEYWORD_ONLY_FUNCTIONS = {"compute_class_weight"}
_BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_TRY_NODES = tuple(node for node in (ast.Try, getattr(ast, "TryStar", None)) if node is not None)


@dataclass(frozen=True)
class Finding:
    line: int
    message: str


def _imported_aliases(tree: ast.AST, names: set[str]) -> dict[str, str]:
    """``{local name: original name}`` for ``from m import name as alias`` of the watched names."""
    aliases = {name: name for name in names}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in names and alias.asname:
                    aliases[alias.asname] = alias.name
    return aliases


def _called_name(func: ast.expr, aliases: dict[str, str]) -> str | None:
    if isinstance(func, ast.Name):
        return aliases.get(func.id)
    if isinstance(func, ast.Attribute) and func.attr in aliases.values():
        return func.attr
    return None


def _passes_keyword_only_by_position(call: ast.Call) -> bool:
    """More than one positional argument, or ``*args`` that may hold any number of them."""
    return len(call.args) > 1 or any(isinstance(argument, ast.Starred) for argument in call.args)


def _catches_type_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(kind, ast.Name) and kind.id == "TypeError" for kind in kinds)


def _inside_try_expecting_type_error(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """True if ``node`` is in the body of a ``try`` that catches ``TypeError``, within the same scope."""
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(child, _BOUNDARIES):
        if isinstance(parent, _TRY_NODES) and child in parent.body:
            if any(_catches_type_error(handler) for handler in parent.handlers):
                return True
        child, parent = parent, parents.get(parent)
    return False


def find_api_misuse(source: str) -> list[Finding]:
    """Every use of a forbidden API in ``source`` (Python code), in line order."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    findings: list[Finding] = []

    deprecated = _imported_aliases(tree, set(DEPRECATED_NAMES))
    for node in ast.walk(tree):
        named = None
        if isinstance(node, ast.Name) and node.id in deprecated:
            named = deprecated[node.id]
        elif isinstance(node, ast.Attribute) and node.attr in DEPRECATED_NAMES:
            named = node.attr
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            named = next((a.name for a in node.names if a.name.split(".")[-1] in DEPRECATED_NAMES), None)
            named = named.split(".")[-1] if named else None
        if named:
            findings.append(Finding(node.lineno, DEPRECATED_NAMES[named]))

    keyword_only = _imported_aliases(tree, KEYWORD_ONLY_FUNCTIONS)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not _passes_keyword_only_by_position(node):
            continue
        name = _called_name(node.func, keyword_only)
        if name and not _inside_try_expecting_type_error(node, parents):
            findings.append(
                Finding(
                    node.lineno,
                    f"{name} gets keyword-only arguments by position (TypeError since scikit-learn 1.0): "
                    f"write {name}(class_weight=..., classes=..., y=...)",
                )
            )
    return sorted(findings, key=lambda finding: finding.line)


def code_cells(path: Path) -> list[tuple[int, str]]:
    """``(cell number, Python source)`` of each code cell, IPython syntax turned into Python."""
    from IPython.core.inputtransformer2 import TransformerManager

    transform = TransformerManager().transform_cell
    notebook = nbformat.read(path, as_version=4)
    return [(index, transform(cell.source)) for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_notebooks_use_no_removed_or_changed_api(path):
    problems = []
    for index, source in code_cells(path):
        try:
            findings = find_api_misuse(source)
        except SyntaxError as error:
            problems.append(f"cell {index}: not valid Python ({error.msg}, line {error.lineno})")
            continue
        problems.extend(f"cell {index}, line {finding.line}: {finding.message}" for finding in findings)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


# The detector itself, on small code strings.


@pytest.mark.parametrize(
    "source",
    [
        "from tensorflow.keras.preprocessing.image import ImageDataGenerator\n",
        "from keras.preprocessing.image import ImageDataGenerator as IDG\ngen = IDG(rescale=1 / 255)\n",
        "import tensorflow as tf\ngen = tf.keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255)\n",
        "gen = ImageDataGenerator()\n",
        "make = ImageDataGenerator\n",
        "try:\n    ImageDataGenerator()\nexcept TypeError:\n    pass\n",
    ],
)
def test_detector_finds_image_data_generator(source):
    findings = find_api_misuse(source)
    assert findings and "ImageDataGenerator is deprecated" in findings[0].message


@pytest.mark.parametrize(
    "source",
    [
        # the seed's call, exactly
        "class_weights = class_weight.compute_class_weight('balanced',\n"
        "                                                 np.unique(y_train),\n"
        "                                                 y_train)\n",
        "compute_class_weight('balanced', np.unique(y), y=y)\n",
        "from sklearn.utils.class_weight import compute_class_weight as ccw\nw = ccw('balanced', c, y)\n",
        "w = compute_class_weight(*arguments)\n",
        # a handler that catches something else, or everything, does not count
        "try:\n    compute_class_weight('balanced', c, y)\nexcept ValueError:\n    pass\n",
        "try:\n    compute_class_weight('balanced', c, y)\nexcept Exception:\n    pass\n",
        # the call must be in the try body, not in its handler, else or finally
        "try:\n    pass\nexcept TypeError:\n    compute_class_weight('balanced', c, y)\n",
        "try:\n    pass\nexcept TypeError:\n    pass\nelse:\n    compute_class_weight('balanced', c, y)\n",
        # a function defined inside the try runs later, outside it
        "try:\n    def f():\n        return compute_class_weight('balanced', c, y)\nexcept TypeError:\n    pass\nf()\n",
    ],
)
def test_detector_finds_positional_compute_class_weight(source):
    findings = find_api_misuse(source)
    assert len(findings) == 1 and "compute_class_weight gets keyword-only arguments by position" in findings[0].message


@pytest.mark.parametrize(
    "source",
    [
        "w = compute_class_weight(class_weight='balanced', classes=np.unique(y), y=y)\n",
        "w = class_weight.compute_class_weight(class_weight='balanced', classes=c, y=y, sample_weight=s)\n",
        "w = compute_class_weight(**options)\n",
        # class_weight is the one argument scikit-learn still accepts by position
        "w = compute_class_weight('balanced', classes=np.unique(y), y=y)\n",
        # the lesson's demonstration: the seed's call, shown failing
        "try:\n    class_weight.compute_class_weight('balanced', np.unique(y), y)\n"
        "except TypeError as error:\n    print(error)\n",
        "try:\n    if True:\n        compute_class_weight('balanced', c, y)\n"
        "except (ValueError, TypeError):\n    pass\n",
        # words in comments and strings are not code
        "# the seed used ImageDataGenerator(rescale=1./255) and compute_class_weight('balanced', c, y)\nx = 1\n",
        "print('ImageDataGenerator is deprecated')\n",
        "layer = keras.layers.RandomRotation(20 / 360)\n",
    ],
)
def test_detector_accepts_keyword_calls_comments_and_the_demonstration(source):
    assert find_api_misuse(source) == []


def test_detector_reports_line_numbers():
    source = "x = 1\n\ncompute_class_weight('balanced', c, y)\nfrom a import ImageDataGenerator\n"
    assert [finding.line for finding in find_api_misuse(source)] == [3, 4]


def test_code_cells_parse_magics_and_skip_markdown(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("`ImageDataGenerator(rescale=1./255)` was the old way"),
        nbformat.v4.new_code_cell("%matplotlib inline\n!ls\nw = compute_class_weight('balanced', c, y)"),
    ]
    path = tmp_path / "lesson.ipynb"
    nbformat.write(notebook, path)
    cells = code_cells(path)
    assert [index for index, _ in cells] == [1]
    assert [finding.line for finding in find_api_misuse(cells[0][1])] == [3]

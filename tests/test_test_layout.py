"""The tests' own layout: shared helpers live in the ``tests.helpers`` package; no test module
or conftest imports another test module, a conftest, or a loose helper module beside it."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.ImportFrom):
            names.append("." * node.level + (node.module or ""))
    return names


def test_test_modules_import_shared_code_only_from_tests_helpers():
    local = {p.stem for p in TESTS.rglob("*.py")} - {"__init__"}
    wrong = []
    for path in sorted(TESTS.rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if name.startswith("."):
                bad = not path.is_relative_to(TESTS / "helpers")
            elif top == "tests":
                bad = not (name == "tests.helpers" or name.startswith("tests.helpers."))
            else:
                bad = top in local or top == "conftest"
            if bad:
                wrong.append(f"{path.relative_to(TESTS)}: imports {name}")
    assert wrong == []


def test_the_check_sees_a_test_module_import(tmp_path):
    """The check above would see ``from tests.ui.desk_fixtures import x``."""
    sample = tmp_path / "test_sample.py"
    sample.write_text("from tests.ui.desk_fixtures import x\nimport conftest\n", encoding="utf-8")
    assert _imports(sample) == ["tests.ui.desk_fixtures", "conftest"]

"""The policy core stays pure and Qt stays in the UI: checked in a fresh interpreter."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(out.stdout.split())


def test_policy_imports_neither_qt_nor_sqlalchemy():
    mods = _imported_after("refund_desk.policy")
    assert not {m for m in mods if m.split(".")[0] in {"PySide6", "sqlalchemy", "alembic"}}


@pytest.mark.parametrize("package", ["refund_desk.store", "refund_desk.services"])
def test_store_and_services_do_not_import_qt(package):
    if not (ROOT / package.replace(".", "/")).exists():
        pytest.skip(f"{package} not present")
    mods = _imported_after(package)
    assert not {m for m in mods if m.startswith("PySide6")}


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("policy", r"PySide6|sqlalchemy|alembic"), ("store", r"PySide6"), ("services", r"PySide6")],
)
def test_no_source_file_names_a_forbidden_import(folder, forbidden):
    pattern = re.compile(rf"^\s*(from|import)\s+({forbidden})\b", re.M)
    for path in (ROOT / "refund_desk" / folder).rglob("*.py"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_import_linter_contracts_hold():
    lint = pathlib.Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter not installed")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

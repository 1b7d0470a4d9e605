"""Training's core is pure Python: no Qt anywhere in refund_desk/training, and loading packs or
grading does not even load SQLAlchemy (the training database is imported only when opened)."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODULES = [
    "pack",
    "pack_fields",
    "scenario",
    "scenario_parser",
    "grading",
    "session",
    "results",
    "report",
    "authoring",
    "database",
]


def _imported_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"import sys; {code}; print('\\n'.join(sorted(sys.modules)))"],
        check=True,
        capture_output=True,
        text=True,
    )
    return set(out.stdout.split())


def test_training_never_imports_qt():
    mods = _imported_after("; ".join(f"import refund_desk.training.{m}" for m in MODULES))
    assert not {m for m in mods if m.startswith("PySide6")}


def test_packs_and_grading_do_not_load_sqlalchemy():
    mods = _imported_after(
        "import refund_desk.training.pack as p, refund_desk.training.grading as g; "
        "pk = p.load_pack(p.builtin_packs_dir() / 'starter.json'); "
        "s = pk.scenarios[2]; q = s.quote(); g.grade(q, g.model_answer(q))"
    )
    assert not {m for m in mods if m.split(".")[0] in {"PySide6", "sqlalchemy", "alembic"}}


def test_no_training_source_names_qt():
    pattern = re.compile(r"^\s*(from|import)\s+PySide6\b", re.M)
    for path in (ROOT / "refund_desk" / "training").rglob("*.py"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path

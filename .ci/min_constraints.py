"""Print a pip constraints file that pins every dependency of pyproject.toml at its floor.

    python .ci/min_constraints.py [EXTRA ...] > constraints.txt

Reads ``[project] dependencies`` and the optional-dependency groups named (default ``test``);
for each requirement whose environment marker holds here, its ``>=`` floor becomes ``name==floor``.
A requirement without a ``>=`` floor is left free (and named on stderr). ``.ci/run``'s
min-versions stage installs the desk with these constraints and runs the policy, store and
services tests on them, so a floor the code no longer works with fails CI.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def floors(pyproject: dict, extras: list[str]) -> list[str]:
    """``["name==version", ...]`` for the requirements of ``pyproject`` (a parsed
    pyproject.toml) and its ``extras`` that apply to this interpreter, in file order; raises
    ``KeyError`` naming an extra the file does not have."""
    project = pyproject["project"]
    texts = list(project["dependencies"])
    for extra in extras:
        texts += project["optional-dependencies"][extra]
    pins: dict[str, str] = {}
    for text in texts:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        lower = [Version(s.version) for s in req.specifier if s.operator == ">="]
        if not lower:
            print(f"no floor for {req.name}: left free", file=sys.stderr)
            continue
        pins[req.name.lower()] = f"{req.name}=={max(lower)}"
    return list(pins.values())


def main(argv: list[str]) -> int:
    with open(ROOT / "pyproject.toml", "rb") as f:
        pyproject = tomllib.load(f)
    for line in floors(pyproject, argv or ["test"]):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Check a built bundle: every Qt library that a bundled binary links to is in the bundle.

    python packaging/check_bundle.py dist/refund-desk          # Linux, Windows
    python packaging/check_bundle.py "dist/Refund Desk.app"    # macOS

``refund_desk.spec`` drops Qt plugins and then the Qt libraries nothing links to any more; this
re-reads the link tables of the finished bundle (with PyInstaller's own binary analysis, so it
works on all three systems) and fails if a kept plugin or module needs a Qt library that was
dropped -- the kind of error that would otherwise show only on an operator's machine (say, the
xcb platform plugin on a Linux desktop, which CI's offscreen run never loads).

Exit status 0 when every Qt link resolves inside the bundle, 1 otherwise (names printed).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

BINARY_SUFFIXES = (".so", ".dll", ".pyd", ".dylib")
QT_NAME = re.compile(r"^(?:lib)?(Qt6?[A-Za-z0-9]+?)(?:\.so(?:\.[\d.]+)?|\.dll|\.dylib)?$")


def qt_key(name: str) -> str | None:
    """``Qt6Network`` for ``libQt6Network.so.6`` / ``Qt6Network.dll``, ``QtNetwork`` for
    ``@rpath/QtNetwork.framework/Versions/A/QtNetwork``; None for other libraries."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    m = QT_NAME.match(base)
    return m.group(1) if m else None


def is_binary(path: Path) -> bool:
    name = path.name
    if ".framework/" in path.as_posix() and path.parent.name == "A" and "." not in name:
        return True  # macOS framework binary: .../QtCore.framework/Versions/A/QtCore
    return name.endswith(BINARY_SUFFIXES) or ".so." in name


def check(bundle: Path) -> list[str]:
    """Problems found (``binary: needs missing Qt library``), empty when the bundle is whole."""
    from PyInstaller.depend import bindepend

    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    present = {qt_key(p.name) for p in files if is_binary(p)} - {None}
    problems = []
    for path in files:
        if not is_binary(path) or "PySide6" not in path.as_posix():
            continue
        try:
            imports = bindepend.get_imports(str(path))
        except Exception as exc:  # noqa: BLE001 -- report, do not crash the check
            problems.append(f"{path.relative_to(bundle)}: cannot read its link table ({exc})")
            continue
        for name, _ in imports:
            key = qt_key(name)
            if key and key not in present:
                problems.append(f"{path.relative_to(bundle)}: needs {name}, not in the bundle")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``argv`` = [bundle folder]. Returns the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: check_bundle.py BUNDLE_DIR", file=sys.stderr)
        return 2
    bundle = Path(args[0])
    problems = check(bundle)
    for line in problems:
        print(f"check_bundle: {line}", file=sys.stderr)
    if problems:
        return 1
    print(f"check_bundle: every Qt library link in {bundle} resolves inside the bundle")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What Qt goes into a Refund Desk bundle: used by ``refund_desk.spec`` and by
``benchmarks/bench_bundle.py`` (so the bare-window reference bundle can be trimmed the same way).

Three steps, all platform-neutral:

1. ``qt_excludes(source_dirs)``: every ``PySide6.Qt*`` Python module the sources do not import
   (QtCore, QtGui, QtWidgets always kept) -- a new ``import PySide6.QtSvg`` in the UI is picked up
   with no edit here.
2. ``plugin_dropped(dest)``: Qt plugins the desk cannot use (they drag in QtNetwork, QtQml,
   QtQuick, QtPdf, QtVirtualKeyboard, ...): whole plugin folders in ``PLUGIN_DROP_TYPES``, and
   in the folders of ``PLUGIN_KEEP_ONLY`` all but the named plugins.
3. ``prune(binaries, datas, qt_used)``: drop those plugins, then every Qt library that no remaining
   binary links to (a dependency closure computed with PyInstaller's own binary analysis: ldd on
   Linux, pefile on Windows, macholib on macOS).

``packaging/check_bundle.py`` re-checks the finished bundle: no kept binary may link to a dropped
Qt library.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

BASE_QT = {"QtCore", "QtGui", "QtWidgets"}

# Libraries only the tests, linters, notebooks or the build use; never wanted in the bundle.
# setuptools/distutils matter for start-up: when they are in the bundle, PyInstaller adds a
# runtime hook that imports setuptools before the desk's first line (about 80 ms).
TEST_EXCLUDES = [
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "pluggy",
    "iniconfig",
    "importlinter",
    "grimp",
    "ruff",
    "tkinter",
    "_tkinter",
    "IPython",
    "matplotlib",
    "numpy",
    "setuptools",
    "distutils",
    "_distutils_hack",
    "pkg_resources",
]

# Plugin folders the desk never uses.
PLUGIN_DROP_TYPES = {
    "designer",
    "egldeviceintegrations",
    "generic",
    "networkinformation",
    "networkaccess",
    "qmltooling",
    "sqldrivers",
    "tls",
    "vectorimageformats",
    "wayland-graphics-integration-server",
    "multimedia",
    "position",
    "sensors",
    "texttospeech",
    "webview",
    "renderers",
    "sceneparsers",
    "geometryloaders",
    "canbus",
    "scxmldatamodel",
    "qmllint",
    "assetimporters",
}
# For these folders keep only the named plugins (names without "lib" prefix or extension).
PLUGIN_KEEP_ONLY = {
    # xcb/wayland: Linux desktops; windows/direct2d: Windows; cocoa: macOS;
    # offscreen/minimal: --smoke in CI and headless checks.
    "platforms": {
        "qxcb",
        "qwayland",
        "qwayland-egl",
        "qwayland-generic",
        "qwindows",
        "qdirect2d",
        "qcocoa",
        "qoffscreen",
        "qminimal",
    },
    # PNG is built into QtGui; ico/icns read the app icon; jpeg/gif for pasted screenshots.
    "imageformats": {"qico", "qicns", "qjpeg", "qgif"},
    # compose + ibus: typing Chinese account names on Linux; no virtual keyboard (needs QtQuick).
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
}

_IMPORT_RE = re.compile(r"\bPySide6\.(Qt\w+)|\bfrom\s+PySide6\s+import\s+\(?([\w\s,]+)\)?")


def qt_modules_used(source_dirs: Iterable[Path]) -> set[str]:
    """``PySide6.Qt*`` module names imported by any ``*.py`` under ``source_dirs``, plus
    QtCore/QtGui/QtWidgets. Returns names like ``{"QtCore", "QtGui", "QtWidgets", "QtSvg"}``."""
    used = set(BASE_QT)
    for root in source_dirs:
        paths = [root] if root.is_file() else root.rglob("*.py")
        for path in paths:
            for m in _IMPORT_RE.finditer(path.read_text(encoding="utf-8", errors="replace")):
                if m.group(1):
                    used.add(m.group(1))
                else:
                    used.update(n for n in re.split(r"[\s,()]+", m.group(2)) if n.startswith("Qt"))
    return used


def qt_modules_installed() -> set[str]:
    """The ``PySide6.Qt*`` extension modules of the installed PySide6 wheel."""
    import PySide6

    found = set()
    for f in Path(PySide6.__file__).parent.iterdir():
        m = re.match(r"(Qt\w+)\.(?:abi3\.so|pyd|.*\.so|.*\.pyd)$", f.name)
        if m:
            found.add(m.group(1))
    return found


def qt_excludes(qt_used: set[str]) -> list[str]:
    """PyInstaller ``excludes`` for every installed PySide6 module not in ``qt_used``."""
    return sorted(f"PySide6.{m}" for m in qt_modules_installed() - qt_used)


def _norm(dest: str) -> str:
    return dest.replace("\\", "/")


def plugin_of(dest: str) -> tuple[str, str] | None:
    """(folder, name) when ``dest`` is a Qt plugin file (``.../plugins/platforms/libqxcb.so`` ->
    ``("platforms", "qxcb")``), else None."""
    m = re.search(r"(?:^|/)plugins/(.+)/([^/]+)$", _norm(dest))
    if not m:
        return None
    name = re.sub(r"^lib", "", m.group(2))
    name = re.sub(r"\.(so|dll|dylib)(\..*)?$", "", name)
    return m.group(1), name


def plugin_dropped(dest: str, qt_used: set[str]) -> bool:
    """Whether the bundle entry ``dest`` is a Qt plugin the desk does not need."""
    plugin = plugin_of(dest)
    if plugin is None or not _norm(dest).startswith("PySide6/"):
        return False
    kind, name = plugin
    drop = set(PLUGIN_DROP_TYPES)
    if "QtSvg" not in qt_used:
        drop.add("iconengines")  # the SVG icon engine needs QtSvg
    if "QtPrintSupport" not in qt_used:
        drop.add("printsupport")
    if kind.split("/")[0] in drop:
        return True
    keep = set(PLUGIN_KEEP_ONLY.get(kind, ()))
    if kind == "imageformats" and "QtSvg" in qt_used:
        keep.add("qsvg")
    return bool(keep) and name not in keep


def qt_lib_key(dest: str) -> str | None:
    """The Qt library ("Qt6Network"; "QtNetwork" for a macOS framework) a bundle entry belongs
    to, or None when it is not a Qt shared library (plugins and Python modules are not)."""
    d = _norm(dest)
    if "/plugins/" in d or not d.startswith("PySide6/"):
        return None
    m = re.search(r"/(Qt\w+)\.framework/", d)
    if m:
        return m.group(1)
    base = d.rsplit("/", 1)[-1]
    m = re.match(r"(?:lib)?(Qt6\w+?)(?:\.so(?:\.[\d.]+)?|\.dll)$", base)
    return m.group(1) if m else None


def import_key(name: str) -> str | None:
    """The Qt library key of a linked library name (``libQt6Gui.so.6``, ``Qt6Gui.dll``,
    ``@rpath/QtGui.framework/Versions/A/QtGui``), or None."""
    base = _norm(name).rsplit("/", 1)[-1]
    m = re.match(r"(?:lib)?(Qt6?[A-Za-z0-9]+?)(?:\.so(?:\.[\d.]+)?|\.dll|\.dylib)?$", base)
    return m.group(1) if m else None


def prune(
    binaries: list, datas: list, qt_used: set[str], log=print, get_imports=None
) -> tuple[list, list]:
    """Drop unused Qt plugins, then the Qt libraries no remaining binary links to (fixpoint).

    Args:
        binaries, datas: PyInstaller TOC lists of ``(dest_name, src_name, typecode)``.
        qt_used: Qt module names kept (``qt_modules_used``).
        log: where the one-line summary goes.
        get_imports: ``f(src_path) -> {(linked_name, resolved_path_or_None), ...}``; default
            PyInstaller's ``bindepend.get_imports`` (ldd / pefile / macholib).
    Returns:
        the pruned ``(binaries, datas)``.
    """
    if get_imports is None:
        from PyInstaller.depend.bindepend import get_imports

    binaries = [e for e in binaries if not plugin_dropped(e[0], qt_used)]
    libs: dict[str, list] = {}
    for e in binaries:
        key = qt_lib_key(e[0])
        if key:
            libs.setdefault(key, []).append(e)
    roots = [
        e
        for e in binaries
        if qt_lib_key(e[0]) is None and _norm(e[0]).startswith(("PySide6/", "shiboken6/"))
    ]

    def deps(src: str) -> set[str]:
        try:
            return {import_key(n) for n, _ in get_imports(src)} - {None}
        except Exception:  # noqa: BLE001 -- unreadable binary: keep everything it might need
            return set(libs)

    needed: set[str] = set()
    todo = [k for e in roots for k in deps(e[1])]
    while todo:
        key = todo.pop()
        if key in needed or key not in libs:
            continue
        needed.add(key)
        for _, src, _ in libs[key]:
            todo.extend(deps(src))
    dropped = sorted(set(libs) - needed)
    frameworks = [f"/{k}.framework/" for k in dropped]
    binaries = [e for e in binaries if qt_lib_key(e[0]) not in dropped]
    datas = [
        e
        for e in datas
        if not plugin_dropped(e[0], qt_used) and not any(f in "/" + _norm(e[0]) for f in frameworks)
    ]
    log(f"qt_trim: Qt modules kept {sorted(qt_used)}; Qt libraries dropped {dropped}")
    return binaries, datas

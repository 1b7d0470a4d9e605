"""The bundle's rules: which Qt plugins and libraries the spec drops (on all three systems' path
shapes), the Qt link check, and the spec's own promises (version from the package, launcher)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE = {"QtCore", "QtGui", "QtWidgets"}


@pytest.mark.parametrize(
    ("dest", "dropped"),
    [
        # Linux
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", True),  # links QtNetwork
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", False),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", True),  # links QtPdf
        ("PySide6/Qt/plugins/imageformats/libqico.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),  # no QtSvg in the desk
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", True),
        ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", False),
        # Windows
        ("PySide6\\plugins\\platforms\\qwindows.dll", False),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", False),
        ("PySide6\\plugins\\generic\\qtuiotouchplugin.dll", True),
        # macOS
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", False),
        ("PySide6/Qt/plugins/styles/libqmacstyle.dylib", False),
        # not a Qt plugin at all
        ("PySide6/QtWidgets.abi3.so", False),
        ("refund_desk/plugins/whatever/x.so", False),
    ],
)
def test_plugin_dropped(qt_trim, dest, dropped):
    assert qt_trim.plugin_dropped(dest, BASE) is dropped


def test_svg_plugins_kept_when_the_desk_imports_qtsvg(qt_trim):
    used = BASE | {"QtSvg"}
    assert not qt_trim.plugin_dropped("PySide6/Qt/plugins/iconengines/libqsvgicon.so", used)
    assert not qt_trim.plugin_dropped("PySide6/Qt/plugins/imageformats/libqsvg.so", used)
    assert qt_trim.plugin_dropped("PySide6/Qt/plugins/imageformats/libqsvg.so", BASE)


@pytest.mark.parametrize(
    ("dest", "key"),
    [
        ("PySide6/Qt/lib/libQt6Network.so.6", "Qt6Network"),
        ("PySide6\\Qt6Network.dll", "Qt6Network"),
        ("PySide6/Qt/lib/QtNetwork.framework/Versions/A/QtNetwork", "QtNetwork"),
        ("PySide6/Qt/lib/QtNetwork.framework/Resources/Info.plist", "QtNetwork"),
        ("PySide6/QtNetwork.abi3.so", None),  # the Python module, not the Qt library
        ("PySide6/Qt/plugins/platforms/libqxcb.so", None),
        ("PySide6/Qt/lib/libicudata.so.73", None),
        ("libQt6Core.so.6", None),  # outside PySide6/: not ours to judge
    ],
)
def test_qt_lib_key(qt_trim, dest, key):
    assert qt_trim.qt_lib_key(dest) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("libQt6Gui.so.6", "Qt6Gui"),
        ("Qt6Gui.dll", "Qt6Gui"),
        ("@rpath/QtGui.framework/Versions/A/QtGui", "QtGui"),
        ("libc.so.6", None),
        ("libicui18n.so.73", None),
    ],
)
def test_import_key_and_check_bundle_agree(qt_trim, check_bundle, name, key):
    assert qt_trim.import_key(name) == key
    assert check_bundle.qt_key(name) == key


def test_qt_modules_used_scans_sources(qt_trim, tmp_path):
    (tmp_path / "a.py").write_text("from PySide6.QtSvg import QSvgRenderer\n", encoding="utf-8")
    (tmp_path / "b.py").write_text(
        "from PySide6 import (QtPrintSupport,\n    QtCore)\nimport os\n", encoding="utf-8"
    )
    assert qt_trim.qt_modules_used([tmp_path]) == BASE | {"QtSvg", "QtPrintSupport"}


def test_qt_excludes_never_exclude_what_the_desk_imports(qt_trim):
    used = qt_trim.qt_modules_used([ROOT / "refund_desk"])
    excludes = set(qt_trim.qt_excludes(used))
    assert not {f"PySide6.{m}" for m in used} & excludes
    assert "PySide6.QtNetwork" in excludes or "QtNetwork" in used


def test_prune_drops_unlinked_qt_libraries(qt_trim):
    """With a fake link table: the dropped plugin's library goes, a library still linked stays."""
    links = {
        "/src/QtWidgets.abi3.so": {"libQt6Widgets.so.6", "libQt6Core.so.6"},
        "/src/libQt6Widgets.so.6": {"libQt6Gui.so.6", "libQt6Core.so.6"},
        "/src/libQt6Gui.so.6": {"libQt6Core.so.6", "libQt6DBus.so.6"},
        "/src/libQt6Core.so.6": {"libc.so.6"},
        "/src/libQt6DBus.so.6": {"libQt6Core.so.6"},
        "/src/libqvnc.so": {"libQt6Network.so.6", "libQt6Gui.so.6"},
        "/src/libQt6Network.so.6": {"libQt6Core.so.6"},
    }
    binaries = [
        ("PySide6/QtWidgets.abi3.so", "/src/QtWidgets.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/src/libQt6Widgets.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/src/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6DBus.so.6", "/src/libQt6DBus.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", "/src/libqvnc.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/src/libQt6Network.so.6", "BINARY"),
    ]
    kept, _ = qt_trim.prune(
        binaries,
        [],
        BASE,
        log=lambda *_: None,
        get_imports=lambda src: {(n, None) for n in links[src]},
    )
    names = {d.rsplit("/", 1)[-1] for d, _, _ in kept}
    assert names == {
        "QtWidgets.abi3.so",
        "libQt6Widgets.so.6",
        "libQt6Gui.so.6",
        "libQt6Core.so.6",
        "libQt6DBus.so.6",
    }


def test_spec_reads_the_version_from_the_package():
    spec = (ROOT / "packaging" / "refund_desk.spec").read_text(encoding="utf-8")
    import refund_desk

    assert refund_desk.__version__ not in re.findall(r'"([\d.]+)"', spec), "hard-coded version"
    ast.parse(spec)  # the spec is plain Python
    assert '"__version__"' in spec or "__version__" in spec


def test_launcher_runs_the_cli():
    tree = ast.parse((ROOT / "packaging" / "launcher.py").read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert any(n.module == "refund_desk.cli" and n.names[0].name == "main" for n in imports)

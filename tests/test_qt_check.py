"""Before the window: a machine where Qt cannot open one gets words and the apt line, not an
abort (issue 12)."""

from __future__ import annotations

import os
import subprocess
import sys

from refund_desk.qt_check import APT_INSTALL, XCB_LIBRARIES, window_problem

X11 = {"DISPLAY": ":0"}


def test_nothing_to_say_when_every_library_loads_or_x11_is_not_used():
    def loads(_name):
        return True

    assert window_problem(X11, "linux", loads, lambda _display: True) is None
    assert window_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", lambda _n: False) is None
    assert window_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", lambda _n: False) is None
    assert window_problem({}, "win32", lambda _n: False) is None
    assert window_problem({}, "darwin", lambda _n: False) is None


def test_missing_libraries_are_named_with_the_one_apt_line():
    missing = {"libxcb-cursor.so.0", "libxcb-keysyms.so.1"}
    text = window_problem(X11, "linux", lambda name: name not in missing)
    assert "(libxcb-cursor0, libxcb-keysyms1)" in text
    assert APT_INSTALL in text and APT_INSTALL.startswith("sudo apt install libxcb-cursor0 ")
    assert all(package in APT_INSTALL for _lib, package in XCB_LIBRARIES)
    # QT_QPA_PLATFORM=xcb is the same case.
    assert window_problem({"QT_QPA_PLATFORM": "xcb", **X11}, "linux", lambda n: False)


def test_no_display_is_said_too():
    text = window_problem({}, "linux", lambda _n: True)
    assert "no display is set" in text and "QT_QPA_PLATFORM=offscreen refund-desk --smoke" in text
    text = window_problem(X11, "linux", lambda _n: True, lambda _display: False)
    assert "no X server answers at DISPLAY :0" in text


def test_an_unreachable_display_is_found_as_qt_would_find_it():
    from refund_desk.qt_check import _display_reachable

    assert not _display_reachable(":987")  # no X server there


def test_the_desk_exits_with_words_where_qt_would_abort(tmp_path):
    """The real command on this machine, with X11 asked for and no X server: Qt itself would
    abort (SIGABRT, "could not connect to display"); the desk says so and exits 3."""
    env = dict(os.environ)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)
    env["DISPLAY"] = ":987"  # no such display
    env["REFUND_DESK_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "refund_desk"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 3, result.stderr
    assert result.stderr.startswith("Refund Desk cannot open its window")
    assert "Traceback" not in result.stderr and "qt.qpa" not in result.stderr


def test_the_command_checks_before_qt_starts(tmp_path):
    """The same, whatever this machine has installed: the command, with one library made
    unloadable, stops with the words and exit 3 before Qt is even imported."""
    script = (
        "import sys, refund_desk.qt_check as check\n"
        "check._loads = lambda name: 'icccm' not in name\n"
        "from refund_desk.cli import main\n"
        "code = main([])\n"
        "assert 'PySide6.QtWidgets' not in sys.modules\n"
        "raise SystemExit(code)\n"
    )
    env = dict(os.environ)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)
    env["DISPLAY"] = ":987"
    env["REFUND_DESK_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 3, result.stderr
    assert "Qt needs Linux system libraries that are not installed (libxcb-icccm4)" in (
        result.stderr
    )
    assert APT_INSTALL in result.stderr

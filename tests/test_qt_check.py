"""Before the window: a machine where Qt cannot open one gets words and the apt line, not an
abort (issue 12)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from refund_desk.qt_check import APT_INSTALL, XCB_LIBRARIES, window_problem

X11 = {"DISPLAY": ":0"}


def test_nothing_to_say_when_every_library_loads_or_x11_is_not_used():
    def loads(_name):
        return True

    assert window_problem(X11, "linux", loads) is None
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


def test_the_desk_exits_with_words_where_qt_would_abort(tmp_path):
    """The real command on this machine, with X11 asked for and no X server: Qt itself would
    abort (SIGABRT); the desk prints what is missing and exits 3."""
    env = dict(os.environ)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)
    env["DISPLAY"] = ":987"  # no such display
    env["REFUND_DESK_HOME"] = str(tmp_path)
    if window_problem(env) is None:
        pytest.skip("every X11 library Qt needs is installed here: nothing is missing")
    result = subprocess.run(
        [sys.executable, "-m", "refund_desk"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 3, result.stderr
    assert "Refund Desk cannot open its window" in result.stderr
    assert APT_INSTALL in result.stderr and "Traceback" not in result.stderr

"""Before the window starts: can Qt open a window here? (No Qt imported.)

On Linux, Qt's X11 platform plugin (``xcb``) needs system libraries that a fresh Debian or
Ubuntu desktop may lack (``libxcb-cursor0`` and friends). Without them Qt prints a hint and
aborts the process: no window, no plain words. :func:`window_problem` finds that out first
(each library is loaded the way Qt would load it, which costs a few milliseconds), so the desk
can say what to install and exit instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

# The shared libraries Qt's xcb plugin loads, and the Debian/Ubuntu package of each.
XCB_LIBRARIES = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
)
APT_INSTALL = "sudo apt install " + " ".join(package for _lib, package in XCB_LIBRARIES)
EXIT_NO_WINDOW = 3


def _loads(name: str) -> bool:
    import ctypes

    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def _display_reachable(display: str) -> bool:
    """Whether an X server answers at ``display`` (``xcb_connect``, as Qt's plugin does; a
    millisecond or two). True when ``libxcb`` itself cannot be loaded: the libraries check
    says what is missing then."""
    import ctypes

    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection is not None:
            xcb.xcb_disconnect(connection)


def window_problem(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    loads: Callable[[str], bool] | None = None,
    reachable: Callable[[str], bool] | None = None,
) -> str | None:
    """Why Qt could not open the desk's window here, in plain words, or None.

    Checked only on Linux when Qt would use X11 (``QT_QPA_PLATFORM`` unset or ``xcb``, and not
    a Wayland session): a display must be set, each library of :data:`XCB_LIBRARIES` must
    load, and an X server must answer at the display.

    Args:
        env: the environment (default ``os.environ``). platform: ``sys.platform`` by default.
        loads: ``loads(soname) -> bool``; reachable: ``reachable(display) -> bool`` (tests
            pass fakes; by default each library is loaded and the display connected to).
    Returns:
        A message naming what is missing and the one ``apt install`` line, or None.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen and not chosen.startswith("xcb"):
        return None  # offscreen, wayland, vnc…: Qt's X11 plugin is not used
    if not chosen and env.get("WAYLAND_DISPLAY"):
        return None
    if not env.get("DISPLAY"):
        return (
            "Refund Desk cannot open its window: no display is set (DISPLAY is empty). Start it "
            "from a desktop session. To check the installation without a screen: "
            "QT_QPA_PLATFORM=offscreen refund-desk --smoke"
        )
    loads = loads or _loads
    reachable = reachable or _display_reachable
    missing = [package for lib, package in XCB_LIBRARIES if not loads(lib)]
    if not missing:
        if reachable(env["DISPLAY"]):
            return None
        return (
            f"Refund Desk cannot open its window: no X server answers at DISPLAY "
            f"{env['DISPLAY']}. Start it from a desktop session (or with X forwarding). To "
            "check the installation without a screen: QT_QPA_PLATFORM=offscreen refund-desk "
            "--smoke"
        )
    return (
        "Refund Desk cannot open its window: Qt needs Linux system libraries that are not "
        f"installed ({', '.join(missing)}). Install them with:\n\n    {APT_INSTALL}\n\n"
        "then start Refund Desk again."
    )

"""Driving the desk as an operator does: keys into whatever has the focus, clicks on buttons,
the widgets found by their object names — never a call into the window's methods.

Every helper counts the keys it sends in ``KEYS`` (the keyboard-path tests report them; the
soak test checks it sent thousands).
"""

from __future__ import annotations

import os
from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

KEYS: Counter = Counter()


def focused(default: QWidget) -> QWidget:
    """The widget with the keyboard focus (``default`` when none has it)."""
    return QApplication.focusWidget() or default


def chord(window: QWidget, sequence: str) -> None:
    """Press one key chord (``"Ctrl+F"``, ``"Alt+C"``, ``"F1"``, ``"Return"``) into the
    widget that has the focus, as the keyboard would."""
    combo = QKeySequence(sequence)[0]
    QTest.keyClick(focused(window), combo.key(), combo.keyboardModifiers())
    KEYS["keys"] += 1


def key_into(widget: QWidget, sequence: str) -> None:
    """Press one key chord into ``widget`` itself (an open menu: it takes the keys while it is
    shown, without being the active window)."""
    combo = QKeySequence(sequence)[0]
    QTest.keyClick(widget, combo.key(), combo.keyboardModifiers())
    KEYS["keys"] += 1


def type_text(window: QWidget, text: str) -> None:
    """Type ``text`` into the widget that has the focus, one key per character. A character
    no key gives (Chinese) is committed by the input method, as a Chinese keyboard does it
    (``QTest.keyClicks`` only knows ASCII keys)."""
    for char in text:
        target = focused(window)
        if char.isascii():
            QTest.keyClicks(target, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(target, event)
        KEYS["keys"] += 1


def replace_text(window: QWidget, text: str) -> None:
    """Select everything in the focused field (Ctrl+A) and type ``text`` over it."""
    chord(window, "Ctrl+A")
    type_text(window, text)


def click(button: QWidget) -> None:
    """A left click in the middle of ``button``."""
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    KEYS["clicks"] += 1


def wait_active(qtbot, window: QWidget, timeout: int = 5000) -> None:
    """Wait until ``window`` is the active window, the one that gets the keys (a new dialog
    becomes active an event or two after it shows)."""
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=timeout)


def pump_until(condition, timeout_s: float = 10.0, at_least_s: float = 0.0) -> None:
    """Run the event loop until ``condition()`` holds (and ``at_least_s`` has passed); raise
    ``TimeoutError`` after ``timeout_s``. Unlike pytest-qt's waits, it creates no timer or
    signal connection per call: those add references to ``None`` in PySide6, which would
    blur the soak test's count of them."""
    import time

    start = time.monotonic()
    while True:
        QApplication.processEvents()
        elapsed = time.monotonic() - start
        if elapsed >= at_least_s and condition():
            return
        if elapsed > timeout_s:
            raise TimeoutError(f"still waiting after {timeout_s} s")
        time.sleep(0.001)


def back_to(qtbot, window: QWidget) -> None:
    """After a non-modal dialog closed, the window manager activates the window below it; the
    offscreen platform has no window manager, so this does its part (nothing of the desk's)."""
    window.activateWindow()
    wait_active(qtbot, window)


def child(root: QWidget, cls, name: str):
    """The child of ``root`` of class ``cls`` named ``name`` (asserts it exists)."""
    found = root.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name!r} in {root.objectName()!r}"
    return found


def top_level(cls, name: str | None = None):
    """The visible top-level widget of class ``cls`` (named ``name`` when given), or None."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, cls) and widget.isVisible():
            if name is None or widget.objectName() == name:
                return widget
    return None


def open_fds_to(path) -> int:
    """How many file descriptors of this process point at the SQLite file ``path`` or its
    ``-wal``/``-shm`` companions (Linux ``/proc``)."""
    targets = {str(path), f"{path}-wal", f"{path}-shm"}
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") in targets:
                count += 1
        except OSError:
            continue
    return count


def os_threads() -> int:
    """Threads of this process as the kernel counts them (Linux ``/proc``)."""
    return len(os.listdir("/proc/self/task"))

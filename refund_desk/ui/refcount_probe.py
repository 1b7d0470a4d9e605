"""A probe for reference-count leaks of the Qt binding on ``None`` and ``True``.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every call that returns nothing
(``QLabel.setText``) or returns a null object (``QWidget.parentWidget`` of a top-level widget),
and one reference to ``True`` on every ``Signal.emit``. On Python 3.11 those are ordinary counted
objects: when the count reaches zero the process aborts ("Fatal Python error: none_dealloc"), in
the middle of an operator's working day. Python 3.12 made them immortal (PEP 683).

``refund-desk --qt-refcount-probe`` (and ``python -m refund_desk.ui.refcount_probe``) makes the
three kinds of call many times and compares ``sys.getrefcount`` before and after. The test suite
runs it in a subprocess (a crash fails the test, not the run) and the packaging stage runs it with
the bundled interpreter, so every later upgrade of the binding is checked before it ships.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

CALLS = 200_000
"""Calls of each kind in one probe: far more than the ~5,000 references that kill 6.12.0."""
MARGIN = 64
"""References that may legitimately move while the probe runs (caches, interned objects)."""


@dataclass(frozen=True)
class ProbeResult:
    """What one probe measured.

    Attributes:
        binding: the Qt binding's version (``PySide6.__version__``).
        python: the interpreter's version (``3.11.7``).
        calls: calls of each kind made.
        none_before / none_after: ``sys.getrefcount(None)`` before and after the void and
            null-returning calls.
        true_before / true_after: ``sys.getrefcount(True)`` before and after the emissions.
    """

    binding: str
    python: str
    calls: int
    none_before: int
    none_after: int
    true_before: int
    true_after: int

    @property
    def ok(self) -> bool:
        """Neither count fell by more than :data:`MARGIN`."""
        return (
            self.none_after >= self.none_before - MARGIN
            and self.true_after >= self.true_before - MARGIN
        )

    def line(self) -> str:
        """One line for logs and the closing of the packaging stage."""
        verdict = "OK" if self.ok else "LEAK"
        return (
            f"qt-refcount-probe: {verdict}: PySide6 {self.binding} on Python {self.python}, "
            f"{self.calls:,} void, null-returning and emit calls each; "
            f"refcount(None) {self.none_before} -> {self.none_after}, "
            f"refcount(True) {self.true_before} -> {self.true_after}"
        )


def run_probe(calls: int = CALLS) -> ProbeResult:
    """Make ``calls`` void calls, ``calls`` null-returning calls and ``calls`` signal emissions
    through the installed binding and return the reference counts around them.

    Creates a ``QApplication`` if there is none (offscreen unless ``QT_QPA_PLATFORM`` is set).
    With a leaking binding on Python 3.11 this may abort the process ("none_dealloc"): run it
    in a subprocess.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import PySide6
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel, QWidget

    class _Emitter(QObject):
        fired = Signal(int)

    app = QApplication.instance() or QApplication([sys.argv[0]])
    label, top, emitter = QLabel(), QWidget(), _Emitter()
    received = []
    emitter.fired.connect(received.append)
    set_text, parent_widget, emit = label.setText, top.parentWidget, emitter.fired.emit

    none_before = sys.getrefcount(None)
    for _ in range(calls):
        set_text("x")  # returns void
    for _ in range(calls):
        parent_widget()  # returns a null QWidget*
    none_after = sys.getrefcount(None)
    true_before = sys.getrefcount(True)
    for i in range(calls):
        emit(i)
    true_after = sys.getrefcount(True)
    if len(received) != calls:
        raise RuntimeError(f"{len(received)} of {calls} emissions arrived")
    del app
    return ProbeResult(
        binding=PySide6.__version__,
        python=sys.version.split()[0],
        calls=calls,
        none_before=none_before,
        none_after=none_after,
        true_before=true_before,
        true_after=true_after,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the probe, print :meth:`ProbeResult.line`; exit status 0 when no leak, 1 otherwise.

    ``argv``: optionally one integer, the number of calls of each kind (default :data:`CALLS`).
    """
    args = sys.argv[1:] if argv is None else argv
    calls = int(args[0]) if args else CALLS
    result = run_probe(calls)
    print(result.line(), flush=True)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Issue 16: the installed Qt binding must not leak references to ``None`` or ``True``.

PySide6 6.12.0 on Python 3.11 loses one reference to ``None`` per void or null-returning call and
one to ``True`` per ``Signal.emit``; after a few thousand the process aborts. The probe runs in a
subprocess so that such an abort fails this test instead of killing the test run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from refund_desk.ui.refcount_probe import CALLS, MARGIN

LINE = re.compile(
    r"qt-refcount-probe: (?P<verdict>OK|LEAK): PySide6 (?P<binding>\S+) on Python (?P<py>\S+), "
    r"(?P<calls>[\d,]+) .*refcount\(None\) (?P<n0>\d+) -> (?P<n1>\d+), "
    r"refcount\(True\) (?P<t0>\d+) -> (?P<t1>\d+)"
)


def _run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=600, env=env
    )


def _check(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 0, (
        f"the refcount probe exited {proc.returncode} (a negative code is a signal: the "
        f"binding's leak aborted Python)\nstdout: {proc.stdout}\nstderr: {proc.stderr[-2000:]}"
    )
    match = LINE.search(proc.stdout)
    assert match, proc.stdout
    assert match["verdict"] == "OK"
    assert int(match["calls"].replace(",", "")) == CALLS
    assert int(match["n1"]) >= int(match["n0"]) - MARGIN
    assert int(match["t1"]) >= int(match["t0"]) - MARGIN


def test_installed_binding_keeps_none_and_true_counts():
    """200,000 void calls, 200,000 null-returning calls, 200,000 emissions: counts kept."""
    _check(_run("-m", "refund_desk.ui.refcount_probe", str(CALLS)))


def test_cli_flag_runs_the_same_probe():
    """``refund-desk --qt-refcount-probe`` is what the packaging stage runs in the bundle."""
    _check(_run("-c", "import sys; from refund_desk.cli import main; sys.exit(main())",
                "--qt-refcount-probe"))  # fmt: skip


def test_probe_detects_a_leak():
    """The verdict is computed, not printed blindly: a fall beyond the margin is a leak."""
    from refund_desk.ui.refcount_probe import ProbeResult

    leaky = ProbeResult("6.12.0", "3.11.7", CALLS, 5000, 5000 - MARGIN - 1, 600, 600)
    assert not leaky.ok and "LEAK" in leaky.line()
    fine = ProbeResult("6.11.3", "3.11.7", CALLS, 5000, 5000 - MARGIN, 600, 601)
    assert fine.ok and ": OK:" in fine.line()

"""The strict harness itself (tests/helpers/strict.py): a run of tests that each leave one thing
behind fails each of them at teardown, naming what; tests that clean up pass."""

from __future__ import annotations

import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LEAKY = """
import gc, sqlite3, threading, time
import pytest

def test_gc_off():
    gc.disable()

def test_gc_thresholds():
    gc.set_threshold(100_000, 50, 50)

def test_gc_frozen():
    gc.freeze()

def test_thread():
    threading.Thread(target=time.sleep, args=(3,), name="sleeper", daemon=True).start()

def test_thread_that_ends_in_the_grace():
    threading.Thread(target=time.sleep, args=(0.2,), daemon=True).start()

def test_sqlite_connection(tmp_path):
    connection = sqlite3.connect(tmp_path / "kept.db")
    connection.execute("CREATE TABLE t (x)")
    test_sqlite_connection.kept = connection

def test_sqlite_connection_closed(tmp_path):
    connection = sqlite3.connect(tmp_path / "closed.db")
    connection.execute("CREATE TABLE t (x)")
    connection.close()

def test_engine_not_disposed(tmp_path):
    from sqlalchemy import create_engine, text
    engine = create_engine(f"sqlite:///{tmp_path / 'engine.db'}")
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE t (x)"))
    test_engine_not_disposed.kept = engine

def test_engine_disposed(tmp_path):
    from sqlalchemy import create_engine, text
    engine = create_engine(f"sqlite:///{tmp_path / 'disposed.db'}")
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE t (x)"))
    engine.dispose()

def test_timer(qtbot):
    from PySide6.QtCore import QTimer
    timer = QTimer()
    timer.setObjectName("ticker")
    timer.start(1000)
    test_timer.kept = timer

def test_timer_stopped(qtbot):
    from PySide6.QtCore import QTimer
    timer = QTimer()
    timer.start(1000)
    timer.stop()

def test_thread_pool(qtbot):
    from PySide6.QtCore import QThreadPool
    QThreadPool.globalInstance().start(lambda: time.sleep(3))

def test_own_warning():
    import warnings
    warnings.warn_explicit("a desk warning", UserWarning, "x.py", 1, module="refund_desk.x")
"""


def test_the_harness_fails_each_leak_and_names_it(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    pytester.makeconftest(
        """
        from tests.helpers.strict import StrictHarness

        def pytest_configure(config):
            config.pluginmanager.register(StrictHarness(), "strict")
        """
    )
    pytester.makeini(
        textwrap.dedent(
            """
            [pytest]
            qt_api = pyside6
            filterwarnings = error::Warning:refund_desk
            """
        )
    )
    pytester.makepyfile(test_leaky=LEAKY)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", "-p", "pytestqt")
    outcomes = result.parseoutcomes()
    # Every test "passes" its call; the leaks fail the teardown.
    text = result.stdout.str()
    assert outcomes.get("failed") == 1, text  # the warning, as an error
    assert "UserWarning: a desk warning" in text
    errors = {
        line.split("::")[1].split(" ")[0]
        for line in result.outlines
        if line.startswith("ERROR test_leaky.py::")
    }
    assert errors == {
        "test_gc_off",
        "test_gc_thresholds",
        "test_gc_frozen",
        "test_thread",
        "test_sqlite_connection",
        "test_engine_not_disposed",
        "test_timer",
        "test_thread_pool",
    }, text
    for said in (
        "the garbage collector off",
        "the collector's thresholds changed to (100000, 50, 50)",
        "objects frozen (gc.freeze)",
        "thread 'sleeper' still running 2 s after the test",
        "a database handle still open: ",
        "kept.db (fd ",
        "engine.db (fd ",
        "a QTimer still active (ticker, every 1000 ms, owned by no parent)",
        "a QThreadPool still runs 1 task(s) 2 s after the test",
    ):
        assert said in text, said
    # Restored before the next test: the tests after the collector's changes saw it as usual.
    assert outcomes.get("passed") == 12, text

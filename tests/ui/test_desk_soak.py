"""A working day in one window, compressed: hundreds of searches and dozens of quotes typed into
the real widgets, with real worker threads that Qt ends and starts again (their expiry shortened
to 20 ms), on a real SQLite file. The desk must end with the connections, file handles and
threads it started with, and Python's ``None`` and ``True`` must not have lost references
(PySide6 6.12.0 on Python 3.11 drops one per void call or emit, issue 16: thousands of actions
would show it)."""

from __future__ import annotations

import gc
import shutil
import sys
import threading
from datetime import datetime
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QApplication

from refund_desk.policy import CHINA_TZ
from tests.helpers.desk_data import (
    EX1,
    EX1_ACCOUNT_NAME,
    EX1_ORDER,
    LATE,
    LATE_ACCOUNT_NAME,
    build_keyboard_db,
)
from tests.helpers.keyboard import (
    KEYS,
    chord,
    focused,
    open_fds_to,
    os_threads,
    pump_until,
    replace_text,
    wait_active,
)

NOW = datetime(2025, 1, 15, 10, 0, tzinfo=CHINA_TZ)
SEARCHES = 300
QUOTES = 60
# (term typed, instance its first result opens, or None for an account)
TERMS = (
    (EX1_ORDER, EX1),
    (EX1, EX1),
    (EX1.upper(), EX1),
    (LATE, LATE),
    ("IOT-CN-LATE", LATE),
    ("iot-cn-0pp1", "iot-cn-0pp1lkd8x02"),
    ("241559391310347", "iot-cn-0pp1lkd8x02"),
    ("iot-cn-4kd0", "iot-cn-4kd0s8v1q03"),
    ("iot-cn-2mv7wq9e604", "iot-cn-2mv7wq9e604"),
    ("iot-cn-oldpublic001", "iot-cn-oldpublic001"),
    ("iot-cn-partial", "iot-cn-partial000001"),
    (LATE_ACCOUNT_NAME[:2], None),
    (EX1_ACCOUNT_NAME.lower()[:6], None),
)
# (time typed for LATE, its refund) — RULES.md §3–4, see helpers/desk_data.py
TIMES = (
    ("2024-12-31 01:00", {"account_balance": Decimal("1817.51")}),
    ("2024-12-12 03:10", {"alipay": Decimal("2007.25")}),
    ("2024-12-30 17:00Z", {"account_balance": Decimal("1817.51")}),
)


@pytest.fixture(scope="module")
def soak_template(tmp_path_factory):
    return build_keyboard_db(tmp_path_factory.mktemp("soak"))


def settle(window, ms: int = 0) -> None:
    """Let the background work finish and its results arrive on the UI thread (and wait
    ``ms`` more)."""
    pump_until(lambda: window.session.background.active == 0, at_least_s=ms / 1000)


def counts(store, db) -> dict[str, int]:
    gc.collect()
    pool = store.engine.pool
    return {
        "connections checked out": pool.checkedout(),
        "connections in the pool": pool.checkedin(),
        "file handles on the database": open_fds_to(db),
        "threads (kernel)": os_threads(),
        "threads (Python)": threading.active_count(),
    }


def search(window, term: str, instance_id: str | None) -> None:
    chord(window, "Ctrl+F")
    replace_text(window, term)
    chord(window, "Return")  # searches now and opens the first result
    if instance_id is None:
        pump_until(lambda: window.lookup.model.term == term and not window.lookup.model.fetching)
        settle(window)
        assert "Account" in window.instance_panel.header_label.text()
        return
    pump_until(
        lambda: (
            window.quote_panel.instance() is not None
            and window.quote_panel.instance().instance_id == instance_id
        )
    )


def test_a_working_day_in_one_window(qtbot, settings, soak_template, tmp_path, monkeypatch):
    from refund_desk.app import build_window
    from refund_desk.services.opening import DatabaseChoice

    db = tmp_path / "desk.db"
    shutil.copyfile(soak_template, db)
    window = build_window(settings=settings, clock=lambda: NOW)  # real worker threads
    qtbot.addWidget(window)
    background = window.session.background
    background.set_thread_expiry(20)
    window.resize(1440, 900)
    window.show()
    window.activateWindow()
    wait_active(qtbot, window)
    window.open_database(DatabaseChoice(target=str(db), explicit=True))
    pump_until(lambda: window.session.store is not None, timeout_s=30)
    store = window.session.store
    # The desk reads on at most three connections at once (two worker threads and the UI
    # thread): open three now, so that the pool keeps three and a leak cannot hide in it.
    held = [store.engine.connect() for _ in range(3)]
    for conn in held:
        conn.close()
    for term, instance_id in TERMS:  # warm-up: every statement, every path, once
        search(window, term, instance_id)
    settle(window, 200)  # idle threads expire
    # Which kernel threads serve the searches (threading.get_native_id registers nothing with
    # Python's threading module, unlike current_thread()).
    workers: set[int] = set()
    real_search = store.search

    def observed_search(*args, **kwargs):
        workers.add(threading.get_native_id())
        return real_search(*args, **kwargs)

    monkeypatch.setattr(store, "search", observed_search)
    start = counts(store, db)
    none_refs, true_refs = sys.getrefcount(None), sys.getrefcount(True)
    KEYS.clear()

    quotes = 0
    for n in range(SEARCHES):
        term, instance_id = TERMS[n % len(TERMS)]
        search(window, term, instance_id)
        if instance_id == LATE and quotes < QUOTES:
            for text, expected in TIMES:
                chord(window, "Alt+C")
                assert focused(window) is window.quote_panel.cancel_edit
                replace_text(window, text)
                q = window.quote_panel.quote()
                assert q is not None and dict(q.by_destination) == expected, text
                quotes += 1
        if n % 10 == 9:
            settle(window, 30)  # long enough for idle worker threads to end
        assert store.engine.pool.checkedout() <= 3

    settle(window, 200)
    end = counts(store, db)
    print(f"\nsoak: {SEARCHES} searches, {quotes} quotes, {dict(KEYS)}; searches served by "
          f"{len(workers)} worker threads in turn; start {start}; end {end}; "
          f"None refs {none_refs} → {sys.getrefcount(None)}, "
          f"True refs {true_refs} → {sys.getrefcount(True)}")  # fmt: skip
    assert quotes >= 50 and KEYS["keys"] >= 3000, (quotes, KEYS)
    assert len(workers) >= SEARCHES // 20, "worker threads were not recycled"
    assert end == start
    # A binding that leaks one reference per void call or emit would be thousands short.
    assert sys.getrefcount(None) >= none_refs - 100
    assert sys.getrefcount(True) >= true_refs - 100
    window.close()
    window.session.close()
    QApplication.processEvents()

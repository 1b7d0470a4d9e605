"""The keyboard path, measured: prints figures, asserts nothing (run by hand).

    .venv/bin/python benchmarks/bench_keyboard.py [--orders 1000000] [--big-db PATH]
                                                  [--keep DIR] [--skip-big] [--runs 5]

1. From an order id to a saved ticket, in the real window on the reference exports (imported by
   the real importer): Ctrl+F, the order id, Enter, Alt+C, the cancellation time, Ctrl+R, the
   release confirmation (Alt+T, Alt+A, Alt+I, the instance id, a click on Confirm), Ctrl+S, a
   file name, Enter. Prints the keystrokes and clicks it takes and the wall time the desk
   needs with the keys sent back to back (machine time; no human typing in it), step by step,
   the fastest of ``--runs``.
2. The longest UI-thread block during a soak on a database of ``--orders`` orders (default
   1,000,000: built with ``benchmarks/bench_store.py``'s ``build_big``, or reused with
   ``--big-db``; every account gets a name, a quarter of them Chinese, from the generator's
   fake names): in one window with real worker threads, 300 searches typed one key every
   25 ms (order ids and prefixes, instance ids, upper-case ids, account names), each Enter
   opening the first result, and 50 quotes typed into the cancellation field. A 2 ms
   heartbeat timer on the UI thread records the longest gap between two beats per phase:
   the longest time the UI thread was blocked (target < 50 ms).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EX1 = "iot-cn-7pp2mhxqz01"
EX1_ORDER = "241559391310333"


class Driver:
    """Keys into the focused widget of the real window, counted; event loop pumped between."""

    def __init__(self, app):
        self.app = app
        self.keys = 0
        self.clicks = 0

    def pump(self, seconds: float = 0.0) -> None:
        end = time.perf_counter() + seconds
        while True:
            self.app.processEvents()
            if time.perf_counter() >= end:
                return
            time.sleep(0.0005)

    def until(self, condition, timeout: float = 120.0, what: str = "the window") -> None:
        deadline = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > deadline:
                raise SystemExit(f"timed out waiting for {what}")
            self.app.processEvents()
            time.sleep(0.0002)

    def focus(self, default):
        from PySide6.QtWidgets import QApplication

        return QApplication.focusWidget() or default

    def chord(self, window, sequence: str) -> None:
        from PySide6.QtGui import QKeySequence
        from PySide6.QtTest import QTest

        combo = QKeySequence(sequence)[0]
        QTest.keyClick(self.focus(window), combo.key(), combo.keyboardModifiers())
        self.keys += 1

    def type(self, window, text: str, pause: float = 0.0) -> None:
        from PySide6.QtGui import QInputMethodEvent
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        for char in text:
            target = self.focus(window)
            if char.isascii():
                QTest.keyClicks(target, char)
            else:  # Chinese: committed by the input method, as a Chinese keyboard does
                event = QInputMethodEvent()
                event.setCommitString(char)
                QApplication.sendEvent(target, event)
            self.keys += 1
            if pause:
                self.pump(pause)

    def click(self, button) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        self.clicks += 1

    def active(self, window) -> None:
        from PySide6.QtWidgets import QApplication

        self.until(lambda: QApplication.activeWindow() is window, 10)


def make_window(db: Path, work: Path, name: str):
    from PySide6.QtCore import QSettings

    from refund_desk.app import build_window
    from refund_desk.services.opening import DatabaseChoice
    from refund_desk.ui.settings import DeskSettings

    settings = DeskSettings(QSettings(str(work / f"{name}.ini"), QSettings.Format.IniFormat))
    settings.operator_name = "bench"
    window = build_window(settings=settings)
    window.resize(1440, 900)
    window.show()
    window.activateWindow()
    return window, DatabaseChoice(target=str(db), explicit=True)


def reference_db(work: Path) -> Path:
    from refund_desk.demo_data import write_reference_exports
    from refund_desk.store import open_store
    from refund_desk.store.importer import import_paths

    exports = work / "reference-exports"
    write_reference_exports(exports)
    db = work / "reference.db"
    store = open_store(db)
    try:
        assert not import_paths(store, [exports], actor="bench").rejected
    finally:
        store.close()
    return db


def order_to_ticket(app, template: Path, work: Path, run: int) -> dict:
    """One run of the keyboard path; returns keystrokes, clicks and seconds per step."""
    from PySide6.QtWidgets import QApplication, QCheckBox, QFileDialog, QLineEdit, QPushButton

    db = work / f"path-{run}.db"
    for old in work.glob(f"path-{run}.db*"):
        old.unlink()
    shutil.copyfile(template, db)
    drive = Driver(app)
    window, choice = make_window(db, work, f"path-{run}")
    drive.active(window)
    window.open_database(choice)
    drive.until(lambda: window.session.store is not None)
    folder = work / f"tickets-{run}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    window.session.settings.set_last_ticket_dir(str(folder))
    steps: dict[str, float] = {}
    started = mark = time.perf_counter()

    def step(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        steps[name] = now - mark
        mark = now

    panel = window.quote_panel
    drive.chord(window, "Ctrl+F")
    drive.type(window, EX1_ORDER)
    drive.chord(window, "Return")
    drive.until(lambda: panel.quote() is not None and panel.quote().instance_id == EX1)
    step("order id typed → instance and quote shown")
    drive.chord(window, "Alt+C")
    drive.chord(window, "Ctrl+A")
    drive.type(window, "2024-03-09 09:00")
    assert panel.quote().total_refund == 764
    step("cancellation time typed → quoted")
    drive.chord(window, "Ctrl+R")
    drive.until(lambda: window.record_flow.dialog is not None)
    dialog = window.record_flow.dialog
    drive.active(dialog)
    step("Ctrl+R → release confirmation")
    drive.chord(dialog, "Alt+T")
    drive.until(dialog.findChild(QCheckBox, "agreed").isChecked)
    for box in dialog.findChildren(QCheckBox):
        if box.objectName().startswith("asked_"):
            drive.chord(dialog, "Alt+A")
            drive.until(box.isChecked)
    drive.chord(dialog, "Alt+I")
    drive.type(dialog, EX1)
    drive.click(dialog.findChild(QPushButton, "confirm"))
    drive.until(lambda: window.record_flow.ticket_dialog is not None)
    ticket = window.record_flow.ticket_dialog
    drive.active(ticket)
    step("confirmation → case recorded, ticket shown")
    drive.chord(ticket, "Ctrl+S")
    drive.until(lambda: _top(QFileDialog) is not None)
    save = _top(QFileDialog)
    drive.active(save)
    name = save.findChild(QLineEdit, "fileNameEdit")
    name.setFocus()
    drive.chord(save, "Ctrl+A")
    drive.type(save, "ticket")
    drive.chord(save, "Return")
    target = folder / "ticket.txt"
    drive.until(target.exists)
    step("Ctrl+S → ticket saved")
    total = time.perf_counter() - started
    assert target.read_text(encoding="utf-8") == ticket.text_edit.toPlainText()
    for widget in QApplication.topLevelWidgets():
        if widget is not window and widget.isVisible():
            widget.close()
    window.close()
    window.session.background.wait_idle(10_000)
    window.session.close()
    return {"keys": drive.keys, "clicks": drive.clicks, "total": total, "steps": steps}


def _top(cls):
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, cls) and widget.isVisible():
            return widget
    return None


def report_path(runs: list[dict]) -> None:
    best = min(runs, key=lambda r: r["total"])
    print(f"order id → saved ticket (fastest of {len(runs)} runs; median total "
          f"{statistics.median(r['total'] for r in runs) * 1000:.0f} ms)")  # fmt: skip
    print(f"  {best['keys']} keystrokes and {best['clicks']} click(s); the desk's own time "
          f"{best['total'] * 1000:.0f} ms with the keys sent back to back")  # fmt: skip
    for name, seconds in best["steps"].items():
        print(f"    {name:<46} {seconds * 1000:7.1f} ms")


def _build_big(path: Path, orders: int) -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_store", ROOT / "benchmarks" / "bench_store.py"
    )
    bench_store = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_store)
    print(f"building {orders:,} orders with bench_store.build_big …", flush=True)
    seconds = bench_store.build_big(path, orders)
    print(f"  built in {seconds:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")


def name_accounts(db: Path) -> list[str]:
    """Give every account of ``db`` a name (the generator's fake names, a quarter Chinese);
    returns a few names to search for."""
    import random

    from sqlalchemy import bindparam

    from refund_desk.demo_data.demo_set import fake_name
    from refund_desk.store import models as m
    from refund_desk.store import open_store

    store = open_store(db, create=False)
    rng = random.Random(12)
    try:
        with store.engine.begin() as conn:
            ids = [r[0] for r in conn.execute(m.accounts.select().with_only_columns(
                m.accounts.c.account_id))]  # fmt: skip
            names = {i: fake_name(rng, n) for n, i in enumerate(ids)}
            conn.execute(
                m.accounts.update()
                .where(m.accounts.c.account_id == bindparam("b_id"))
                .values(name=bindparam("b_name")),
                [{"b_id": i, "b_name": name} for i, name in names.items()],
            )
    finally:
        store.close()
    return [names[ids[n]] for n in (3, 7, 100, 1001, 20003)]


def soak(app, db: Path, work: Path, names: list[str], searches: int = 300) -> dict:
    """``searches`` searches and 50 quotes typed into one window; the longest UI-thread
    gaps."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    from refund_desk.store import open_store

    probe = open_store(db, create=False)
    try:
        accounts = [h.id for h in probe.search("1", 40) if h.kind == "account"]
        orders = [probe.orders_of_account(a, limit=2)[0] for a in accounts]
        n_orders = probe.counts()["orders"]
    finally:
        probe.close()
    terms: list[tuple[str, str | None]] = []  # (typed, instance expected or None)
    for order in orders:
        iid = order.instance_ids[0]
        terms += [(order.order_id, iid), (iid, iid), (iid.upper(), iid), (order.order_id[:9], None)]
    terms += [(name[: max(2, len(name) // 2)].strip(), None) for name in names]

    drive = Driver(app)
    window, choice = make_window(db, work, "soak")
    drive.active(window)
    window.session.background.set_thread_expiry(500)
    window.open_database(choice)
    drive.until(lambda: window.session.store is not None)
    drive.pump(0.5)
    clock = QElapsedTimer()
    state = {"last": None, "cpu": 0.0, "all": 0.0, "phase": "idle", "gaps": {}, "cpu_gaps": {},
             "top": []}  # fmt: skip

    def beat() -> None:
        # Wall time between beats, the UI thread's own CPU time in it, and the whole
        # process's: a long gap in which neither worked is the machine (other processes on
        # 2 shared cores) not running this one.
        now, cpu, every = clock.elapsed(), time.thread_time(), time.process_time()
        if state["last"] is not None:
            gap, used = now - state["last"], (cpu - state["cpu"]) * 1000
            phase = state["phase"]
            state["gaps"][phase] = max(state["gaps"].get(phase, 0), gap)
            state["cpu_gaps"][phase] = max(state["cpu_gaps"].get(phase, 0), used)
            if gap >= 40:
                state["top"].append((gap, round(used), round((every - state["all"]) * 1000), phase))
        state["last"], state["cpu"], state["all"] = now, cpu, every

    heartbeat = QTimer()
    heartbeat.setInterval(2)
    heartbeat.timeout.connect(beat)
    clock.start()
    heartbeat.start()
    panel, model = window.quote_panel, window.lookup.model
    started = time.perf_counter()
    quotes = 0
    times = ("2024-12-31 01:00", "2025-03-01 12:00", "2026-01-15 09:30")
    for n in range(searches):
        term, iid = terms[n % len(terms)]
        state["phase"] = "typing a search"
        drive.chord(window, "Ctrl+F")
        drive.chord(window, "Ctrl+A")
        drive.type(window, term, pause=0.025)
        state["phase"] = "results and the first one opening"
        drive.chord(window, "Return")
        if iid is None:
            drive.until(lambda t=term: model.term == t and not model.fetching, what=term)
            drive.until(lambda: window.session.background.active == 0, what=term)
        else:
            drive.until(lambda i=iid: panel.instance() is not None
                        and panel.instance().instance_id == i, what=term)  # fmt: skip
            if quotes < 50 and n % 5:
                state["phase"] = "typing a cancellation time (quoted per key)"
                drive.chord(window, "Alt+C")
                drive.chord(window, "Ctrl+A")
                drive.type(window, times[quotes % len(times)], pause=0.025)
                quotes += 1
        state["phase"] = "idle"
        drive.pump(0.05)
    seconds = time.perf_counter() - started
    heartbeat.stop()
    window.close()
    window.session.background.wait_idle(10_000)
    window.session.close()
    return {"orders": n_orders, "searches": searches, "quotes": quotes, "keys": drive.keys,
            "seconds": seconds, "gaps": state["gaps"], "cpu_gaps": state["cpu_gaps"],
            "top": sorted(state["top"], reverse=True)[:8]}  # fmt: skip


def report_soak(r: dict) -> None:
    print(f"soak on {r['orders']:,} orders: {r['searches']} searches and {r['quotes']} quotes "
          f"typed one key every 25 ms ({r['keys']} keys, {r['seconds']:.0f} s), 2 ms heartbeat "
          "on the UI thread")  # fmt: skip
    print("  longest gap between two beats (wall) and the UI thread's own CPU time in a gap:")
    for phase, gap in sorted(r["gaps"].items(), key=lambda kv: -kv[1]):
        print(f"    while {phase:<46} {gap:5.0f} ms wall, {r['cpu_gaps'][phase]:5.0f} ms CPU")
    print("  gaps of 40 ms or more (wall ms, UI-thread CPU ms, process CPU ms, phase):")
    for top in r["top"]:
        print("   ", top)
    worst = max(r["gaps"].values())
    worst_cpu = max(r["cpu_gaps"].values())
    verdict = "meets" if worst_cpu < 50 else "MISSES"
    print(
        f"  longest block during the soak: {worst:.0f} ms wall; the UI thread's own work at most "
        f"{worst_cpu:.0f} ms (target < 50 ms: {verdict})"
    )


def main(argv: list[str] | None = None) -> int:
    """Measure and print; returns 0 (figures are reported, not asserted)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--big-db", help="copy this database instead of building one")
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temp dir)")
    parser.add_argument("--skip-big", action="store_true", help="only the order → ticket path")
    parser.add_argument("--searches", type=int, default=300, help="searches in the soak")
    args = parser.parse_args(argv)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-keyboard-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["REFUND_DESK_HOME"] = str(work / "home")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    try:
        template = reference_db(work)
        report_path([order_to_ticket(app, template, work, run) for run in range(args.runs)])
        if not args.skip_big:
            db = work / f"big-{args.orders}.db"
            if args.big_db:
                print(f"copying {args.big_db} …", flush=True)
                shutil.copyfile(args.big_db, db)
            elif not db.exists():
                _build_big(db, args.orders)
            names = name_accounts(db)
            report_soak(soak(app, db, work, names, args.searches))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

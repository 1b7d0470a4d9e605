"""Desk start-up and responsiveness benchmark: prints figures, asserts nothing (run by hand).

    .venv/bin/python benchmarks/bench_startup.py [--runs 7] [--orders 1000000] [--keep DIR]
                                                 [--big-db PATH] [--skip-big] [--skip-startup]

1. Start-up, each a whole process on the offscreen platform, alternated in the same run with a
   bare PySide6 script that shows an empty QMainWindow and quits once it has painted:
   ``refund-desk --smoke-first-paint`` (target: within 1.5× of the bare script) and
   ``refund-desk --smoke`` (start, paint, open the demo database, search, quote one instance
   through the real store and policy core; printed for information, no target: what an operator
   feels is measured by ``bench_keyboard.py``, issue 15). One warm-up run each (bytecode
   caches, demo database created) is not counted.
2. Responsiveness on a database of ``--orders`` orders (default 1,000,000; built with
   ``benchmarks/bench_store.py``'s ``build_big`` — Core bulk inserts into the real schema — or
   reused with ``--big-db``): the real window with real worker threads types a prefix into the
   search field one key every 80 ms, waits for the results, scrolls to fetch four more pages,
   opens the first instance and its quote. A 2 ms heartbeat timer on the UI thread records the
   longest gap between two beats: the longest time the UI thread was blocked (target < 100 ms).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class Window(QMainWindow):
    painted = False

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            QTimer.singleShot(0, app.quit)


app = QApplication(sys.argv)
window = Window()
window.resize(1440, 900)
window.show()
sys.exit(app.exec())
"""


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    # An installed desk runs from compiled bytecode (pip compiles on install, the bundle carries
    # .pyc files). With PYTHONDONTWRITEBYTECODE set (as on some CI machines) every run would
    # compile the desk's sources again and the figures would measure the compiler instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["REFUND_DESK_HOME"] = str(home)
    env.pop("REFUND_DESK_DB", None)
    return env


def _run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return elapsed


def bench_startup(work: Path, runs: int) -> dict[str, list[float]]:
    """{name: [seconds…]} for the bare script, first paint and smoke, alternated."""
    bare = work / "bare_window.py"
    bare.write_text(BARE, encoding="utf-8")
    home = work / "home"
    home.mkdir(exist_ok=True)
    env = _env(home)
    py = sys.executable
    commands = {
        "bare QMainWindow": [py, str(bare)],
        "desk --smoke-first-paint": [py, "-m", "refund_desk", "--smoke-first-paint"],
        "desk --smoke": [py, "-m", "refund_desk", "--smoke"],
    }
    import compileall

    compileall.compile_dir(str(ROOT / "refund_desk"), quiet=1)
    print("bytecode of refund_desk compiled (as an installed desk has it)")
    print("warm-up (not counted; the first --smoke creates the demo database) …", flush=True)
    for name, cmd in commands.items():
        print(f"  {name:<26} {_run(cmd, env):6.2f} s")
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for i in range(runs):
        order = names if i % 2 == 0 else names[::-1]
        for name in order:
            times[name].append(_run(commands[name], env))
    return times


def report_startup(times: dict[str, list[float]]) -> None:
    base = statistics.median(times["bare QMainWindow"])
    targets = {"desk --smoke-first-paint": 1.5}
    print(
        f"start-up, whole process, {len(times['bare QMainWindow'])} alternated runs each "
        "(median / min / max)"
    )
    for name, values in times.items():
        med = statistics.median(values)
        line = (
            f"  {name:<26} {med * 1000:7.0f} ms  {min(values) * 1000:6.0f} / "
            f"{max(values) * 1000:6.0f} ms"
        )
        if name in targets:
            ratio = med / base
            verdict = "meets" if ratio <= targets[name] else "MISSES"
            line += f"   {ratio:4.2f}× bare (target ≤ {targets[name]:.1f}×: {verdict})"
        elif name != "bare QMainWindow":
            line += f"   {med / base:4.2f}× bare (no target)"
        print(line)


def _build_big(path: Path, orders: int) -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_store", ROOT / "benchmarks" / "bench_store.py"
    )
    bench_store = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_store)
    print(f"building {orders:,} orders with bench_store.build_big …", flush=True)
    seconds = bench_store.build_big(path, orders)
    print(f"  built in {seconds:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")


def bench_responsiveness(db: Path, work: Path) -> dict[str, float]:
    """Drive the real window on ``db``; returns the longest UI-thread gaps (ms) and timings."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["REFUND_DESK_HOME"] = str(work / "home-big")
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from refund_desk.app import build_window
    from refund_desk.services.opening import DatabaseChoice
    from refund_desk.store import open_store
    from refund_desk.ui.settings import DeskSettings

    probe = open_store(db, create=False)
    try:
        some_order = probe.orders_of_account(probe.search("1", 1)[0].id, limit=1)[0].order_id
        n_orders = probe.counts()["orders"]
    finally:
        probe.close()
    prefix = some_order[:9]

    settings = DeskSettings(QSettings(str(work / "bench.ini"), QSettings.Format.IniFormat))
    settings.operator_name = "bench"
    window = build_window(settings=settings)
    window.resize(1440, 900)
    window.show()
    clock = QElapsedTimer()
    state = {"last": None, "phase": "open", "gaps": {}, "marks": {}}

    def beat() -> None:
        now = clock.elapsed()
        if state["last"] is not None:
            gap = now - state["last"]
            phase = state["phase"]
            state["gaps"][phase] = max(state["gaps"].get(phase, 0), gap)
        state["last"] = now

    heartbeat = QTimer()
    heartbeat.setInterval(2)
    heartbeat.timeout.connect(beat)
    clock.start()
    heartbeat.start()

    def wait(condition, timeout_s=120.0) -> None:
        deadline = time.perf_counter() + timeout_s
        while not condition():
            if time.perf_counter() > deadline:
                raise SystemExit("timed out waiting for the window")
            app.processEvents()
            time.sleep(0.001)

    def pause(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)

    pause(0.2)
    window.open_database(DatabaseChoice(target=str(db), explicit=True))
    wait(lambda: window.session.store is not None)
    pause(0.3)
    lookup = window.lookup
    model = lookup.model
    state["phase"] = "typing"
    lookup.search_edit.setFocus()
    from PySide6.QtTest import QTest

    typed_at = 0.0
    for char in prefix:
        QTest.keyClicks(lookup.search_edit, char)
        typed_at = time.perf_counter()
        pause(0.08)
    wait(lambda: model.term == prefix and not model.fetching and model.rowCount() > 0)
    results_s = time.perf_counter() - typed_at
    state["phase"] = "scrolling"
    pages = 0
    for _ in range(4):
        if model.canFetchMore():
            lookup.view.scrollToBottom()
            model.fetchMore()
            wait(lambda: not model.fetching)
            pages += 1
    rows = model.rowCount()
    state["phase"] = "open instance"
    opened = []
    window.instance_loaded.connect(opened.append)
    lookup.view.selectRow(0)
    start_open = time.perf_counter()
    wait(lambda: opened)
    open_s = time.perf_counter() - start_open
    pause(0.2)
    state["phase"] = "open another"
    lookup.view.selectRow(1)
    wait(lambda: len(opened) > 1)
    pause(0.2)
    heartbeat.stop()
    window.close()
    window.session.background.wait_idle(10_000)
    window.session.close()
    gaps = state["gaps"]
    return {
        "orders": n_orders,
        "prefix": prefix,
        "rows": rows,
        "pages": pages,
        "results_ms": results_s * 1000,
        "open_ms": open_s * 1000,
        "gap_open_db": gaps.get("open", 0),
        "gap_typing": gaps.get("typing", 0),
        "gap_scrolling": gaps.get("scrolling", 0),
        "gap_instance": gaps.get("open instance", 0),
        "gap_another": gaps.get("open another", 0),
    }


def report_responsiveness(r: dict) -> None:
    print(f"responsiveness on {r['orders']:,} orders (heartbeat every 2 ms on the UI thread)")
    print(
        f"  typed {r['prefix']!r} one key every 80 ms; first page shown "
        f"{r['results_ms']:.0f} ms after the last key; {r['pages']} more pages fetched "
        f"({r['rows']} rows); instance and quote shown in {r['open_ms']:.0f} ms"
    )
    worst = max(r["gap_typing"], r["gap_scrolling"], r["gap_instance"], r["gap_another"])
    for label, key in (
        ("opening the database", "gap_open_db"),
        ("typing the prefix", "gap_typing"),
        ("fetching more pages", "gap_scrolling"),
        ("opening the instance", "gap_instance"),
        ("opening a second one", "gap_another"),
    ):
        print(f"  longest UI-thread block while {label:<22} {r[key]:6.0f} ms")
    verdict = "meets" if worst < 100 else "MISSES"
    print(
        f"  longest block while searching and quoting: {worst:.0f} ms (target < 100 ms: {verdict})"
    )


def main(argv: list[str] | None = None) -> int:
    """Measure and print; returns 0 (figures are reported, not asserted)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--big-db", help="reuse this database instead of building one")
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temp dir)")
    parser.add_argument("--skip-big", action="store_true", help="only the start-up figures")
    parser.add_argument(
        "--skip-startup", action="store_true", help="only the responsiveness figures"
    )
    args = parser.parse_args(argv)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-startup-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if not args.skip_startup:
            report_startup(bench_startup(work, args.runs))
        if not args.skip_big:
            db = Path(args.big_db) if args.big_db else work / f"big-{args.orders}.db"
            if not db.exists():
                _build_big(db, args.orders)
            report_responsiveness(bench_responsiveness(db, work))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

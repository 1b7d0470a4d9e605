"""Start-up, database choice, import from the window, settings and the smoke modes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings, Qt

from refund_desk import paths
from refund_desk.services.opening import DatabaseChoice, choose_database
from refund_desk.ui.settings import DeskSettings

HEAVY = ("sqlalchemy", "alembic", "holidays", "refund_desk.store", "refund_desk.policy.calendar")


def run_desk(*args: str, env_extra: dict | None = None, timeout: int = 120):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "refund_desk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def imported(stderr: str) -> set[str]:
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def test_first_paint_loads_nothing_heavy(_isolated_dirs):
    result = run_desk("--smoke-first-paint")
    assert result.returncode == 0, result.stderr[-2000:]
    modules = imported(result.stderr)
    assert "PySide6.QtWidgets" in modules
    loaded = sorted(m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY))
    assert loaded == [], f"imported before the first paint: {loaded}"
    assert not paths.demo_db_path().exists()  # nothing created before the first paint


def test_smoke_quotes_through_the_real_store(_isolated_dirs, desk_db):
    result = run_desk("--smoke", "--db", str(desk_db))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "refund-desk --smoke: OK" in result.stdout
    assert "quoted instance iot-cn-" in result.stdout
    assert ": outcome " in result.stdout and "total refund" not in result.stdout
    # Settings went to the test's folder, not the user's own settings.
    assert (_isolated_dirs / "settings.ini").exists()


def test_a_warm_start_takes_the_calendar_from_the_cache(_isolated_dirs, desk_db):
    import json

    from refund_desk.policy import holidays_source

    first = run_desk("--smoke", "--db", str(desk_db))
    assert first.returncode == 0, first.stderr[-3000:]
    assert "holidays" in imported(first.stderr)  # cold: computed with holidays, then kept
    cache = json.loads((_isolated_dirs / "calendar-cache.json").read_text(encoding="utf-8"))
    assert cache["source"] == holidays_source()
    # Every year from the first policy version's (2017) on, none missing (the last one, next
    # year, is checked with a fixed clock below).
    years = sorted(map(int, cache["years"]))
    assert years[0] == 2017 and years == list(range(2017, years[-1] + 1))

    second = run_desk("--smoke", "--db", str(desk_db))
    assert second.returncode == 0, second.stderr[-3000:]
    assert "refund-desk --smoke: OK" in second.stdout
    assert "holidays" not in imported(second.stderr)


def test_the_warm_up_covers_every_year_to_next_year(monkeypatch, fixed_now):
    """From the first policy version's year (2017) to the year after the desk's "now"."""
    from refund_desk.services import calendar_cache
    from refund_desk.services.opening import _warm_up

    asked = []
    monkeypatch.setattr(calendar_cache, "warm_calendar", lambda path, years: asked.append(years))
    _warm_up(fixed_now)  # 2025-06-16
    assert asked == [list(range(2017, 2027))]


def test_the_database_opens_when_the_calendar_cannot_be_warmed_up(desk_db, tmp_path, monkeypatch):
    """The data folder cannot be created (a file is in the way): the calendar is not warmed up
    (each year is computed when first used) but the database still opens and quotes."""
    from refund_desk.policy import CHINA_TZ
    from refund_desk.services.opening import open_choice
    from refund_desk.services.quoting import quote_instance

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("REFUND_DESK_HOME", str(blocker / "home"))
    store = open_choice(DatabaseChoice(target=str(desk_db), explicit=True))
    try:
        q = quote_instance(store, "iot-cn-7pp2mhxqz01", datetime(2024, 3, 9, 9, tzinfo=CHINA_TZ))
        assert q.processed_by.isoformat() == "2024-03-12"
    finally:
        store.close()


def test_the_process_ends_normally_after_qt_shut_down(_isolated_dirs, desk_db):
    """``refund-desk --smoke`` ends as a normal process (no ``os._exit``): exit code 0, Python's
    own teardown runs (an ``atexit`` hook registered by the desk's process is called) and nothing
    goes wrong on the way out (no traceback, no Qt warning about objects left behind)."""
    hook = (
        "import atexit, sys; atexit.register(lambda: print('python teardown ran', flush=True));"
        "from refund_desk.cli import main; sys.exit(main(['--smoke', '--db', sys.argv[1]]))"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", hook, str(desk_db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "refund-desk --smoke: OK" in result.stdout
    assert result.stdout.rstrip().endswith("python teardown ran")
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "QObject" not in result.stderr and "QThread" not in result.stderr, result.stderr


def test_smoke_fails_loudly_on_a_bad_database(_isolated_dirs, tmp_path):
    bad = tmp_path / "not-a-db.db"
    bad.write_text("this is not SQLite")
    result = run_desk("--smoke", "--db", str(bad))
    assert result.returncode == 1
    assert "FAILED" in result.stderr and "Traceback" not in result.stderr.split("FAILED")[-1]


def test_enter_opens_the_first_result_and_down_moves_to_the_list(qtbot, window):
    from PySide6.QtWidgets import QApplication

    lookup = window.lookup
    window.focus_search()
    qtbot.keyClicks(lookup.search_edit, "iot-cn-4kd0")
    qtbot.keyClick(lookup.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.quote_panel.quote() is not None, timeout=5000)
    assert window.quote_panel.quote().instance_id == "iot-cn-4kd0s8v1q03"
    window.focus_search()
    qtbot.keyClick(lookup.search_edit, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is lookup.view


def test_database_choice(_isolated_dirs, monkeypatch, tmp_path):
    choice = choose_database()
    assert choice.demo and choice.create_demo and choice.target == str(paths.demo_db_path())
    paths.operator_db_path().write_bytes(b"")
    assert choose_database() == DatabaseChoice(target=str(paths.operator_db_path()))
    assert choose_database(demo=True).demo
    assert choose_database("x.db") == DatabaseChoice(target="x.db", explicit=True)
    monkeypatch.setenv("REFUND_DESK_DB", str(tmp_path / "env.db"))
    assert choose_database().target == str(tmp_path / "env.db")


def test_import_on_demo_switches_to_the_operators_database(
    qtbot, make_window, tmp_path, reference_exports
):
    from refund_desk.store import open_store

    demo = paths.demo_db_path()
    open_store(demo, role="demo").close()  # an (empty) demo database
    window = make_window()
    window.open_database(choose_database())
    assert window.session.is_demo and window.banner.isVisibleTo(window)
    assert "DEMO DATA" in window.banner.text()
    window.import_files([str(reference_exports)])
    qtbot.waitUntil(lambda: not window.importer.running, timeout=20000)
    store = window.session.store
    assert store.role == "operator"
    assert Path(store.url.removeprefix("sqlite:///")) == paths.operator_db_path()
    assert not window.banner.isVisibleTo(window)
    assert store.counts()["orders"] == 5
    assert "Your database" in window.db_label.text()
    summary = window.import_summary_box.text()
    assert "5" in summary
    check = open_store(demo, create=False)
    try:
        assert check.counts()["orders"] == 0  # the demo database got nothing
    finally:
        check.close()
    # The next start opens the operator's database, not the demo.
    assert choose_database().target == str(paths.operator_db_path())


def test_import_rejection_is_shown_in_words(qtbot, window, tmp_path):
    bad = tmp_path / "QueryBill-2024-01.json"
    bad.write_text('{"Data": {"Items": {"Item": [{"RecordID": 5}]}}', encoding="utf-8")
    window.import_files([str(bad)])
    qtbot.waitUntil(lambda: not window.importer.running, timeout=20000)
    assert window.message_bar.property("kind") == "error"
    assert "rejected" in window.message_bar.text()
    text = window.import_summary_box.text()
    assert "QueryBill-2024-01.json" in text and "Traceback" not in text


def test_drop_files_imports(qtbot, window, reference_exports):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(reference_exports))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    qtbot.waitUntil(lambda: not window.importer.running, timeout=20000)
    assert "Traceback" not in window.import_summary_box.text()


def test_operator_name_asked_once_and_kept(qtbot, make_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    settings = DeskSettings(QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat))
    window = make_window(desk_settings=settings)
    asked = []

    def fake_get_text(*args, **kwargs):
        asked.append(args)
        return "Mei Chen", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(fake_get_text))
    assert window.record_flow.ensure_operator() == "Mei Chen"
    assert window.record_flow.ensure_operator() == "Mei Chen"
    assert len(asked) == 1
    again = DeskSettings(QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat))
    assert again.operator_name == "Mei Chen"


def test_geometry_remembered(qtbot, make_window, settings):
    window = make_window()
    window.resize(751, 503)  # inside the offscreen 800×600 screen
    window.main_split.setSizes([300, 400])
    size = (window.width(), window.height())
    assert size != (1400, 900)
    window.close()
    assert isinstance(settings.geometry(), QByteArray)
    second = make_window(size=None)
    assert (second.width(), second.height()) == size
    assert second.main_split.sizes()[0] == window.main_split.sizes()[0]


def test_every_menu_action_has_a_tooltip_and_keyboard_path(window):
    for menu_action in window.menuBar().actions():
        assert "&" in menu_action.text()
        for action in menu_action.menu().actions():
            if action.isSeparator():
                continue
            assert action.toolTip() and action.toolTip() != action.text().replace("&", "")
            assert "&" in action.text() or not action.shortcut().isEmpty()
    text = window.menus.shortcuts_text()
    for keys in ("Ctrl+F", "Ctrl+R", "Ctrl+I", "Ctrl+T"):
        assert keys in text


def test_training_hook(window, monkeypatch):
    from refund_desk.ui.training import entry as training_entry

    opened = []
    monkeypatch.setattr(training_entry, "open_training", lambda main: opened.append(main))
    window.open_training()
    assert opened == [window]


def test_a_broken_training_module_fails_loudly(window, monkeypatch):
    """The training window always ships: an import error in it is a bug, raised as one, not
    shown as "not available in this installation"."""
    monkeypatch.delitem(sys.modules, "refund_desk.ui.training.entry", raising=False)
    monkeypatch.delattr("refund_desk.ui.training.entry", raising=False)
    monkeypatch.setitem(sys.modules, "refund_desk.ui.training.window", None)  # import fails
    with pytest.raises(ImportError):
        window.open_training()
    assert "not available" not in window.message_bar.text()


def test_open_failure_is_plain_words(make_window, tmp_path):
    window = make_window()
    window.open_database(DatabaseChoice(target=str(tmp_path / "missing.db"), explicit=True))
    assert window.session.store is None
    text = window.message_bar.text()
    assert "could not be opened" in text and "missing.db" in text and "Traceback" not in text


@pytest.mark.parametrize("count", [250])
def test_search_results_fetched_lazily(qtbot, make_window, tmp_path, count):
    from refund_desk.demo_data import bulk_orders, write_exports
    from refund_desk.store import open_store
    from refund_desk.store.importer import import_paths

    write_exports(bulk_orders(count, seed=3, accounts=1), tmp_path / "bulk")
    db = tmp_path / "bulk.db"
    store = open_store(db)
    try:
        assert not import_paths(store, [tmp_path / "bulk"], actor="tests").rejected
        first_order = store.search("", 1) or store.orders_of_account(
            store.search("1", 1)[0].id, limit=1
        )
    finally:
        store.close()
    window = make_window(db)
    prefix = first_order[0].order_id[:2]
    window.lookup.search_edit.setText(prefix)
    window.lookup.run_search()
    model = window.lookup.model
    assert model.rowCount() == 100
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 200
    assert "scroll for more" in window.lookup.status_label.text()


def _mnemonics(window) -> list[str]:
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    texts = [a.text() for a in window.menuBar().actions()]
    texts += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    for widget in window.findChildren(QAbstractButton) + window.findChildren(QLabel):
        if widget.isVisibleTo(window) and (
            not isinstance(widget, QLabel) or widget.buddy() is not None
        ):
            texts.append(widget.text())
    letters = []
    for text in texts:
        match = re.search(r"&([^&])", text or "")
        if match:
            letters.append(match.group(1).lower())
    return letters


@pytest.mark.parametrize("tab", [0, 1])
def test_mnemonics_do_not_clash(window, tab):
    window.open_instance("iot-cn-7pp2mhxqz01")
    window.tabs.setCurrentIndex(tab)
    letters = _mnemonics(window)
    assert len(letters) == len(set(letters)), sorted(letters)


def test_first_start_creates_the_demo_database_with_progress(qtbot, make_window):
    window = make_window()
    seen = []
    original = window.show_progress
    window.show_progress = lambda d, t, text: (seen.append((d, t, text)), original(d, t, text))
    choice = choose_database()
    assert choice.create_demo
    window.open_database(choice)
    store = window.session.store
    assert store is not None and store.role == "demo"
    assert paths.demo_db_path().exists()
    assert window.banner.isVisibleTo(window)
    assert store.counts()["orders"] > 100
    assert any("demo database" in text for _d, _t, text in seen)


def test_smoke_line_reads_as_a_health_check():
    from dataclasses import replace
    from datetime import datetime

    from refund_desk.app import smoke_line
    from refund_desk.policy import CHINA_TZ, InstanceInput, InstanceKind, quote
    from tests.helpers.desk_fixtures import order_input as _order

    def instance(orders):
        return InstanceInput("iot-cn-t", InstanceKind.ENTERPRISE, "a", tuple(orders))

    one = _order("1", "2024-01-10T02:00:00", "2024-01-10T02:00:00", "2025-01-10T02:00:00")
    positive = quote(instance([one]), datetime(2024, 3, 9, 9, tzinfo=CHINA_TZ))
    consumed = quote(instance([one]), datetime(2026, 3, 9, 9, tzinfo=CHINA_TZ))
    assert smoke_line("sqlite:///x.db", positive) == (
        "refund-desk --smoke: OK: sqlite:///x.db; quoted instance iot-cn-t: "
        "outcome refundable, total CNY 764.00"
    )
    assert smoke_line("u", consumed).endswith("outcome refundable, total CNY 0.00")
    public = quote(
        InstanceInput("iot-cn-p", InstanceKind.OLD_PUBLIC, "a"),
        datetime(2024, 3, 9, 9, tzinfo=CHINA_TZ),
    )
    assert smoke_line("u", public).endswith("outcome not refundable, no refund case")
    # A blocked quote: never a partial sum as a total.
    missing = _order("2", "2024-02-10T02:00:00", "2025-01-10T02:00:00", "2026-01-10T02:00:00")
    blocked = quote(
        instance([one, replace(missing, channel=None)]), datetime(2024, 3, 9, 9, tzinfo=CHINA_TZ)
    )
    assert not blocked.complete and blocked.total_refund > 0
    assert smoke_line("u", blocked).endswith("outcome refundable, no total yet (1 blocked order)")

"""Upgrading a real 0001-era database (built by Alembic at ``0001_initial`` and filled): the data
survives, a copy is kept first, and an upgrade killed at random moments (``kill -9`` of the
process doing it) or stopped by a full disk always leaves a database that opens and upgrades on
the next start."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from refund_desk.store import open_store
from refund_desk.store.db import to_url
from refund_desk.store.schema import BACKUPS_KEPT, HEAD_REVISION, _alembic_config
from tests.helpers.imports import db_state, run_desk

pytestmark = pytest.mark.sqlite_only  # SQLite files, their copies and kill -9 mid-transaction

N_ORDERS = 40_000
NOW = "2024-01-10 02:00:00.000000"


def build_0001_database(path: Path, n_orders: int = N_ORDERS) -> None:
    """A database exactly as a desk of revision 0001 left it: accounts, instances, orders with
    their links in ``order_instances`` only (0002 moved them onto the order row), a case and an
    audit entry."""
    engine = create_engine(to_url(path))
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001_initial")
    engine.dispose()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executemany(
            "INSERT INTO accounts VALUES (?, ?, ?, ?)",
            [(f"14985738{a:08d}", f"Account {a}", NOW, NOW) for a in range(n_orders // 12 + 1)],
        )
        conn.executemany(
            "INSERT INTO instances VALUES (?, ?, NULL, 'cn-shanghai', ?, ?)",
            [
                (f"iot-cn-u{i:09d}", f"14985738{i // 4:08d}", NOW, NOW)
                for i in range(n_orders // 3 + 1)
            ],
        )
        conn.executemany(
            "INSERT INTO orders (order_id, account_id, order_type, subscription_type, "
            "payment_status, currency, payment_time, usage_start, usage_end, list_price_fen, "
            "cash_fen, prepaid_card_fen, voucher_fen, coupon_fen, channel, assumed_tz, "
            "created_at, updated_at) VALUES (?, ?, 'New', 'Subscription', 'Paid', 'CNY', ?, ?, "
            "'2025-01-10 02:00:00.000000', 146400, 100000, 0, 20000, 0, 'Alipay', 0, ?, ?)",
            [
                (str(300000000000000 + n), f"14985738{n // 12:08d}", NOW, NOW, NOW, NOW)
                for n in range(n_orders)
            ],
        )
        conn.executemany(
            "INSERT INTO order_instances VALUES (?, ?, 0)",
            [(str(300000000000000 + n), f"iot-cn-u{n // 3:09d}") for n in range(n_orders)],
        )
        conn.execute(
            "INSERT INTO cases (instance_id, status, cancel_at, policy_id, policy_version, "
            "confirmed, options_json, quote_json, actor, created_at, updated_at) VALUES "
            "('iot-cn-u000000000', 'recorded', ?, 'iot-platform-refund', 1, 1, '{}', '{}', "
            "'old desk', ?, ?)",
            (NOW, NOW, NOW),
        )
        conn.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail_json) VALUES "
            "(?, 'old desk', 'import', 'import', NULL, '{}')",
            (NOW,),
        )
    conn.close()


@pytest.fixture(scope="module")
def old_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("v0001") / "template.db"
    build_0001_database(path)
    return path


def _copy(template: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(template)
    copy = sqlite3.connect(target)
    source.backup(copy)
    copy.close()
    source.close()
    return target


def _revision(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def _assert_upgraded_whole(path: Path, n_orders: int = N_ORDERS) -> None:
    store = open_store(path, create=False)
    try:
        assert store.counts()["orders"] == n_orders
        assert store.get_order("300000000000004").instance_ids == ("iot-cn-u000000001",)
        last = str(300000000000000 + n_orders - 1)
        assert store.get_order(last).instance_ids == (f"iot-cn-u{(n_orders - 1) // 3:09d}",)
        assert store.get_account("1498573800000000").name == "Account 0"
        assert store.list_cases()[0].actor == "old desk"
    finally:
        store.close()
    assert _revision(path) == HEAD_REVISION


def test_a_0001_database_is_upgraded_with_its_data_and_a_copy_is_kept(old_db, tmp_path):
    path = _copy(old_db, tmp_path / "desk.db")
    before = db_state(path)[0]
    _assert_upgraded_whole(path)
    backups = sorted((tmp_path / "backups").glob("desk-0001_initial-*.db"))
    assert len(backups) == 1
    assert db_state(backups[0])[0] == before  # the copy is the database as it was
    assert _revision(backups[0]) == "0001_initial"
    # a database at head opens without another copy
    open_store(path).close()
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_only_the_newest_copies_are_kept(old_db, tmp_path):
    for n in range(BACKUPS_KEPT + 2):
        path = _copy(old_db, tmp_path / "desk.db")
        Path(str(path) + "-wal").unlink(missing_ok=True)
        open_store(path).close()
        time.sleep(0.01)  # distinct modification times, newest last
        assert len(list((tmp_path / "backups").glob("desk-*.db"))) == min(n + 1, BACKUPS_KEPT)


def _upgrade_process(path: Path) -> subprocess.Popen:
    code = f"from refund_desk.store import open_store; open_store({str(path)!r}).close()"
    return subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE)


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")
def test_an_upgrade_killed_at_random_moments_always_recovers(old_db, tmp_path):
    # How long a whole upgrade takes here, only to spread the kills over it (no assertion).
    path = _copy(old_db, tmp_path / "measure" / "desk.db")
    start = time.monotonic()
    assert _upgrade_process(path).wait(300) == 0
    whole = time.monotonic() - start
    rng = random.Random(20241203)
    outcomes = {"killed before finishing": 0, "finished first": 0}
    for attempt in range(16):
        path = _copy(old_db, tmp_path / f"run{attempt}" / "desk.db")
        process = _upgrade_process(path)
        time.sleep(rng.uniform(0.05, whole))
        process.send_signal(signal.SIGKILL)
        process.wait(60)
        killed = process.returncode == -signal.SIGKILL
        outcomes["killed before finishing" if killed else "finished first"] += 1
        revision = _revision(path)
        assert revision in ("0001_initial", HEAD_REVISION)  # never a half-done schema
        _assert_upgraded_whole(path)  # the next start upgrades (or finds it done)
        for copy in (path.parent / "backups").glob("*.db"):
            assert _revision(copy) == "0001_initial"  # a kept copy is never a partial one
    assert outcomes["killed before finishing"] >= 8, outcomes


@pytest.mark.skipif(not hasattr(os, "fork"), reason="RLIMIT_FSIZE needs POSIX")
def test_no_room_for_the_copy_leaves_the_database_untouched(old_db, tmp_path):
    path = _copy(old_db, tmp_path / "desk.db")
    before = db_state(path)
    done = run_desk(
        ["quote", "--db", path, "iot-cn-u000000001"], file_size_limit=path.stat().st_size // 2
    )
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("refund-desk quote: cannot upgrade ") and "copy kept" in line, line
    assert "left untouched" in line and "Traceback" not in line
    assert db_state(path) == before
    assert not list((tmp_path / "backups").glob("*.db"))  # no partial copy passes for a whole one
    _assert_upgraded_whole(path)


@pytest.fixture
def small_disk(tmp_path, old_db):
    """A real, nearly full file system: a tmpfs with room for the database and its copy but not
    for the upgrade's write-ahead log (needs root and mount; skipped elsewhere)."""
    import shutil

    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    folder = tmp_path / "disk"
    folder.mkdir()
    size_kb = (2 * old_db.stat().st_size + (2 << 20)) // 1024
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_disk_filling_up_during_the_upgrade_leaves_the_old_database(old_db, small_disk):
    path = _copy(old_db, small_disk / "desk.db")
    before = db_state(path)
    done = run_desk(["quote", "--db", path, "iot-cn-u000000001"])
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("refund-desk quote: cannot open ") and "the disk is full" in line, line
    assert db_state(path) == before and _revision(path) == "0001_initial"
    subprocess.run(["mount", "-o", "remount,size=512m", str(small_disk)], check=True)
    _assert_upgraded_whole(path)

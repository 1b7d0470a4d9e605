"""Database failures during an import, raised for real by the database (never faked): a disk
that fills up (a file-size limit on the importing process), a read-only database file, and a
write lock held by another process. Each is one plain line per file naming the problem (no
traceback, no SQL, no URL), the rest of the run is reported, and the database is byte for byte
as it was."""

from __future__ import annotations

import sqlite3

import pytest

from refund_desk.demo_data import bulk_orders, write_exports, write_reference_exports
from tests.helpers.imports import db_state, read_only, run_desk

pytestmark = pytest.mark.sqlite_only  # file-size limits, read-only files and sqlite3 locks

LEAKS = ("Traceback", "sqlite3.", "INSERT", "UPDATE ", "SELECT", "sqlite://", "[SQL")


@pytest.fixture
def reference_db(tmp_path):
    exports = tmp_path / "reference"
    write_reference_exports(exports)
    db = tmp_path / "desk.db"
    done = run_desk(["import", "--db", db, exports])
    assert done.returncode == 0, done.stdout + done.stderr
    return db


@pytest.fixture(scope="module")
def big_exports(tmp_path_factory):
    """Enough orders that SQLite spills pages to the write-ahead log while the rows are being
    inserted, not only at commit (the driver call that used to leak raw sqlite3 errors)."""
    folder = tmp_path_factory.mktemp("big")
    write_exports(bulk_orders(12000, seed=11), folder)
    return folder


def _rejections(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("  REJECTED ")]


def _assert_plain(done) -> None:
    both = done.stdout + done.stderr
    for leak in LEAKS:
        assert leak not in both, both


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="RLIMIT_FSIZE needs POSIX")
def test_a_full_disk_rejects_every_file_of_the_batch_and_changes_nothing(reference_db, big_exports):
    before = db_state(reference_db)
    limit = max(reference_db.stat().st_size, 1 << 20)  # the write-ahead log cannot grow past it
    done = run_desk(["import", "--db", reference_db, big_exports], file_size_limit=limit)
    assert done.returncode == 1, done.stdout + done.stderr
    _assert_plain(done)
    n_files = sum(1 for p in big_exports.rglob("*.json"))
    (line,) = _rejections(done.stdout)  # one line for all the files the database failed
    assert line.startswith(f"  REJECTED {n_files} files (")
    assert line.endswith("): not imported, the database failed: the disk is full") or line.endswith(
        "): not imported, the database failed: the disk reported a read or write error "
        "(full, removed or failing?)"
    ), line
    assert f"files rejected: {n_files}" in done.stdout
    assert db_state(reference_db) == before
    # with room again, the same files import whole
    done = run_desk(["import", "--db", reference_db, big_exports])
    assert done.returncode == 0 and "orders added: 12000" in done.stdout


def test_a_read_only_database_file_rejects_the_import_in_one_line(reference_db, tmp_path):
    bill = tmp_path / "reference" / "QueryBill-2024-01.json"
    changed = tmp_path / "changed.json"
    text = bill.read_text()
    changed.write_text(text.replace('"PaymentAmount": 1000.0', '"PaymentAmount": 900.0'))
    before = db_state(reference_db)
    with read_only(reference_db):
        done = run_desk(["import", "--db", reference_db, changed])
    _assert_plain(done)
    assert done.returncode in (1, 2), done.stdout + done.stderr
    said = done.stdout + done.stderr
    assert "read-only" in said, said
    assert len([line for line in said.splitlines() if "read-only" in line]) == 1
    assert db_state(reference_db) == before


def test_a_lock_held_by_another_process_is_waited_for_then_reported(reference_db, tmp_path):
    exports = tmp_path / "more"
    write_exports(bulk_orders(200, seed=12), exports)
    before = db_state(reference_db)
    holder = sqlite3.connect(reference_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        done = run_desk(["import", "--wait", "2", "--db", reference_db, exports])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _assert_plain(done)
    assert done.returncode == 1
    assert "waiting for another desk's import to finish" in done.stderr  # progress, not an error
    (line,) = _rejections(done.stdout)
    n_files = sum(1 for p in exports.rglob("*.json"))
    assert line.startswith(f"  REJECTED {n_files} files (") and "stayed locked by another" in line
    assert db_state(reference_db) == before
    done = run_desk(["import", "--db", reference_db, exports])
    assert done.returncode == 0 and "orders added: 200" in done.stdout

"""The audit log's hash chain catches what an attacker with the database file can do: edit a
case's amount, ticket or quote, edit, delete or replace (INSERT OR REPLACE) an entry. The file
is edited with Python's sqlite3 module directly, bypassing the desk, as an attacker would; the
check is ``refund-desk audit verify`` (exit 0 and the count, or 1 naming the first broken entry
and its case)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from refund_desk.cli import main
from refund_desk.services.cases import record_case, set_status
from refund_desk.services.quoting import quote_instance
from refund_desk.store import open_store
from tests.helpers.case_trail import CANCEL_EX1, EX1, EX4, build_reference_db, confirmed


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The reference database with two cases: #1 EX1 (drafted → submitted), #2 EX4."""
    db = build_reference_db(tmp_path_factory.mktemp("chain"))
    store = open_store(db)
    try:
        one = record_case(
            store, quote_instance(store, EX1, CANCEL_EX1), confirmed(EX1), operator="Ana"
        )
        set_status(store, one.case_id, "submitted", operator="Ana")
        record_case(
            store,
            quote_instance(store, EX4, CANCEL_EX1.replace(year=2025)),
            confirmed(EX4),
            operator="Bo",
        )
    finally:
        store.close()
    return db


@pytest.fixture
def db(template, tmp_path) -> Path:
    target = tmp_path / "desk.db"
    target.write_bytes(template.read_bytes())
    return target


def attack(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def verify(db: Path, capsys) -> tuple[int, str]:
    code = main(["audit", "verify", "--db", str(db)])
    return code, capsys.readouterr().out.strip()


def entries(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT entry_id, action, entity, entity_id FROM audit_log ORDER BY entry_id"
        ).fetchall()
    finally:
        conn.close()


def newest_entry_of(db: Path, case_id: int) -> int:
    return max(e[0] for e in entries(db) if e[2] == "case" and e[3] == str(case_id))


def test_an_untouched_database_verifies(db, capsys):
    code, out = verify(db, capsys)
    n = len(entries(db))
    assert code == 0 and n == 6  # import, case 1 add+confirm+status, case 2 add+confirm
    assert out.startswith(f"audit log intact: {n} entries, 2 cases checked")


def test_an_edited_amount_is_caught(db, capsys):
    attack(db, "UPDATE cases SET total_refund_fen = 9999900 WHERE case_id = 1")
    code, out = verify(db, capsys)
    assert code == 1
    assert out == (
        f"audit log BROKEN: audit entry #{newest_entry_of(db, 1)} (case #1): the case "
        "(amounts, quote, ticket or status) was changed after this entry recorded it"
    )


def test_an_edited_ticket_is_caught(db, capsys):
    attack(
        db, "UPDATE cases SET ticket_text = 'Refund CNY 9,999.00 to account 42' WHERE case_id = 2"
    )
    code, out = verify(db, capsys)
    assert code == 1 and f"audit entry #{newest_entry_of(db, 2)} (case #2)" in out


def test_an_edited_quote_is_caught(db, capsys):
    conn = sqlite3.connect(db)
    quote = json.loads(conn.execute("SELECT quote_json FROM cases WHERE case_id = 1").fetchone()[0])
    conn.close()
    quote["total_refund"] = "9999.00"
    attack(db, f"UPDATE cases SET quote_json = '{json.dumps(quote)}' WHERE case_id = 1")
    code, out = verify(db, capsys)
    assert code == 1 and "(case #1)" in out


def test_an_edited_entry_is_caught(db, capsys):
    confirm = next(e[0] for e in entries(db) if e[1] == "case.confirm" and e[3] == "2")
    attack(
        db,
        "DROP TRIGGER audit_log_no_update",
        f"UPDATE audit_log SET detail_json = '{{}}' WHERE entry_id = {confirm}",
    )
    code, out = verify(db, capsys)
    assert code == 1
    assert out.startswith(f"audit log BROKEN: audit entry #{confirm} (case #2): the entry was")


def test_a_deleted_entry_is_caught(db, capsys):
    add = next(e[0] for e in entries(db) if e[1] == "case.add" and e[3] == "1")
    attack(db, "DROP TRIGGER audit_log_no_delete", f"DELETE FROM audit_log WHERE entry_id = {add}")
    code, out = verify(db, capsys)
    assert code == 1
    assert out.startswith(f"audit log BROKEN: audit entry #{add + 1} (case #1): it does not follow")


def test_a_deleted_newest_entry_is_caught(db, capsys):
    last = entries(db)[-1][0]
    attack(db, "DROP TRIGGER audit_log_no_delete", f"DELETE FROM audit_log WHERE entry_id = {last}")
    code, out = verify(db, capsys)
    assert code == 1 and f"the newest entry (#{last}) is missing" in out


def test_a_replaced_entry_is_caught(db, capsys):
    """INSERT OR REPLACE slips past the append-only triggers (SQLite fires no delete trigger for
    a REPLACE); the chain still catches it, even with the old hashes copied over."""
    status = next(e[0] for e in entries(db) if e[1] == "case.status")
    attack(
        db,
        "INSERT OR REPLACE INTO audit_log (entry_id, at, actor, action, entity, entity_id, "
        "policy_id, policy_version, detail_json, prev_hash, content_hash, entry_hash) "
        "SELECT entry_id, at, 'Mallory', action, entity, entity_id, policy_id, policy_version, "
        "detail_json, prev_hash, content_hash, entry_hash FROM audit_log "
        f"WHERE entry_id = {status}",
    )
    conn = sqlite3.connect(db)
    assert conn.execute(f"SELECT actor FROM audit_log WHERE entry_id = {status}").fetchone() == (
        "Mallory",
    )
    conn.close()
    code, out = verify(db, capsys)
    assert code == 1 and f"audit entry #{status} (case #1): the entry was changed" in out


def test_a_deleted_case_is_caught(db, capsys):
    attack(db, "DELETE FROM cases WHERE case_id = 2")
    code, out = verify(db, capsys)
    assert code == 1 and "(case #2): the case it records was deleted" in out


def test_appends_after_verification_keep_the_chain(db, capsys):
    store = open_store(db)
    try:
        set_status(store, 1, "refunded", operator="Ana")
        store.audit("Ana", "note", "import", None, None, {"why": "test"})
    finally:
        store.close()
    code, out = verify(db, capsys)
    assert code == 0 and "8 entries" in out

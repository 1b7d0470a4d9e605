"""A case row edited outside the desk is never laundered into the audit trail (RULES.md §7, the
audit log). The row is edited straight in the database (``sqlite3`` on the file, ``psycopg`` on
the PostgreSQL schema), as someone with database access would; then the desk's next write about
the case (submit, refund, fail, fallback, ticket) is refused naming the case, nothing is written,
and ``refund-desk audit verify`` still says BROKEN. Every entry records ``before_hash``, so a row
changed between two entries is caught even when the later entry was written by something that
did not refuse. On SQLite and PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from refund_desk.cli import main
from refund_desk.demo_data import write_reference_exports
from refund_desk.errors import CaseTamperedError
from refund_desk.services.cases import record_case, set_status
from refund_desk.services.fallback import recompute_original_failed
from refund_desk.services.quoting import quote_instance
from refund_desk.store import audit_chain, open_store
from refund_desk.store.importer import import_paths
from tests.helpers import databases
from tests.helpers.case_trail import CANCEL_EX1, EX1, confirmed


@pytest.fixture(scope="module")
def reference_exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tamper-ref") / "exports"
    write_reference_exports(folder)
    return folder


@pytest.fixture
def store(db, reference_exports):
    """The reference instances imported by the real importer into the test's database."""
    opened = open_store(db.target)
    assert not import_paths(opened, [reference_exports], actor="tests").rejected
    yield opened
    opened.close()


def tamper(db, sql: str) -> None:
    """Run ``sql`` on the database directly, outside the desk."""
    if db.backend == "sqlite":
        conn = sqlite3.connect(db.path)
        try:
            conn.execute(sql)
            conn.commit()
        finally:
            conn.close()
    else:
        with databases.admin(db.target) as conn:
            conn.execute(sql)


def record_ex1(store):
    q = quote_instance(store, EX1, CANCEL_EX1)
    return record_case(store, q, confirmed(EX1), operator="Ana").case


def verify(db, capsys) -> tuple[int, str]:
    code = main(["audit", "verify", "--db", db.target])
    return code, capsys.readouterr().out.strip()


def details(store, case_id: int) -> list[tuple[str, dict]]:
    entries = store.audit_entries(entity="case", entity_id=str(case_id))
    return [(e.action, e.detail) for e in reversed(entries)]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s, c: set_status(s, c, "submitted", operator="Bo"), id="submit"),
        pytest.param(
            lambda s, c: set_status(s, c, "failed", operator="Bo", reason="rejected"), id="fail"
        ),
        pytest.param(
            lambda s, c: recompute_original_failed(s, c, operator="Bo", reason="card closed"),
            id="fallback",
        ),
        pytest.param(lambda s, c: s.set_case_ticket(c, "new ticket", "Bo"), id="ticket"),
    ],
)
def test_a_write_about_a_tampered_case_is_refused_and_writes_nothing(db, store, capsys, change):
    case = record_ex1(store)
    tamper(db, f"UPDATE cases SET total_refund_fen = 9999900 WHERE case_id = {case.case_id}")
    before = db.dump()
    with pytest.raises(CaseTamperedError) as refused:
        change(store, case.case_id)
    newest = store.audit_entries(entity="case", entity_id=str(case.case_id), limit=1)[0]
    assert str(refused.value) == (
        f"Case #{case.case_id}: its stored record no longer matches what its audit trail "
        f"recorded last (entry #{newest.entry_id}); it was changed outside the desk. Nothing "
        "was written. Ask a supervisor to run 'refund-desk audit verify'."
    )
    assert db.dump() == before  # no status, no entry, no replacement
    assert store.get_case(case.case_id).status == "drafted"
    code, out = verify(db, capsys)
    assert code == 1
    assert out == (
        f"audit log BROKEN: audit entry #{newest.entry_id} (case #{case.case_id}): the case "
        "(amounts, quote, ticket or status) was changed after this entry recorded it"
    )


def test_a_case_without_any_entry_is_refused(db, store):
    case = record_ex1(store)
    # The append-only log's guard goes first, as an attacker's would.
    if db.backend == "sqlite":
        tamper(db, "DROP TRIGGER audit_log_no_delete")
    else:
        tamper(db, "ALTER TABLE audit_log DISABLE TRIGGER USER")
    tamper(db, f"DELETE FROM audit_log WHERE entity = 'case' AND entity_id = '{case.case_id}'")
    with pytest.raises(CaseTamperedError, match=r"its audit trail \(it has no audit entry\)"):
        set_status(store, case.case_id, "submitted", operator="Bo")
    assert store.get_case(case.case_id).status == "drafted"


def test_every_entry_records_the_row_it_found(db, store, capsys):
    case = record_ex1(store)
    set_status(store, case.case_id, "submitted", operator="Bo")
    store.set_case_ticket(case.case_id, "edited by the desk", "Bo")
    trail = details(store, case.case_id)
    actions = [action for action, _ in trail]
    assert actions == ["case.add", "case.confirm", "case.status", "case.ticket"]
    entries = list(reversed(store.audit_entries(entity="case", entity_id=str(case.case_id))))
    with store.engine.connect() as conn:
        content = {
            r.entry_id: r.content_hash
            for r in conn.execute(
                audit_chain.m.audit_log.select().where(audit_chain.m.audit_log.c.entity == "case")
            )
        }
    hashes = [content[e.entry_id] for e in entries]
    assert trail[0][1]["before_hash"] is None  # the entry that creates the case
    # Each later entry found the row exactly as the entry before it recorded it.
    assert [d["before_hash"] for _, d in trail[1:]] == hashes[:-1]
    assert len(set(hashes)) == 3  # add/confirm share the row; status and ticket changed it
    code, out = verify(db, capsys)
    assert code == 0 and out.startswith("audit log intact:")


def test_a_change_between_two_entries_is_caught_by_verify(db, store, capsys):
    """A writer that did not refuse (an older desk, a script) appends over an edited row: the
    newest entry then matches the row, but its ``before_hash`` shows the row it found was not
    the one the entry before it recorded."""
    case = record_ex1(store)
    last = store.audit_entries(entity="case", entity_id=str(case.case_id), limit=1)[0]
    tamper(db, f"UPDATE cases SET total_refund_fen = 9999900 WHERE case_id = {case.case_id}")
    with store.engine.begin() as conn:
        audit_chain.lock(conn)
        found = audit_chain.current_case_hash(conn, case.case_id)
        (entry_id,) = audit_chain.append(
            conn,
            [
                {
                    "at": audit_chain.datetime.now(audit_chain.UTC),
                    "actor": "Mallory",
                    "action": "case.note",
                    "entity": "case",
                    "entity_id": str(case.case_id),
                    "policy_id": case.policy_id,
                    "policy_version": case.policy_version,
                    "detail_json": json.dumps({"before_hash": found}),
                }
            ],
        )
    code, out = verify(db, capsys)
    assert code == 1
    assert out == (
        f"audit log BROKEN: audit entry #{entry_id} (case #{case.case_id}): the case (amounts, "
        f"quote, ticket or status) was changed between audit entry #{last.entry_id} and this one"
    )

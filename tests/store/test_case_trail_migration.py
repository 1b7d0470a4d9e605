"""Migration 0004 on a database of an older desk: its audit entries get chained, its cases get a
snapshot entry, two open cases of one instance (recorded before the guard) become one, and
``refund-desk cases`` lists them."""

from __future__ import annotations

import json

from sqlalchemy import create_engine

from refund_desk.cli import main
from refund_desk.store import open_store
from refund_desk.store.db import to_url
from refund_desk.store.schema import _alembic_config

NOW = "2024-03-09 01:05:00.000000"


def _case(conn, case_id: int, instance: str, status: str, actor: str, refund_fen: int) -> None:
    quote = {"by_destination": {"alipay": f"{refund_fen / 100:.2f}"}, "instance_id": instance}
    conn.exec_driver_sql(
        "INSERT INTO cases (case_id, instance_id, account_id, status, cancel_at, policy_id, "
        "policy_version, outcome, total_refund_fen, confirmed, options_json, quote_json, "
        "ticket_text, actor, created_at, updated_at) VALUES "
        "(?, ?, '1498573829450012', ?, ?, 'iot-platform-refund', 1, 'refundable', ?, 1, '{}', "
        "?, 'ticket', ?, ?, ?)",
        (case_id, instance, status, NOW, refund_fen, json.dumps(quote), actor, NOW, NOW),
    )
    conn.exec_driver_sql(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, policy_id, policy_version, "
        "detail_json) VALUES (?, ?, 'case.add', 'case', ?, 'iot-platform-refund', 1, '{}')",
        (NOW, actor, str(case_id)),
    )


def _old_database(path):
    from alembic import command

    engine = create_engine(to_url(path))
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0003_case_confirmation_key")
    with engine.begin() as conn:
        _case(conn, 1, "iot-cn-a", "drafted", "Ana", 76400)
        _case(conn, 2, "iot-cn-a", "submitted", "Bo", 76400)  # the bug: a second open case
        _case(conn, 3, "iot-cn-a", "drafted", "Cy", 76400)
        _case(conn, 4, "iot-cn-b", "recorded", "Ana", 30800)
    engine.dispose()


def test_an_older_database_is_chained_and_keeps_one_open_case_per_instance(tmp_path, capsys):
    db = tmp_path / "old.db"
    _old_database(db)
    store = open_store(db)
    try:
        report = store.verify_audit()
        assert report.intact, report.first
        assert report.entries == 8  # 4 old entries + 4 written by the upgrade
        by_id = {c.case_id: c for c in store.list_cases()}
        # The submitted one stays open; the others are closed, naming it.
        assert by_id[2].status == "submitted"
        assert by_id[1].status == by_id[3].status == "duplicate"
        assert "duplicate of case #2" in by_id[1].status_reason
        assert by_id[4].status == "drafted"  # the old default "recorded"
        upgrade = [e for e in store.audit_entries() if e.actor.startswith("desk upgrade")]
        assert sorted(e.action for e in upgrade) == [
            "case.snapshot",
            "case.snapshot",
            "case.status",
            "case.status",
        ]
        assert store.open_case_of("iot-cn-a").case_id == 2
    finally:
        store.close()

    assert main(["audit", "verify", "--db", str(db)]) == 0
    assert "8 entries, 4 cases checked" in capsys.readouterr().out
    assert main(["cases", "--db", str(db), "--status", "duplicate", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [c["case_id"] for c in listed] == [3, 1]
    assert listed[0]["refund"] == {"alipay": "764.00"} and listed[0]["operator"] == "Cy"
    assert main(["cases", "--db", str(db)]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[0].startswith("case  instance  status")
    # The desk column: "—" for a case recorded before schema 0007 (no desk known).
    assert text[1].startswith("#4  iot-cn-b  drafted  alipay 308.00  Ana  —  2024-03-09 09:05")
    assert main(["cases", "--db", str(db), "--status", "refunded"]) == 0
    assert capsys.readouterr().out.strip() == "no cases with status refunded"


def test_audit_verify_and_cases_on_a_missing_database_exit_2(tmp_path, capsys):
    assert main(["audit", "verify", "--db", str(tmp_path / "none.db")]) == 2
    assert "no database at" in capsys.readouterr().err
    assert main(["cases", "--db", str(tmp_path / "none.db")]) == 2

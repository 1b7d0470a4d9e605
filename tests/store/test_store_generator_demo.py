"""The generator reproduces the reference fixtures byte for byte and is deterministic; the demo
database is built through the real importer, covers every kind and channel, and is never the
operator's database; the CLI import/demo commands work end to end."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest

from refund_desk.cli import main
from refund_desk.demo_data import (
    CHANNEL_WEIGHTS,
    bulk_orders,
    demo_dataset,
    demo_scenarios,
    write_exports,
    write_reference_exports,
)
from refund_desk.errors import DatabaseError
from refund_desk.policy import InstanceKind
from refund_desk.services.demo import create_demo_database
from refund_desk.services.quoting import quote_instance
from refund_desk.store import open_store

FIXTURES = Path(__file__).with_name("fixtures") / "bss"


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.json"))


def test_reference_exports_are_the_fixtures_byte_for_byte(tmp_path):
    write_reference_exports(tmp_path / "ref")
    assert _files(tmp_path / "ref") == _files(FIXTURES)
    for name in _files(FIXTURES):
        assert (tmp_path / "ref" / name).read_bytes() == (FIXTURES / name).read_bytes(), name


def test_generation_is_deterministic_and_paginated(tmp_path):
    orders = list(bulk_orders(50, seed=9, accounts=2))
    write_exports(orders, tmp_path / "a", page_size=7)
    write_exports(list(bulk_orders(50, seed=9, accounts=2)), tmp_path / "b", page_size=7)
    cmp = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only
    pages = sorted((tmp_path / "a").glob("QueryAccountTransactions*.json"))
    assert len(pages) == 8  # 50 payments, 7 per page
    docs = [json.loads(p.read_text()) for p in pages]
    assert (
        sum(len(d["Data"]["AccountTransactionsList"]["AccountTransactionsList"]) for d in docs)
        == 50
    )
    assert {d["Data"]["TotalCount"] for d in docs} == {50}
    assert len(list((tmp_path / "a" / "orders").glob("GetOrderDetail-*.json"))) == 50


def test_demo_dataset_covers_the_cases_the_issue_lists():
    data = demo_dataset()
    orders = data.orders
    accounts = {o.account_id for o in orders}
    instances = {i for o in orders for i in o.instance_ids}
    assert len(accounts) >= 200 and len(instances) >= 300
    assert {o.channel for o in orders if o.channel} >= {c for c, _ in CHANNEL_WEIGHTS}
    assert {o.order_type for o in orders} == {"New", "Renew", "Upgrade"}
    assert {o.subscription_type for o in orders} == {"Subscription", "PayAsYouGo"}
    years = {o.create_time.year for o in orders}
    assert min(years) == 2018 and max(years) >= 2026
    assert any(o.voucher for o in orders) and any(o.coupon for o in orders)
    assert any(o.prepaid_card for o in orders)
    assert any(o.currency == "USD" for o in orders)
    assert any(o.payment_status == "Unpaid" for o in orders)
    assert any(len(o.instance_ids) > 1 for o in orders)
    assert any(not o.in_bill and o.paid for o in orders)
    assert any(o.channel is None and o.paid and o.subscription_type == "Subscription"
               for o in orders)  # fmt: skip
    assert any(
        o.order_type == "Renew" and o.paid and o.payment_time < o.usage_start for o in orders
    )  # fmt: skip  (renewals paid ahead: pending until they start)
    assert any(o.ids_field == "InstanceIds" for o in orders)
    paid_utc = {o.payment_time.isoformat() for o in orders if o.payment_time}
    for boundary in ("2019-03-28T15:59:00+00:00", "2019-03-28T16:00:00+00:00",
                     "2019-03-29T15:59:00+00:00", "2019-03-29T16:00:00+00:00"):  # fmt: skip
        assert boundary in paid_utc
    assert any(r.get("instance_kind") == "new_public" for r in data.csv_rows)
    assert any(r.get("invoiced") == "yes" for r in data.csv_rows)
    assert any(r.get("marketplace") == "yes" for r in data.csv_rows)
    assert demo_dataset().orders == orders  # deterministic
    assert demo_dataset(seed=1).orders != orders


def test_demo_database_is_built_through_the_importer(tmp_path):
    path = create_demo_database(tmp_path / "demo.db", seed=20240309, accounts=40)
    s = open_store(path, create=False)
    try:
        assert s.role == "demo"
        counts = s.counts()
        assert counts["orders"] > 100 and counts["instances"] > 60
        imports = s.audit_entries(action="import")
        assert imports and imports[0].actor == "demo"
        kinds = set()
        for scenario in demo_scenarios():
            if s.get_instance(scenario.instance_id) is None:
                continue  # scenarios of accounts beyond the 40 generated here
            q = quote_instance(s, scenario.instance_id, scenario.cancel_at)
            kinds.add(q.kind)
        assert kinds == set(InstanceKind)
        assert s.get_account("1498573829450012").name
    finally:
        s.close()


def test_demo_database_is_deterministic(tmp_path, dump):
    a = create_demo_database(tmp_path / "a.db", seed=5, accounts=15)
    b = create_demo_database(tmp_path / "b.db", seed=5, accounts=15)

    def content(path):
        # created_at/updated_at/at are import times; everything else must match
        s = open_store(path, create=False)
        try:
            hits = s.search("", limit=10)
            data = [s.instance_input(h.id) for h in s.search("iot-cn-", limit=1000)]
            return hits, data, s.counts()
        finally:
            s.close()

    assert content(a) == content(b)


def test_demo_never_replaces_an_operator_database(tmp_path):
    operator = tmp_path / "desk.db"
    open_store(operator).close()
    with pytest.raises(DatabaseError, match="never replaced"):
        create_demo_database(operator, force=True, accounts=5)
    assert open_store(operator).role == "operator"


def test_demo_is_kept_unless_forced(tmp_path):
    path = create_demo_database(tmp_path / "demo.db", accounts=5)
    stamp = path.stat().st_mtime_ns
    assert create_demo_database(path, accounts=5) == path
    assert path.stat().st_mtime_ns == stamp
    create_demo_database(path, accounts=6, force=True)
    s = open_store(path, create=False)
    assert s.role == "demo"
    s.close()


def test_cli_import_prints_the_summary_and_fails_on_rejection(tmp_path, capsys):
    db = tmp_path / "cli.db"
    assert main(["import", "--db", str(db), str(FIXTURES)]) == 0
    out = capsys.readouterr().out
    assert "orders added: 5" in out and "files rejected: 0" in out
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert main(["import", "--db", str(db), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "files rejected: 1" in out and "bad.json" in out
    assert main(["quote", "--db", str(db), "iot-cn-7pp2mhxqz01", "--cancel-at",
                 "2024-03-09T09:00:00+08:00", "--format", "json"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["total_refund"] == "764.00"


def test_cli_import_honours_refund_desk_db(tmp_path, monkeypatch, capsys):
    db = tmp_path / "env.db"
    monkeypatch.setenv("REFUND_DESK_DB", str(db))
    assert main(["import", str(FIXTURES / "QueryBill-2024-01.json")]) == 0
    s = open_store(db, create=False)
    assert s.counts()["orders"] == 2
    s.close()


def test_cli_demo_creates_the_demo_database(tmp_path, capsys):
    from refund_desk.paths import demo_db_path

    assert main(["demo"]) == 0
    assert str(demo_db_path()) in capsys.readouterr().out
    s = open_store(demo_db_path(), create=False)
    try:
        assert s.role == "demo" and s.counts()["accounts"] > 200
    finally:
        s.close()

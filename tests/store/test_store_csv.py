"""The CSV template: the shipped example imports; China-time defaults; declarations; facts the
API lacks; every bad cell is rejected with file, line and column, changing nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from refund_desk.policy import InstanceKind, parse_time
from refund_desk.services.quoting import quote_instance
from refund_desk.store import open_store
from refund_desk.store.csvfile import COLUMNS
from refund_desk.store.importer import import_paths

EXAMPLE = Path(__file__).parents[2] / "resources" / "examples" / "orders-example.csv"
HEADER = ",".join(COLUMNS)


def _csv(tmp_path, *rows, header=HEADER, name="orders.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _row(**cells):
    return ",".join(cells.get(c, "") for c in COLUMNS)


FULL = dict(
    order_id="900000000000100",
    instance_ids="iot-cn-csv00000001",
    account_id="2088000000000009",
    instance_kind="enterprise",
    order_type="New",
    payment_status="Paid",
    currency="CNY",
    payment_time="2024-01-10 10:00",
    usage_start="2024-01-10 10:00",
    usage_end="2025-01-10 10:00",
    list_price="1464.00",
    cash="1000.00",
    voucher="200.00",
    channel="alipay",
)


def test_the_shipped_example_imports(store, fixtures_dir):
    import_paths(store, [fixtures_dir], actor="test")
    summary = import_paths(store, [EXAMPLE], actor="test")
    assert not summary.rejected, summary.format()
    assert summary.added == 4 and summary.updated == 1
    assert store.get_account("2088000000000001").name == "Harbor Light Sensors Co."
    new_public = store.get_instance("iot-cn-exnewpub001")
    assert new_public.kind is InstanceKind.NEW_PUBLIC and new_public.kind_declared
    assert store.instance_input("iot-cn-exnewpub001").orders == ()
    assert store.get_instance("iot-cn-exold000001").kind is InstanceKind.OLD_PUBLIC
    renewal = store.get_order("900000000000012")
    assert renewal.channel == "BankTransfer" and renewal.prepaid_card == Decimal("300.00")
    assert not renewal.assumed_tz
    first = store.get_order("900000000000010")
    assert first.assumed_tz and first.channel == "Alipay" and first.invoiced is False
    # the supplement row sets what the API lacks and keeps everything else
    supplemented = store.get_order("241559391310333")
    assert supplemented.invoiced is True and supplemented.marketplace is False
    assert supplemented.cash == Decimal("1000.00") and supplemented.channel == "Alipay"
    q = quote_instance(store, "iot-cn-7pp2mhxqz01", parse_time("2024-03-09T09:00+08:00")[0])
    assert "ROUTE-INVOICED" in q.rules and str(q.by_destination["account_balance"]) == "764.00"


def test_times_without_offset_are_china_time_and_flagged(store, tmp_path):
    import_paths(store, [_csv(tmp_path, _row(**FULL))], actor="test")
    order = store.get_order("900000000000100")
    assert order.payment_time == datetime(2024, 1, 10, 2, 0, tzinfo=UTC)
    assert order.assumed_tz
    q = quote_instance(store, "iot-cn-csv00000001", parse_time("2024-03-09T09:00+08:00")[0])
    assert "ASSUMED-TZ" in q.flags
    assert str(q.by_destination["alipay"]) == "764.00"


def test_blank_cells_keep_stored_values_and_a_later_file_wins(store, tmp_path):
    import_paths(store, [_csv(tmp_path, _row(**FULL), name="a.csv")], actor="first")
    change = _row(order_id=FULL["order_id"], channel="CreditCard", marketplace="yes")
    summary = import_paths(store, [_csv(tmp_path, change, name="b.csv")], actor="second")
    assert summary.updated == 1
    order = store.get_order(FULL["order_id"])
    assert order.channel == "CreditCard" and order.marketplace is True
    assert order.list_price == Decimal("1464.00") and order.instance_ids == ("iot-cn-csv00000001",)
    [entry] = store.audit_entries(entity="order", entity_id=FULL["order_id"])
    assert entry.detail["changes"] == {"channel": ["Alipay", "CreditCard"]}


def test_several_instances_separated_by_semicolons(store, tmp_path):
    row = _row(**dict(FULL, instance_ids="iot-cn-csv00000001;iot-cn-csv00000002"))
    import_paths(store, [_csv(tmp_path, row)], actor="test")
    assert store.get_order(FULL["order_id"]).instance_ids == (
        "iot-cn-csv00000001",
        "iot-cn-csv00000002",
    )
    q = quote_instance(store, "iot-cn-csv00000002", parse_time("2024-03-09T09:00+08:00")[0])
    assert q.blocking


BAD_ROWS = [
    ("unknown-instance-kind", dict(FULL, instance_kind="premium"), "instance_kind"),
    ("bad-order-type", dict(FULL, order_type="Buy"), "order_type"),
    ("full-row-without-status", dict(FULL, payment_status=""), "payment_status"),
    ("paid-without-time", dict(FULL, payment_time=""), "payment_time"),
    ("bad-time", dict(FULL, payment_time="10/01/2024"), "payment_time"),
    ("negative-cash", dict(FULL, cash="-1.00"), "cash"),
    ("nan-cash", dict(FULL, cash="NaN"), "cash"),
    ("voucher-without-cash", dict(FULL, cash=""), "cash"),
    ("usage-backwards", dict(FULL, usage_end="2023-01-01 00:00"), "usage_end"),
    ("bad-currency", dict(FULL, currency="yuan"), "currency"),
    ("bad-flag", dict(FULL, invoiced="maybe"), "invoiced"),
    ("bad-channel", dict(FULL, channel="credit card"), "channel"),
    ("declaration-without-kind", {"instance_ids": "iot-cn-x1"}, "instance_kind"),
    ("declaration-with-order-fields", {"instance_ids": "iot-cn-x1", "instance_kind":
                                       "new_public", "cash": "1.00"}, "cash"),
    ("name-without-account", {"account_name": "Nobody Ltd."}, "account_id"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "cells", "field"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_bad_rows_reject_the_file(db, fixtures_dir, tmp_path, name, cells, field):
    s = open_store(db.target)
    import_paths(s, [fixtures_dir], actor="setup")
    s.close()
    before = db.dump(), db.digest()
    good = _row(**dict(FULL, order_id="900000000000200"))
    path = _csv(tmp_path, good, _row(**cells))
    s = open_store(db.target)
    summary = import_paths(s, [path], actor="test")
    s.close()
    [rejected] = summary.rejected
    assert rejected.error.record == "line 3" and rejected.error.field == field
    assert str(path) in str(rejected.error)
    assert (db.dump(), db.digest()) == before


@pytest.mark.parametrize(
    ("header", "field"),
    [(HEADER.replace("cash", "cahs"), "cahs"), ("instance_ids,cash", "order_id"),
     (HEADER + ",cash", "cash")],
    ids=["unknown-column", "no-order-id-column", "duplicate-column"],
)  # fmt: skip
def test_bad_headers_reject_the_file(store, tmp_path, header, field):
    summary = import_paths(store, [_csv(tmp_path, "x", header=header)], actor="test")
    [rejected] = summary.rejected
    assert rejected.error.field == field and rejected.error.record == "line 1"
    assert store.counts()["orders"] == 0


def test_ragged_row_is_rejected(store, tmp_path):
    summary = import_paths(store, [_csv(tmp_path, "1,2,3")], actor="test")
    assert summary.rejected[0].error.record == "line 2"


def test_reimporting_a_csv_changes_nothing(store, db):
    path = EXAMPLE
    import_paths(store, [path], actor="test")
    before = db.dump()
    summary = import_paths(store, [path], actor="test")
    assert summary.added == summary.updated == 0 and summary.unchanged == 5
    assert summary.instances_added == 0
    assert db.dump() == before

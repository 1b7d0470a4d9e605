"""Facts about one order that contradict each other are rejected naming both sources; facts in
another letter case are read and noted; the rest of the run goes on.

Reference order 241559391310333: usage 2024-01-10 10:00 → 2025-01-10 10:00 China time, list
price 1,464.00, cash 1,000.00 + voucher 200.00 (RULES.md §6 example 1)."""

from __future__ import annotations

import json
from decimal import Decimal

from refund_desk.store import open_store
from refund_desk.store.csvfile import COLUMNS
from refund_desk.store.importer import import_paths

OID = "241559391310333"


def _csv(path, *rows, header="order_id,usage_start,usage_end,list_price,cash"):
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _imported(db, fixtures_dir):
    store = open_store(db.target)
    assert not import_paths(store, [fixtures_dir], actor="setup").rejected
    store.close()


def test_a_usage_end_before_the_stored_start_names_both_sources(db, fixtures_dir, tmp_path):
    _imported(db, fixtures_dir)
    before = db.dump(), db.digest()
    bad = _csv(tmp_path / "late.csv", f"{OID},,2023-01-01 00:00,,")
    good = _csv(tmp_path / "good.csv", f"{OID},,2025-01-10T10:00:00+08:00,,")
    store = open_store(db.target)
    summary = import_paths(store, [bad, good], actor="test")
    store.close()
    (rejected,) = summary.rejected
    error = rejected.error
    assert (error.file, error.record, error.field) == (str(bad), "line 2", "usage_end")
    assert "before it starts (2024-01-10 10:00 China time)" in error.reason
    assert "the database (an earlier import, GetOrderDetail)" in error.reason
    assert summary.unchanged == 1  # the other file of the run went on (and said nothing new)
    assert (db.dump(), db.digest()) == before


def test_a_contradiction_with_an_earlier_file_of_the_same_run_names_that_file(
    store, fixtures_dir, tmp_path
):
    first = _csv(tmp_path / "a.csv", f"{OID},2024-06-01 00:00,,,")
    second = _csv(tmp_path / "b.csv", f"{OID},,2024-05-01 00:00,,")
    summary = import_paths(store, [fixtures_dir, first, second], actor="test")
    (rejected,) = summary.rejected
    assert rejected.path == str(second) and rejected.error.field == "usage_end"
    assert f"{first} (line 2)" in rejected.error.reason
    order = store.get_order(OID)
    assert order.usage_start.isoformat() == "2024-05-31T16:00:00+00:00"  # a.csv was imported
    assert order.usage_end.isoformat() == "2025-01-10T02:00:00+00:00"  # b.csv was not


def test_cash_over_the_list_price_of_another_export_is_implausible(store, fixtures_dir, tmp_path):
    assert not import_paths(store, [fixtures_dir], actor="t").rejected
    bad = _csv(tmp_path / "cash.csv", f"{OID},,,,99999999.00")
    (rejected,) = import_paths(store, [bad], actor="t").rejected
    assert rejected.error.field == "cash"
    assert "(99,999,999.00" in rejected.error.reason and "(1,464.00)" in rejected.error.reason
    assert "GetOrderDetail" in rejected.error.reason
    assert store.get_order(OID).cash == Decimal("1000.00")


def test_a_lower_list_price_under_the_stored_breakdown_is_implausible(
    store, fixtures_dir, tmp_path
):
    assert not import_paths(store, [fixtures_dir], actor="t").rejected
    bad = _csv(tmp_path / "price.csv", f"{OID},,,100.00,")
    (rejected,) = import_paths(store, [bad], actor="t").rejected
    assert rejected.error.field == "list_price"
    assert "the payment breakdown from the database" in rejected.error.reason


def test_two_rows_of_one_order_must_not_contradict_each_other(store, tmp_path):
    rows = _csv(
        tmp_path / "rows.csv",
        f"{OID},,,1464.00,1000.00",
        f"{OID},,,,900.00",
    )
    (rejected,) = import_paths(store, [rows], actor="t").rejected
    assert (rejected.error.record, rejected.error.field) == ("line 3", "cash")
    assert "line 2" in rejected.error.reason
    ok = _csv(tmp_path / "ok.csv", f"{OID},,,1464.00,1000.00", f"{OID},2024-01-10 10:00,,,")
    assert not import_paths(store, [ok], actor="t").rejected  # rows adding facts are fine


def test_the_same_order_twice_in_one_order_detail(store, fixtures_dir, tmp_path):
    path = fixtures_dir / "orders" / f"GetOrderDetail-{OID}.json"
    doc = json.loads(path.read_text())
    (order,) = doc["Data"]["OrderList"]["Order"]
    doc["Data"]["OrderList"]["Order"] = [order, dict(order)]
    same = tmp_path / "same.json"
    same.write_text(json.dumps(doc))
    summary = import_paths(store, [same], actor="t")
    assert not summary.rejected and summary.added == 1 and summary.files[0].records == 2
    doc["Data"]["OrderList"]["Order"] = [order, dict(order, PretaxGrossAmount="1500.00")]
    different = tmp_path / "different.json"
    different.write_text(json.dumps(doc))
    (rejected,) = import_paths(store, [different], actor="t").rejected
    assert rejected.error.field == "OrderId" and "#1 and #2" in rejected.error.reason
    assert store.get_order(OID).list_price == Decimal("1464.00")


def test_letter_case_is_normalised_and_noted_unknown_values_still_reject(
    store, fixtures_dir, tmp_path
):
    path = fixtures_dir / "orders" / f"GetOrderDetail-{OID}.json"
    doc = json.loads(path.read_text())
    doc["Data"]["OrderList"]["Order"][0].update(
        OrderType="new", PaymentStatus="PAID", SubscriptionType="subscription", Currency="cny"
    )
    cased = tmp_path / "cased.json"
    cased.write_text(json.dumps(doc))
    summary = import_paths(store, [cased], actor="t")
    assert not summary.rejected
    order = store.get_order(OID)
    assert (order.order_type, order.payment_status, order.subscription_type, order.currency) == (
        "New", "Paid", "Subscription", "CNY"
    )  # fmt: skip
    assert "values read in another letter case: 4 (" in summary.format()
    assert "PaymentStatus 'PAID' as 'Paid'" in summary.format()
    doc["Data"]["OrderList"]["Order"][0]["PaymentStatus"] = "Refunded"
    cased.write_text(json.dumps(doc))
    (rejected,) = import_paths(store, [cased], actor="t").rejected
    assert rejected.error.field == "PaymentStatus"
    assert "not one of Paid, Unpaid, Cancelled" in rejected.error.reason


def test_csv_kinds_and_channels_in_another_case(store, tmp_path):
    header = ",".join(COLUMNS)
    cells = dict.fromkeys(COLUMNS, "")
    cells.update(order_id="900000000000100", instance_ids="iot-cn-csv00000001",
                 instance_kind="Enterprise", order_type="RENEW", payment_status="paid",
                 currency="CNY", payment_time="2024-01-10 10:00", channel="ALIPAY")  # fmt: skip
    path = _csv(tmp_path / "k.csv", ",".join(cells[c] for c in COLUMNS), header=header)
    summary = import_paths(store, [path], actor="t")
    assert not summary.rejected, summary.format()
    order = store.get_order("900000000000100")
    assert (order.order_type, order.payment_status, order.channel) == ("Renew", "Paid", "Alipay")
    assert store.get_instance("iot-cn-csv00000001").kind.value == "enterprise"
    assert "another letter case: 3" in summary.format()

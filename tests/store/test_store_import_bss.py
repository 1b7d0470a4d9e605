"""BSS exports in each fixture shape import to the values of the fixtures README and RULES.md."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from itertools import permutations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refund_desk.errors import UnknownInstanceError
from refund_desk.policy import Exclusion, parse_time
from refund_desk.services.quoting import quote_instance
from refund_desk.store import open_store
from refund_desk.store.importer import import_paths

README_QUOTES = [
    # instance, cancellation (China time), destination → refund, not refundable, processed by
    ("iot-cn-7pp2mhxqz01", "2024-03-09T09:00+08:00", {"alipay": "764.00"}, "200.00", "2024-03-12"),
    ("iot-cn-0pp1lkd8x02", "2025-07-11T09:00+08:00", {"online_banking": "308.00"}, "0.00",
     "2025-07-15"),
    ("iot-cn-4kd0s8v1q03", "2019-06-01T10:00+08:00", {"account_balance": "2350.00"}, "0.00",
     "2019-06-04"),
    ("iot-cn-2mv7wq9e604", "2025-03-01T12:00+08:00", {"account_balance": "804.94"}, "0.00",
     "2025-03-04"),
]  # fmt: skip


def _utc(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _write(path, doc):
    path.write_text(json.dumps(doc, indent=2))
    return path


def test_fixture_orders_import_with_every_value(store, fixtures_dir):
    summary = import_paths(store, [fixtures_dir], actor="test")
    assert not summary.rejected
    assert summary.files_read == 10
    assert summary.added == 5
    order = store.get_order("241559391310333")
    assert order.instance_ids == ("iot-cn-7pp2mhxqz01",)
    assert order.account_id == "1498573829450012"
    assert order.order_type == "New"
    assert order.subscription_type == "Subscription"
    assert order.payment_status == "Paid"
    assert order.currency == "CNY"
    assert order.payment_time == _utc("2024-01-10T02:00:00")
    assert order.usage_start == _utc("2024-01-10T02:00:00")
    assert order.usage_end == _utc("2025-01-10T02:00:00")
    assert order.list_price == Decimal("1464.00")
    assert (order.cash, order.voucher, order.coupon, order.prepaid_card) == (
        Decimal("1000.00"),
        Decimal("200.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert order.channel == "Alipay"
    assert order.invoiced is None and order.marketplace is None
    assert order.detail_source == "GetOrderDetail"
    assert order.missing == ()
    renewal = store.get_order("241770090031166")
    assert renewal.order_type == "Renew"
    assert renewal.prepaid_card == Decimal("200.00") and renewal.cash == Decimal("1500.00")
    assert renewal.channel == "AccountBalance"
    assert store.get_order("241559391310347").channel == "BankTransfer"
    # payment 2019-03-28T17:30Z is 2019-03-29 01:30 China time
    late = store.get_order("200318812760215")
    assert late.payment_time == _utc("2019-03-28T17:30:00")
    instance = store.get_instance("iot-cn-2mv7wq9e604")
    assert instance.kind.value == "enterprise" and instance.order_count == 2
    assert instance.account_id == "1730066214087755"


@pytest.mark.parametrize(("instance_id", "cancel", "by_dest", "not_refundable", "processed"),
                         README_QUOTES)  # fmt: skip
def test_imported_fixtures_quote_as_the_readme_says(
    store, fixtures_dir, instance_id, cancel, by_dest, not_refundable, processed
):
    import_paths(store, [fixtures_dir], actor="test")
    q = quote_instance(store, instance_id, parse_time(cancel)[0])
    assert {k: str(v) for k, v in q.by_destination.items()} == by_dest
    assert str(q.total_not_refundable) == not_refundable
    assert q.processed_by.isoformat() == processed
    assert not q.blocking


def test_readme_flags_and_bank_dates(store, fixtures_dir):
    import_paths(store, [fixtures_dir], actor="test")
    q2 = quote_instance(store, "iot-cn-0pp1lkd8x02", parse_time("2025-07-11T09:00+08:00")[0])
    assert "BORDERLINE-WINDOW" in q2.flags
    assert [d.isoformat() for d in q2.credited_between] == ["2025-07-17", "2025-07-18"]
    q3 = quote_instance(store, "iot-cn-4kd0s8v1q03", parse_time("2019-06-01T10:00+08:00")[0])
    assert "BORDERLINE-CUTOFF" in q3.flags and "ROUTE-LATE" in q3.rules
    q4 = quote_instance(store, "iot-cn-2mv7wq9e604", parse_time("2025-03-01T12:00+08:00")[0])
    renewal = [o for o in q4.orders if o.order_type == "Renew"][0]
    assert (renewal.used_days, renewal.order_days, str(renewal.consumed)) == (90, 182, "895.06")


def _state(store):
    """Everything stored about the fixture orders, without import timestamps."""
    result = {}
    for oid, rec in store.get_orders(
        ["241559391310333", "241559391310347", "200318812760215", "231190044512081",
         "241770090031166"]
    ).items():  # fmt: skip
        values = {
            k: getattr(rec, k) for k in rec.__slots__ if k not in ("created_at", "updated_at")
        }
        result[oid] = values
    return result


def test_exports_merge_the_same_in_any_order_and_across_imports(db, fixtures_dir):
    files = sorted(p for p in fixtures_dir.rglob("*.json"))
    reference = None
    groups = [
        [files],  # one import, folder order
        [list(reversed(files))],  # one import, reversed
        [[f] for f in files],  # one file per import
        [[f] for f in reversed(files)],
    ]
    for imports in groups:
        s = open_store(db.another().target)
        for batch in imports:
            assert not import_paths(s, batch, actor="test").rejected
        state = _state(s)
        s.close()
        if reference is None:
            reference = state
        assert state == reference


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=st.permutations(range(10)))
def test_property_any_arrival_order_gives_the_same_orders(db, order):
    from pathlib import Path

    fixtures = Path(__file__).with_name("fixtures") / "bss"
    files = sorted(fixtures.rglob("*.json"))
    s = open_store(db.another().target)
    for index in order:
        import_paths(s, [files[index]], actor="test")
    state = _state(s)
    q = quote_instance(s, "iot-cn-2mv7wq9e604", parse_time("2025-03-01T12:00+08:00")[0])
    s.close()
    assert state["241770090031166"]["channel"] == "AccountBalance"
    assert state["241770090031166"]["list_price"] == Decimal("1810.00")
    assert str(q.total_refund) == "804.94"


def test_reimport_is_idempotent_and_writes_nothing(store, db, fixtures_dir):
    import_paths(store, [fixtures_dir], actor="test")
    before = db.dump()
    summary = import_paths(store, [fixtures_dir], actor="test")
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 15)
    assert db.dump() == before


def test_a_changed_value_updates_the_order_and_is_audited(store, fixtures_dir):
    import_paths(store, [fixtures_dir], actor="first")
    path = fixtures_dir / "orders" / "GetOrderDetail-241559391310333.json"
    doc = json.loads(path.read_text())
    doc["Data"]["OrderList"]["Order"][0]["PretaxGrossAmount"] = "1500.00"
    _write(path, doc)
    summary = import_paths(store, [path], actor="second")
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 0)
    assert store.get_order("241559391310333").list_price == Decimal("1500.00")
    [entry] = store.audit_entries(entity="order", entity_id="241559391310333")
    assert entry.actor == "second" and entry.action == "order.update"
    assert entry.detail["changes"] == {"list_price_fen": ["1464.00", "1500.00"]}
    assert entry.detail["file"] == str(path)


def test_order_known_only_from_the_bill_is_stored_and_shown_as_missing(store, fixtures_dir):
    import_paths(store, [fixtures_dir / "QueryBill-2024-01.json"], actor="test")
    order = store.get_order("241559391310333")
    assert order.instance_ids == ()
    assert order.detail_source is None
    # what the bill says is used until the detail arrives
    assert order.account_id == "1498573829450012"
    assert order.payment_time == _utc("2024-01-10T02:00:00")
    assert order.list_price == Decimal("1464.00")
    assert order.payment_status == "Paid"
    assert order.cash == Decimal("1000.00")
    assert order.channel is None and "channel" in order.missing and "instance" in order.missing
    hits = store.search("241559391310333")
    assert [(h.kind, h.exact) for h in hits] == [("order", True)]


def test_detail_wins_over_the_bill_whatever_the_order(store, fixtures_dir):
    bill = fixtures_dir / "QueryBill-2024-01.json"
    doc = json.loads(bill.read_text())
    doc["Data"]["Items"]["Item"][0]["PretaxGrossAmount"] = 9999.0
    doc["Data"]["Items"]["Item"][0]["UsageEndTime"] = "2030-01-01T00:00:00Z"
    _write(bill, doc)
    detail = fixtures_dir / "orders" / "GetOrderDetail-241559391310333.json"
    import_paths(store, [bill], actor="test")
    assert store.get_order("241559391310333").list_price == Decimal("9999.00")
    import_paths(store, [detail], actor="test")
    import_paths(store, [bill], actor="test")  # the bill again, after the detail
    order = store.get_order("241559391310333")
    assert order.list_price == Decimal("1464.00")
    assert order.usage_end == _utc("2025-01-10T02:00:00")


def test_missing_breakdown_and_channel_are_none_in_the_policy_input(store, fixtures_dir):
    import_paths(store, [fixtures_dir / "orders"], actor="test")
    instance = store.instance_input("iot-cn-7pp2mhxqz01")
    [order] = instance.orders
    assert order.breakdown is None and order.channel is None
    q = quote_instance(store, "iot-cn-7pp2mhxqz01", parse_time("2024-03-09T09:00+08:00")[0])
    assert "DATA-MISSING" in q.flags and q.blocking


def test_instance_ids_as_json_list_in_a_string_links_each_instance(store, fixtures_dir, tmp_path):
    path = fixtures_dir / "orders" / "GetOrderDetail-241559391310333.json"
    doc = json.loads(path.read_text())
    order = doc["Data"]["OrderList"]["Order"][0]
    del order["InstanceIDs"]
    order["InstanceIds"] = '["iot-cn-7pp2mhxqz01","iot-cn-extra000001"]'
    _write(path, doc)
    assert not import_paths(store, [fixtures_dir], actor="test").rejected
    assert store.get_order("241559391310333").instance_ids == (
        "iot-cn-7pp2mhxqz01",
        "iot-cn-extra000001",
    )
    for instance_id in ("iot-cn-7pp2mhxqz01", "iot-cn-extra000001"):
        [oi] = store.instance_input(instance_id).orders
        assert oi.instance_ids == ("iot-cn-7pp2mhxqz01", "iot-cn-extra000001")
        q = quote_instance(store, instance_id, parse_time("2024-03-09T09:00+08:00")[0])
        assert q.orders[0].excluded is Exclusion.SEVERAL_INSTANCES
        assert q.blocking


def test_single_instance_in_the_newer_instanceids_shape(store, fixtures_dir):
    path = fixtures_dir / "orders" / "GetOrderDetail-241559391310333.json"
    doc = json.loads(path.read_text())
    order = doc["Data"]["OrderList"]["Order"][0]
    order["InstanceIds"] = json.dumps([order.pop("InstanceIDs")])
    _write(path, doc)
    import_paths(store, [fixtures_dir], actor="test")
    assert store.get_order("241559391310333").instance_ids == ("iot-cn-7pp2mhxqz01",)


def test_order_in_another_currency_is_stored_and_excluded(store, fixtures_dir):
    for name, key in (("orders/GetOrderDetail-241559391310333.json", "OrderList"),
                      ("QueryBill-2024-01.json", "Items")):  # fmt: skip
        path = fixtures_dir / name
        doc = json.loads(path.read_text())
        records = doc["Data"][key]["Order" if key == "OrderList" else "Item"]
        for record in records:
            if record.get("OrderId", record.get("RecordID")) == "241559391310333":
                record["Currency"] = "USD"
        _write(path, doc)
    assert not import_paths(store, [fixtures_dir], actor="test").rejected
    assert store.get_order("241559391310333").currency == "USD"
    q = quote_instance(store, "iot-cn-7pp2mhxqz01", parse_time("2024-03-09T09:00+08:00")[0])
    assert q.orders[0].excluded is Exclusion.OTHER_CURRENCY


def test_times_without_z_are_utc(store, fixtures_dir):
    path = fixtures_dir / "orders" / "GetOrderDetail-200318812760215.json"
    doc = json.loads(path.read_text())
    order = doc["Data"]["OrderList"]["Order"][0]
    for key in ("CreateTime", "PaymentTime", "UsageStartTime", "UsageEndTime"):
        order[key] = order[key].rstrip("Z")
    _write(path, doc)
    import_paths(store, [fixtures_dir], actor="test")
    stored = store.get_order("200318812760215")
    assert stored.payment_time == _utc("2019-03-28T17:30:00") and not stored.assumed_tz


def test_unpaid_order_without_payment_time_is_accepted_and_excluded(store, fixtures_dir):
    path = fixtures_dir / "orders" / "GetOrderDetail-241559391310333.json"
    doc = json.loads(path.read_text())
    order = doc["Data"]["OrderList"]["Order"][0]
    order.update(PaymentStatus="Unpaid", PaymentTime="", OrderId="241559391319990")
    _write(fixtures_dir / "orders" / "GetOrderDetail-241559391319990.json", doc)
    assert not import_paths(store, [fixtures_dir], actor="test").rejected
    q = quote_instance(store, "iot-cn-7pp2mhxqz01", parse_time("2024-03-09T09:00+08:00")[0])
    assert {o.order_id: o.excluded for o in q.orders}["241559391319990"] is Exclusion.UNPAID
    assert str(q.total_refund) == "764.00"


def test_unknown_instance_raises(store):
    with pytest.raises(UnknownInstanceError):
        store.instance_input("iot-cn-nothere")


def test_summary_format_lists_counts_and_rejections(store, fixtures_dir, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    summary = import_paths(store, [fixtures_dir, bad], actor="test")
    text = summary.format()
    assert "files read: 11" in text and "orders added: 5" in text
    assert "files rejected: 1" in text and str(bad) in text
    assert len(summary.rejected) == 1 and summary.rejected[0].path == str(bad)


def test_permutations_of_three_exports_of_one_order(db, fixtures_dir):
    files = [
        fixtures_dir / "orders" / "GetOrderDetail-241770090031166.json",
        fixtures_dir / "QueryBill-2024-11.json",
        fixtures_dir / "QueryAccountTransactions.json",
    ]
    results = set()
    for perm in permutations(files):
        s = open_store(db.another().target)
        for f in perm:
            import_paths(s, [f], actor="t")
        rec = s.get_order("241770090031166")
        results.add((rec.cash, rec.prepaid_card, rec.channel, rec.list_price, rec.usage_start))
        s.close()
    assert len(results) == 1


def test_an_order_moved_to_another_instance_is_relinked_and_audited(store, fixtures_dir):
    import_paths(store, [fixtures_dir], actor="first")
    path = fixtures_dir / "orders" / "GetOrderDetail-241559391310347.json"
    doc = json.loads(path.read_text())
    doc["Data"]["OrderList"]["Order"][0]["InstanceIDs"] = "iot-cn-7pp2mhxqz01"
    _write(path, doc)
    summary = import_paths(store, [path], actor="second")
    assert summary.updated == 1
    assert store.orders_of_instance("iot-cn-0pp1lkd8x02") == []
    moved = [o.order_id for o in store.orders_of_instance("iot-cn-7pp2mhxqz01")]
    assert sorted(moved) == ["241559391310333", "241559391310347"]
    [entry] = store.audit_entries(entity="order", entity_id="241559391310347")
    assert entry.detail["changes"] == {
        "instance_ids": [["iot-cn-0pp1lkd8x02"], ["iot-cn-7pp2mhxqz01"]]
    }


def test_records_without_an_order_fact_are_skipped_and_counted(store, fixtures_dir):
    txns = fixtures_dir / "QueryAccountTransactions.json"
    doc = json.loads(txns.read_text())
    records = doc["Data"]["AccountTransactionsList"]["AccountTransactionsList"]
    records.append(dict(records[0], TransactionType="Recharge", TransactionFlow="Income",
                        RecordID="", TransactionNumber="TX-recharge"))  # fmt: skip
    _write(txns, doc)
    bill = fixtures_dir / "QueryBill-2024-01.json"
    doc = json.loads(bill.read_text())
    items = doc["Data"]["Items"]["Item"]
    items.append(dict(items[0], Item="PayAsYouGoBill", RecordID="2024011000001"))
    _write(bill, doc)
    summary = import_paths(store, [fixtures_dir], actor="test")
    assert not summary.rejected and summary.added == 5
    assert "records without an order fact (recharges, usage bills…): 2" in summary.format()
    assert store.get_order("2024011000001") is None

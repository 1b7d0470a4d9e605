"""Billing records have identity: a ``QueryBill`` record is (order, ``SubOrderId``). An order's
breakdown spread over pages, files and imports is the sum of its distinct records, in any order;
re-importing any file changes nothing; a corrected record replaces itself, never adds.

The reference order 241559391310333 (RULES.md §6 example 1: cash 1,000.00 + voucher 200.00,
list price 1,464.00, cancelled 2024-03-09 09:00 → 764.00 to Alipay) with its bill split in two
sub-orders on two pages: 600.00 + 120.00 voucher, and 400.00 + 80.00 voucher."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from decimal import Decimal
from itertools import permutations

import pytest

from refund_desk.services.quoting import quote_instance
from refund_desk.store import open_store
from refund_desk.store.importer import import_paths

OID = "241559391310333"
CANCEL = datetime.fromisoformat("2024-03-09T09:00:00+08:00")


def _page(source, path, **changes):
    """A QueryBill page holding the first item of ``source``, changed."""
    doc = json.loads(source.read_text())
    item = copy.deepcopy(doc["Data"]["Items"]["Item"][0])
    item.update(changes)
    doc["Data"]["Items"]["Item"] = [item]
    path.write_text(json.dumps(doc, indent=2))
    return path


@pytest.fixture
def split_bill(fixtures_dir, tmp_path):
    """The example-1 order's detail and channel, and its bill as two pages of one sub-order
    each."""
    whole = fixtures_dir / "QueryBill-2024-01.json"
    p1 = _page(
        whole, tmp_path / "QueryBill-2024-01.json",
        PaymentAmount=600.0, DeductedByCashCoupons=120.0, PretaxGrossAmount=878.4,
    )  # fmt: skip
    p2 = _page(
        whole, tmp_path / "QueryBill-2024-01-p2.json",
        SubOrderId="241559391310335", PaymentAmount=400.0, DeductedByCashCoupons=80.0,
        PretaxGrossAmount=585.6,
    )  # fmt: skip
    return [fixtures_dir / f"orders/GetOrderDetail-{OID}.json",
            fixtures_dir / "QueryAccountTransactions.json", p1, p2]  # fmt: skip


def _refund(store) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    order = store.get_order(OID)
    q = quote_instance(store, "iot-cn-7pp2mhxqz01", CANCEL)
    return order.cash, order.voucher, q.total_refund, q.total_not_refundable


@pytest.mark.parametrize("order", list(permutations(range(4))), ids=lambda o: "".join(map(str, o)))
def test_a_breakdown_over_two_pages_is_the_sum_in_any_order_of_imports(db, split_bill, order):
    store = open_store(db.target)
    try:
        for index in order:  # one import per file
            assert not import_paths(store, [split_bill[index]], actor="t").rejected
        assert _refund(store) == (
            Decimal("1000.00"), Decimal("200.00"), Decimal("764.00"), Decimal("200.00")
        )  # fmt: skip
        assert quote_instance(store, "iot-cn-7pp2mhxqz01", CANCEL).complete
    finally:
        store.close()


def test_reimporting_any_page_or_both_changes_nothing(db, split_bill):
    store = open_store(db.target)
    assert not import_paths(store, split_bill, actor="t").rejected
    store.close()
    before = db.dump(), db.digest()
    for again in ([split_bill[2]], [split_bill[3]], split_bill[2:], split_bill):
        store = open_store(db.target)
        summary = import_paths(store, again, actor="t")
        store.close()
        assert summary.added == summary.updated == 0 and not summary.rejected
        assert (db.dump(), db.digest()) == before


def test_a_corrected_record_replaces_itself_and_is_audited(db, tmp_path, split_bill):
    store = open_store(db.target)
    try:
        assert not import_paths(store, split_bill, actor="t").rejected
        corrected = _page(  # page 2 exported again with a fixed amount
            split_bill[3], tmp_path / "QueryBill-2024-01-p2-again.json", PaymentAmount=300.0
        )
        summary = import_paths(store, [corrected], actor="second")
        assert summary.updated == 1
        assert store.get_order(OID).cash == Decimal("900.00")  # 600 + 300, not 600 + 400 + 300
        newest = store.audit_entries(entity="order", entity_id=OID, action="order.update")[0]
        assert newest.actor == "second"
        assert newest.detail["changes"] == {"cash_fen": ["1000.00", "900.00"]}
    finally:
        store.close()


def test_the_whole_bill_of_the_fixtures_imports_as_before(store, fixtures_dir):
    """One record per order (the fixtures' shape): the breakdown is that record."""
    assert not import_paths(store, [fixtures_dir], actor="t").rejected
    assert _refund(store) == (
        Decimal("1000.00"), Decimal("200.00"), Decimal("764.00"), Decimal("200.00")
    )  # fmt: skip
    with store.engine.connect() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM bill_records").scalar()
    assert count == 5  # one per paid order of the fixtures


def test_an_item_without_sub_order_id_is_one_record_of_its_order(store, fixtures_dir, tmp_path):
    page = _page(fixtures_dir / "QueryBill-2024-01.json", tmp_path / "no-sub.json", SubOrderId=None)
    assert not import_paths(store, [page], actor="t").rejected
    assert not import_paths(store, [page], actor="t").updated
    assert store.get_order(OID).cash == Decimal("1000.00")

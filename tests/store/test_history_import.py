"""Refund orders and released status from real-shaped exports, through the real importer, give
the outcomes of RULES.md §7. The exports are the generator's, checked against the response models
of Alibaba Cloud's own SDK (``from_map`` then ``to_map`` gives the same document back)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from refund_desk.demo_data import (
    GenRefund,
    available_instances_doc,
    query_orders_doc,
    reference_orders,
    refund_order_detail_doc,
    write_reference_exports,
)
from refund_desk.policy import CHINA_TZ, Outcome
from refund_desk.services.quoting import quote_instance
from refund_desk.store import open_store
from refund_desk.store.importer import import_paths
from tests.helpers.case_trail import CANCEL_EX1, EX1, EX4

EX2 = "iot-cn-0pp1lkd8x02"
EX3 = "iot-cn-4kd0s8v1q03"
REFUND_EX1 = GenRefund(
    "241700000000001", "241559391310333", EX1, "1498573829450012",
    datetime(2024, 4, 2, 2, 0, tzinfo=UTC), Decimal("764.00"),
)  # fmt: skip


def order_of(instance_id):
    return next(o for o in reference_orders() if instance_id in o.instance_ids)


def sdk_round_trip(doc: dict, model_name: str) -> dict:
    models = pytest.importorskip("alibabacloud_bssopenapi20171214.models")
    return getattr(models, model_name)().from_map(doc).to_map()


@pytest.fixture
def exports(tmp_path):
    folder = tmp_path / "exports"
    write_reference_exports(folder / "reference")
    ex3 = order_of(EX3)
    refund_ex3 = GenRefund("241700000000003", ex3.order_id, EX3, ex3.account_id,
                           datetime(2019, 7, 1, 2, 0, tzinfo=UTC), Decimal("2350.00"))  # fmt: skip
    docs = {
        "GetOrderDetail-refund.json": (
            refund_order_detail_doc(REFUND_EX1), "GetOrderDetailResponseBody"
        ),
        "QueryOrders-1730066214087755.json": (
            query_orders_doc([ex3], [refund_ex3], "qo-1"), "QueryOrdersResponseBody"
        ),
        "QueryAvailableInstances.json": (
            available_instances_doc(
                [(EX2, "1498573829450012", "Released", datetime(2025, 8, 1, tzinfo=UTC)),
                 (EX4, "1730066214087755", "Normal", None)],
                "qai-1",
            ),
            "QueryAvailableInstancesResponseBody",
        ),
    }  # fmt: skip
    for name, (doc, model) in docs.items():
        assert sdk_round_trip(doc, model) == doc, name  # exactly the SDK's shape
        (folder / name).write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return folder


def test_refund_orders_and_released_status_give_the_new_outcomes(exports, tmp_path):
    store = open_store(tmp_path / "desk.db")
    try:
        summary = import_paths(store, [exports], actor="tests")
        assert not summary.rejected, summary.format()
        text = summary.format()
        assert "refund orders read: 2" in text
        assert "instance statuses read: 2 (1 released)" in text

        q1 = quote_instance(store, EX1, CANCEL_EX1.replace(month=5))
        assert q1.outcome is Outcome.ALREADY_REFUNDED and q1.total_refund == 0
        (refund,) = q1.history.refund_orders
        assert refund.order_id == "241700000000001" and refund.amount == Decimal("764.00")
        assert refund.related_order_id == "241559391310333"
        assert q1.orders == () and q1.rules == ("HISTORY-REFUNDED",)

        # QueryOrders names no instance: tied through RelatedOrderId to EX3's order.
        q3 = quote_instance(store, EX3, datetime(2019, 8, 1, 10, tzinfo=CHINA_TZ))
        assert q3.outcome is Outcome.ALREADY_REFUNDED
        assert q3.history.refund_orders[0].related_order_id == order_of(EX3).order_id

        q2 = quote_instance(store, EX2, datetime(2025, 8, 2, 9, tzinfo=CHINA_TZ))
        assert q2.outcome is Outcome.RELEASED and q2.history.status == "Released"

        q4 = quote_instance(store, EX4, datetime(2025, 3, 1, 12, tzinfo=CHINA_TZ))
        assert q4.outcome is Outcome.REFUNDABLE and q4.total_refund == Decimal("804.94")

        # Re-importing the same files writes nothing.
        again = import_paths(store, [exports], actor="tests")
        assert again.added == again.updated == 0
    finally:
        store.close()


def test_a_refund_order_without_instance_nor_related_order_rejects_the_file(tmp_path):
    doc = refund_order_detail_doc(REFUND_EX1)
    order = doc["Data"]["OrderList"]["Order"][0]
    del order["InstanceIDs"], order["RelatedOrderId"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    store = open_store(tmp_path / "desk.db")
    try:
        (result,) = import_paths(store, [bad], actor="tests").rejected
        assert result.error.field == "RelatedOrderId"
        assert "OrderId 241700000000001" in str(result.error)
    finally:
        store.close()


def test_query_orders_orders_without_detail_are_stored_unlinked_and_said_so(tmp_path):
    folder = tmp_path / "only-list"
    folder.mkdir()
    doc = query_orders_doc([order_of(EX3)], [], "qo-2")
    (folder / "QueryOrders.json").write_text(json.dumps(doc), encoding="utf-8")
    store = open_store(tmp_path / "desk.db")
    try:
        summary = import_paths(store, [folder], actor="tests")
        assert summary.added == 1
        assert "orders from QueryOrders not tied to an instance yet: 1" in summary.format()
        assert store.get_order(order_of(EX3).order_id).instance_ids == ()
    finally:
        store.close()

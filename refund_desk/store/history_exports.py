"""What the billing data says already happened to an instance (RULES.md §7): refund orders and
released status, read from the BSS OpenAPI (2017-12-14) exports as the API returns them.

======================== ================================ =========================================
export                   records                          what the desk takes
======================== ================================ =========================================
``GetOrderDetail``       ``Data.OrderList.Order[]`` with  the refund order (``HISTORY-REFUNDED``):
                         ``OrderType`` ``Refund``         ``OrderId``, ``RelatedOrderId``,
                                                          ``InstanceIDs``, ``PaymentTime`` /
                                                          ``CreateTime``, ``PretaxAmount``; the API
                                                          gives it no ``PaymentStatus``
``QueryOrders``          ``Data.OrderList.Order[]``       refund orders as above, tied to the
                         without instance ids             instance through ``RelatedOrderId``;
                                                          other orders as order facts without
                                                          instances (stored unlinked until their
                                                          ``GetOrderDetail`` arrives)
``QueryAvailableInstances`` ``Data.InstanceList[]``       ``InstanceID``, ``Status`` (``Released``
                                                          → ``HISTORY-RELEASED``), ``SubStatus``,
                                                          ``ReleaseTime``, ``EndTime``
======================== ================================ =========================================

The importer calls :func:`parse_history_export` and :func:`take_refund_orders` while parsing
(all or nothing per file, like every export) and :func:`write_history` in its write
transaction. Times are UTC (``TIME-ZONE``); amounts exact decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from ..errors import ImportRejected
from ..policy.money import MoneyError, parse_amount, to_fen
from . import models as m
from .facts import ID_RE, Fields, OrderFacts, ParsedFile

QUERY_ORDERS = "QueryOrders"
QUERY_AVAILABLE_INSTANCES = "QueryAvailableInstances"
REFUND = "Refund"
RELEASED_STATUSES = ("Released",)
"""``QueryAvailableInstances`` ``Status`` values that mean the instance is released."""


@dataclass(frozen=True, slots=True)
class RefundOrderRow:
    """A refund order read from an export (stored in ``refund_orders``)."""

    order_id: str
    record: str
    related_order_id: str | None
    instance_id: str | None
    account_id: str | None
    refunded_at: datetime | None
    amount_fen: int | None
    currency: str | None
    source: str


@dataclass(frozen=True, slots=True)
class InstanceStatusRow:
    """What ``QueryAvailableInstances`` says of one instance (stored in ``instance_status``)."""

    instance_id: str
    record: str
    status: str | None
    sub_status: str | None
    released: bool
    release_time: datetime | None
    end_time: datetime | None


def _ok_response(doc: Any) -> dict | None:
    """``Data`` of a successful response, or None (the caller's own checks then reject)."""
    if not isinstance(doc, dict):
        return None
    code = doc.get("Code")
    if doc.get("Success") is False or (code is not None and str(code) not in ("Success", "200")):
        return None
    data = doc.get("Data")
    return data if isinstance(data, dict) else None


def _record(index: int, item: Any, key: str) -> str:
    if isinstance(item, dict) and isinstance(item.get(key), str | int) and str(item[key]).strip():
        return f"{key} {item[key]}"
    return f"#{index + 1}"


def _positive_fen(f: Fields, name: str) -> int | None:
    """A refund order's amount as positive fen (the API may sign it either way)."""
    raw = f.data.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(raw).strip()
    if isinstance(raw, float):
        text = repr(raw)
    try:
        return to_fen(parse_amount(text.lstrip("-")))
    except MoneyError as exc:
        raise f.fail(name, str(exc)) from None


def _refund_row(path: str, index: int, item: dict, source: str) -> RefundOrderRow:
    from .bss import split_instance_ids

    record = _record(index, item, "OrderId")
    f = Fields(path, record, item)
    order_id = f.ident("OrderId", required=True)
    instance_ids: tuple[str, ...] = ()
    for name in ("InstanceIDs", "InstanceIds"):
        if name in item:
            instance_ids = split_instance_ids(f, name)
            break
    if len(instance_ids) > 1:
        raise f.fail("InstanceIDs", "a refund order naming several instances cannot be tied")
    related = f.ident("RelatedOrderId")
    if not instance_ids and related is None:
        raise f.fail(
            "RelatedOrderId",
            "a refund order needs InstanceIDs or RelatedOrderId to be tied to an instance",
        )
    refunded_at = f.time("PaymentTime") or f.time("CreateTime")
    amount = _positive_fen(f, "PretaxAmount")
    if amount is None:
        amount = _positive_fen(f, "PretaxGrossAmount")
    return RefundOrderRow(
        order_id=order_id,
        record=record,
        related_order_id=related,
        instance_id=instance_ids[0] if instance_ids else None,
        account_id=f.ident("Operator"),
        refunded_at=refunded_at,
        amount_fen=amount,
        currency=f.currency("Currency"),
        source=source,
    )


def take_refund_orders(path: str, items: list, parsed: ParsedFile) -> list:
    """Split ``GetOrderDetail`` refund orders (``OrderType`` ``Refund``, no payment status)
    out of ``items`` into ``parsed.history``; returns the other orders for the order parser.
    Raises :class:`ImportRejected` for a malformed refund order."""
    rest = []
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("OrderType") == REFUND:
            parsed.history.append(_refund_row(path, index, item, "GetOrderDetail"))
            parsed.records += 1
        else:
            rest.append(item)
    return rest


# Fields only GetOrderDetail gives an order (the SDK's response models): a list holding any of
# them is a GetOrderDetail, whose own parser then judges it (e.g. rejects missing InstanceIDs).
DETAIL_ONLY = frozenset(
    ("InstanceIDs", "InstanceIds", "SubOrderId", "UsageStartTime", "UsageEndTime", "Operator",
     "Region", "Config", "OriginalConfig", "Quantity", "OrderSubType", "BillModuleConfig")
)  # fmt: skip


def _is_query_orders(data: dict) -> bool:
    box = data.get("OrderList")
    orders = box.get("Order") if isinstance(box, dict) else None
    return (
        isinstance(orders, list)
        and bool(orders)
        and all(isinstance(o, dict) and not (DETAIL_ONLY & o.keys()) for o in orders)
    )


def parse_history_export(path: str, doc: Any) -> ParsedFile | None:
    """A ``QueryOrders`` or ``QueryAvailableInstances`` response → :class:`ParsedFile`, or
    ``None`` for any other document (left to :func:`refund_desk.store.bss.parse_bss`).

    ``QueryOrders``: refund orders go to ``parsed.history``; the other orders become order facts
    that never override a ``GetOrderDetail`` (``weak``) and name no instance.
    ``QueryAvailableInstances``: one :class:`InstanceStatusRow` per instance.

    Raises:
        ImportRejected: a record missing ``OrderId``/``OrderType`` (``QueryOrders``) or
            ``InstanceID`` (``QueryAvailableInstances``), or a bad value, naming file, record
            and field.
    """
    data = _ok_response(doc)
    if data is None:
        return None
    if isinstance(data.get("InstanceList"), list):
        parsed = ParsedFile(path=path, export=QUERY_AVAILABLE_INSTANCES)
        for index, item in enumerate(data["InstanceList"]):
            record = _record(index, item, "InstanceID")
            if not isinstance(item, dict):
                raise ImportRejected(path, "an instance is not a JSON object", record=record)
            f = Fields(path, record, item)
            instance_id = f.text("InstanceID", required=True)
            if not ID_RE.fullmatch(instance_id):
                raise f.fail("InstanceID", f"not a valid instance id: {instance_id!r}")
            status = f.text("Status")
            parsed.history.append(
                InstanceStatusRow(
                    instance_id=instance_id,
                    record=record,
                    status=status,
                    sub_status=f.text("SubStatus"),
                    released=status in RELEASED_STATUSES,
                    release_time=f.time("ReleaseTime"),
                    end_time=f.time("EndTime"),
                )
            )
            parsed.records += 1
        return parsed
    if not _is_query_orders(data):
        return None
    parsed = ParsedFile(path=path, export=QUERY_ORDERS)
    for index, item in enumerate(data["OrderList"]["Order"]):
        f = Fields(path, _record(index, item, "OrderId"), item)
        order_id = f.ident("OrderId", required=True)
        order_type = f.text("OrderType", required=True)
        if order_type == REFUND:
            parsed.history.append(_refund_row(path, index, item, QUERY_ORDERS))
            parsed.records += 1
            continue
        status = f.text("PaymentStatus", required=True)
        weak = {
            "order_type": order_type,
            "subscription_type": f.text("SubscriptionType"),
            "payment_status": status,
            "currency": f.currency("Currency"),
            "create_time": f.time("CreateTime"),
            "payment_time": f.time("PaymentTime", required=status == "Paid"),
            "list_price_fen": f.fen("PretaxGrossAmount"),
        }
        parsed.orders.append(
            OrderFacts(
                order_id,
                f.record,
                weak={k: v for k, v in weak.items() if v is not None},
            )
        )
        parsed.records += 1
    return parsed


def write_history(
    conn: Connection, files: list[ParsedFile], now: datetime
) -> tuple[int, list[str]]:
    """Store the refund orders and instance statuses of ``files`` (insert, or update what
    changed) inside the importer's write transaction.

    Returns:
        ``(rows written, notes)``; a note says how many ``QueryOrders`` orders name no
        instance yet (their ``GetOrderDetail`` ties them).
    """
    written = 0
    refunds: dict[str, RefundOrderRow] = {}
    statuses: dict[str, InstanceStatusRow] = {}
    for parsed in files:
        for row in parsed.history:
            if isinstance(row, RefundOrderRow):
                refunds[row.order_id] = row
            else:
                statuses[row.instance_id] = row
    ro, st = m.refund_orders, m.instance_status
    for row in refunds.values():
        values = {
            "related_order_id": row.related_order_id,
            "instance_id": row.instance_id,
            "account_id": row.account_id,
            "refunded_at": row.refunded_at,
            "amount_fen": row.amount_fen,
            "currency": row.currency,
            "source": row.source,
        }
        old = conn.execute(select(ro).where(ro.c.order_id == row.order_id)).mappings().first()
        if old is None:
            conn.execute(ro.insert().values(order_id=row.order_id, created_at=now,
                                            updated_at=now, **values))  # fmt: skip
            written += 1
            continue
        # A QueryOrders line says less than GetOrderDetail: never blank what is known.
        merged = {k: (v if v is not None else old[k]) for k, v in values.items()}
        if old["source"] == "GetOrderDetail" and row.source == QUERY_ORDERS:
            merged["source"] = old["source"]
        if any(merged[k] != old[k] for k in merged):
            conn.execute(
                ro.update().where(ro.c.order_id == row.order_id).values(updated_at=now, **merged)
            )
            written += 1
    for row in statuses.values():
        values = {
            "status": row.status,
            "sub_status": row.sub_status,
            "released": row.released,
            "release_time": row.release_time,
            "end_time": row.end_time,
        }
        old = conn.execute(select(st).where(st.c.instance_id == row.instance_id)).mappings().first()
        if old is None:
            conn.execute(
                st.insert().values(
                    instance_id=row.instance_id,
                    source=QUERY_AVAILABLE_INSTANCES,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
            written += 1
        elif any(values[k] != old[k] for k in values):
            conn.execute(
                st.update()
                .where(st.c.instance_id == row.instance_id)
                .values(updated_at=now, **values)
            )
            written += 1
    notes = []
    listed = [
        o.order_id for parsed in files if parsed.export == QUERY_ORDERS for o in parsed.orders
    ]
    if listed:
        linked: set[str] = set()
        for start in range(0, len(listed), 500):
            linked.update(
                conn.execute(
                    select(m.order_instances.c.order_id).where(
                        m.order_instances.c.order_id.in_(listed[start : start + 500])
                    )
                ).scalars()
            )
        unlinked = len(set(listed) - linked)
        if unlinked:
            notes.append(
                f"orders from QueryOrders not tied to an instance yet: {unlinked} (stored "
                "without instance; import their GetOrderDetail to tie them)"
            )
    if refunds:
        notes.append(f"refund orders read: {len(refunds)}")
    if statuses:
        released = sum(r.released for r in statuses.values())
        notes.append(f"instance statuses read: {len(statuses)} ({released} released)")
    return written, notes

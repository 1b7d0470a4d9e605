"""Parse the BSS OpenAPI (2017-12-14) JSON responses the desk imports, exactly as the API (or
``aliyun bssopenapi … > file.json``) returns them.

=========================== ========================================= ============================
export                      records                                   what the desk takes
=========================== ========================================= ============================
``GetOrderDetail``          ``Data.OrderList.Order[]``                the order itself, its
                                                                      instances (``InstanceIDs``
                                                                      or ``InstanceIds`` with a
                                                                      JSON list in a string)
``QueryBill``               ``Data.Items.Item[]`` (``RecordID``)      payment breakdown; times,
                                                                      list price, owner until the
                                                                      order detail arrives
``QueryAccountTransactions`` ``Data.AccountTransactionsList.          payment channel
                            AccountTransactionsList[]`` (``RecordID``)
=========================== ========================================= ============================

Times are UTC whether or not they carry ``Z`` (``TIME-ZONE``). Amounts arrive as strings or
numbers and are read as exact decimals. Every function raises
:class:`~refund_desk.errors.ImportRejected` naming the file, record and field.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import ImportRejected
from .facts import CHANNEL_RE, ID_RE, Fields, OrderFacts, ParsedFile

# The values a refundable IoT Platform order can have (as the CSV template accepts them).
ORDER_TYPES = ("New", "Renew", "Upgrade")
SUBSCRIPTION_TYPES = ("Subscription", "PayAsYouGo")

GET_ORDER_DETAIL = "GetOrderDetail"
QUERY_BILL = "QueryBill"
QUERY_ACCOUNT_TRANSACTIONS = "QueryAccountTransactions"

# QueryBill item Status → order PaymentStatus (used until the order detail is imported).
BILL_STATUS = {"PayFinish": "Paid", "WaitForPay": "Unpaid", "Cancelled": "Cancelled"}


def _nested_list(path: str, data: dict, outer: str, inner: str) -> list:
    box = data.get(outer)
    if not isinstance(box, dict):
        raise ImportRejected(path, f"Data.{outer} is not an object", field=f"Data.{outer}")
    items = box.get(inner, [])
    if not isinstance(items, list):
        raise ImportRejected(
            path, f"Data.{outer}.{inner} is not a list", field=f"Data.{outer}.{inner}"
        )
    return items


def detect(path: str, doc: Any) -> tuple[str, list]:
    """Which export ``doc`` is, and its list of records.

    Raises:
        ImportRejected: not a JSON object, an API error response (``Success`` false or a
            ``Code`` other than ``Success``/``200``), or not one of the three known exports.
    """
    if not isinstance(doc, dict):
        raise ImportRejected(path, "not a BSS OpenAPI response (expected a JSON object)")
    code = doc.get("Code")
    if doc.get("Success") is False or (code is not None and str(code) not in ("Success", "200")):
        raise ImportRejected(
            path,
            f"the file is an API error response (Code {code!r}: {doc.get('Message', '')!s}); "
            "export the data again",
        )
    data = doc.get("Data")
    if not isinstance(data, dict):
        raise ImportRejected(path, "not a BSS OpenAPI response (no Data object)", field="Data")
    if "OrderList" in data:
        return GET_ORDER_DETAIL, _nested_list(path, data, "OrderList", "Order")
    if "Items" in data:
        return QUERY_BILL, _nested_list(path, data, "Items", "Item")
    if "AccountTransactionsList" in data:
        return QUERY_ACCOUNT_TRANSACTIONS, _nested_list(
            path, data, "AccountTransactionsList", "AccountTransactionsList"
        )
    raise ImportRejected(
        path,
        "not one of the known exports (GetOrderDetail, QueryBill, QueryAccountTransactions)",
    )


def split_instance_ids(f: Fields, name: str) -> tuple[str, ...]:
    """``"iot-cn-1"`` / ``"iot-a,iot-b"`` / ``"[\\"iot-a\\",\\"iot-b\\"]"`` (a JSON list inside
    the string, newer API versions) / a real JSON list → a tuple of ids, export order kept."""
    raw = f.data.get(name)
    if raw is None:
        return ()
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("["):
            try:
                raw = json.loads(text)
            except json.JSONDecodeError:
                raise f.fail(name, f"not a JSON list of instance ids: {text!r}") from None
        else:
            raw = [part for part in (p.strip() for p in text.replace(";", ",").split(",")) if part]
    if not isinstance(raw, list) or not all(isinstance(i, str) for i in raw):
        raise f.fail(name, f"not a list of instance ids: {raw!r}")
    ids = tuple(dict.fromkeys(i.strip() for i in raw if i.strip()))
    for instance_id in ids:
        if not ID_RE.match(instance_id):
            raise f.fail(name, f"not a valid instance id: {instance_id!r}")
    return ids


def _record_name(index: int, item: Any, key: str) -> str:
    if (
        isinstance(item, dict)
        and isinstance(item.get(key), str | int)
        and str(item.get(key)).strip()
    ):
        return f"{key} {item[key]}"
    return f"#{index + 1}"


def parse_order_detail(path: str, items: list, parsed: ParsedFile) -> None:
    """``GetOrderDetail`` orders → full order facts. Required per order: ``OrderId``,
    ``OrderType``, ``SubscriptionType``, ``PaymentStatus``, ``Currency``, ``PretaxGrossAmount``,
    ``InstanceIDs``/``InstanceIds``, and ``PaymentTime`` when ``PaymentStatus`` is ``Paid``."""
    for index, item in enumerate(items):
        record = _record_name(index, item, "OrderId")
        if not isinstance(item, dict):
            raise ImportRejected(path, "an order is not a JSON object", record=record)
        f = Fields(path, record, item)
        order_id = f.ident("OrderId", required=True)
        status = f.text("PaymentStatus", required=True)
        if "InstanceIDs" in item:
            instance_ids = split_instance_ids(f, "InstanceIDs")
        elif "InstanceIds" in item:
            instance_ids = split_instance_ids(f, "InstanceIds")
        else:
            raise f.fail("InstanceIDs", "missing (neither InstanceIDs nor InstanceIds)")
        if not instance_ids:
            # Never let a re-export blank the link: the instance would lose this order.
            raise f.fail(
                "InstanceIDs" if "InstanceIDs" in item else "InstanceIds", "names no instance"
            )
        order_type = f.text("OrderType", required=True)
        if order_type not in ORDER_TYPES:
            raise f.fail("OrderType", f"{order_type!r} is not one of {', '.join(ORDER_TYPES)}")
        subscription_type = f.text("SubscriptionType", required=True)
        if subscription_type not in SUBSCRIPTION_TYPES:
            raise f.fail(
                "SubscriptionType",
                f"{subscription_type!r} is not one of {', '.join(SUBSCRIPTION_TYPES)}",
            )
        usage_start, usage_end = f.usage("UsageStartTime", "UsageEndTime")
        values = {
            "sub_order_id": f.ident("SubOrderId"),
            "account_id": f.ident("Operator"),
            "order_type": order_type,
            "subscription_type": subscription_type,
            "payment_status": status,
            "currency": f.currency("Currency", required=True),
            "create_time": f.time("CreateTime"),
            "payment_time": f.time("PaymentTime", required=status == "Paid"),
            "usage_start": usage_start,
            "usage_end": usage_end,
            "list_price_fen": f.fen("PretaxGrossAmount", required=True),
            "region": f.text("Region"),
            "assumed_tz": False,
            "detail_source": GET_ORDER_DETAIL,
        }
        if values["account_id"] is None:
            del values["account_id"]  # not said: keep what another export told
        parsed.orders.append(OrderFacts(order_id, record, values=values, instance_ids=instance_ids))
        parsed.records += 1


def parse_bill(path: str, data: dict, items: list, parsed: ParsedFile) -> None:
    """``QueryBill`` items → payment breakdown (``PaymentAmount``, ``DeductedByCashCoupons``,
    ``DeductedByCoupons``, ``DeductedByPrepaidCard``, all required) plus weak facts (usage,
    payment time, list price, subscription type, owner, status) used until the detail arrives.
    Items of one ``RecordID`` with different ``SubOrderId`` are summed. Pay-as-you-go usage
    bills (``Item`` ``PayAsYouGoBill``) are not orders and are skipped."""
    fallback_owner = data.get("AccountID")
    fallback_owner = str(fallback_owner).strip() if isinstance(fallback_owner, str | int) else None
    by_order: dict[str, OrderFacts] = {}
    seen_sub: dict[tuple[str, str], dict] = {}
    for index, item in enumerate(items):
        record = _record_name(index, item, "RecordID")
        if not isinstance(item, dict):
            raise ImportRejected(path, "a bill item is not a JSON object", record=record)
        f = Fields(path, record, item)
        if f.text("Item") == "PayAsYouGoBill":  # a usage bill, not an order: no order fact
            parsed.records += 1
            parsed.skipped += 1
            continue
        order_id = f.ident("RecordID", required=True)
        status = f.text("Status")
        payment_status = BILL_STATUS.get(status, status) if status else None
        usage_start, usage_end = f.usage("UsageStartTime", "UsageEndTime")
        amounts = {
            "cash_fen": f.fen("PaymentAmount", required=True),
            "voucher_fen": f.fen("DeductedByCashCoupons", required=True),
            "coupon_fen": f.fen("DeductedByCoupons", required=True),
            "prepaid_card_fen": f.fen("DeductedByPrepaidCard", required=True),
        }
        weak = {
            "currency": f.currency("Currency", required=True),
            "list_price_fen": f.fen("PretaxGrossAmount", required=True),
            "payment_time": f.time("PaymentTime", required=payment_status == "Paid"),
            "usage_start": usage_start,
            "usage_end": usage_end,
            "subscription_type": f.text("SubscriptionType"),
            "payment_status": payment_status,
            "account_id": f.ident("OwnerID") or fallback_owner,
        }
        weak = {k: v for k, v in weak.items() if v is not None}
        sub = f.text("SubOrderId") or ""
        key = (order_id, sub)
        snapshot = {**amounts, **weak}
        if key in seen_sub:
            if seen_sub[key] != snapshot:
                raise f.fail("RecordID", "listed twice with different values")
            continue
        seen_sub[key] = snapshot
        parsed.records += 1
        facts = by_order.get(order_id)
        if facts is None:
            by_order[order_id] = OrderFacts(order_id, record, values=amounts, weak=weak)
            continue
        for name, fen in amounts.items():  # another sub-order of the same order: add up
            facts.values[name] += fen
        if "list_price_fen" in weak:
            facts.weak["list_price_fen"] = (
                facts.weak.get("list_price_fen", 0) + weak["list_price_fen"]
            )
    parsed.orders.extend(by_order.values())
    for facts in parsed.orders:
        if facts.weak.get("account_id"):
            parsed.accounts.setdefault(facts.weak["account_id"], None)


def parse_transactions(path: str, items: list, parsed: ParsedFile) -> None:
    """``QueryAccountTransactions`` → the payment channel of each paid order. Every
    transaction needs ``TransactionType``, ``TransactionFlow``, ``TransactionTime``, ``Amount``;
    a payment (``Payment``/``Expense``) also ``RecordID`` and ``TransactionChannel``. Other
    transactions (recharges, refunds, withdrawals) carry no order fact and are skipped."""
    for index, item in enumerate(items):
        record = _record_name(index, item, "TransactionNumber")
        if not isinstance(item, dict):
            raise ImportRejected(path, "a transaction is not a JSON object", record=record)
        f = Fields(path, record, item)
        kind = f.text("TransactionType", required=True)
        flow = f.text("TransactionFlow", required=True)
        f.time("TransactionTime", required=True)
        f.fen("Amount", required=True)
        parsed.records += 1
        if kind != "Payment" or flow != "Expense":
            parsed.skipped += 1
            continue
        order_id = f.ident("RecordID", required=True)
        channel = f.text("TransactionChannel", required=True)
        if not CHANNEL_RE.match(channel):
            raise f.fail("TransactionChannel", f"not a channel name: {channel!r}")
        account = f.ident("TransactionAccount")
        facts = OrderFacts(order_id, f"RecordID {order_id}", values={"channel": channel})
        if account:
            facts.weak["account_id"] = account
            parsed.accounts.setdefault(account, None)
        parsed.orders.append(facts)


def parse_bss(path: str, doc: Any) -> ParsedFile:
    """A decoded BSS JSON response → :class:`ParsedFile`. Raises :class:`ImportRejected`."""
    from .history_exports import parse_history_export, take_refund_orders

    special = parse_history_export(path, doc)  # QueryOrders, QueryAvailableInstances (§7)
    if special is not None:
        return special
    export, items = detect(path, doc)
    parsed = ParsedFile(path=path, export=export)
    if export == GET_ORDER_DETAIL:
        items = take_refund_orders(path, items, parsed)  # OrderType Refund: no PaymentStatus
        parse_order_detail(path, items, parsed)
    elif export == QUERY_BILL:
        parse_bill(path, doc["Data"], items, parsed)
    else:
        parse_transactions(path, items, parsed)
    return parsed

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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import ImportRejected
from ..policy.money import MAX_FEN, from_fen
from ..safetext import one_line
from .facts import CHANNEL_RE, ID_RE, Fields, OrderFacts, ParsedFile, shown

# Enumerated values as the API spells them. A value in another letter case ("new", "PAID") is
# read as this spelling and noted in the import summary; any other value rejects the file.
ORDER_TYPES = ("New", "Renew", "Upgrade")
SUBSCRIPTION_TYPES = ("Subscription", "PayAsYouGo")
PAYMENT_STATUSES = ("Paid", "Unpaid", "Cancelled")
BILL_STATUSES = ("PayFinish", "WaitForPay", "Cancelled")
# The published TransactionChannel values (fixtures README). Another well-formed name is kept
# as given (the quote raises CHANNEL-UNLISTED); one of these in another letter case is read as
# the published spelling, so "alipay" still reaches the Alipay route.
PUBLISHED_CHANNELS = (
    "AccountBalance",
    "BankTransfer",
    "Alipay",
    "AntCreditPay",
    "OfflineRemittance",
    "RegularBankCreditRefund",
    "CreditCard",
    "MyBankCredit",
    "HuaxiaBankCInstallment",
    "ApplePay",
)

GET_ORDER_DETAIL = "GetOrderDetail"
QUERY_BILL = "QueryBill"
QUERY_ACCOUNT_TRANSACTIONS = "QueryAccountTransactions"

# QueryBill item Status → order PaymentStatus (used until the order detail is imported).
BILL_STATUS = {"PayFinish": "Paid", "WaitForPay": "Unpaid", "Cancelled": "Cancelled"}
# A bill record's breakdown, as the item names its parts.
BILL_PARTS = {
    "cash_fen": "PaymentAmount",
    "voucher_fen": "DeductedByCashCoupons",
    "coupon_fen": "DeductedByCoupons",
    "prepaid_card_fen": "DeductedByPrepaidCard",
}


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
    """Which export ``doc`` is (the first of :data:`EXPORTS` that matches its ``Data``), and its
    list of records.

    Raises:
        ImportRejected: not a JSON object, an API error response (``Success`` false or a
            ``Code`` other than ``Success``/``200``), or not one of the known exports.
    """
    if not isinstance(doc, dict):
        raise ImportRejected(path, "not a BSS OpenAPI response (expected a JSON object)")
    code = doc.get("Code")
    if doc.get("Success") is False or (code is not None and str(code) not in ("Success", "200")):
        raise ImportRejected(
            path,
            f"the file is an API error response (Code {shown(code)}: "
            f"{one_line(str(doc.get('Message', '')))[:200]}); export the data again",
        )
    data = doc.get("Data")
    if not isinstance(data, dict):
        raise ImportRejected(path, "not a BSS OpenAPI response (no Data object)", field="Data")
    for export in EXPORTS:
        if export.matches(data):
            return export.name, _nested_list(path, data, export.outer, export.inner)
    raise ImportRejected(
        path, f"not one of the known exports ({', '.join(e.name for e in EXPORTS)})"
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
            except (ValueError, RecursionError):
                raise f.fail(name, f"not a JSON list of instance ids: {shown(text)}") from None
        else:
            raw = [part for part in (p.strip() for p in text.replace(";", ",").split(",")) if part]
    if not isinstance(raw, list) or not all(isinstance(i, str) for i in raw):
        raise f.fail(name, f"not a list of instance ids: {shown(raw)}")
    ids = tuple(dict.fromkeys(i.strip() for i in raw if i.strip()))
    for instance_id in ids:
        if not ID_RE.fullmatch(instance_id):
            raise f.fail(name, f"not a valid instance id: {shown(instance_id)}")
    return ids


def _record_name(index: int, item: Any, key: str) -> str:
    if (
        isinstance(item, dict)
        and isinstance(item.get(key), str)
        and ID_RE.fullmatch(item[key].strip())
    ):
        return f"{key} {item[key].strip()}"
    return f"#{index + 1}"  # no usable id: the record's position (the id field is then rejected)


def parse_order_detail(path: str, data: dict, items: list, parsed: ParsedFile) -> None:
    """``GetOrderDetail`` orders → full order facts. Required per order: ``OrderId``,
    ``OrderType``, ``SubscriptionType``, ``PaymentStatus``, ``Currency``, ``PretaxGrossAmount``,
    ``InstanceIDs``/``InstanceIds``, and ``PaymentTime`` when ``PaymentStatus`` is ``Paid``.
    The same order listed twice must say the same thing both times (else the file is rejected
    naming both records)."""
    seen: dict[str, tuple[int, OrderFacts]] = {}
    for index, item in enumerate(items):
        record = _record_name(index, item, "OrderId")
        if not isinstance(item, dict):
            raise ImportRejected(path, "an order is not a JSON object", record=record)
        f = Fields(path, record, item, case_notes=parsed.case_notes)
        order_id = f.ident("OrderId", required=True)
        status = f.choice("PaymentStatus", PAYMENT_STATUSES, required=True)
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
        order_type = f.choice("OrderType", ORDER_TYPES, required=True)
        subscription_type = f.choice("SubscriptionType", SUBSCRIPTION_TYPES, required=True)
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
            "region": f.text("Region", max_len=32),
            "assumed_tz": False,
            "detail_source": GET_ORDER_DETAIL,
        }
        if values["account_id"] is None:
            del values["account_id"]  # not said: keep what another export told
        facts = OrderFacts(order_id, record, values=values, instance_ids=instance_ids)
        parsed.records += 1
        earlier = seen.get(order_id)
        if earlier is not None:
            first_index, first = earlier
            if (first.values, first.instance_ids) != (facts.values, facts.instance_ids):
                raise ImportRejected(
                    path,
                    f"the order is listed twice with different values (orders #{first_index + 1}"
                    f" and #{index + 1}); export it again",
                    record=record,
                    field="OrderId",
                )
            continue  # the same order repeated as it is (an overlapping page): read once
        seen[order_id] = (index, facts)
        parsed.orders.append(facts)


def parse_bill(path: str, data: dict, items: list, parsed: ParsedFile) -> None:
    """``QueryBill`` items → bill records (the breakdown ``PaymentAmount``,
    ``DeductedByCashCoupons``, ``DeductedByCoupons``, ``DeductedByPrepaidCard``, all required,
    and the list price ``PretaxGrossAmount``) plus weak facts (usage, payment time, subscription
    type, owner, status) used until the detail arrives.

    A bill record is identified by its order (``RecordID``) and its ``SubOrderId`` (``""`` when
    the item has none): an order's breakdown is the sum of its distinct records across pages,
    files and imports, and a record met again changes nothing. The same record listed twice in
    a file with different values, a breakdown larger than the item's list price, or sub-orders
    adding up to more than :data:`~refund_desk.policy.money.MAX_AMOUNT` reject the file.
    Pay-as-you-go usage bills (``Item`` ``PayAsYouGoBill``) are not orders and are skipped."""
    fallback_owner = data.get("AccountID")
    fallback_owner = str(fallback_owner).strip() if isinstance(fallback_owner, str | int) else None
    if fallback_owner is not None and not ID_RE.fullmatch(fallback_owner):
        raise ImportRejected(
            path, f"not a valid account id: {fallback_owner[:64]!r}", field="Data.AccountID"
        )
    by_order: dict[str, OrderFacts] = {}
    seen_at: dict[tuple[str, str], tuple[int, dict]] = {}
    for index, item in enumerate(items):
        record = _record_name(index, item, "RecordID")
        if not isinstance(item, dict):
            raise ImportRejected(path, "a bill item is not a JSON object", record=record)
        f = Fields(path, record, item, case_notes=parsed.case_notes)
        kind = f.text("Item", max_len=64)
        if kind is not None and kind.casefold() == "payasyougobill":
            parsed.records += 1  # a usage bill, not an order: no order fact
            parsed.skipped += 1
            continue
        order_id = f.ident("RecordID", required=True)
        status = f.choice("Status", BILL_STATUSES)
        payment_status = BILL_STATUS[status] if status else None
        usage_start, usage_end = f.usage("UsageStartTime", "UsageEndTime")
        bill = {name: f.fen(field_name, required=True) for name, field_name in BILL_PARTS.items()}
        bill["list_price_fen"] = f.fen("PretaxGrossAmount", required=True)
        paid = sum(bill[name] for name in BILL_PARTS)
        if paid > bill["list_price_fen"]:
            largest = max(BILL_PARTS, key=lambda name: bill[name])
            raise f.fail(
                BILL_PARTS[largest],
                f"the payment breakdown ({_yuan(paid)}) exceeds the list price "
                f"PretaxGrossAmount ({_yuan(bill['list_price_fen'])})",
            )
        weak = {
            "currency": f.currency("Currency", required=True),
            "payment_time": f.time("PaymentTime", required=payment_status == "Paid"),
            "usage_start": usage_start,
            "usage_end": usage_end,
            "subscription_type": f.choice("SubscriptionType", SUBSCRIPTION_TYPES),
            "payment_status": payment_status,
            "account_id": f.ident("OwnerID") or fallback_owner,
        }
        weak = {k: v for k, v in weak.items() if v is not None}
        key = (order_id, f.ident("SubOrderId") or "")
        snapshot = {**bill, **weak}
        earlier = seen_at.get(key)
        if earlier is not None:
            if earlier[1] != snapshot:
                raise f.fail(
                    "RecordID",
                    f"the same bill record (sub-order {key[1] or 'none'}) is listed twice with "
                    f"different values (items #{earlier[0] + 1} and #{index + 1})",
                )
            continue  # the same item repeated as it is: read once
        seen_at[key] = (index, snapshot)
        parsed.records += 1
        facts = by_order.get(order_id)
        if facts is None:
            by_order[order_id] = OrderFacts(order_id, record, weak=weak, bills={key[1]: bill})
            continue
        bills = facts.bills
        assert bills is not None  # an order read from a bill always has its bills
        bills[key[1]] = bill
        facts.weak.update(weak)
        for name in (*BILL_PARTS, "list_price_fen"):
            if sum(b[name] for b in bills.values()) > MAX_FEN:
                raise f.fail(
                    BILL_PARTS.get(name, "PretaxGrossAmount"),
                    f"the sub-orders of this order add up to more than {_yuan(MAX_FEN)}",
                )
    parsed.orders.extend(by_order.values())
    for facts in parsed.orders:
        if facts.weak.get("account_id"):
            parsed.accounts.setdefault(facts.weak["account_id"], None)


def parse_transactions(path: str, data: dict, items: list, parsed: ParsedFile) -> None:
    """``QueryAccountTransactions`` → the payment channel of each paid order. Every
    transaction needs ``TransactionType``, ``TransactionFlow``, ``TransactionTime``, ``Amount``;
    a payment (``Payment``/``Expense``, in any letter case) also ``RecordID`` and
    ``TransactionChannel``. Other transactions (recharges, refunds, withdrawals) carry no order
    fact and are skipped. Two payments of one order naming different channels reject the
    file."""
    channels: dict[str, tuple[str, str]] = {}
    for index, item in enumerate(items):
        record = _record_name(index, item, "TransactionNumber")
        if not isinstance(item, dict):
            raise ImportRejected(path, "a transaction is not a JSON object", record=record)
        f = Fields(path, record, item, case_notes=parsed.case_notes)
        kind = f.text("TransactionType", required=True, max_len=64)
        flow = f.text("TransactionFlow", required=True, max_len=64)
        f.time("TransactionTime", required=True)
        f.fen("Amount", required=True)
        parsed.records += 1
        if kind.casefold() != "payment" or flow.casefold() != "expense":
            parsed.skipped += 1
            continue
        f.choice("TransactionType", ("Payment",))
        f.choice("TransactionFlow", ("Expense",))
        order_id = f.ident("RecordID", required=True)
        channel = f.text("TransactionChannel", required=True, max_len=40)
        if channel not in PUBLISHED_CHANNELS:
            channel = f.same_but_case("TransactionChannel", channel, PUBLISHED_CHANNELS) or channel
        if not CHANNEL_RE.fullmatch(channel):
            raise f.fail("TransactionChannel", f"not a channel name: {channel!r}")
        earlier = channels.get(order_id)
        if earlier is not None and earlier[1] != channel:
            raise f.fail(
                "TransactionChannel",
                f"the order's payments name two channels ({earlier[1]} in {earlier[0]}, "
                f"{channel} here)",
            )
        channels[order_id] = (record, channel)
        account = f.ident("TransactionAccount")
        facts = OrderFacts(order_id, f"RecordID {order_id}", values={"channel": channel})
        if account:
            facts.weak["account_id"] = account
            parsed.accounts.setdefault(account, None)
        parsed.orders.append(facts)


def _yuan(fen: int) -> str:
    return f"{from_fen(fen):,.2f}"


@dataclass(frozen=True)
class Export:
    """One JSON export the importer reads: its ``name`` (stored as the order's
    ``detail_source`` for a full order record), where its records are (``Data.<outer>.<inner>``)
    and the parser ``parse(path, data, records, parsed)`` that fills a :class:`ParsedFile`.
    ``matches(data)`` says whether a response's ``Data`` is this export (default: it has
    ``outer``)."""

    name: str
    outer: str
    inner: str
    parse: Callable[[str, dict, list, ParsedFile], None]
    matches_data: Callable[[dict], bool] | None = None

    def matches(self, data: dict) -> bool:
        if self.matches_data is not None:
            return self.matches_data(data)
        return self.outer in data


# The exports the importer reads, tried in this order (a reader for another export goes in
# this list, before any export its Data would also match).
EXPORTS: list[Export] = [
    Export(GET_ORDER_DETAIL, "OrderList", "Order", parse_order_detail),
    Export(QUERY_BILL, "Items", "Item", parse_bill),
    Export(
        QUERY_ACCOUNT_TRANSACTIONS,
        "AccountTransactionsList",
        "AccountTransactionsList",
        parse_transactions,
    ),
]


def parse_bss(path: str, doc: Any) -> ParsedFile:
    """A decoded BSS JSON response → :class:`ParsedFile`. Raises :class:`ImportRejected`."""
    from .history_exports import parse_history_export, take_refund_orders

    special = parse_history_export(path, doc)  # QueryOrders, QueryAvailableInstances (§7)
    if special is not None:
        return special
    name, items = detect(path, doc)
    parsed = ParsedFile(path=path, export=name)
    if name == GET_ORDER_DETAIL:
        items = take_refund_orders(path, items, parsed)  # OrderType Refund: no PaymentStatus
    export = next(e for e in EXPORTS if e.name == name)
    export.parse(path, doc["Data"], items, parsed)
    return parsed

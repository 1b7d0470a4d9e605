"""Deterministic generator of BSS-shaped exports: tests, the demo database and benchmarks.

It writes files exactly as the BSS OpenAPI (2017-12-14) returns them and as operators save them:

- ``orders/GetOrderDetail-<OrderId>.json`` — one per order;
- ``QueryBill-<YYYY-MM>.json`` — one per billing cycle (China-time month of payment), paginated
  into ``QueryBill-<YYYY-MM>-p<N>.json`` beyond ``page_size`` items;
- ``QueryAccountTransactions.json`` — every payment, paginated into
  ``QueryAccountTransactions-p<N>.json``.

:func:`reference_orders` are the four reference instances of the BSS fixtures (RULES.md §6 and the
fixtures' README); :func:`write_exports` of them reproduces those files byte for byte. Request
ids are UUID5 of the page key, so the output depends only on the input. All names and ids are
made up; nothing describes a real person.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from ..policy.timeutil import CHINA_TZ

EXPORT_ACCOUNT_NAME = "operator-export"
CONFIG = "InstanceSpec:[MaxOnlineDevices:1000;MessageTPS:100;ForwardTPS:100;]"
PAGE_SIZE = 300
TWO = Decimal("0.01")


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _iso(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _money(amount: Decimal) -> str:
    return str(amount.quantize(TWO))


def _number(amount: Decimal) -> float:
    return float(amount.quantize(TWO))


def _request_id(key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, key)).upper()


@dataclass(frozen=True, slots=True)
class GenOrder:
    """One generated order: everything the three exports (and the CSV facts) say about it.

    Money in CNY (or ``currency``) ``Decimal``; times aware UTC. ``channel=None`` → no
    transaction is written (channel missing); ``in_bill=False`` → no ``QueryBill`` item
    (breakdown missing); ``in_detail=False`` → no ``GetOrderDetail`` file (order known only from
    the bill/transactions). ``ids_field`` chooses ``InstanceIDs`` or the newer ``InstanceIds``
    (a JSON list inside a string). ``invoiced``/``marketplace`` go to the CSV facts file."""

    order_id: str
    instance_ids: tuple[str, ...]
    account_id: str
    order_type: str
    subscription_type: str
    payment_status: str
    create_time: datetime
    payment_time: datetime | None
    usage_start: datetime | None
    usage_end: datetime | None
    list_price: Decimal
    cash: Decimal
    voucher: Decimal = Decimal("0.00")
    coupon: Decimal = Decimal("0.00")
    prepaid_card: Decimal = Decimal("0.00")
    currency: str = "CNY"
    channel: str | None = "Alipay"
    in_bill: bool = True
    in_detail: bool = True
    ids_field: str = "InstanceIDs"
    region: str = "cn-shanghai"
    invoiced: bool | None = None
    marketplace: bool | None = None

    @property
    def sub_order_id(self) -> str:
        return str(int(self.order_id) + 1) if self.order_id.isdigit() else self.order_id + "-1"

    @property
    def pretax(self) -> Decimal:
        """``PretaxAmount``: what was paid by cash, vouchers and prepaid card."""
        return self.cash + self.voucher + self.prepaid_card

    @property
    def billing_cycle(self) -> str:
        moment = self.payment_time or self.create_time
        return moment.astimezone(CHINA_TZ).strftime("%Y-%m")

    @property
    def paid(self) -> bool:
        return self.payment_status == "Paid"


# --------------------------------------------------------------------------- the reference set
def reference_orders() -> list[GenOrder]:
    """The five orders of the four reference instances (fixtures README, RULES.md §6 examples):

    ``iot-cn-7pp2mhxqz01`` (example 1, Alipay, 200.00 voucher), ``iot-cn-0pp1lkd8x02``
    (example 2, BankTransfer, day 548), ``iot-cn-4kd0s8v1q03`` (example 3, paid 2019-03-29 China
    time), ``iot-cn-2mv7wq9e604`` (a consumed new order and a renewal with a prepaid card)."""
    acc_a, acc_b = "1498573829450012", "1730066214087755"
    return [
        GenOrder("241559391310333", ("iot-cn-7pp2mhxqz01",), acc_a, "New", "Subscription",
                 "Paid", _utc("2024-01-10T02:00:00Z"), _utc("2024-01-10T02:00:00Z"),
                 _utc("2024-01-10T02:00:00Z"), _utc("2025-01-10T02:00:00Z"),
                 Decimal("1464.00"), Decimal("1000.00"), voucher=Decimal("200.00"),
                 channel="Alipay"),
        GenOrder("241559391310347", ("iot-cn-0pp1lkd8x02",), acc_a, "New", "Subscription",
                 "Paid", _utc("2024-01-10T02:00:00Z"), _utc("2024-01-10T02:00:00Z"),
                 _utc("2024-01-10T02:00:00Z"), _utc("2026-01-10T02:00:00Z"),
                 Decimal("2924.00"), Decimal("2500.00"), channel="BankTransfer"),
        GenOrder("200318812760215", ("iot-cn-4kd0s8v1q03",), acc_b, "New", "Subscription",
                 "Paid", _utc("2019-03-28T17:30:00Z"), _utc("2019-03-28T17:30:00Z"),
                 _utc("2019-03-28T17:30:00Z"), _utc("2020-03-28T17:30:00Z"),
                 Decimal("3660.00"), Decimal("3000.00"), channel="Alipay"),
        GenOrder("231190044512081", ("iot-cn-2mv7wq9e604",), acc_b, "New", "Subscription",
                 "Paid", _utc("2024-06-01T04:00:00Z"), _utc("2024-06-01T04:00:00Z"),
                 _utc("2024-06-01T04:00:00Z"), _utc("2024-12-01T04:00:00Z"),
                 Decimal("1830.00"), Decimal("1830.00"), channel="AccountBalance"),
        GenOrder("241770090031166", ("iot-cn-2mv7wq9e604",), acc_b, "Renew", "Subscription",
                 "Paid", _utc("2024-11-20T04:00:00Z"), _utc("2024-11-20T04:00:00Z"),
                 _utc("2024-12-01T04:00:00Z"), _utc("2025-06-01T04:00:00Z"),
                 Decimal("1810.00"), Decimal("1500.00"), prepaid_card=Decimal("200.00"),
                 channel="AccountBalance"),
    ]  # fmt: skip


# --------------------------------------------------------------------------- export shapes
def order_detail_doc(order: GenOrder) -> dict:
    """The ``GetOrderDetail`` response of one order (every value as the API gives it)."""
    if order.ids_field == "InstanceIds":
        ids_key, ids_value = "InstanceIds", json.dumps(list(order.instance_ids))
    else:
        ids_key, ids_value = "InstanceIDs", ",".join(order.instance_ids)
    detail = {
        "OrderId": order.order_id,
        "SubOrderId": order.sub_order_id,
        "RelatedOrderId": "",
        "ProductCode": "iot",
        "ProductType": "iot_instance",
        "SubscriptionType": order.subscription_type,
        "OrderType": order.order_type,
        "OrderSubType": "productsuborder",
        "CreateTime": _iso(order.create_time),
        "PaymentTime": _iso(order.payment_time) if order.paid else "",
        "PaymentStatus": order.payment_status,
        "Region": order.region,
        "Config": CONFIG,
        "Quantity": "1",
        "UsageStartTime": _iso(order.usage_start),
        "UsageEndTime": _iso(order.usage_end),
        ids_key: ids_value,
        "PretaxGrossAmount": _money(order.list_price),
        "PretaxAmount": _money(order.pretax),
        "PretaxAmountLocal": _money(order.pretax),
        "Tax": "0.00",
        "AfterTaxAmount": _money(order.pretax),
        "Currency": order.currency,
        "PaymentCurrency": order.currency,
        "CommodityCode": "iot_instance_cn",
        "Operator": order.account_id,
    }
    return {
        "Code": "Success",
        "Message": "Successful!",
        "RequestId": _request_id(order.order_id),
        "Success": True,
        "Data": {
            "HostName": "cn",
            "PageNum": 1,
            "PageSize": 20,
            "TotalCount": 1,
            "OrderList": {"Order": [detail]},
        },
    }


@dataclass(frozen=True, slots=True)
class GenRefund:
    """A BSS refund order (``OrderType`` ``Refund``; the API gives it no ``PaymentStatus``) of
    the order ``related_order_id`` of ``instance_id``, for ``amount`` CNY at ``refunded_at``."""

    order_id: str
    related_order_id: str
    instance_id: str
    account_id: str
    refunded_at: datetime
    amount: Decimal


def _envelope(key: str, data: dict) -> dict:
    return {
        "Code": "Success",
        "Message": "Successful!",
        "RequestId": _request_id(key),
        "Success": True,
        "Data": data,
    }


def refund_order(refund: GenRefund, *, with_instance: bool = True) -> dict:
    """One refund order as ``GetOrderDetail`` (``with_instance``) or ``QueryOrders`` lists it:
    ``OrderType`` ``Refund``, ``RelatedOrderId``, no ``PaymentStatus``, amounts negative as
    the bill shows a refund."""
    order = {
        "OrderId": refund.order_id,
        "RelatedOrderId": refund.related_order_id,
        "ProductCode": "iot",
        "ProductType": "iot_instance",
        "SubscriptionType": "Subscription",
        "OrderType": "Refund",
        "CreateTime": _iso(refund.refunded_at),
        "PaymentTime": _iso(refund.refunded_at),
        "PretaxGrossAmount": _money(-refund.amount),
        "PretaxAmount": _money(-refund.amount),
        "PretaxAmountLocal": _money(-refund.amount),
        "Tax": "0.00",
        "AfterTaxAmount": _money(-refund.amount),
        "Currency": "CNY",
        "PaymentCurrency": "CNY",
        "CommodityCode": "iot_instance_cn",
    }
    if with_instance:
        order.update(
            {
                "SubOrderId": refund.order_id + "1",
                "OrderSubType": "productsuborder",
                "Region": "cn-shanghai",
                "InstanceIDs": refund.instance_id,
                "Operator": refund.account_id,
            }
        )
    return order


def refund_order_detail_doc(refund: GenRefund) -> dict:
    """The ``GetOrderDetail`` response of one refund order."""
    return _envelope(
        refund.order_id,
        {
            "HostName": "cn",
            "PageNum": 1,
            "PageSize": 20,
            "TotalCount": 1,
            "OrderList": {"Order": [refund_order(refund)]},
        },
    )


def query_orders_doc(orders: list[GenOrder], refunds: list[GenRefund], key: str) -> dict:
    """A ``QueryOrders`` page (an account's orders at once): no instance ids; refund orders
    carry ``RelatedOrderId``."""
    listed = []
    for order in orders:
        detail = order_detail_doc(order)["Data"]["OrderList"]["Order"][0]
        listed.append(
            {
                k: detail[k]
                for k in (
                    "OrderId",
                    "RelatedOrderId",
                    "ProductCode",
                    "ProductType",
                    "SubscriptionType",
                    "OrderType",
                    "CreateTime",
                    "PaymentTime",
                    "PaymentStatus",
                    "PretaxGrossAmount",
                    "PretaxAmount",
                    "PretaxAmountLocal",
                    "Tax",
                    "AfterTaxAmount",
                    "Currency",
                    "PaymentCurrency",
                    "CommodityCode",
                )
            }  # fmt: skip
        )
    listed += [refund_order(r, with_instance=False) for r in refunds]
    return _envelope(
        key,
        {
            "HostName": "cn",
            "PageNum": 1,
            "PageSize": max(20, len(listed)),
            "TotalCount": len(listed),
            "OrderList": {"Order": listed},
        },
    )


def available_instances_doc(
    instances: list[tuple[str, str, str, datetime | None]], key: str
) -> dict:
    """A ``QueryAvailableInstances`` page from ``(instance_id, owner_id, status,
    release_time)`` (status ``Normal``, ``Released``, …)."""
    return _envelope(
        key,
        {
            "PageNum": 1,
            "PageSize": max(20, len(instances)),
            "TotalCount": len(instances),
            "InstanceList": [
                {
                    "InstanceID": instance_id,
                    "OwnerId": int(owner),
                    "ProductCode": "iot",
                    "ProductType": "iot_instance",
                    "SubscriptionType": "Subscription",
                    "Region": "cn-shanghai",
                    "Status": status,
                    "SubStatus": "Normal" if status == "Normal" else status,
                    "RenewStatus": "ManualRenewal",
                    "CreateTime": "2024-01-10T02:00:00Z",
                    "EndTime": "2025-01-10T02:00:00Z",
                    "ReleaseTime": _iso(released) if released else "",
                    "ExpectedReleaseTime": "",
                    "StopTime": "",
                    "Seller": "26842",
                    "SellerId": 26842,
                }
                for instance_id, owner, status, released in instances
            ],
        },
    )


def bill_item(order: GenOrder) -> dict:
    """One ``QueryBill`` item (``RecordID`` = order id); amounts as JSON numbers."""
    invoice_discount = order.list_price - order.pretax - order.coupon
    return {
        "RecordID": order.order_id,
        "Item": "SubscriptionOrder",
        "OwnerID": order.account_id,
        "UsageStartTime": _iso(order.usage_start),
        "UsageEndTime": _iso(order.usage_end),
        "PaymentTime": _iso(order.payment_time),
        "ProductCode": "iot",
        "ProductType": "iot_instance",
        "SubscriptionType": order.subscription_type,
        "ProductName": "IoT Platform",
        "ProductDetail": "IoT Platform Enterprise Edition",
        "PretaxGrossAmount": _number(order.list_price),
        "InvoiceDiscount": _number(max(invoice_discount, Decimal(0))),
        "DeductedByCoupons": _number(order.coupon),
        "PretaxAmount": _number(order.pretax),
        "Currency": order.currency,
        "PretaxAmountLocal": _number(order.pretax),
        "Tax": 0.0,
        "PaymentAmount": _number(order.cash),
        "DeductedByCashCoupons": _number(order.voucher),
        "DeductedByPrepaidCard": _number(order.prepaid_card),
        "OutstandingAmount": 0.0,
        "AfterTaxAmount": _number(order.pretax),
        "Status": "PayFinish",
        "PaymentCurrency": order.currency,
        "PaymentTransactionID": "TX" + order.order_id,
        "RoundDownDiscount": "0",
        "SubOrderId": order.sub_order_id,
    }


def transaction(order: GenOrder) -> dict:
    """One ``QueryAccountTransactions`` payment (``RecordID`` = order id, ``Amount`` = cash)."""
    return {
        "TransactionNumber": "TX" + order.order_id,
        "TransactionTime": _iso(order.payment_time),
        "TransactionFlow": "Expense",
        "TransactionType": "Payment",
        "TransactionChannel": order.channel,
        "TransactionChannelSN": "SN" + order.order_id[-8:],
        "FundType": "Cash",
        "RecordID": order.order_id,
        "Remarks": "iot",
        "BillingCycle": order.billing_cycle,
        "Amount": _money(order.cash),
        "Balance": "0.00",
        "TransactionAccount": order.account_id,
    }


def _pages(items: list, page_size: int) -> list[list]:
    return [items[i : i + page_size] for i in range(0, len(items), page_size)] or [[]]


def _dump(path: Path, doc: dict) -> None:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _sort_key(order: GenOrder) -> tuple[str, datetime, str]:
    return (order.account_id, order.payment_time or order.create_time, order.order_id)


def write_exports(
    orders: Iterable[GenOrder], out_dir: str | Path, *, page_size: int = PAGE_SIZE
) -> dict[str, int]:
    """Write the BSS exports of ``orders`` under ``out_dir`` (created).

    Returns:
        ``{"detail_files": n, "bill_files": n, "transaction_files": n, "bill_items": n,
        "transactions": n}``.
    """
    out = Path(out_dir)
    (out / "orders").mkdir(parents=True, exist_ok=True)
    orders = sorted(orders, key=_sort_key)
    counts = dict.fromkeys(
        ("detail_files", "bill_files", "transaction_files", "bill_items", "transactions"), 0
    )
    cycles: dict[str, list[GenOrder]] = {}
    paid_with_channel: list[GenOrder] = []
    for order in orders:
        if order.in_detail:
            _dump(out / "orders" / f"GetOrderDetail-{order.order_id}.json", order_detail_doc(order))
            counts["detail_files"] += 1
        if order.paid and order.in_bill:
            cycles.setdefault(order.billing_cycle, []).append(order)
        if order.paid and order.channel is not None:
            paid_with_channel.append(order)
    for cycle in sorted(cycles):
        items = cycles[cycle]
        owners = {o.account_id for o in items}
        owner = items[0].account_id if len(owners) == 1 else "1000000000000001"
        for number, page in enumerate(_pages(items, page_size), 1):
            key = cycle if number == 1 else f"{cycle}-{number}"
            name = f"QueryBill-{cycle}.json" if number == 1 else f"QueryBill-{cycle}-p{number}.json"
            _dump(
                out / name,
                {
                    "Code": "Success",
                    "Message": "Successful!",
                    "RequestId": _request_id(key),
                    "Success": True,
                    "Data": {
                        "BillingCycle": cycle,
                        "AccountID": owner,
                        "AccountName": EXPORT_ACCOUNT_NAME,
                        "TotalCount": len(items),
                        "PageNum": number,
                        "PageSize": page_size,
                        "Items": {"Item": [bill_item(o) for o in page]},
                    },
                },
            )
            counts["bill_files"] += 1
            counts["bill_items"] += len(page)
    if paid_with_channel:
        for number, page in enumerate(_pages(paid_with_channel, page_size), 1):
            key = "txns" if number == 1 else f"txns-{number}"
            name = (
                "QueryAccountTransactions.json"
                if number == 1
                else f"QueryAccountTransactions-p{number}.json"
            )
            _dump(
                out / name,
                {
                    "Code": "Success",
                    "Message": "Successful!",
                    "RequestId": _request_id(key),
                    "Success": True,
                    "Data": {
                        "AccountName": EXPORT_ACCOUNT_NAME,
                        "TotalCount": len(paid_with_channel),
                        "PageNum": number,
                        "PageSize": page_size,
                        "AccountTransactionsList": {
                            "AccountTransactionsList": [transaction(o) for o in page]
                        },
                    },
                },
            )
            counts["transaction_files"] += 1
            counts["transactions"] += len(page)
    return counts


def write_reference_exports(out_dir: str | Path) -> dict[str, int]:
    """Write the reference fixtures (identical to the BSS fixtures the project started from)."""
    return write_exports(reference_orders(), out_dir)


# --------------------------------------------------------------------------- random data
CHANNEL_WEIGHTS = (
    ("Alipay", 30),
    ("BankTransfer", 20),
    ("AccountBalance", 24),
    ("CreditCard", 6),
    ("AntCreditPay", 5),
    ("OfflineRemittance", 4),
    ("MyBankCredit", 3),
    ("HuaxiaBankCInstallment", 3),
    ("ApplePay", 3),
    ("RegularBankCreditRefund", 2),
)
REGIONS = (
    "cn-shanghai",
    "cn-shanghai",
    "cn-shanghai",
    "cn-beijing",
    "cn-shenzhen",
    "ap-southeast-1",
)
MONTHS = ((1, 8), (3, 10), (6, 14), (12, 40), (24, 16), (36, 12))
ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz"


class _Ids:
    """Unique, seeded ids: 15-digit order ids, 16-digit account ids, ``iot-cn-`` instance ids."""

    def __init__(self, rng: random.Random, taken: Iterable[str] = ()) -> None:
        self.rng = rng
        self.taken = set(taken)

    def _unique(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in self.taken:
                self.taken.add(value)
                return value

    def order(self) -> str:
        # even numbers only: the sub-order id (order id + 1) never collides with another order
        return self._unique(lambda: str(self.rng.randrange(10**14, 10**15 - 1) // 2 * 2))

    def account(self) -> str:
        return self._unique(lambda: str(self.rng.randrange(10**15, 10**16)))

    def instance(self) -> str:
        return self._unique(
            lambda: "iot-cn-" + "".join(self.rng.choice(ID_CHARS) for _ in range(11))
        )


def _add_months(moment: datetime, months: int) -> datetime:
    from dateutil.relativedelta import relativedelta

    return (moment.astimezone(CHINA_TZ) + relativedelta(months=months)).astimezone(UTC)


_T = TypeVar("_T")


def _choice_weighted(rng: random.Random, pairs: Sequence[tuple[_T, int]]) -> _T:
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return rng.choices(values, weights)[0]


def bulk_orders(count: int, seed: int = 1, *, accounts: int | None = None) -> Iterator[GenOrder]:
    """``count`` plain paid Enterprise orders (for benchmarks): fast, seeded, every export
    present. About 3 orders per instance and 4 instances per account unless ``accounts``."""
    import random

    rng = random.Random(seed)
    n_accounts = accounts or max(1, count // 12)
    account_ids = [str(10**15 + i * 7919 + seed) for i in range(n_accounts)]
    base = datetime(2018, 1, 1, tzinfo=UTC)
    for i in range(count):
        instance_no = i // 3
        account = account_ids[instance_no % n_accounts]
        paid = base + timedelta(minutes=rng.randrange(0, 60 * 24 * 365 * 8))
        days = rng.choice((30, 90, 180, 365, 730))
        list_price = Decimal(days * rng.randrange(200, 1200)) / 100
        cash = (list_price * Decimal("0.9")).quantize(TWO)
        yield GenOrder(
            order_id=str(300000000000000 + i * 2),
            instance_ids=(f"iot-cn-b{instance_no:010d}",),
            account_id=account,
            order_type="New" if i % 3 == 0 else "Renew",
            subscription_type="Subscription",
            payment_status="Paid",
            create_time=paid,
            payment_time=paid,
            usage_start=paid,
            usage_end=paid + timedelta(days=days),
            list_price=list_price,
            cash=cash,
            channel=_choice_weighted(rng, CHANNEL_WEIGHTS),
        )


# --------------------------------------------------------------------------- the demo set
NAME_PARTS_EN = (
    ("Northwind", "Blue Harbor", "Silver Pine", "Red Maple", "Granite Peak", "Amber Field",
     "Cedar Lake", "Quiet River", "Iron Bridge", "Golden Gate", "Summit Ridge", "Clear Sky"),
    ("Sensor", "Logistics", "Farms", "Energy", "Robotics", "Water", "Mobility", "Health Devices",
     "Smart Home", "Cold Chain", "Metering", "Retail Systems"),
    ("Co., Ltd.", "Works", "Group", "Labs", "Technologies", "Industries"),
)  # fmt: skip
NAME_PARTS_ZH = (
    ("青松", "蓝湾", "银杉", "金穗", "远山", "星河", "明湖", "云帆", "长风", "朝阳"),
    ("物联", "智能", "能源", "物流", "农业", "水务", "电子", "科技"),
    ("有限公司", "科技有限公司", "工作室", "集团"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Scenario:
    """A demo instance worth quoting at a given cancellation time (the lead's golden file and
    the README use them): ``instance_id``, ``cancel_at`` (aware), and what it shows."""

    instance_id: str
    cancel_at: datetime
    note: str


@dataclass
class DemoDataset:
    """Everything the demo database is built from: BSS orders (written as exports), CSV rows
    (instance declarations, account names, invoice/marketplace facts, orders from other sources)
    and the scenarios."""

    orders: list[GenOrder] = field(default_factory=list)
    csv_rows: list[dict[str, str]] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    refunds: list[GenRefund] = field(default_factory=list)
    statuses: list[tuple[str, str, str, datetime | None]] = field(default_factory=list)


def _fake_name(rng: random.Random, index: int) -> str:
    if index % 4 == 3:
        return "".join(rng.choice(part) for part in NAME_PARTS_ZH)
    return " ".join(rng.choice(part) for part in NAME_PARTS_EN)


def _china(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA_TZ).astimezone(UTC)


def demo_dataset(seed: int = 20240309, *, accounts: int = 240) -> DemoDataset:
    """The demo data: ``accounts`` generated accounts (plus the reference ones) with instances
    of every kind and orders 2018–2026 across every channel, renewals (some paid ahead and still
    pending), upgrades, vouchers, coupons, prepaid cards, USD orders, unpaid orders, an order
    naming two instances, orders whose breakdown, channel or detail is missing, invoiced and
    marketplace orders (CSV facts), and the RULES.md boundary cases. Deterministic per ``seed``."""
    import random

    rng = random.Random(seed)
    data = DemoDataset()
    ref = reference_orders()
    ids = _Ids(rng, taken=[o.order_id for o in ref] + [o.sub_order_id for o in ref])
    data.orders.extend(ref)
    for account_id, name in (("1498573829450012", "Northwind Sensor Works"),
                             ("1730066214087755", "蓝湾物联科技有限公司")):  # fmt: skip
        data.csv_rows.append({"account_id": account_id, "account_name": name})
    for order_id, cancel, note in (
        ("iot-cn-7pp2mhxqz01", "2024-03-09T09:00", "RULES.md §6 example 1: 764.00 to Alipay"),
        ("iot-cn-0pp1lkd8x02", "2025-07-11T09:00", "example 2: day 548, BORDERLINE-WINDOW"),
        ("iot-cn-4kd0s8v1q03", "2019-06-01T10:00", "example 3: paid 2019-03-29 China time"),
        ("iot-cn-2mv7wq9e604", "2025-03-01T12:00", "new + renewal, exactly 90 days used"),
    ):
        data.scenarios.append(Scenario(order_id, _china(cancel), note))

    start_min = datetime(2018, 1, 1, tzinfo=UTC)
    span_minutes = int((datetime(2026, 6, 30, tzinfo=UTC) - start_min).total_seconds() // 60)
    horizon = datetime(2026, 12, 31, tzinfo=UTC)
    usd_accounts = set()

    def money_parts(list_price: Decimal) -> dict:
        discount = rng.choice((Decimal("1"), Decimal("1"), Decimal("0.9"), Decimal("0.85")))
        pretax = (list_price * discount).quantize(TWO)
        parts = {"cash": pretax}
        roll = rng.random()
        if roll < 0.10:
            voucher = min(pretax, Decimal(rng.choice((50, 100, 200, 500))))
            parts.update(voucher=voucher, cash=pretax - voucher)
        elif roll < 0.17:
            prepaid = (pretax * Decimal(rng.choice(("0.2", "0.5", "1")))).quantize(TWO)
            parts.update(prepaid_card=prepaid, cash=pretax - prepaid)
        elif roll < 0.24:
            coupon = min((list_price - pretax) or Decimal("30.00"), Decimal("80.00"))
            if coupon >= pretax:
                coupon = Decimal("0.00")
            parts.update(coupon=coupon, cash=pretax - coupon)
        return parts

    def enterprise_orders(instance_id: str, account_id: str, currency: str) -> list[GenOrder]:
        out: list[GenOrder] = []
        region = rng.choice(REGIONS)
        paid = start_min + timedelta(minutes=rng.randrange(span_minutes))
        months = _choice_weighted(rng, MONTHS)
        rate = Decimal(rng.randrange(200, 1500)) / 100
        start, order_type = paid, "New"
        while True:
            end = _add_months(start, months)
            days = (end - start).days
            list_price = (rate * days).quantize(TWO)
            channel = _choice_weighted(rng, CHANNEL_WEIGHTS)
            out.append(
                GenOrder(ids.order(), (instance_id,), account_id, order_type, "Subscription",
                         "Paid", paid, paid, start, end, list_price, currency=currency,
                         channel=channel, region=region,
                         ids_field="InstanceIds" if rng.random() < 0.2 else "InstanceIDs",
                         **money_parts(list_price))
            )  # fmt: skip
            if order_type == "New" and rng.random() < 0.15 and months >= 6:
                up_paid = start + timedelta(days=rng.randrange(20, days - 10), hours=3)
                up_price = (rate * Decimal("0.5") * (end - up_paid).days).quantize(TWO)
                out.append(
                    GenOrder(ids.order(), (instance_id,), account_id, "Upgrade", "Subscription",
                             "Paid", up_paid, up_paid, up_paid, end, up_price, currency=currency,
                             channel=_choice_weighted(rng, CHANNEL_WEIGHTS), region=region,
                             **money_parts(up_price))
                )  # fmt: skip
            if rng.random() > 0.55 or end > horizon:
                break
            ahead = timedelta(days=rng.randrange(1, 25), hours=rng.randrange(0, 20))
            start, paid, order_type = end, end - ahead, "Renew"
            months = _choice_weighted(rng, MONTHS[:4])
        if rng.random() < 0.06:  # a renewal the customer never paid
            last = out[-1]
            assert last.usage_end is not None  # every order generated above has its usage
            created = last.usage_end - timedelta(days=7)
            out.append(
                GenOrder(ids.order(), (instance_id,), account_id, "Renew", "Subscription",
                         "Unpaid", created, None, last.usage_end, _add_months(last.usage_end, 12),
                         (rate * 365).quantize(TWO), (rate * 365).quantize(TWO), currency=currency,
                         channel=None, in_bill=False, region=region)
            )  # fmt: skip
        return out

    for index in range(accounts):
        account_id = ids.account()
        name = _fake_name(rng, index)
        data.csv_rows.append({"account_id": account_id, "account_name": name})
        currency = "USD" if index % 25 == 7 else "CNY"
        if currency == "USD":
            usd_accounts.add(account_id)
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            instance_id = ids.instance()
            kind = _choice_weighted(
                rng, (("enterprise", 64), ("old_public", 20), ("new_public", 16))
            )
            if kind == "new_public":
                data.csv_rows.append(
                    {"instance_ids": instance_id, "account_id": account_id,
                     "instance_kind": "new_public", "region": rng.choice(REGIONS)}
                )  # fmt: skip
                continue
            if kind == "old_public":
                created = start_min + timedelta(minutes=rng.randrange(span_minutes // 2))
                data.orders.append(
                    GenOrder(ids.order(), (instance_id,), account_id, "New", "PayAsYouGo", "Paid",
                             created, created, created, None, Decimal("0.00"), Decimal("0.00"),
                             channel=None, in_bill=False, region=rng.choice(REGIONS))
                )  # fmt: skip
                continue
            data.orders.extend(enterprise_orders(instance_id, account_id, currency))

    # Gaps and facts the exports do not carry, on a deterministic sample of the random orders.
    randoms = [
        o for o in data.orders[len(ref) :] if o.paid and o.subscription_type == "Subscription"
    ]
    sample = rng.sample(range(len(randoms)), k=min(len(randoms), 60))
    for n, position in enumerate(sample):
        order = randoms[position]
        if n < 8:
            randoms[position] = replace(order, in_bill=False)  # breakdown missing
        elif n < 14:
            randoms[position] = replace(order, channel=None)  # channel missing
        elif n < 18:
            randoms[position] = replace(order, in_detail=False)  # only bill + transaction
        elif n < 40:
            randoms[position] = replace(order, invoiced=True)
        elif n < 50:
            randoms[position] = replace(order, marketplace=True, invoiced=n % 2 == 0)
        else:
            randoms[position] = replace(order, invoiced=False, marketplace=False)
    by_id = {o.order_id: o for o in randoms}
    data.orders = [by_id.get(o.order_id, o) for o in data.orders]

    # The boundary cases and special shapes, on instances of their own.
    special_account = ids.account()
    data.csv_rows.append(
        {"account_id": special_account, "account_name": "Clear Sky Test Bench Co., Ltd."}
    )

    def special(
        note: str,
        paid_utc: str,
        months: int,
        cash: str,
        *,
        cancel: str,
        channel: str | None = "Alipay",
        **extra: Any,
    ) -> str:
        instance_id = ids.instance()
        paid = _utc(paid_utc)
        end = _add_months(paid, months)
        list_price = Decimal(cash) * Decimal("1.2")
        order = GenOrder(ids.order(), (instance_id,), special_account, "New", "Subscription",
                         "Paid", paid, paid, paid, end, list_price.quantize(TWO), Decimal(cash),
                         channel=channel)  # fmt: skip
        data.orders.append(replace(order, **extra))
        data.scenarios.append(Scenario(instance_id, _china(cancel), note))
        return instance_id

    special(
        "paid 2019-03-28 23:59 China time: before the cut-off (ROUTE-LATE)",
        "2019-03-28T15:59:00Z",
        12,
        "1200.00",
        cancel="2019-05-10T10:00",
    )
    special(
        "paid 2019-03-29 00:00 China time: on the cut-off day (BORDERLINE-CUTOFF)",
        "2019-03-28T16:00:00Z",
        12,
        "1200.00",
        cancel="2019-05-10T10:00",
    )
    special(
        "paid 2019-03-29 23:59 China time: on the cut-off day (BORDERLINE-CUTOFF)",
        "2019-03-29T15:59:00Z",
        12,
        "1200.00",
        cancel="2019-05-10T10:00",
    )
    special(
        "paid 2019-03-30 00:00 China time: after the cut-off (ROUTE-ORIGINAL)",
        "2019-03-29T16:00:00Z",
        12,
        "1200.00",
        cancel="2019-05-10T10:00",
    )
    window = special(
        "36-month order: cancelled on day 548 (inside the window)",
        "2023-06-01T02:00:00Z",
        36,
        "5400.00",
        cancel="2024-11-30T10:00",
        channel="BankTransfer",
    )
    data.scenarios.append(
        Scenario(
            window,
            _china("2024-12-01T10:00"),
            "same order cancelled on day 549: ROUTE-LATE with BORDERLINE-WINDOW",
        )
    )
    special(
        "paid 2024-03-01 00:30 China time (2024-02-29 16:30 UTC): dates are China dates",
        "2024-02-29T16:30:00Z",
        12,
        "2400.00",
        cancel="2024-04-01T09:00",
    )
    special(
        "paid entirely with a voucher: WARN-ZERO-REFUND",
        "2024-05-06T03:00:00Z",
        12,
        "0.00",
        cancel="2024-06-01T10:00",
        voucher=Decimal("1800.00"),
        list_price=Decimal("2160.00"),  # the voucher paid for something: never over its price
        channel="AccountBalance",
    )
    special(
        "paid by credit card: CHANNEL-UNLISTED",
        "2024-08-08T08:00:00Z",
        12,
        "960.00",
        cancel="2024-10-01T10:00",
        channel="CreditCard",
    )
    special(
        "invoice issued: ROUTE-INVOICED to account balance",
        "2024-04-02T06:00:00Z",
        12,
        "3000.00",
        cancel="2024-09-02T10:00",
        invoiced=True,
        marketplace=False,
    )
    special(
        "bought on the marketplace with an invoice: still ROUTE-ORIGINAL",
        "2024-04-03T06:00:00Z",
        12,
        "3000.00",
        cancel="2024-09-02T10:00",
        invoiced=True,
        marketplace=True,
    )
    special(
        "paid in USD: excluded (OTHER_CURRENCY)",
        "2024-07-01T01:00:00Z",
        12,
        "700.00",
        cancel="2024-09-01T10:00",
        currency="USD",
        channel="CreditCard",
    )
    special(
        "breakdown not imported: DATA-MISSING, blocked",
        "2024-09-09T09:00:00Z",
        12,
        "1500.00",
        cancel="2024-10-09T10:00",
        in_bill=False,
    )
    special(
        "channel not imported: DATA-MISSING, blocked",
        "2024-09-10T09:00:00Z",
        12,
        "1500.00",
        cancel="2024-10-09T10:00",
        channel=None,
    )

    # A renewal paid ahead and not started at the cancellation (AMOUNT-PENDING-RENEWAL).
    pending = special(
        "renewal paid ahead, not started: refunded whole",
        "2024-01-15T02:00:00Z",
        12,
        "3600.00",
        cancel="2025-01-10T10:00",
    )
    first = data.orders[-1]
    assert first.usage_end is not None
    renew_paid = first.usage_end - timedelta(days=10)
    data.orders.append(
        GenOrder(ids.order(), (pending,), special_account, "Renew", "Subscription", "Paid",
                 renew_paid, renew_paid, first.usage_end, _add_months(first.usage_end, 12),
                 Decimal("4320.00"), Decimal("3600.00"), channel="Alipay")
    )  # fmt: skip

    # One order naming two instances (excluded: the money cannot be split).
    twin_a, twin_b = ids.instance(), ids.instance()
    paid = _utc("2024-02-20T02:00:00Z")
    for instance_id in (twin_a, twin_b):
        data.orders.append(
            GenOrder(ids.order(), (instance_id,), special_account, "New", "Subscription", "Paid",
                     paid, paid, paid, _add_months(paid, 12), Decimal("1200.00"),
                     Decimal("1000.00"), channel="Alipay")
        )  # fmt: skip
    data.orders.append(
        GenOrder(ids.order(), (twin_a, twin_b), special_account, "Upgrade", "Subscription",
                 "Paid", paid + timedelta(days=30), paid + timedelta(days=30),
                 paid + timedelta(days=30), _add_months(paid, 12), Decimal("800.00"),
                 Decimal("800.00"), channel="Alipay", ids_field="InstanceIds")
    )  # fmt: skip
    data.scenarios.append(
        Scenario(twin_a, _china("2024-06-01T10:00"), "an order naming two instances: blocked")
    )

    # An order recorded outside BSS (CSV, times without offset: ASSUMED-TZ).
    offline = ids.instance()
    offline_order = ids.order()
    data.csv_rows.append(
        {"order_id": offline_order, "instance_ids": offline, "account_id": special_account,
         "instance_kind": "enterprise", "order_type": "New", "payment_status": "Paid",
         "currency": "CNY", "payment_time": "2024-06-18 10:00", "usage_start": "2024-06-18 10:00",
         "usage_end": "2025-06-18 10:00", "list_price": "3650.00", "cash": "3000.00",
         "channel": "OfflineRemittance", "invoiced": "no", "marketplace": "no"}
    )  # fmt: skip
    data.scenarios.append(
        Scenario(offline, _china("2024-08-01T10:00"), "order from CSV, times read as China time")
    )

    # A scenario for each kind and one ordinary enterprise instance per currency.
    firsts = {}
    for order in data.orders[len(ref) :]:
        key = (order.subscription_type, order.currency)
        if order.paid and order.in_detail and key not in firsts and len(order.instance_ids) == 1:
            firsts[key] = order
    for (sub_type, currency), order in sorted(firsts.items()):
        moment = order.usage_start or order.create_time
        data.scenarios.append(
            Scenario(order.instance_ids[0], moment + timedelta(days=40, hours=2),
                     f"ordinary {sub_type} instance ({currency})")
        )  # fmt: skip
    for row in data.csv_rows:
        if row.get("instance_kind") == "new_public":
            data.scenarios.append(
                Scenario(row["instance_ids"], _china("2025-01-15T10:00"), "new public instance")
            )
            break

    # RULES.md §7: an instance refunded (a refund order) and one released (QueryAvailableInstances).
    quoted = {sc.instance_id for sc in data.scenarios}
    plain = [
        o
        for o in data.orders[len(ref) :]
        if o.paid and o.in_detail and o.in_bill and o.currency == "CNY"
        and o.subscription_type == "Subscription" and len(o.instance_ids) == 1
        and o.instance_ids[0] not in quoted and o.usage_start is not None
        and sum(1 for x in data.orders if o.instance_ids[0] in x.instance_ids) == 1
    ]  # fmt: skip
    if len(plain) >= 2:
        refunded, released = plain[0], plain[1]
        assert refunded.usage_start is not None and released.usage_start is not None
        when = refunded.usage_start + timedelta(days=60)
        data.refunds.append(
            GenRefund(ids.order(), refunded.order_id, refunded.instance_ids[0],
                      refunded.account_id, when, refunded.cash)
        )  # fmt: skip
        data.scenarios.append(
            Scenario(refunded.instance_ids[0], when + timedelta(days=30),
                     "already refunded: a refund order (HISTORY-REFUNDED)")
        )  # fmt: skip
        gone = released.usage_end or released.usage_start + timedelta(days=365)
        data.statuses.append(
            (released.instance_ids[0], released.account_id, "Released", gone + timedelta(days=15))
        )
        data.scenarios.append(
            Scenario(released.instance_ids[0], gone + timedelta(days=20),
                     "released (HISTORY-RELEASED)")
        )  # fmt: skip

    # Invoice / marketplace facts the API lacks → CSV supplement rows.
    for order in data.orders:
        if order.invoiced is not None or order.marketplace is not None:
            row = {"order_id": order.order_id}
            if order.invoiced is not None:
                row["invoiced"] = "yes" if order.invoiced else "no"
            if order.marketplace is not None:
                row["marketplace"] = "yes" if order.marketplace else "no"
            data.csv_rows.append(row)
    return data


def write_demo_files(data: DemoDataset, out_dir: str | Path) -> list[Path]:
    """Write the demo's BSS exports (``bss/``) and its CSV (``desk-facts.csv``); returns the
    paths to import, in order (the CSV last: its facts complete the BSS orders)."""
    from .csvfile import COLUMNS

    out = Path(out_dir)
    write_exports(data.orders, out / "bss")
    for refund in data.refunds:
        _dump(out / "bss" / "orders" / f"GetOrderDetail-{refund.order_id}.json",
              refund_order_detail_doc(refund))  # fmt: skip
    if data.statuses:
        _dump(out / "bss" / "QueryAvailableInstances.json",
              available_instances_doc(data.statuses, "demo-instances"))  # fmt: skip
    csv_path = out / "desk-facts.csv"
    write_csv(data.csv_rows, csv_path, COLUMNS)
    return [out / "bss", csv_path]


def write_csv(rows: Iterable[dict[str, str]], path: Path, columns: tuple[str, ...]) -> None:
    """Write ``rows`` (dicts of column → text) as a CSV file in the desk's template."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})

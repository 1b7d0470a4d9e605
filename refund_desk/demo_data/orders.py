"""What the generator produces: orders, refunds, the demo's scenarios and data set; and the
reference set of orders every export is checked against.

Money in CNY (or the order's currency) ``Decimal``; times aware UTC. All names and ids are made
up; nothing describes a real person.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from ..policy.timeutil import CHINA_TZ

EXPORT_ACCOUNT_NAME = "operator-export"
CONFIG = "InstanceSpec:[MaxOnlineDevices:1000;MessageTPS:100;ForwardTPS:100;]"
PAGE_SIZE = 300
TWO = Decimal("0.01")


def utc(text: str) -> datetime:
    """``"2024-01-10T02:00:00Z"`` (ISO 8601, an offset or ``Z``) as an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def china(text: str) -> datetime:
    """``"2024-03-09T09:00"`` read as China time (UTC+8), as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=CHINA_TZ).astimezone(UTC)


def iso(moment: datetime | None) -> str:
    """``moment`` as the API writes times (``2024-01-10T02:00:00Z``, UTC); ``""`` for None."""
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(amount: Decimal) -> str:
    """``amount`` (CNY) as the API writes it in text: two decimals (``"1464.00"``)."""
    return str(amount.quantize(TWO))


def request_id(key: str) -> str:
    """The response's ``RequestId``: UUID5 of ``key``, so the output depends only on the input."""
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


def reference_orders() -> list[GenOrder]:
    """The five orders of the four reference instances (fixtures README, RULES.md §6 examples):

    ``iot-cn-7pp2mhxqz01`` (example 1, Alipay, 200.00 voucher), ``iot-cn-0pp1lkd8x02``
    (example 2, BankTransfer, day 548), ``iot-cn-4kd0s8v1q03`` (example 3, paid 2019-03-29 China
    time), ``iot-cn-2mv7wq9e604`` (a consumed new order and a renewal with a prepaid card)."""
    acc_a, acc_b = "1498573829450012", "1730066214087755"
    return [
        GenOrder("241559391310333", ("iot-cn-7pp2mhxqz01",), acc_a, "New", "Subscription",
                 "Paid", utc("2024-01-10T02:00:00Z"), utc("2024-01-10T02:00:00Z"),
                 utc("2024-01-10T02:00:00Z"), utc("2025-01-10T02:00:00Z"),
                 Decimal("1464.00"), Decimal("1000.00"), voucher=Decimal("200.00"),
                 channel="Alipay"),
        GenOrder("241559391310347", ("iot-cn-0pp1lkd8x02",), acc_a, "New", "Subscription",
                 "Paid", utc("2024-01-10T02:00:00Z"), utc("2024-01-10T02:00:00Z"),
                 utc("2024-01-10T02:00:00Z"), utc("2026-01-10T02:00:00Z"),
                 Decimal("2924.00"), Decimal("2500.00"), channel="BankTransfer"),
        GenOrder("200318812760215", ("iot-cn-4kd0s8v1q03",), acc_b, "New", "Subscription",
                 "Paid", utc("2019-03-28T17:30:00Z"), utc("2019-03-28T17:30:00Z"),
                 utc("2019-03-28T17:30:00Z"), utc("2020-03-28T17:30:00Z"),
                 Decimal("3660.00"), Decimal("3000.00"), channel="Alipay"),
        GenOrder("231190044512081", ("iot-cn-2mv7wq9e604",), acc_b, "New", "Subscription",
                 "Paid", utc("2024-06-01T04:00:00Z"), utc("2024-06-01T04:00:00Z"),
                 utc("2024-06-01T04:00:00Z"), utc("2024-12-01T04:00:00Z"),
                 Decimal("1830.00"), Decimal("1830.00"), channel="AccountBalance"),
        GenOrder("241770090031166", ("iot-cn-2mv7wq9e604",), acc_b, "Renew", "Subscription",
                 "Paid", utc("2024-11-20T04:00:00Z"), utc("2024-11-20T04:00:00Z"),
                 utc("2024-12-01T04:00:00Z"), utc("2025-06-01T04:00:00Z"),
                 Decimal("1810.00"), Decimal("1500.00"), prepaid_card=Decimal("200.00"),
                 channel="AccountBalance"),
    ]  # fmt: skip


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

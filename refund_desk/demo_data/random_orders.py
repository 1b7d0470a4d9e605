"""Seeded randomness for generated orders: unique ids, weighted choices, the channel and term
mixes, and the plain bulk orders of the benchmarks."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from ..policy.timeutil import CHINA_TZ
from .orders import TWO, GenOrder

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


class Ids:
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


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus ``months`` calendar months counted in China time (aware UTC back)."""
    from dateutil.relativedelta import relativedelta

    return (moment.astimezone(CHINA_TZ) + relativedelta(months=months)).astimezone(UTC)


_T = TypeVar("_T")


def choice_weighted(rng: random.Random, pairs: Sequence[tuple[_T, int]]) -> _T:
    """One value of ``pairs`` (``(value, weight)``) drawn with ``rng`` by weight."""
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return rng.choices(values, weights)[0]


def bulk_orders(count: int, seed: int = 1, *, accounts: int | None = None) -> Iterator[GenOrder]:
    """``count`` plain paid Enterprise orders (for benchmarks): fast, seeded, every export
    present. About 3 orders per instance and 4 instances per account unless ``accounts``."""
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
            channel=choice_weighted(rng, CHANNEL_WEIGHTS),
        )

"""Builders for policy inputs: plain objects, no database."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from refund_desk.policy import (
    InstanceInput,
    InstanceKind,
    OrderInput,
    PaymentBreakdown,
    parse_time,
)


def utc(text: str) -> datetime:
    """A BSS time (UTC, with or without Z)."""
    return parse_time(text, naive_is="utc")[0]


def cn(text: str) -> datetime:
    """A China-time wall-clock time, e.g. ``'2024-03-09 09:00'``."""
    return parse_time(text, naive_is="china")[0]


def order(
    order_id: str = "O1",
    *,
    instance: str = "iot-cn-test",
    paid: str = "2024-01-10 10:00",
    start: str | None = None,
    end: str = "2025-01-10 10:00",
    list_price: str = "1464.00",
    cash: str = "1000.00",
    prepaid_card: str = "0.00",
    voucher: str = "0.00",
    coupon: str = "0.00",
    channel: str | None = "Alipay",
    order_type: str = "New",
    breakdown: bool = True,
    **extra,
) -> OrderInput:
    """An order with China-time wall-clock strings (converted to aware datetimes)."""
    return OrderInput(
        order_id=order_id,
        instance_ids=extra.pop("instance_ids", (instance,)),
        order_type=order_type,
        payment_time=cn(paid),
        usage_start=cn(start or paid),
        usage_end=cn(end),
        list_price=Decimal(list_price),
        breakdown=PaymentBreakdown(
            Decimal(cash), Decimal(prepaid_card), Decimal(voucher), Decimal(coupon)
        )
        if breakdown
        else None,
        channel=channel,
        **extra,
    )


def enterprise(*orders: OrderInput, instance: str = "iot-cn-test") -> InstanceInput:
    return InstanceInput(instance, InstanceKind.ENTERPRISE, "1000000000000001", tuple(orders))


@pytest.fixture
def build():
    """The builders as a namespace: ``build.order(...)``, ``build.enterprise(...)``,
    ``build.cn``."""

    class B:
        pass

    b = B()
    b.order, b.enterprise, b.cn, b.utc = order, enterprise, cn, utc
    return b

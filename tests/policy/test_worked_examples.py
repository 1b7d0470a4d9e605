"""RULES.md §6 worked examples and the four reference instances of the BSS fixtures README."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from refund_desk.policy import (
    InstanceInput,
    InstanceKind,
    OrderInput,
    Outcome,
    PaymentBreakdown,
    Route,
    quote,
    quote_to_dict,
)


def _example1(build):
    return build.enterprise(
        build.order(
            "241559391310333",
            paid="2024-01-10 10:00",
            end="2025-01-10 10:00",
            list_price="1464.00",
            cash="1000.00",
            voucher="200.00",
            channel="Alipay",
        )
    )


def test_example_1_alipay_with_voucher(build):
    q = quote(_example1(build), build.cn("2024-03-09 09:00"))
    assert q.outcome is Outcome.REFUNDABLE
    (oq,) = q.orders
    assert oq.used_days == 59
    assert oq.order_days == 366
    assert oq.consumed == Decimal("236.00")
    assert oq.refund == Decimal("764.00")
    assert oq.route is Route.ORIGINAL_METHOD and oq.destination == "alipay"
    assert oq.fallback_route is Route.ACCOUNT_BALANCE
    assert oq.fallback_destination == "account_balance"
    assert oq.not_refundable == Decimal("200.00")
    assert q.total_not_refundable == Decimal("200.00")
    assert q.by_destination == {"alipay": Decimal("764.00")}
    assert q.processed_by == date(2024, 3, 12)
    assert q.credited_between is None
    assert "WARN-RELEASE-DELETE" in q.warnings
    assert "WARN-ZERO-REFUND" not in q.warnings
    assert {"KIND-ENTERPRISE", "METHOD-TICKET", "ROUTE-ORIGINAL", "AMOUNT-CONSUMED"} <= set(q.rules)


def test_example_2_online_banking_day_548(build):
    inst = build.enterprise(
        build.order(
            "241559391310347",
            paid="2024-01-10 10:00",
            end="2026-01-10 10:00",
            list_price="2924.00",
            cash="2500.00",
            channel="BankTransfer",
        )
    )
    q = quote(inst, build.cn("2025-07-11 09:00"))
    (oq,) = q.orders
    assert oq.days_since_payment == 548
    assert oq.route is Route.ORIGINAL_METHOD and oq.destination == "online_banking"
    assert "BORDERLINE-WINDOW" in oq.flags and "BORDERLINE-WINDOW" in q.flags
    assert oq.months_end == date(2025, 7, 10)
    assert oq.used_days == 548
    assert oq.consumed == Decimal("2192.00")
    assert oq.refund == Decimal("308.00")
    assert q.processed_by == date(2025, 7, 15)
    assert q.credited_between == (date(2025, 7, 17), date(2025, 7, 18))
    assert "ETA-BANK" in q.rules


def test_example_3_cutoff_day_in_china_time(build):
    inst = build.enterprise(
        OrderInput(
            "200318812760215",
            ("iot-cn-test",),
            payment_time=build.utc("2019-03-28T17:30:00Z"),
            usage_start=build.utc("2019-03-28T17:30:00Z"),
            usage_end=build.utc("2020-03-28T17:30:00Z"),
            list_price=Decimal("3660.00"),
            breakdown=PaymentBreakdown(Decimal("3000.00")),
            channel="Alipay",
        )
    )
    q = quote(inst, build.cn("2019-06-01 10:00"))
    (oq,) = q.orders
    assert oq.payment_date == date(2019, 3, 29)
    assert oq.route is Route.ACCOUNT_BALANCE and oq.destination == "account_balance"
    assert "ROUTE-LATE" in oq.rules
    assert "BORDERLINE-CUTOFF" in oq.flags
    assert oq.used_days == 65
    assert oq.consumed == Decimal("650.00")
    assert oq.refund == Decimal("2350.00")
    assert oq.fallback_route is None
    assert q.processed_by == date(2019, 6, 4)


def test_example_4_old_public_instance():
    q = quote(InstanceInput("iot-old", InstanceKind.OLD_PUBLIC), _now())
    assert q.outcome is Outcome.NOT_REFUNDABLE
    assert q.advice == ("ADVICE-DISABLE-DEVICES",)
    assert q.warnings == ()
    assert q.processed_by is None
    assert "KIND-OLD-PUBLIC" in q.rules


def test_example_5_new_public_instance():
    q = quote(InstanceInput("iot-new", InstanceKind.NEW_PUBLIC), _now())
    assert q.outcome is Outcome.NOTHING_TO_REFUND
    assert q.warnings == () and q.advice == ()
    assert q.total_refund == Decimal("0.00")
    assert "KIND-NEW-PUBLIC" in q.rules


def test_reference_instance_4_renewal_exactly_90_days(build):
    inst = build.enterprise(
        OrderInput(
            "231190044512081",
            ("iot-cn-2mv7wq9e604",),
            payment_time=build.utc("2024-06-01T04:00:00Z"),
            usage_start=build.utc("2024-06-01T04:00:00Z"),
            usage_end=build.utc("2024-12-01T04:00:00Z"),
            list_price=Decimal("1830.00"),
            breakdown=PaymentBreakdown(Decimal("1830.00")),
            channel="AccountBalance",
        ),
        OrderInput(
            "241770090031166",
            ("iot-cn-2mv7wq9e604",),
            order_type="Renew",
            payment_time=build.utc("2024-11-20T04:00:00Z"),
            usage_start=build.utc("2024-12-01T04:00:00Z"),
            usage_end=build.utc("2025-06-01T04:00:00Z"),
            list_price=Decimal("1810.00"),
            breakdown=PaymentBreakdown(Decimal("1500.00"), prepaid_card=Decimal("200.00")),
            channel="AccountBalance",
        ),
    )
    q = quote(inst, build.cn("2025-03-01 12:00"))
    first, renewal = q.orders
    assert first.refund == Decimal("0.00")
    assert first.consumed == Decimal("1830.00")
    assert renewal.order_days == 182
    assert renewal.used_days == 90
    assert renewal.consumed_exact.quantize(Decimal("1e-20")) == Decimal("895.05494505494505494505")
    assert renewal.consumed == Decimal("895.06")
    assert renewal.refund == Decimal("804.94")
    assert renewal.refund + renewal.consumed == renewal.basis
    assert renewal.destination == "account_balance"
    assert renewal.route is Route.ORIGINAL_METHOD
    assert renewal.fallback_route is None
    assert q.by_destination == {"account_balance": Decimal("804.94")}
    assert q.total_refund == Decimal("804.94")
    assert q.processed_by == date(2025, 3, 4)


def test_json_shape_keeps_the_documented_names(build):
    data = quote_to_dict(quote(_example1(build), build.cn("2024-03-09 09:00")))
    for key in (
        "outcome",
        "warnings",
        "advice",
        "orders",
        "by_destination",
        "processed_by",
        "credited_between",
    ):
        assert key in data
    (o,) = data["orders"]
    for key in (
        "order_id",
        "route",
        "destination",
        "refund",
        "not_refundable",
        "used_days",
        "rules",
        "flags",
        "excluded",
    ):
        assert key in o
    assert data["outcome"] == "refundable"
    assert o["refund"] == "764.00" and o["not_refundable"] == "200.00"
    assert o["route"] == "original_method"
    assert data["by_destination"] == {"alipay": "764.00"}
    assert data["processed_by"] == "2024-03-12"
    assert data["credited_between"] is None


def _now():
    """A fixed "now" (never today's date): the kind alone decides these examples."""
    from tests.helpers.clock import FIXED_NOW

    return FIXED_NOW

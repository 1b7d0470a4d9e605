"""Policy versions, money and time parsing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from refund_desk.policy import (
    IOT_PLATFORM_REFUND_V1,
    POLICIES,
    MoneyError,
    Route,
    TimeError,
    UnknownPolicyError,
    from_fen,
    get_policy,
    parse_amount,
    parse_time,
    policy_in_force,
    quote,
    to_fen,
)


def test_v1_constants_are_those_of_rules_md():
    p = get_policy(1)
    assert p is IOT_PLATFORM_REFUND_V1
    assert (p.policy_id, p.version) == ("iot-platform-refund", 1)
    assert p.cutoff_date == date(2019, 3, 29)
    assert p.window_days == 548 and p.window_months == 18
    assert p.process_business_days == 2 and p.bank_business_days == (2, 3)
    assert p.currency == "CNY" and p.last_published_holiday_year == 2026
    assert p.destination_for("BankTransfer") == ("online_banking", True)
    assert p.destination_for("CreditCard") == ("CreditCard", False)


def test_unknown_versions_are_refused():
    with pytest.raises(UnknownPolicyError):
        get_policy(99)
    with pytest.raises(UnknownPolicyError):
        policy_in_force(date(2000, 1, 1))


def test_a_later_version_takes_effect_on_its_date_and_quotes_record_it(build, monkeypatch):
    v2 = dataclasses.replace(
        IOT_PLATFORM_REFUND_V1, version=2, effective_from=date(2025, 1, 1), window_days=365
    )
    monkeypatch.setitem(POLICIES, ("iot-platform-refund", 2), v2)
    assert policy_in_force(date(2024, 12, 31)).version == 1
    assert policy_in_force(date(2025, 1, 1)).version == 2
    inst = build.enterprise(build.order("O1", paid="2024-01-10 10:00", end="2026-01-10 10:00"))
    q2 = quote(inst, build.cn("2025-03-01 10:00"))
    assert q2.policy_version == 2 and q2.orders[0].route is Route.ACCOUNT_BALANCE
    q1 = quote(inst, build.cn("2025-03-01 10:00"), policy=get_policy(1))
    assert q1.policy_version == 1 and q1.orders[0].route is Route.ORIGINAL_METHOD


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1000.00", "1000.00"),
        (1464.0, "1464.00"),
        (895, "895.00"),
        ("0.1", "0.10"),
        (0.1, "0.10"),
        (" 12.5 ", "12.50"),
    ],
)
def test_parse_amount(raw, expected):
    assert parse_amount(raw) == Decimal(expected)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "abc",
        "-1.00",
        "NaN",
        "Infinity",
        float("nan"),
        "１２",
        "1e400",
        1e308,
        "9" * 40,
        "1000000000000.01",
        float("inf"),
        "1.005",
        None,
        True,
        [1],
    ],
)
def test_parse_amount_rejects(raw):
    with pytest.raises(MoneyError):
        parse_amount(raw)


def test_fen_round_trip():
    assert to_fen(Decimal("895.06")) == 89506
    assert from_fen(89506) == Decimal("895.06")
    with pytest.raises(ValueError):
        to_fen(Decimal("0.001"))


def test_parse_time_utc_and_china():
    t, assumed = parse_time("2019-03-28T17:30:00Z")
    assert t == datetime(2019, 3, 28, 17, 30, tzinfo=UTC) and not assumed
    t, assumed = parse_time("2019-03-28T17:30:00", naive_is="utc")
    assert t.utcoffset() == timedelta(0) and not assumed
    t, assumed = parse_time("2024-03-09 09:00", naive_is="china")
    assert t.utcoffset() == timedelta(hours=8) and assumed
    t, assumed = parse_time("2024-03-09T09:00:00+08:00", naive_is="china")
    assert not assumed
    for bad in ["", "yesterday", "2024-13-01T00:00:00Z"]:
        with pytest.raises(TimeError):
            parse_time(bad)

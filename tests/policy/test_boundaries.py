"""Table tests on every boundary where a rule of RULES.md changes its answer."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from refund_desk.policy import (
    Exclusion,
    InstanceKind,
    OrderInput,
    OrderOptions,
    PaymentBreakdown,
    QuoteError,
    Route,
    china_calendar,
    quote,
)
from refund_desk.policy.definition import POLICIES
from refund_desk.wording_rules import explain


def _one(build, cancel: str, **order_kw):
    q = quote(build.enterprise(build.order("O1", **order_kw)), build.cn(cancel))
    return q, q.orders[0]


# --- DATE-CUTOFF: judged on the China-time date; 2019-03-29 is not "after" it.
@pytest.mark.parametrize(
    ("paid_utc", "china_date", "route_rule", "borderline"),
    [
        ("2019-03-28T15:59:59Z", date(2019, 3, 28), "ROUTE-LATE", False),
        ("2019-03-28T16:00:00Z", date(2019, 3, 29), "ROUTE-LATE", True),
        ("2019-03-29T15:59:59Z", date(2019, 3, 29), "ROUTE-LATE", True),
        ("2019-03-29T16:00:00Z", date(2019, 3, 30), "ROUTE-ORIGINAL", False),
    ],
)
def test_cutoff_day_in_utc_and_china_time(build, paid_utc, china_date, route_rule, borderline):
    o = OrderInput(
        "O1",
        ("iot-cn-test",),
        payment_time=build.utc(paid_utc),
        usage_start=build.utc(paid_utc),
        usage_end=build.utc("2020-03-28T16:00:00Z"),
        list_price=Decimal("3660.00"),
        breakdown=PaymentBreakdown(Decimal("3000.00")),
        channel="Alipay",
    )
    q = quote(build.enterprise(o), build.cn("2019-06-01 10:00"))
    (oq,) = q.orders
    assert oq.payment_date == china_date
    assert route_rule in oq.rules
    assert ("BORDERLINE-CUTOFF" in oq.flags) is borderline


# --- DATE-WINDOW: (cancel date - payment date).days <= 548, China dates.
@pytest.mark.parametrize(
    ("cancel", "days", "route", "borderline"),
    [
        ("2025-07-10 23:59", 547, Route.ORIGINAL_METHOD, False),
        ("2025-07-11 00:00", 548, Route.ORIGINAL_METHOD, True),
        ("2025-07-11 23:59", 548, Route.ORIGINAL_METHOD, True),
        ("2025-07-12 00:00", 549, Route.ACCOUNT_BALANCE, False),
    ],
)
def test_day_548_and_549(build, cancel, days, route, borderline):
    q, oq = _one(
        build,
        cancel,
        paid="2024-01-10 10:00",
        end="2026-01-10 10:00",
        list_price="2924.00",
        cash="2500.00",
        channel="BankTransfer",
    )
    assert oq.days_since_payment == days
    assert oq.route is route
    assert ("BORDERLINE-WINDOW" in oq.flags) is borderline
    assert ("ROUTE-LATE" in oq.rules) is (route is Route.ACCOUNT_BALANCE)


def test_window_judged_on_china_dates_not_utc(build):
    # Paid 2024-01-09T16:30Z = 2024-01-10 00:30 China; cancelled 2025-07-11 23:30 China
    # (15:30Z): 548 China-date days although the UTC dates are 549 apart minus a day.
    o = OrderInput(
        "O1",
        ("iot-cn-test",),
        payment_time=build.utc("2024-01-09T16:30:00Z"),
        usage_start=build.utc("2024-01-09T16:30:00Z"),
        usage_end=build.utc("2026-01-09T16:30:00Z"),
        list_price=Decimal("2924.00"),
        breakdown=PaymentBreakdown(Decimal("2500.00")),
        channel="Alipay",
    )
    q = quote(build.enterprise(o), build.utc("2025-07-11T15:30:00Z"))
    assert q.cancel_date == date(2025, 7, 11)
    assert q.orders[0].days_since_payment == 548
    assert q.orders[0].route is Route.ORIGINAL_METHOD


def test_eighteen_months_later_than_548_days_flags_borderline(build):
    # Paid 2024-07-01: 18 months end 2026-01-01, which is day 549 → outside by the 548 days.
    q, oq = _one(
        build,
        "2026-01-01 09:00",
        paid="2024-07-01 10:00",
        end="2026-07-01 10:00",
        list_price="2920.00",
        cash="2920.00",
    )
    assert oq.days_since_payment == 549
    assert oq.months_end == date(2026, 1, 1)
    assert oq.route is Route.ACCOUNT_BALANCE and "ROUTE-LATE" in oq.rules
    assert "BORDERLINE-WINDOW" in oq.flags


def test_no_window_flag_when_both_readings_agree(build):
    _, oq = _one(build, "2024-04-19 10:00")
    assert oq.days_since_payment == 100
    assert "BORDERLINE-WINDOW" not in oq.flags


# --- AMOUNT-CONSUMED: started 24-hour periods count whole; at least 1, at most order_days.
@pytest.mark.parametrize(
    ("cancel", "used"),
    [
        ("2024-01-10 10:00", 1),  # cancelled at usage start: at least 1
        ("2024-01-10 10:01", 1),
        ("2024-01-11 10:00", 1),  # exactly 24 h
        ("2024-01-11 10:01", 2),
        ("2024-04-09 10:00", 90),  # exactly 90 × 24 h
        ("2024-04-09 10:01", 91),
        ("2025-01-10 09:59", 366),
        ("2025-01-10 10:00", 366),  # period ended: at most order_days
        ("2025-06-01 10:00", 366),
    ],
)
def test_started_day_rounding(build, cancel, used):
    _, oq = _one(build, cancel)
    assert oq.order_days == 366
    assert oq.used_days == used
    assert oq.consumed_exact == Decimal("4.00") * used


def test_order_days_round_down(build):
    _, oq = _one(build, "2024-02-05 10:00", paid="2024-02-01 10:00", end="2024-02-10 09:59")
    assert oq.order_days == 8  # 8 days 23 h 59 min


def test_period_already_ended_is_fully_consumed(build):
    q, oq = _one(
        build, "2025-03-01 10:00", end="2024-07-10 10:00", list_price="900.00", cash="1000.00"
    )
    assert oq.used_days == oq.order_days
    assert oq.consumed == Decimal("900.00")
    assert oq.refund == Decimal("100.00")


def test_consumed_above_basis_refunds_zero_and_warns(build):
    q, oq = _one(build, "2025-03-01 10:00", list_price="1464.00", cash="1000.00")
    assert oq.refund == Decimal("0.00")
    assert q.total_refund == Decimal("0.00")
    assert "WARN-ZERO-REFUND" in q.warnings


# --- AMOUNT-PENDING-RENEWAL
def test_pending_renewal_refunds_whole_basis(build):
    q, oq = _one(
        build,
        "2024-12-31 23:59",
        paid="2024-12-20 10:00",
        start="2025-01-01 00:00",
        end="2026-01-01 00:00",
        order_type="Renew",
        list_price="1460.00",
        cash="1200.00",
        prepaid_card="100.00",
        voucher="160.00",
    )
    assert "AMOUNT-PENDING-RENEWAL" in oq.rules and "AMOUNT-CONSUMED" not in oq.rules
    assert oq.used_days == 0
    assert oq.consumed == Decimal("0.00")
    assert oq.refund == Decimal("1300.00")
    assert oq.not_refundable == Decimal("160.00")


def test_renewal_starting_exactly_at_cancellation_is_in_use(build):
    _, oq = _one(
        build,
        "2025-01-01 00:00",
        paid="2024-12-20 10:00",
        start="2025-01-01 00:00",
        end="2026-01-01 00:00",
        order_type="Renew",
        list_price="1460.00",
        cash="1460.00",
    )
    assert "AMOUNT-PENDING-RENEWAL" not in oq.rules
    assert oq.used_days == 1
    assert oq.refund == Decimal("1456.00")


# --- AMOUNT-ROUNDING
def test_refund_rounds_down_and_consumed_rounds_up(build):
    # 1000 / 3 days × 1 day = 333.333…: consumed shown 333.34, refund 666.66
    _, oq = _one(
        build, "2024-01-10 12:00", end="2024-01-13 10:00", list_price="1000.00", cash="1000.00"
    )
    assert oq.consumed == Decimal("333.34")
    assert oq.refund == Decimal("666.66")
    assert oq.refund + oq.consumed == oq.basis


def test_discount_factor_reduces_consumed(build):
    q = quote(
        build.enterprise(build.order("O1")),
        build.cn("2024-03-09 09:00"),
        {"O1": OrderOptions(discount=Decimal("0.85"))},
    )
    assert q.orders[0].consumed == Decimal("200.60")  # 236.00 × 0.85
    assert q.orders[0].refund == Decimal("799.40")


@pytest.mark.parametrize("factor", ["0", "-0.1", "1.01"])
def test_discount_outside_zero_one_is_refused(build, factor):
    with pytest.raises(QuoteError):
        quote(
            build.enterprise(build.order("O1")),
            build.cn("2024-03-09 09:00"),
            {"O1": OrderOptions(discount=Decimal(factor))},
        )


def test_naive_cancellation_time_is_refused(build):
    from datetime import datetime

    with pytest.raises(QuoteError):
        quote(build.enterprise(build.order("O1")), datetime(2024, 3, 9, 9))


# --- ROUTE-INVOICED / marketplace / ROUTE-FALLBACK / CHANNEL-UNLISTED
def test_invoiced_official_website_goes_to_balance_with_advice(build):
    q = quote(
        build.enterprise(build.order("O1")),
        build.cn("2024-03-09 09:00"),
        {"O1": OrderOptions(invoiced=True, marketplace=False)},
    )
    oq = q.orders[0]
    assert oq.route is Route.ACCOUNT_BALANCE and "ROUTE-INVOICED" in oq.rules
    assert q.advice == ("ADVICE-RETURN-INVOICE",)
    assert "ASSUMED-NOT-INVOICED" not in q.flags  # both facts set: nothing assumed
    assert q.by_destination == {"account_balance": Decimal("764.00")}


def test_invoiced_with_the_marketplace_not_set_keeps_the_assumption_flag(build):
    """RULES.md §3: until set, "official website" is assumed and said. With an invoice issued
    the marketplace decides the route (marketplace → original method), so it stays flagged."""
    q = quote(
        build.enterprise(build.order("O1")),
        build.cn("2024-03-09 09:00"),
        {"O1": OrderOptions(invoiced=True)},
    )
    oq = q.orders[0]
    assert oq.route is Route.ACCOUNT_BALANCE and "ROUTE-INVOICED" in oq.rules
    assert q.flags == ("ASSUMED-NOT-INVOICED",) and oq.flags == ("ASSUMED-NOT-INVOICED",)
    (entry,) = [t for t in q.trace if t.rule_id == "ASSUMED-NOT-INVOICED"]
    assert explain(entry) == (
        "Marketplace not set: assumed bought on the official website, so the invoice sends the "
        "refund to the account balance. Ask the customer and set it if the order was bought on "
        "the cloud marketplace."
    )


@pytest.mark.parametrize(
    ("invoiced", "marketplace", "words"),
    [
        (None, None, "Invoice and marketplace are not set: assumed no invoice, official website."),
        (None, False, "Invoice not set: assumed no invoice was issued (bought on the official "
                      "website, as set)."),
        (None, True, None),  # the marketplace never takes ROUTE-INVOICED: the invoice is moot
        (False, None, None),  # no invoice: the original method whatever the marketplace
        (True, True, None),
        (False, False, None),
    ],
)  # fmt: skip
def test_the_flag_names_only_what_is_not_set(build, invoiced, marketplace, words):
    q = quote(
        build.enterprise(build.order("O1")),
        build.cn("2024-03-09 09:00"),
        {"O1": OrderOptions(invoiced=invoiced, marketplace=marketplace)},
    )
    entries = [t for t in q.trace if t.rule_id == "ASSUMED-NOT-INVOICED"]
    if words is None:
        assert not entries and "ASSUMED-NOT-INVOICED" not in q.flags
    else:
        (entry,) = entries
        assert explain(entry).startswith(words)


def test_marketplace_never_takes_invoiced_route(build):
    q = quote(
        build.enterprise(build.order("O1")),
        build.cn("2024-03-09 09:00"),
        {"O1": OrderOptions(invoiced=True, marketplace=True)},
    )
    assert q.orders[0].route is Route.ORIGINAL_METHOD
    assert q.orders[0].destination == "alipay"
    assert q.advice == ()


def test_invoice_known_from_data_is_used(build):
    q = quote(build.enterprise(build.order("O1", invoiced=False)), build.cn("2024-03-09 09:00"))
    assert "ASSUMED-NOT-INVOICED" not in q.flags
    q = quote(build.enterprise(build.order("O1")), build.cn("2024-03-09 09:00"))
    assert "ASSUMED-NOT-INVOICED" in q.flags


def test_original_method_failed_falls_back_to_balance(build):
    q = quote(
        build.enterprise(build.order("O1", channel="BankTransfer")),
        build.cn("2024-03-09 09:00"),
        {"O1": OrderOptions(original_failed=True)},
    )
    oq = q.orders[0]
    assert oq.route is Route.ACCOUNT_BALANCE and "ROUTE-FALLBACK" in oq.rules
    assert oq.fallback_route is None
    assert q.credited_between is None  # no longer an online-banking refund
    assert q.by_destination == {"account_balance": Decimal("764.00")}


@pytest.mark.parametrize("channel", ["CreditCard", "AntCreditPay", "OfflineRemittance"])
def test_unlisted_channel_keeps_its_name_and_is_flagged(build, channel):
    q = quote(build.enterprise(build.order("O1", channel=channel)), build.cn("2024-03-09 09:00"))
    oq = q.orders[0]
    assert oq.route is Route.ORIGINAL_METHOD and oq.destination == channel
    assert "CHANNEL-UNLISTED" in q.flags
    assert q.by_destination == {channel: Decimal("764.00")}


# --- Exclusions
def test_exclusions_are_listed_with_reasons_and_left_out_of_sums(build):
    inst = build.enterprise(
        build.order("PAID"),
        build.order("UNPAID", payment_status="Unpaid"),
        build.order("USD", currency="USD"),
        build.order("MULTI", instance_ids=("iot-cn-test", "iot-cn-other")),
        build.order("NOBILL", breakdown=False),
        build.order("NOCHAN", channel=None),
    )
    q = quote(inst, build.cn("2024-03-09 09:00"))
    reasons = {oq.order_id: oq.excluded for oq in q.orders}
    assert reasons == {
        "PAID": None,
        "UNPAID": Exclusion.UNPAID,
        "USD": Exclusion.OTHER_CURRENCY,
        "MULTI": Exclusion.SEVERAL_INSTANCES,
        "NOBILL": Exclusion.DATA_MISSING,
        "NOCHAN": Exclusion.DATA_MISSING,
    }
    assert q.total_refund == Decimal("764.00")
    assert "DATA-MISSING" in q.flags
    assert len(q.blocking) == 3  # two missing, one several-instances
    assert any("MULTI" in b for b in q.blocking)


def test_voucher_only_payment_is_a_zero_refund(build):
    q, oq = _one(build, "2024-03-09 09:00", cash="0.00", voucher="1200.00")
    assert oq.refund == Decimal("0.00") and oq.not_refundable == Decimal("1200.00")
    assert q.warnings == ("WARN-RELEASE-DELETE", "WARN-ZERO-REFUND")


def test_assumed_time_zone_is_flagged(build):
    q = quote(build.enterprise(build.order("O1", assumed_tz=True)), build.cn("2024-03-09 09:00"))
    assert "ASSUMED-TZ" in q.flags
    q = quote(
        build.enterprise(build.order("O1")), build.cn("2024-03-09 09:00"), cancel_at_assumed_tz=True
    )
    assert "ASSUMED-TZ" in q.flags


# --- ETA: business days with make-up workdays
@pytest.mark.parametrize(
    ("cancel", "processed_by"),
    [
        ("2024-03-08 23:59", date(2024, 3, 12)),  # Friday → Mon, Tue
        ("2024-03-09 00:00", date(2024, 3, 12)),  # Saturday, whatever the hour
        ("2024-02-08 10:00", date(2024, 2, 18)),  # Spring Festival 2024: Sun 18 Feb is a workday
        ("2024-09-27 10:00", date(2024, 9, 30)),  # Sun 29 Sep 2024 is a make-up workday
        ("2024-09-30 10:00", date(2024, 10, 9)),  # National Day 1–7 Oct 2024
        ("2025-01-24 10:00", date(2025, 1, 27)),  # Sun 26 Jan 2025 make-up workday
        ("2025-09-30 10:00", date(2025, 10, 10)),  # National Day 1–8 Oct 2025
    ],
)
def test_processed_by_uses_the_china_calendar(build, cancel, processed_by):
    q = quote(
        build.enterprise(build.order("O1", paid="2024-01-10 10:00", end="2026-01-10 10:00")),
        build.cn(cancel),
    )
    assert q.processed_by == processed_by


def test_bank_window_after_spring_festival(build):
    q = quote(
        build.enterprise(build.order("O1", channel="BankTransfer", end="2026-01-10 10:00")),
        build.cn("2024-02-07 10:00"),
    )
    assert q.processed_by == date(2024, 2, 9)
    assert q.credited_between == (date(2024, 2, 19), date(2024, 2, 20))


@pytest.mark.parametrize(
    ("cancel", "estimate"),
    [("2026-06-01 10:00", False), ("2026-12-31 10:00", True), ("2027-03-01 10:00", True)],
)
def test_calendar_estimate_after_last_published_year(build, cancel, estimate):
    q = quote(
        build.enterprise(build.order("O1", paid="2025-12-01 10:00", end="2027-12-01 10:00")),
        build.cn(cancel),
    )
    assert ("ETA-CALENDAR-ESTIMATE" in q.flags) is estimate


def test_calendar_is_built_once_per_year():
    cal = china_calendar()
    cal.add_business_days(date(2024, 5, 1), 2)
    cached = cal._non_working[2024]
    cal.add_business_days(date(2024, 6, 1), 2)
    assert cal._non_working[2024] is cached


WEEKDAYS_OFF = {
    2025: "01-01 01-28 01-29 01-30 01-31 02-03 02-04 04-04 05-01 05-02 05-05 06-02 10-01 10-02 "
    "10-03 10-06 10-07 10-08",
    2026: "01-01 01-02 02-16 02-17 02-18 02-19 02-20 02-23 04-06 05-01 05-04 05-05 06-19 09-25 "
    "10-01 10-02 10-05 10-06 10-07",
}
WEEKEND_WORKDAYS = {
    2025: "01-26 02-08 04-27 09-28 10-11",
    2026: "01-04 02-14 02-28 05-09 09-20 10-10",
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_china_schedule_is_the_published_one(year):
    """The State Council's schedules up to ``last_published_holiday_year`` (2026), as the
    installed holidays has them (pyproject's floor, 0.85, is the first with 2026; 0.61 was the
    first with 2025, which gave Spring Festival eve, 2025-01-28, its day off): every weekday off
    and every weekend make-up workday."""
    assert max(p.last_published_holiday_year for p in POLICIES.values()) == 2026
    cal = china_calendar()
    days = [date(year, 1, 1) + timedelta(days=i) for i in range(365)]
    off = [d.strftime("%m-%d") for d in days if d.weekday() < 5 and not cal.is_business_day(d)]
    work = [d.strftime("%m-%d") for d in days if d.weekday() >= 5 and cal.is_business_day(d)]
    assert off == WEEKDAYS_OFF[year].split()
    assert work == WEEKEND_WORKDAYS[year].split()


def test_public_instances_ignore_their_orders(build):
    from refund_desk.policy import InstanceInput

    q = quote(
        InstanceInput("iot-old", InstanceKind.OLD_PUBLIC, "1", (build.order("O1"),)),
        build.cn("2024-03-09 09:00"),
    )
    assert q.orders == () and q.total_refund == Decimal("0.00")


def test_no_bank_window_when_the_online_banking_refund_is_zero(build):
    q, oq = _one(build, "2025-03-01 10:00", channel="BankTransfer", cash="1000.00")
    assert oq.destination == "online_banking" and oq.refund == Decimal("0.00")
    assert q.credited_between is None and "ETA-BANK" not in q.rules


def test_a_fully_blocked_quote_does_not_claim_a_zero_refund(build):
    q = quote(
        build.enterprise(build.order("MULTI", instance_ids=("iot-cn-test", "iot-cn-b"))),
        build.cn("2024-03-09 09:00"),
    )
    assert q.blocking and "WARN-ZERO-REFUND" not in q.warnings
    q = quote(build.enterprise(build.order("USD", currency="USD")), build.cn("2024-03-09 09:00"))
    assert not q.blocking and "WARN-ZERO-REFUND" in q.warnings  # nothing comes back, truly


def test_a_partly_blocked_quote_is_incomplete_and_claims_no_zero_refund(build):
    q = quote(
        build.enterprise(
            build.order("DONE", paid="2023-01-01 10:00", end="2023-06-01 10:00"),
            build.order("NOCHAN", paid="2024-01-10 10:00", channel=None),
        ),
        build.cn("2024-03-09 09:00"),
    )
    assert q.total_refund == Decimal("0.00")  # only the order that is known
    assert not q.complete and q.blocking
    assert "WARN-ZERO-REFUND" not in q.warnings


def test_orders_paid_after_the_cancellation_are_left_out(build):
    q = quote(
        build.enterprise(
            build.order("FIRST", paid="2024-01-10 10:00"),
            build.order(
                "LATER",
                paid="2024-06-01 10:00",
                start="2025-01-10 10:00",
                end="2026-01-10 10:00",
                order_type="Renew",
            ),
        ),
        build.cn("2024-03-09 09:00"),
    )
    first, later = q.orders
    assert first.excluded is None and first.refund == Decimal("764.00")
    assert later.excluded is Exclusion.PAID_AFTER_CANCELLATION
    assert q.total_refund == Decimal("764.00") and q.complete


def test_a_cancellation_before_the_first_payment_is_refused(build):
    with pytest.raises(QuoteError, match="before the instance's first payment"):
        quote(
            build.enterprise(build.order("O1", paid="2024-01-10 10:00")),
            build.cn("2024-01-01 00:00"),
        )


def test_what_if_options_for_an_unknown_order_are_refused(build):
    with pytest.raises(QuoteError, match="no order NOPE"):
        quote(
            build.enterprise(build.order("O1")),
            build.cn("2024-03-09 09:00"),
            {"NOPE": OrderOptions(invoiced=True)},
        )


def test_a_new_order_not_started_yet_is_refunded_whole_and_says_so(build):
    from refund_desk.wording_rules import explain

    q, oq = _one(
        build,
        "2024-03-09 09:00",
        paid="2024-03-01 10:00",
        start="2024-04-01 00:00",
        end="2025-04-01 00:00",
        order_type="New",
        list_price="1464.00",
        cash="1000.00",
    )
    assert "AMOUNT-PENDING-RENEWAL" in oq.rules and oq.refund == Decimal("1000.00")
    (entry,) = [e for e in q.trace if e.rule_id == "AMOUNT-PENDING-RENEWAL"]
    assert "This New order's period starts 2024-04-01 00:00" in explain(entry)

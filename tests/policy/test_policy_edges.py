"""Edges of the policy core the other tests do not reach: expected dates counted from a later
request (a replacement case, RULES.md §5 *desk decision*), and the business-day calendar's
guards (a damaged cached year, a source that does not match, a count below 1)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from refund_desk.policy import dates_counted_from, quote
from refund_desk.policy.calendar import (
    BusinessCalendar,
    check_plausible_year,
    china_calendar,
    holidays_source,
)
from refund_desk.policy.definition import IOT_PLATFORM_REFUND_V1


def _bank_quote(build, cancel: str = "2024-03-11 09:00"):
    """Example 1's order paid by online banking (``BankTransfer``): ETA-PROCESS and ETA-BANK."""
    instance = build.enterprise(
        build.order("241559391310333", cash="1000.00", voucher="200.00", channel="BankTransfer")
    )
    return quote(instance, build.cn(cancel))


def test_a_quote_without_expected_dates_is_returned_as_it_is(build):
    instance = build.enterprise(build.order("241559391310333", cash="1000.00", voucher="200.00"))
    q = replace(quote(instance, build.cn("2024-03-11 09:00")), processed_by=None)
    assert dates_counted_from(q, build.cn("2024-04-01 09:00")) is q


def test_a_request_on_the_cancellation_day_keeps_the_dates(build):
    q = _bank_quote(build)
    # No policy given: the quote's own (v1) is looked up; same China date: nothing to recount.
    assert dates_counted_from(q, build.cn("2024-03-11 18:00")) is q


def test_a_later_request_moves_processing_and_the_bank_window(build):
    q = _bank_quote(build)  # Monday 2024-03-11
    assert q.processed_by == date(2024, 3, 13)  # 2 business days (ETA-PROCESS)
    assert q.credited_between == (date(2024, 3, 15), date(2024, 3, 18))  # 2-3 more (ETA-BANK)
    later = dates_counted_from(q, build.cn("2024-03-18 10:00"), policy=IOT_PLATFORM_REFUND_V1)
    assert later.processed_by == date(2024, 3, 20)
    assert later.credited_between == (date(2024, 3, 22), date(2024, 3, 25))
    bank = [e for e in later.trace if e.rule_id == "ETA-BANK"]
    assert len(bank) == 1
    assert dict(bank[0].facts)["start"] == date(2024, 3, 22)
    assert dict(bank[0].facts)["end"] == date(2024, 3, 25)
    process = [e for e in later.trace if e.rule_id == "ETA-PROCESS"]
    assert dict(process[0].facts)["requested_on"] == date(2024, 3, 18)
    assert later.total_refund == q.total_refund  # amounts and routes never change
    assert "ETA-CALENDAR-ESTIMATE" not in later.flags


def test_a_request_past_the_published_schedule_is_flagged_as_an_estimate(build):
    q = _bank_quote(build)
    last = IOT_PLATFORM_REFUND_V1.last_published_holiday_year
    later = dates_counted_from(q, build.cn(f"{last}-12-30 10:00"))
    assert later.processed_by.year == last + 1
    assert "ETA-CALENDAR-ESTIMATE" in later.flags
    assert "ETA-CALENDAR-ESTIMATE" not in q.flags
    assert sum(e.rule_id == "ETA-CALENDAR-ESTIMATE" for e in later.trace) == 1


def _year_2024() -> list[date]:
    calendar = china_calendar()
    start = date(2024, 1, 1)
    return [
        start + timedelta(n)
        for n in range(366)
        if not calendar.is_business_day(start + timedelta(n))
    ]


def test_a_cached_year_with_a_day_of_another_year_is_refused():
    days = _year_2024()
    assert check_plausible_year(2024, days) == frozenset(days)
    with pytest.raises(ValueError, match="2024: a listed day is not a date in 2024"):
        check_plausible_year(2024, [*days[1:], date(2023, 12, 31)])


def test_a_cached_year_with_too_many_make_up_workdays_is_refused():
    days = _year_2024()
    fewer_weekends = [d for d in days if d.weekday() < 5 or d.month < 7]  # 26 weekends "worked"
    with pytest.raises(ValueError, match="make-up workdays"):
        check_plausible_year(2024, fewer_weekends)


def test_years_from_an_unknown_source_are_not_adopted():
    calendar = BusinessCalendar()
    assert calendar.adopt_years(None, {2024: _year_2024()}) == []
    assert calendar.adopt_years("holidays 0.0-not-this-one", {2024: _year_2024()}) == []
    assert calendar.computed_years() == {}
    assert calendar.adopt_years(holidays_source(), {2024: _year_2024()}) == [2024]


def test_adding_fewer_than_one_business_day_is_refused():
    with pytest.raises(ValueError, match="count must be at least 1"):
        china_calendar().add_business_days(date(2024, 3, 11), 0)

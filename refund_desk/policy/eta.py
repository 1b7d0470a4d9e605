"""When the refund is expected (RULES.md §5): processing after ``ETA-PROCESS`` business days,
the bank's credit ``ETA-BANK`` business days later, and ``ETA-CALENDAR-ESTIMATE`` when a date
falls after the last published holiday schedule."""

from __future__ import annotations

from datetime import date

from .calendar import BusinessCalendar
from .definition import PolicyDefinition


def expected_dates(
    start: date, policy: PolicyDefinition, calendar: BusinessCalendar, *, bank: bool
) -> tuple[date, tuple[date, date] | None]:
    """The expected processing date and, when ``bank``, the bank-credit window.

    Args:
        start: the China date the count starts from (the cancellation, or a replacement's
            request). policy: its business-day numbers. calendar: mainland China business days.
        bank: an online-banking refund on the original route (``ETA-BANK``).
    Returns:
        ``(processed_by, (credited_from, credited_by) or None)``, China dates.
    Implements: ``ETA-PROCESS``, ``ETA-BANK`` (RULES.md §5).
    """
    processed_by = calendar.add_business_days(start, policy.process_business_days)
    if not bank:
        return processed_by, None
    low, high = policy.bank_business_days
    return processed_by, (
        calendar.add_business_days(processed_by, low),
        calendar.add_business_days(processed_by, high),
    )


def beyond_schedule(
    processed_by: date, credited_between: tuple[date, date] | None, policy: PolicyDefinition
) -> bool:
    """``ETA-CALENDAR-ESTIMATE``: the last expected date is after the last year whose holiday
    schedule is published (``policy.last_published_holiday_year``)."""
    last = credited_between[1] if credited_between else processed_by
    return last.year > policy.last_published_holiday_year

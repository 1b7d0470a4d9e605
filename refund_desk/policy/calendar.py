"""Business days on the mainland China calendar, including official make-up workdays.

Source: ``holidays.CN(...).is_working_day`` (RULES.md §5). ``date in holidays.CN()`` alone is wrong
around Spring Festival and National Day, where weekend days are declared working days. The calendar
of each year is computed once and kept (non-working days as a set), so adding business days never
rebuilds it per call.

Computed years can be handed to another process (the desk keeps them in its data folder, see
:mod:`refund_desk.services.calendar_cache`) together with :func:`holidays_source`: a year is only
adopted when it was computed by the same ``holidays`` release that is installed now, and when it
passes :func:`check_plausible_year` (a damaged or emptied year is refused and recomputed).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import date, timedelta


def holidays_source() -> str | None:
    """Which data the non-working days come from, e.g. ``"holidays 0.109 CN is_working_day"``.

    Read from the installed distribution's metadata (the way ``holidays`` reads its own
    version), without importing ``holidays``. Returns None when the version cannot be read; then
    nothing computed may be reused.
    """
    from importlib import metadata

    try:
        version = metadata.version("holidays")
    except metadata.PackageNotFoundError:
        return None
    return f"holidays {version} CN is_working_day" if version else None


# What every year of the mainland calendar looks like in holidays.China (checked for 2000-2100):
# New Year's Day, Labour Day and the first three days of National Day off; 12-23 weekday holidays
# and at most 12 weekend days declared working days (2013 has 23 and 12; recent years 16-19 and
# 5-8). Years outside these bounds are only recomputed, never wrong.
WEEKDAY_HOLIDAYS = range(8, 31)
MAX_MAKE_UP_WORKDAYS = 12
ALWAYS_OFF = ((1, 1), (5, 1), (10, 1), (10, 2), (10, 3))


def check_plausible_year(year: int, days: Iterable[date]) -> frozenset[date]:
    """The non-working ``days`` of ``year`` as a set, if they can be the mainland calendar.

    A guard for years computed elsewhere (a cache file): every day in ``year``, listed once,
    the fixed public holidays present, and counts of weekday holidays and make-up workdays in
    the range every known year falls in. It catches a damaged or emptied year; it cannot prove a
    plausible year right (that is what matching the ``holidays`` release is for).

    Raises:
        ValueError: naming the year and what is wrong with it.
    """
    listed = list(days)
    if any(type(d) is not date or d.year != year for d in listed):
        raise ValueError(f"{year}: a listed day is not a date in {year}")
    found = frozenset(listed)
    if len(found) != len(listed):
        raise ValueError(f"{year}: a day is listed twice")
    missing = [f"{m:02d}-{d:02d}" for m, d in ALWAYS_OFF if date(year, m, d) not in found]
    if missing:
        raise ValueError(f"{year}: fixed public holidays missing: {', '.join(missing)}")
    weekday_off = sum(1 for d in found if d.weekday() < 5)
    start = date(year, 1, 1)
    weekend = [
        start + timedelta(n)
        for n in range((date(year + 1, 1, 1) - start).days)
        if (start + timedelta(n)).weekday() >= 5
    ]
    make_up = sum(1 for d in weekend if d not in found)
    if weekday_off not in WEEKDAY_HOLIDAYS or make_up > MAX_MAKE_UP_WORKDAYS:
        raise ValueError(
            f"{year}: {weekday_off} weekday holidays and {make_up} make-up workdays "
            "cannot be the mainland calendar"
        )
    return found


class BusinessCalendar:
    """Mainland China business days; one instance is shared (see :func:`china_calendar`)."""

    def __init__(self) -> None:
        self._non_working: dict[int, frozenset[date]] = {}
        self._added: dict[tuple[date, int], date] = {}
        self._lock = threading.Lock()
        self._cn = None

    def _year(self, year: int) -> frozenset[date]:
        days = self._non_working.get(year)
        if days is not None:
            return days
        with self._lock:
            days = self._non_working.get(year)
            if days is None:
                import holidays  # deferred: ~0.35 s, not needed before the first paint

                if self._cn is None:
                    # The China class itself, not country_holidays("CN"): same calendar, but
                    # the registry look-up costs ~0.1 s of start-up. Expands year by year on use.
                    self._cn = holidays.China()
                cn = self._cn
                start = date(year, 1, 1)
                days = frozenset(
                    start + timedelta(n)
                    for n in range((date(year + 1, 1, 1) - start).days)
                    if not cn.is_working_day(start + timedelta(n))
                )
                self._non_working[year] = days
        return days

    def computed_years(self) -> dict[int, frozenset[date]]:
        """The years computed (or adopted) so far: ``{year: non-working days}``."""
        with self._lock:
            return dict(self._non_working)

    def adopt_years(self, source: str | None, years: Mapping[int, Iterable[date]]) -> list[int]:
        """Use years computed elsewhere instead of computing them again.

        Args:
            source: the :func:`holidays_source` they were computed with.
            years: ``{year: non-working days of that year}``.
        Returns:
            The years adopted, ascending: none unless ``source`` equals the installed
            :func:`holidays_source` (not None); years already known here are kept as they are.
        Raises:
            ValueError: a year that cannot be the mainland calendar (see
                :func:`check_plausible_year`); nothing is adopted then.
        """
        current = holidays_source()
        if source is None or source != current:
            return []
        checked: dict[int, frozenset[date]] = {}
        for year, days in years.items():
            checked[year] = check_plausible_year(year, days)
        with self._lock:
            adopted = sorted(y for y in checked if y not in self._non_working)
            for year in adopted:
                self._non_working[year] = checked[year]
        return adopted

    def is_business_day(self, day: date) -> bool:
        """True when ``day`` is a working day in mainland China (make-up workdays included)."""
        return day not in self._year(day.year)

    def add_business_days(self, start: date, count: int) -> date:
        """The ``count``-th business day after ``start`` (``start`` itself never counts).

        Args:
            start: a calendar date (China time).
            count: business days to add, ``>= 1``.
        Returns:
            The date of business day number ``count``; day 1 is the first business day after
            ``start`` (``ETA-PROCESS``).
        Raises:
            ValueError: ``count < 1``.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        known = self._added.get((start, count))
        if known is not None:
            return known
        day = start
        remaining = count
        while remaining:
            day += timedelta(days=1)
            if day not in self._year(day.year):
                remaining -= 1
        self._added[(start, count)] = day
        return day


_SHARED: BusinessCalendar | None = None


def china_calendar() -> BusinessCalendar:
    """The process-wide :class:`BusinessCalendar` (built lazily, year by year)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = BusinessCalendar()
    return _SHARED

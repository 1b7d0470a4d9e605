"""The business-day calendar kept between runs, so a warm start need not import ``holidays``.

Computing one year of the mainland China calendar (``holidays.China().is_working_day`` for each
day, RULES.md §5) and importing ``holidays`` costs about 0.1 s, on every start of the desk. The
years computed are written to ``calendar-cache.json`` in the data folder together with the
``holidays`` release they came from (:func:`~refund_desk.policy.calendar.holidays_source`); the
next start adopts them only when the same release is installed. Anything unreadable, of another
format or of another release is ignored and recomputed: the file can only save time, never change
a business day.

File shape (format 1)::

    {"format": 1, "source": "holidays 0.109 CN is_working_day",
     "years": {"2026": ["2026-01-01", "2026-01-02", ...], ...}}
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path

from ..policy.calendar import BusinessCalendar, china_calendar, holidays_source

CACHE_FILE = "calendar-cache.json"
FORMAT = 1


def load_calendar_cache(path: Path, calendar: BusinessCalendar | None = None) -> list[int]:
    """Adopt the years stored in ``path`` into ``calendar`` (default the shared one).

    Args:
        path: the cache file (missing is fine).
        calendar: the :class:`BusinessCalendar` to fill; default :func:`china_calendar`.
    Returns:
        The years adopted, ascending (empty when the file is missing, unreadable, of another
        format or computed by another ``holidays`` release). Never raises for a bad file.
    """
    calendar = calendar or china_calendar()
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            return []
        years = {
            int(year): [date.fromisoformat(day) for day in days]
            for year, days in raw["years"].items()
        }
        return calendar.adopt_years(raw.get("source"), years)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return []


def save_calendar_cache(path: Path, calendar: BusinessCalendar | None = None) -> bool:
    """Write the years ``calendar`` has computed to ``path`` (atomically: a reader sees the old
    file or the new one, never half of one).

    Returns:
        True when written; False when the ``holidays`` release cannot be read (nothing may be
        reused then) or the folder is not writable (the desk works on without the cache).
    """
    calendar = calendar or china_calendar()
    source = holidays_source()
    if source is None:
        return False
    payload = {
        "format": FORMAT,
        "source": source,
        "years": {
            str(year): sorted(day.isoformat() for day in days)
            for year, days in sorted(calendar.computed_years().items())
        },
    }
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".calendar-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(payload, out, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def warm_calendar(
    path: Path, years: list[int], calendar: BusinessCalendar | None = None
) -> list[int]:
    """Make ``years`` ready in ``calendar``: from the cache at ``path`` when it holds them,
    otherwise computed with ``holidays`` and then written back to the cache.

    Args:
        path: the cache file (see :data:`CACHE_FILE`).
        years: calendar years the next quotes will need (e.g. this year in China and the next).
        calendar: default :func:`china_calendar`.
    Returns:
        The years that had to be computed (empty on a warm start).
    """
    calendar = calendar or china_calendar()
    load_calendar_cache(path, calendar)
    known = calendar.computed_years()
    missing = [year for year in years if year not in known]
    for year in missing:
        calendar.is_business_day(date(year, 1, 1))
    if missing:
        save_calendar_cache(path, calendar)
    return missing

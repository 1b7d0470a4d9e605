"""The business-day calendar kept between runs, so a warm start need not import ``holidays``.

Computing one year of the mainland China calendar (``holidays.China().is_working_day`` for each
day, RULES.md §5) and importing ``holidays`` costs about 0.1 s, on every start of the desk. The
years computed are written to ``calendar-cache.json`` in the data folder together with the
``holidays`` release they came from (:func:`~refund_desk.policy.calendar.holidays_source`) and a
SHA-256 of their contents; the next start adopts them only when the same release is installed,
the checksum matches and each year passes
:func:`~refund_desk.policy.calendar.check_plausible_year`. Anything else (unreadable, not a
regular file, over 1 MB, another format or release, damaged) is ignored, recomputed and
rewritten. The file holds what ``holidays`` computed, so it can only save time; a file edited on
purpose with a recomputed checksum is trusted like the database next to it.

File shape (format 2)::

    {"format": 2, "source": "holidays 0.109 CN is_working_day", "sha256": "<hex>",
     "years": {"2026": ["2026-01-01", "2026-01-02", ...], ...}}

``sha256`` is of ``json.dumps([source, years], sort_keys=True, separators=(",", ":"))``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import tempfile
from datetime import date
from pathlib import Path

from ..policy.calendar import BusinessCalendar, china_calendar, holidays_source

CACHE_FILE = "calendar-cache.json"
FORMAT = 2
MAX_BYTES = 1_000_000  # eleven years take about 17 kB

log = logging.getLogger(__name__)


def _checksum(source: str, years: dict[str, list[str]]) -> str:
    canonical = json.dumps([source, years], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _read(path: Path) -> dict | None:
    """The file's JSON object, or None when it is not a small regular file of JSON."""
    # Non-blocking: a FIFO put in its place must not hang the start (it is then refused below).
    nonblock = getattr(os, "O_NONBLOCK", 0)
    with open(path, "rb", opener=lambda p, flags: os.open(p, flags | nonblock)) as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        raw = json.loads(handle.read(MAX_BYTES + 1).decode("utf-8"))
    return raw if isinstance(raw, dict) else None


def load_calendar_cache(path: Path, calendar: BusinessCalendar | None = None) -> list[int]:
    """Adopt the years stored in ``path`` into ``calendar`` (default the shared one).

    Args:
        path: the cache file (missing is fine).
        calendar: the :class:`BusinessCalendar` to fill; default :func:`china_calendar`.
    Returns:
        The years adopted, ascending (empty when the file is missing, not a regular file, too
        big, unreadable, of another format, computed by another ``holidays`` release, damaged,
        or holds a year that cannot be the mainland calendar). Never raises for a bad file.
    """
    calendar = calendar or china_calendar()
    try:
        raw = _read(Path(path))
        if raw is None or raw.get("format") != FORMAT:
            return []
        source, stored, checksum = raw.get("source"), raw.get("years"), raw.get("sha256")
        if not isinstance(source, str) or not isinstance(stored, dict):
            return []
        if any(not isinstance(days, list) for days in stored.values()):
            return []
        if checksum != _checksum(source, stored):
            return []
        years = {
            int(year): [date.fromisoformat(day) for day in days] for year, days in stored.items()
        }
        return calendar.adopt_years(source, years)
    except FileNotFoundError:
        return []
    except Exception as exc:  # noqa: BLE001 - any bad file only costs a recomputation
        log.info("calendar cache %s ignored: %s", path, exc)
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
    years = {
        str(year): sorted(day.isoformat() for day in days)
        for year, days in sorted(calendar.computed_years().items())
    }
    payload = {
        "format": FORMAT,
        "source": source,
        "sha256": _checksum(source, years),
        "years": years,
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
        years: calendar years the next quotes will need (the desk passes every year a
            cancellation can be quoted in: 2017 to next year).
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

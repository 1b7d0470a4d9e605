"""Time zones: every rule is judged in China Standard Time (``TIME-ZONE``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

CHINA_TZ = ZoneInfo("Asia/Shanghai")


class TimeError(ValueError):
    """A time that cannot be read (raised by :func:`parse_time`)."""


def parse_time(text: str, *, naive_is: str = "china") -> tuple[datetime, bool]:
    """Parse an ISO-8601 time as the desk receives it.

    Args:
        text: ``2019-03-28T17:30:00Z``, ``2024-03-09T09:00:00+08:00``, ``2024-03-09 09:00`` …
        naive_is: what a time without offset means: ``"utc"`` (BSS OpenAPI times, which are UTC
            whether or not they carry ``Z``) or ``"china"`` (typed by the operator or read from
            CSV).
    Returns:
        ``(aware datetime, assumed)`` where ``assumed`` is True when the text had no offset and
        ``naive_is == "china"`` (the quote then raises ``ASSUMED-TZ``).
    Raises:
        TimeError: the text is not an ISO-8601 date-time.
    """
    if not isinstance(text, str) or not text.strip():
        raise TimeError(f"not a time: {text!r}")
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise TimeError(f"not an ISO-8601 time: {text!r}") from None
    if parsed.tzinfo is not None:
        return parsed, False
    if naive_is == "utc":
        return parsed.replace(tzinfo=UTC), False
    return parsed.replace(tzinfo=CHINA_TZ), True


def china_date(moment: datetime) -> date:
    """The calendar date of an aware ``moment`` in China time. Raises ``ValueError`` if naive."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the desk only handles timezone-aware times")
    return moment.astimezone(CHINA_TZ).date()


def china_now() -> datetime:
    """Now, as an aware datetime in China time."""
    return datetime.now(CHINA_TZ)


# The cancellation times the desk quotes: policy v1 is in force from 2017 (earlier dates have no
# policy), and the business-day calendar is estimated up to 2099 (later dates are refused rather
# than computed past the end of any published or estimated schedule).
LAST_QUOTED_YEAR = 2099
FIRST_QUOTED_YEAR = 2017
"""The year policy v1 came into force (``definition.py``): no policy covers a time before it."""


def check_cancel_at(moment: datetime) -> None:
    """Refuse a cancellation time the desk cannot quote: after :data:`LAST_QUOTED_YEAR` (China
    time), or so early that it has no China date (``0001-01-01T00:00:00+08:00``). Dates before
    the first policy version are refused by the quote itself (no policy in force).

    Raises:
        TimeError: with the reason, one line.
    """
    try:
        day = china_date(moment)
    except OverflowError:
        raise TimeError(
            f"{moment.isoformat()} is out of range: the desk quotes cancellations from 2017 to "
            f"{LAST_QUOTED_YEAR}"
        ) from None
    if day.year > LAST_QUOTED_YEAR:
        raise TimeError(
            f"{day.isoformat()} is after {LAST_QUOTED_YEAR}: the desk quotes cancellations up "
            f"to {LAST_QUOTED_YEAR}-12-31 (its business-day calendar ends there)"
        )


TYPED_TIME_HELP = (
    "type it as 2024-12-31 01:00 (China time), with seconds (2024-12-31 01:00:30) or an offset "
    "(2024-12-31 01:00+08:00, …Z), or type now"
)

_DATE_START = re.compile(r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?!\d)", re.ASCII)
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def _no_such_day(y: str, mo: str, d: str) -> TimeError | None:
    """The error for a date that does not exist (``2024-02-30``), or None when it does."""
    year, month, day = int(y), int(mo), int(d)
    try:
        date(year, month, day)
        return None
    except ValueError:
        pass
    if not 1 <= month <= 12:
        return TimeError(f"{y}-{mo}-{d} is not a date: there is no month {mo} (01 to 12).")
    if year == 0:
        return TimeError(f"{y}-{mo}-{d} is not a date: there is no year 0000.")
    last = ((date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)).day
    return TimeError(
        f"{y}-{mo}-{d} is not a date: {_MONTHS[month - 1]} {year} has no day {d} (it has "
        f"{last} days)."
    )


_TYPED = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[ T](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?: ?(?P<z>Z|[+-]\d{2}:?\d{2}))?",
    re.ASCII,
)


@dataclass(frozen=True, slots=True)
class TypedTime:
    """A time the operator typed, read by :func:`parse_typed_time`.

    Attributes:
        moment: the aware time (China time unless the text carried an offset).
        is_now: the operator typed ``now`` (``moment`` is the clock's time when it was read).
        offset_given: the text carried its own offset (``Z``, ``+08:00``, ``-0500``).
    """

    moment: datetime
    is_now: bool = False
    offset_given: bool = False


def parse_typed_time(text: str, *, now: datetime) -> TypedTime:
    """Read a cancellation time exactly as the operator typed it — never guessed, never
    completed: ``YYYY-MM-DD HH:MM`` (or ``T`` between date and time), optional ``:SS``,
    optional offset (``Z``, ``±HH:MM``, ``±HHMM``, one space allowed before it), or ``now``.
    Surrounding blanks are ignored; anything else is refused.

    A time without an offset is China time (the field says so: ``TIME-ZONE``).

    Args:
        text: what is in the field.
        now: aware current time (the caller's clock), returned for ``now``.
    Returns:
        :class:`TypedTime`.
    Raises:
        TimeError: with one plain sentence saying what is wrong and how to type it: a day
            that does not exist (``2024-02-30``), an incomplete time, a year before
            :data:`FIRST_QUOTED_YEAR` (no policy) or after :data:`LAST_QUOTED_YEAR`.
    """
    raw = (text or "").strip()
    if not raw:
        raise TimeError(f"No cancellation time: {TYPED_TIME_HELP}.")
    if raw.lower() == "now":
        if now.tzinfo is None:
            raise TimeError("the clock gave a time without a time zone")
        return TypedTime(now.astimezone(CHINA_TZ), is_now=True)
    # A day that does not exist is said first, however much of the time follows it.
    start = _DATE_START.match(raw)
    if start is not None and (wrong := _no_such_day(start["y"], start["mo"], start["d"])):
        raise wrong
    match = _TYPED.fullmatch(raw)
    if match is None:
        raise TimeError(f"{raw!r} is not a complete time: {TYPED_TIME_HELP}.")
    year, month, day = int(match["y"]), int(match["mo"]), int(match["d"])
    hour, minute = int(match["h"]), int(match["mi"])
    second = int(match["s"] or 0)
    day_of = date(year, month, day)  # exists: checked above
    if hour > 23 or minute > 59 or second > 59:
        clock = f"{match['h']}:{match['mi']}" + (f":{match['s']}" if match["s"] else "")
        raise TimeError(f"{clock} is not a time of day (00:00 to 23:59).")
    zone = CHINA_TZ
    offset_text = match["z"]
    if offset_text:
        if offset_text == "Z":
            zone = UTC
        else:
            digits = offset_text[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:])
            if hours > 14 or minutes > 59 or (hours == 14 and minutes):
                raise TimeError(f"{offset_text} is not a UTC offset (-12:00 to +14:00).")
            delta = timedelta(hours=hours, minutes=minutes)
            zone = timezone(-delta if offset_text[0] == "-" else delta)
    moment = datetime(day_of.year, day_of.month, day_of.day, hour, minute, second, tzinfo=zone)
    check_cancel_at(moment)  # a year the calendar cannot reach is refused here, not in the quote
    first = china_date(moment)
    if first.year < FIRST_QUOTED_YEAR:  # no policy then: said here, as the time typed
        raise TimeError(
            f"{first.isoformat()} (China time) is before {FIRST_QUOTED_YEAR}: no refund policy "
            f"was in force then; the desk quotes cancellations from {FIRST_QUOTED_YEAR}-01-01 "
            f"to {LAST_QUOTED_YEAR}-12-31."
        )
    return TypedTime(moment, offset_given=offset_text is not None)


def format_typed_time(moment: datetime) -> str:
    """``moment`` as the cancellation field shows it: China time, ``YYYY-MM-DD HH:MM`` (with
    ``:SS`` only when the seconds are not zero). :func:`parse_typed_time` reads it back to the
    same moment (to the second). Raises ``ValueError`` if naive."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the desk only handles timezone-aware times")
    local = moment.astimezone(CHINA_TZ)
    return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")

"""Time zones: every rule is judged in China Standard Time (``TIME-ZONE``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
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

"""Words and figures of a quote as the window shows them (imported after the first paint)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ..policy import RULES, format_cny
from ..policy.timeutil import CHINA_TZ
from ..wording_rules import destination_label


def cny(amount: Decimal | None) -> str:
    """``Decimal('764')`` → ``'CNY 764.00'``; None → ``'—'``."""
    return "—" if amount is None else f"CNY {format_cny(amount)}"


def money(amount: Decimal | None) -> str:
    """``Decimal('1234.5')`` → ``'1,234.50'``; None → ``'—'``."""
    return "—" if amount is None else format_cny(amount)


def destination(dest: str | None) -> str:
    """A destination code in words (``'alipay'`` → ``'Alipay account used for payment'``)."""
    return destination_label(dest)


SHORT_DESTINATIONS = {
    "alipay": "Alipay",
    "online_banking": "online banking",
    "account_balance": "account balance",
}


def short_destination(dest: str | None) -> str:
    """A destination in one or two words (``'online_banking'`` → ``'online banking'``)."""
    if dest is None:
        return "—"
    return SHORT_DESTINATIONS.get(dest, f"{dest} (unlisted)")


def title(rule_id: str) -> str:
    """The catalogue title of a rule id (the id itself when unknown)."""
    info = RULES.get(rule_id)
    return info.title if info else rule_id


def china_time(moment: datetime | None) -> str:
    """An aware time as ``'2024-01-10 10:00'`` China time; ``'—'`` for None."""
    if moment is None:
        return "—"
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def local_time(moment: datetime | None) -> str:
    """An aware time in the operator's local zone: ``'2024-01-10 03:00 (UTC+01:00)'``."""
    if moment is None:
        return "—"
    local = moment.astimezone()
    offset = local.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else local.tzname() or ""
    return f"{local.strftime('%Y-%m-%d %H:%M')} ({offset})"


def iso(day: date | None) -> str:
    """A date as ``YYYY-MM-DD``; ``'—'`` for None."""
    return day.isoformat() if day else "—"


def blocked_orders_words(quote) -> str:
    """``'1 blocked order'`` / ``'3 blocked orders'``: how many orders keep ``quote`` incomplete
    (one blocking reason per order)."""
    n = max(1, len(quote.blocking))
    return f"{n} blocked order{'s' if n != 1 else ''}"

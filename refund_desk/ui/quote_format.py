"""Words and figures of a quote as the window shows them (imported after the first paint), in
the window's language (:mod:`refund_desk.wording`): English ``CNY 764.00`` and ``2024-01-10``,
Chinese ``¥764.00`` and ``2024年1月10日``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from .. import wording
from ..policy import format_cny
from ..policy.timeutil import CHINA_TZ
from ..wording import N_, _
from ..wording_rules import destination_label, rule_title


def _en() -> bool:
    return wording.current_language() == wording.EN


def cny(amount: Decimal | None) -> str:
    """``Decimal('764')`` → ``'CNY 764.00'`` (Chinese ``'¥764.00'``); None → ``'—'``."""
    if amount is None:
        return "—"
    return f"CNY {format_cny(amount)}" if _en() else wording.format_money(amount)


def money(amount: Decimal | None) -> str:
    """``Decimal('1234.5')`` → ``'1,234.50'``; None → ``'—'``."""
    return "—" if amount is None else format_cny(amount)


def destination(dest: str | None) -> str:
    """A destination code in words (``'alipay'`` → ``'Alipay account used for payment'``)."""
    return destination_label(dest)


SHORT_DESTINATIONS = {
    "alipay": N_("Alipay"),
    "online_banking": N_("online banking"),
    "account_balance": N_("account balance"),
}


def short_destination(dest: str | None) -> str:
    """A destination in one or two words (``'online_banking'`` → ``'online banking'``)."""
    if dest is None:
        return "—"
    words = SHORT_DESTINATIONS.get(dest)
    return _(words) if words else _("{channel} (unlisted)").format(channel=dest)


def title(rule_id: str, policy_version: int | None = None) -> str:
    """The catalogue title of a rule id (the id itself when unknown), with the numbers of the
    policy version the quote was made under (default version 1)."""
    return rule_title(rule_id, policy=policy_version)


def china_time(moment: datetime | None) -> str:
    """An aware time as ``'2024-01-10 10:00'`` China time (Chinese ``'2024年1月10日 10:00'``);
    ``'—'`` for None."""
    if moment is None:
        return "—"
    if _en():
        return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    return wording.format_china_time(moment, label=False)


def local_time(moment: datetime | None) -> str:
    """An aware time in the operator's local zone: ``'2024-01-10 03:00 (UTC+01:00)'``."""
    if moment is None:
        return "—"
    local = moment.astimezone()
    offset = local.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else local.tzname() or ""
    day = local.strftime("%Y-%m-%d") if _en() else wording.format_date(local.date())
    return f"{day} {local.strftime('%H:%M')} ({offset})"


def iso(day: date | None) -> str:
    """A date as ``YYYY-MM-DD`` (Chinese ``2024年1月10日``); ``'—'`` for None."""
    if not day:
        return "—"
    return day.isoformat() if _en() else wording.format_date(day)

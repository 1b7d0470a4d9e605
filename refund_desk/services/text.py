"""Plain-text rendering of a quote (CLI ``--format text``, tickets, training feedback), in
Simplified Chinese or English (the CLI's ``--lang``/``LANG``), and the one home of "no total
yet": whether a quote has a total, which orders block it and how they are said
(:func:`no_total_yet`, :func:`blocking_reasons`, :func:`blocked_orders_words`,
:func:`blocking_reasons_words`), used by the simulator, the release dialog, the ticket, this
text and the ``--smoke`` line."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .. import wording
from ..policy import Quote, format_cny
from ..safetext import one_line
from ..wording_phrases import blocking_words, detail_words
from ..wording_rules import (
    destination_label,
    explain,
    kind_words,
    order_type_words,
    outcome_words,
    route_words,
)
from ..wording_rules import id_line as _id_line


def id_line(rule_id: str, lang: str | None = None) -> str:
    """``'WARN-RELEASE-DELETE — Instance released at once, all data deleted'`` (in ``lang``,
    default the interface language)."""
    return _id_line(rule_id, lang)


def _field(quote: Any, name: str, default: Any) -> Any:
    if isinstance(quote, Mapping):
        return quote.get(name, default)
    return getattr(quote, name, default)


def blocking_reasons(quote: Any) -> tuple[str, ...]:
    """The reasons ``quote`` has no total yet, one per blocked order (missing breakdown or
    channel, an order naming several instances), as the policy core states them (RULES.md §6,
    ``DATA-MISSING``; :attr:`refund_desk.policy.Quote.blocking`).

    Args:
        quote: a :class:`~refund_desk.policy.Quote`, its dict
            (:func:`~refund_desk.policy.quote_to_dict`, also one stored before ``complete``
            existed), or an object shaped like a quote without ``blocking`` (training's stated
            answer: nothing blocks it).
    Returns:
        The reasons in the core's order; empty when nothing blocks the total.
    """
    return tuple(_field(quote, "blocking", None) or ())


def no_total_yet(quote: Any) -> bool:
    """Whether ``quote`` is a refund without a total yet: an order is blocked, so every sum
    covers only the other orders and must never be given as the refund (only a refundable quote
    can be blocked).

    Args:
        quote: as :func:`blocking_reasons`. A dict stored before ``complete`` existed is
            incomplete exactly when it has blocking reasons; an object without ``complete`` has
            its total.
    Returns:
        ``True`` while the quote is not complete.
    """
    return not _field(quote, "complete", not blocking_reasons(quote))


def blocked_orders_words(quote: Any, lang: str | None = None) -> str:
    """``'1 blocked order'`` / ``'3 blocked orders'`` (Chinese ``'1 个受阻订单'``): how
    many orders keep ``quote`` without a total (one blocking reason per order; at least one).

    Args:
        quote: as :func:`blocking_reasons`. lang: ``"en"`` / ``"zh_CN"``; ``None`` for the
            interface language.
    Raises:
        ValueError: an unknown language.
    """
    n = max(1, len(blocking_reasons(quote)))
    return (
        wording.translator(lang).ngettext("{n} blocked order", "{n} blocked orders", n).format(n=n)
    )


def blocking_reasons_words(quote: Any, lang: str | None = None) -> tuple[str, ...]:
    """Each reason of :func:`blocking_reasons` in words, in ``lang`` (``None``: the interface
    language), by :func:`refund_desk.wording_phrases.blocking_words`."""
    return tuple(blocking_words(reason, lang) for reason in blocking_reasons(quote))


def quote_as_text(q: Quote, lang: str | None = None) -> str:
    """A readable multi-line summary of ``q``: outcome, orders, totals, ETA, warnings, flags and
    the rule trace with one sentence per step.

    Args:
        q: the quote.
        lang: ``"zh_CN"`` or ``"en"`` (default: the interface language). English is the desk's
            text since version 1 (amounts ``CNY 1,985.60``); Chinese uses GLOSSARY.md's terms,
            ``¥1,985.60`` and ``2024年3月9日``. Rule ids are never translated.
    """
    t = wording.translator(lang)
    _ = t.gettext
    lang = t.lang
    en = lang == wording.EN
    version = q.policy_version

    def cny(amount: Decimal) -> str:
        return f"CNY {format_cny(amount)}" if en else wording.format_money(amount, lang)

    # Bare figures in the English order line, as since version 1.
    def figure(amount: Decimal) -> str:
        return format_cny(amount) if en else wording.format_money(amount, lang)

    def day(value: date | datetime) -> str:
        return wording.format_date(value, lang)

    lines = [
        _("Instance {instance_id} ({kind}), account {account}").format(
            instance_id=q.instance_id,
            kind=q.kind.value if en else kind_words(q.kind.value, lang),
            account=q.account_id or "—",
        ),
        _("Cancellation {cancel_at} (China date {cancel_date})").format(
            cancel_at=q.cancel_at.isoformat()
            if en
            else wording.format_china_time(q.cancel_at, lang, label=False),
            cancel_date=day(q.cancel_date),
        ),
        _("Outcome: {outcome}").format(outcome=outcome_words(q.outcome.value, lang)),
        _("Policy: {policy} v{version}").format(policy=q.policy_id, version=version),
    ]
    for warning in q.warnings:
        lines.append(_("WARNING {line}").format(line=_id_line(warning, lang, version)))
    for advice in q.advice:
        lines.append(_("ADVICE {line}").format(line=_id_line(advice, lang, version)))
    for flag in q.flags:
        lines.append(_("CHECK {line}").format(line=_id_line(flag, lang, version)))
    for reason in blocking_reasons_words(q, lang):
        lines.append(_("BLOCKED {reason}").format(reason=reason))
    if q.orders:
        lines.append("")
        lines.append(_("Orders:"))
    for oq in q.orders:
        order_type = oq.order_type if en else order_type_words(oq.order_type, lang)
        if oq.excluded:
            lines.append(
                _("  {order_id} {order_type}: excluded ({detail})").format(
                    order_id=oq.order_id,
                    order_type=order_type,
                    detail=detail_words(oq.excluded_detail, lang),
                )
            )
            continue
        assert oq.route is not None  # every order not excluded has its route (policy/model.py)
        fallback = (
            _("; fallback {destination}").format(
                destination=destination_label(oq.fallback_destination, lang)
            )
            if oq.fallback_destination
            else ""
        )
        lines.append(
            _(
                "  {order_id} {order_type}: refund {refund} to {destination} ({route}{fallback}); "
                "consumed {consumed}, not refundable {not_refundable}, used {used_days} of "
                "{order_days} days; rules {rules}"
            ).format(
                order_id=oq.order_id,
                order_type=order_type,
                refund=cny(oq.refund),
                destination=destination_label(oq.destination, lang),
                route=oq.route.value if en else route_words(oq.route.value, lang),
                fallback=fallback,
                consumed=figure(oq.consumed),
                not_refundable=figure(oq.not_refundable),
                used_days=oq.used_days,
                order_days=oq.order_days,
                rules=", ".join(oq.rules),
            )
        )
    if no_total_yet(q):
        # A blocked order makes any sum partial: never print it as the refund.
        lines.append("")
        lines.append(
            _("NO TOTAL YET: {n} blocked order(s), see BLOCKED above.").format(
                n=len(blocking_reasons(q))
            )
        )
        for dest, amount in sorted(q.by_destination.items()):
            lines.append(
                _("Known so far (NOT the refund), to {destination}: {amount}").format(
                    destination=destination_label(dest, lang), amount=cny(amount)
                )
            )
    elif q.outcome.value == "refundable":
        lines.append("")
        for dest, amount in sorted(q.by_destination.items()):
            lines.append(
                _("To {destination}: {amount}").format(
                    destination=destination_label(dest, lang), amount=cny(amount)
                )
            )
        lines.append(_("Total refund: {amount}").format(amount=cny(q.total_refund)))
        lines.append(
            _("Not refundable (vouchers, coupons): {amount}").format(
                amount=cny(q.total_not_refundable)
            )
        )
    if q.outcome.value == "refundable":
        if q.processed_by:
            lines.append(
                _("Expected processed by: {day}").format(
                    day=q.processed_by.isoformat() if en else day(q.processed_by)
                )
            )
        if q.credited_between:
            start, end = q.credited_between
            lines.append(
                _("Expected credited by the bank: {start} – {end}").format(
                    start=start.isoformat() if en else day(start),
                    end=end.isoformat() if en else day(end),
                )
            )
    lines.append("")
    lines.append(_("Rule trace:"))
    for entry in q.trace:
        where = f" [{entry.order_id}]" if entry.order_id else ""
        lines.append(f"  {entry.rule_id}{where}: {explain(entry, lang, version)}")
    # Values from imported files never add a line of their own (see safetext.one_line).
    return "\n".join(one_line(line) for line in lines) + "\n"

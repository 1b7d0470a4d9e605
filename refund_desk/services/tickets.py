"""The ticket draft of a recorded refund case (plain text, ready to paste into the ticket form).

The ticket is rendered from the quote's JSON dict (:func:`refund_desk.policy.quote_to_dict`), the
same dict a case stores, so a stored case renders the same ticket years later, whatever the code
in force then. The context of a case recorded on a store, and a recorded case's ticket in
another language, are :mod:`refund_desk.services.case_tickets`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from .. import wording
from ..policy import format_cny
from ..policy.serialize import options_from_json
from ..policy.timeutil import CHINA_TZ
from ..safetext import one_line
from ..wording import N_
from ..wording_phrases import detail_words
from ..wording_rules import (
    destination_label,
    explain_dict,
    kind_words,
    order_type_words,
    outcome_words,
    route_words,
    rule_title,
)
from .acknowledgement import asked_words, confirmation_words
from .text import blocked_orders_words, blocking_reasons_words, no_total_yet

DEMO_LINE = N_("*** DEMO DATA — made-up customer and orders for practice: do not submit ***")

_INPUT_WORDS = (
    ("invoiced", N_("[order {order_id}] invoice issued: {answer}")),
    ("marketplace", N_("[order {order_id}] bought on the cloud marketplace: {answer}")),
)


@dataclass(frozen=True, slots=True)
class TicketContext:
    """Who recorded the case and when, and what the customer acknowledged.

    Attributes:
        operator: the operator's name (from the desk's settings).
        recorded_at: aware time the case was recorded.
        confirmation: the acknowledgement sentence (``WARN-RELEASE-DELETE``), or None.
        case_id: the desk's case number, when known.
        account_name: the account's display name, when the database has one.
        demo: the case was recorded on the demo database (the ticket says DEMO DATA).
        customer_asked: the ``ASSUMED-*`` flags the operator confirmed asking the customer
            about; any other flag of the quote is listed as still assumed.
        options: the what-if inputs the operator set, ``{order_id: {"invoiced": bool | None,
            "marketplace": …, "original_failed": bool, "discount": "0.85"}}`` (the shape a case
            stores).
        replaces: for a replacement (``ROUTE-FALLBACK``): ``(failed case id, why the
            original-method refund failed)``, else None.
    """

    operator: str
    recorded_at: datetime
    confirmation: str | None = None
    case_id: int | None = None
    account_name: str | None = None
    demo: bool = False
    customer_asked: tuple[str, ...] = ()
    options: Mapping[str, Mapping[str, Any]] | None = None
    replaces: tuple[int, str] | None = None


def _operator_inputs(options: Mapping[str, Mapping[str, Any]] | None, t: Any) -> list[str]:
    """The what-if inputs the operator set (a quote dict's ``options``, read back by
    :func:`refund_desk.policy.serialize.options_from_json`), one line each (defaults left out)."""
    _ = t.gettext
    lines = []
    for order_id, opt in sorted(options_from_json(options).items()):
        for key, words in _INPUT_WORDS:
            value = getattr(opt, key)
            if value is not None:
                answer = _("yes") if value else _("no")
                lines.append(_(words).format(order_id=order_id, answer=answer))
        if opt.original_failed:
            lines.append(
                _("[order {order_id}] original-method refund failed: yes (ROUTE-FALLBACK)").format(
                    order_id=order_id
                )
            )
        if opt.discount != 1:
            lines.append(
                _("[order {order_id}] discount factor for the used days: {discount}").format(
                    order_id=order_id, discount=opt.discount
                )
            )
    return lines


def _money(text: str | None, lang: str) -> str:
    if text is None:
        return "—"
    if lang == wording.EN:
        return f"CNY {format_cny(Decimal(text))}"
    return wording.format_money(Decimal(text), lang)


def _why(quote: dict[str, Any], rule_id: str, t: Any) -> list[str]:
    """The explained sentences of ``rule_id`` from the quote's trace, one per order. English
    keeps a stored case's own ``"why"`` (the words it was recorded with)."""
    seen: list[str] = []
    for entry in quote.get("trace", []):
        if entry["rule"] == rule_id:
            where = (
                t.gettext("[order {order_id}] ").format(order_id=entry["order_id"])
                if entry.get("order_id")
                else ""
            )
            if t.lang == wording.EN and entry.get("why"):
                why = entry["why"]
            else:
                why = explain_dict(entry, t.lang, quote.get("policy_version"))
            sentence = where + why
            if sentence not in seen:
                seen.append(sentence)
    return seen


def _china(moment: datetime, lang: str) -> str:
    if lang == wording.EN:
        return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    return wording.format_china_time(moment, lang, label=False)


def _day(text: str | None, lang: str) -> str:
    if not text or lang == wording.EN:
        return str(text)
    return wording.format_date(date.fromisoformat(text), lang)


def render_ticket(quote: dict[str, Any], context: TicketContext, lang: str = wording.EN) -> str:
    """The ticket text of a refund request.

    Args:
        quote: a quote as :func:`refund_desk.policy.quote_to_dict` returns it (with the trace).
        context: operator, time, confirmation and case number.
        lang: the ticket's language, ``"en"`` (default) or ``"zh_CN"``, whatever the window's
            (the Chinese ticket system takes Chinese; GLOSSARY.md terms). Rule ids stay as
            they are.
    Returns:
        Multi-line text: instance, account, cancellation, orders (route, destination, refund,
        consumed, not refundable; excluded orders with their reason), refund per destination,
        non-refundable amounts, expected dates (``ETA-PROCESS``/``ETA-BANK``), the warnings
        acknowledged with the customer, advice, what the operator checked (``ASSUMED-*`` flags
        confirmed with the customer, what-if inputs set) apart from what is still assumed or to
        be checked (every other flag), every rule id, the policy version, the operator and the
        time (China time and UTC); on demo data a DEMO DATA line first and last. Amounts in
        CNY (``CNY 1,985.60``, in Chinese ``¥1,985.60``). While the quote is not complete
        (``complete`` false, or ``blocking`` reasons in an older dict) it has no total: the
        ticket lists the blocking reasons and gives the sums only as "known so far", never as
        the refund.
    Raises:
        ValueError: an unknown language.
    """
    t = wording.translator(lang)
    _ = t.gettext
    lang = t.lang
    policy_version = quote.get("policy_version")

    def cny(text: str | None) -> str:
        return _money(text, lang)

    def title(rule_id: str) -> str:
        return rule_title(rule_id, lang, policy_version)

    cancel_at = datetime.fromisoformat(quote["cancel_at"])
    complete = not no_total_yet(quote)
    outcome = outcome_words(quote["outcome"], lang)
    if not complete:
        outcome += _(" — NO TOTAL YET: {blocked} (see Blocked below)").format(
            blocked=blocked_orders_words(quote, lang)
        )
    account = quote.get("account_id") or "—"
    if context.account_name:
        account += _(" ({name})").format(name=context.account_name)
    demo_line = _(DEMO_LINE)
    lines = [demo_line, ""] if context.demo else []
    heading = _("Refund request — IoT Platform instance")
    lines += [
        heading,
        "=" * (38 if lang == wording.EN else 2 * len(heading)),
        _("Instance:      {instance_id} ({kind})").format(
            instance_id=quote["instance_id"], kind=kind_words(quote["kind"], lang)
        ),
        _("Account:       {account}").format(account=account),
        _("Cancellation:  {when} China time (UTC+8)").format(when=_china(cancel_at, lang)),
        _("Outcome:       {outcome}").format(outcome=outcome),
    ]
    if context.case_id is not None:
        lines.append(_("Desk case:     #{case_id}").format(case_id=context.case_id))
    if context.replaces is not None:
        failed_id, reason = context.replaces
        lines.append(
            _(
                "Replaces:      case #{case_id}: the original-method refund failed ({reason}); "
                "this refund goes to the account balance (ROUTE-FALLBACK)"
            ).format(case_id=failed_id, reason=reason)
        )
    lines += ["", _("Orders:")]
    for order in quote["orders"]:
        if order.get("excluded"):
            lines.append(
                _("  {order_id} ({order_type}): not included — {reason}").format(
                    order_id=order["order_id"],
                    order_type=order_type_words(order["order_type"], lang),
                    reason=detail_words(order.get("excluded_detail"), lang) or order["excluded"],
                )
            )
            continue
        fallback = (
            _("; if that fails: {destination}").format(
                destination=destination_label(order["fallback_destination"], lang)
            )
            if order.get("fallback_destination")
            else ""
        )
        lines.append(
            _(
                "  {order_id} ({order_type}, paid {paid}): refund {refund} by {route} to "
                "{destination}{fallback}"
            ).format(
                order_id=order["order_id"],
                order_type=order_type_words(order["order_type"], lang),
                paid=_day(order.get("payment_date"), lang),
                refund=cny(order["refund"]),
                route=route_words(order["route"], lang),
                destination=destination_label(order["destination"], lang),
                fallback=fallback,
            )
        )
        lines.append(
            _(
                "      consumed {consumed} ({used_days} of {order_days} days), not refundable "
                "{not_refundable}"
            ).format(
                consumed=cny(order["consumed"]),
                used_days=order.get("used_days"),
                order_days=order.get("order_days"),
                not_refundable=cny(order["not_refundable"]),
            )
        )
    if complete:
        lines += ["", _("Refund per destination:")]
        for dest, amount in quote["by_destination"].items():
            lines.append(
                _("  {destination}: {amount}").format(
                    destination=destination_label(dest, lang), amount=cny(amount)
                )
            )
        lines.append(_("  Total refund: {amount}").format(amount=cny(quote["total_refund"])))
        lines.append(
            _("Not refundable (vouchers and coupons): {amount}").format(
                amount=cny(quote["total_not_refundable"])
            )
        )
        lines.append(_("Consumed: {amount}").format(amount=cny(quote["total_consumed"])))
    else:
        lines += ["", _("Blocked — no total yet; do not submit this as the refund:")]
        lines.extend(f"  {reason}" for reason in blocking_reasons_words(quote, lang))
        lines += [
            "",
            _("Known so far, without {blocked} (NOT the refund):").format(
                blocked=blocked_orders_words(quote, lang)
            ),
        ]
        for dest, amount in quote["by_destination"].items():
            lines.append(
                _("  so far to {destination}: {amount}").format(
                    destination=destination_label(dest, lang), amount=cny(amount)
                )
            )
        lines.append(
            _("  partial sum, not the refund: {amount}").format(amount=cny(quote["total_refund"]))
        )
        lines.append(
            _("  not refundable so far (vouchers and coupons): {amount}").format(
                amount=cny(quote["total_not_refundable"])
            )
        )
        lines.append(_("  consumed so far: {amount}").format(amount=cny(quote["total_consumed"])))
    lines += ["", _("Expected dates (estimates, mainland China business days):")]
    if quote.get("processed_by"):
        lines.append(
            _("  Processed by {day} (ETA-PROCESS)").format(day=_day(quote["processed_by"], lang))
        )
    if quote.get("credited_between"):
        start, end = quote["credited_between"]
        lines.append(
            _("  Credited by the bank between {start} and {end} (ETA-BANK)").format(
                start=_day(start, lang), end=_day(end, lang)
            )
        )
    lines += ["", _("Warnings acknowledged with the customer:")]
    for warning in quote["warnings"]:
        lines.append(f"  {warning} — {title(warning)}")
        lines.extend(f"    {sentence}" for sentence in _why(quote, warning, t))
    if context.confirmation:
        lines.append(f"  {confirmation_words(context.confirmation, lang)}")
    if not quote["warnings"] and not context.confirmation:
        lines.append(_("  (none)"))
    if quote["advice"]:
        lines += ["", _("Advice given:")]
        for advice in quote["advice"]:
            lines.append(f"  {advice} — {title(advice)}")
    asked = [flag for flag in quote["flags"] if flag in context.customer_asked]
    inputs = _operator_inputs(context.options, t)
    lines += ["", _("Checked by the operator:")]
    for flag in asked:
        lines.append(f"  {flag} — {asked_words(flag, quote['orders'], lang)}")
    lines.extend(f"  {line}" for line in inputs)
    if not asked and not inputs:
        lines.append(_("  (nothing beyond the data above)"))
    still = [flag for flag in quote["flags"] if flag not in context.customer_asked]
    if still:
        lines += ["", _("Still assumed or to be checked (not confirmed):")]
        for flag in still:
            lines.append(f"  {flag} — {title(flag)}")
            lines.extend(f"    {sentence}" for sentence in _why(quote, flag, t))
    all_ids: dict[str, None] = {}
    for rule_id in (*quote["rules"], *quote["warnings"], *quote["advice"], *quote["flags"]):
        all_ids.setdefault(rule_id, None)
    lines += [
        "",
        _("Rule ids:      {ids}").format(ids=", ".join(all_ids)),
        _("Policy:        {policy} version {version}").format(
            policy=quote["policy"], version=quote["policy_version"]
        ),
        _("Operator:      {operator}").format(operator=context.operator),
        _("Recorded:      {china} China time ({utc} UTC)").format(
            china=_china(context.recorded_at, lang),
            utc=context.recorded_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
        ),
    ]
    if context.demo:
        lines += ["", demo_line]
    # Ids, statuses and reasons come from imported files: whatever they hold, each line of the
    # ticket stays one line (a line break inside a value cannot add a line of its own).
    return "\n".join(one_line(line) for line in lines) + "\n"

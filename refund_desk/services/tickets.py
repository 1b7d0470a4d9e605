"""The ticket draft of a recorded refund case (plain text, ready to paste into the ticket form).

The ticket is rendered from the quote's JSON dict (:func:`refund_desk.policy.quote_to_dict`), the
same dict a case stores, so a stored case renders the same ticket years later, whatever the code
in force then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ..policy import destination_label, format_cny
from ..policy.rules import KIND_WORDS, OUTCOME_WORDS, ROUTE_WORDS, RULES
from ..policy.timeutil import CHINA_TZ
from ..safetext import one_line


@dataclass(frozen=True, slots=True)
class TicketContext:
    """Who recorded the case and when, and what the customer acknowledged.

    Attributes:
        operator: the operator's name (from the desk's settings).
        recorded_at: aware time the case was recorded.
        confirmation: the acknowledgement sentence (``WARN-RELEASE-DELETE``), or None.
        case_id: the desk's case number, when known.
    """

    operator: str
    recorded_at: datetime
    confirmation: str | None = None
    case_id: int | None = None


def _cny(text: str | None) -> str:
    return "—" if text is None else f"CNY {format_cny(Decimal(text))}"


def _title(rule_id: str) -> str:
    info = RULES.get(rule_id)
    return info.title if info else rule_id


def _why(quote: dict[str, Any], rule_id: str) -> list[str]:
    """The explained sentences of ``rule_id`` from the quote's trace, one per order."""
    seen: list[str] = []
    for entry in quote.get("trace", []):
        if entry["rule"] == rule_id:
            where = f"[order {entry['order_id']}] " if entry.get("order_id") else ""
            sentence = where + entry["why"]
            if sentence not in seen:
                seen.append(sentence)
    return seen


def _blocked_words(blocking: list[str]) -> str:
    n = max(1, len(blocking))
    return f"{n} blocked order{'s' if n != 1 else ''}"


def _china(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def render_ticket(quote: dict[str, Any], context: TicketContext) -> str:
    """The ticket text of a refund request.

    Args:
        quote: a quote as :func:`refund_desk.policy.quote_to_dict` returns it (with the trace).
        context: operator, time, confirmation and case number.
    Returns:
        Multi-line text: instance, account, cancellation, orders (route, destination, refund,
        consumed, not refundable; excluded orders with their reason), refund per destination,
        non-refundable amounts, expected dates (``ETA-PROCESS``/``ETA-BANK``), the warnings
        acknowledged with the customer, flags and advice, every rule id, the policy version, the
        operator and the time (China time and UTC). Amounts in CNY. While the quote is not
        complete (``complete`` false, or ``blocking`` reasons in an older dict) it has no total:
        the ticket lists the blocking reasons and gives the sums only as "known so far", never as
        the refund.
    """
    cancel_at = datetime.fromisoformat(quote["cancel_at"])
    blocking = list(quote.get("blocking") or [])
    # Dicts stored before ``complete`` existed: incomplete exactly when something blocks.
    complete = bool(quote.get("complete", not blocking))
    outcome = OUTCOME_WORDS.get(quote["outcome"], quote["outcome"])
    if not complete:
        outcome += f" — NO TOTAL YET: {_blocked_words(blocking)} (see Blocked below)"
    lines = [
        "Refund request — IoT Platform instance",
        "=" * 38,
        f"Instance:      {quote['instance_id']} ({KIND_WORDS.get(quote['kind'], quote['kind'])})",
        f"Account:       {quote.get('account_id') or '—'}",
        f"Cancellation:  {_china(cancel_at)} China time (UTC+8)",
        f"Outcome:       {outcome}",
    ]
    if context.case_id is not None:
        lines.append(f"Desk case:     #{context.case_id}")
    lines += ["", "Orders:"]
    for order in quote["orders"]:
        if order.get("excluded"):
            lines.append(
                f"  {order['order_id']} ({order['order_type']}): not included — "
                f"{order.get('excluded_detail') or order['excluded']}"
            )
            continue
        route = ROUTE_WORDS.get(order["route"], order["route"])
        fallback = (
            f"; if that fails: {destination_label(order['fallback_destination'])}"
            if order.get("fallback_destination")
            else ""
        )
        lines.append(
            f"  {order['order_id']} ({order['order_type']}, paid {order.get('payment_date')}): "
            f"refund {_cny(order['refund'])} by {route} to "
            f"{destination_label(order['destination'])}{fallback}"
        )
        lines.append(
            f"      consumed {_cny(order['consumed'])} ({order.get('used_days')} of "
            f"{order.get('order_days')} days), not refundable {_cny(order['not_refundable'])}"
        )
    if complete:
        lines += ["", "Refund per destination:"]
        for dest, amount in quote["by_destination"].items():
            lines.append(f"  {destination_label(dest)}: {_cny(amount)}")
        lines.append(f"  Total refund: {_cny(quote['total_refund'])}")
        lines.append(
            f"Not refundable (vouchers and coupons): {_cny(quote['total_not_refundable'])}"
        )
        lines.append(f"Consumed: {_cny(quote['total_consumed'])}")
    else:
        lines += ["", "Blocked — no total yet; do not submit this as the refund:"]
        lines.extend(f"  {reason}" for reason in blocking)
        lines += [
            "",
            f"Known so far, without {_blocked_words(blocking)} (NOT the refund):",
        ]
        for dest, amount in quote["by_destination"].items():
            lines.append(f"  so far to {destination_label(dest)}: {_cny(amount)}")
        lines.append(f"  partial sum, not the refund: {_cny(quote['total_refund'])}")
        lines.append(
            f"  not refundable so far (vouchers and coupons): {_cny(quote['total_not_refundable'])}"
        )
        lines.append(f"  consumed so far: {_cny(quote['total_consumed'])}")
    lines += ["", "Expected dates (estimates, mainland China business days):"]
    if quote.get("processed_by"):
        lines.append(f"  Processed by {quote['processed_by']} (ETA-PROCESS)")
    if quote.get("credited_between"):
        start, end = quote["credited_between"]
        lines.append(f"  Credited by the bank between {start} and {end} (ETA-BANK)")
    lines += ["", "Warnings acknowledged with the customer:"]
    for warning in quote["warnings"]:
        lines.append(f"  {warning} — {_title(warning)}")
        lines.extend(f"    {sentence}" for sentence in _why(quote, warning))
    if context.confirmation:
        lines.append(f"  {context.confirmation}")
    if not quote["warnings"] and not context.confirmation:
        lines.append("  (none)")
    if quote["advice"]:
        lines += ["", "Advice given:"]
        for advice in quote["advice"]:
            lines.append(f"  {advice} — {_title(advice)}")
    if quote["flags"]:
        lines += ["", "Checked by the operator:"]
        for flag in quote["flags"]:
            lines.append(f"  {flag} — {_title(flag)}")
            lines.extend(f"    {sentence}" for sentence in _why(quote, flag))
    all_ids: dict[str, None] = {}
    for rule_id in (*quote["rules"], *quote["warnings"], *quote["advice"], *quote["flags"]):
        all_ids.setdefault(rule_id, None)
    lines += [
        "",
        f"Rule ids:      {', '.join(all_ids)}",
        f"Policy:        {quote['policy']} version {quote['policy_version']}",
        f"Operator:      {context.operator}",
        f"Recorded:      {_china(context.recorded_at)} China time "
        f"({context.recorded_at.astimezone(UTC).strftime('%Y-%m-%d %H:%M')} UTC)",
    ]
    # Ids, statuses and reasons come from imported files: whatever they hold, each line of the
    # ticket stays one line (a line break inside a value cannot add a line of its own).
    return "\n".join(one_line(line) for line in lines) + "\n"

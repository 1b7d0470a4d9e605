"""The ticket draft of a recorded refund case (plain text, ready to paste into the ticket form).

The ticket is rendered from the quote's JSON dict (:func:`refund_desk.policy.quote_to_dict`), the
same dict a case stores, so a stored case renders the same ticket years later, whatever the code
in force then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..policy import destination_label, format_cny
from ..policy.rules import KIND_WORDS, OUTCOME_WORDS, ROUTE_WORDS, RULES
from ..policy.timeutil import CHINA_TZ
from ..safetext import one_line

if TYPE_CHECKING:
    from ..store import OrderStore

DEMO_LINE = "*** DEMO DATA — made-up customer and orders for practice: do not submit ***"

ASKED_WORDS = {
    "ASSUMED-NOT-INVOICED": (
        "the customer was asked and said no invoice was issued and the order was bought on the "
        "official website, not the cloud marketplace"
    ),
    "ASSUMED-TZ": (
        "the customer was asked and confirmed the times read without a time zone (taken as "
        "China time)"
    ),
}
"""What the operator confirms for each open ``ASSUMED-*`` flag (release dialog and ticket)."""

_INPUT_WORDS = (
    ("invoiced", "invoice issued"),
    ("marketplace", "bought on the cloud marketplace"),
)


def open_assumptions(flags: Iterable[str] | None) -> tuple[str, ...]:
    """The ``ASSUMED-*`` flags among ``flags`` (a quote's ``flags`` or its dict's): what the
    quote took for granted and the customer must be asked about before a case is recorded."""
    return tuple(flag for flag in dict.fromkeys(flags or ()) if flag.startswith("ASSUMED-"))


def asked_words(flag: str) -> str:
    """What confirming ``flag`` with the customer means, in words (:data:`ASKED_WORDS`)."""
    return ASKED_WORDS.get(flag, f"the customer was asked ({_title(flag)})")


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
    """

    operator: str
    recorded_at: datetime
    confirmation: str | None = None
    case_id: int | None = None
    account_name: str | None = None
    demo: bool = False
    customer_asked: tuple[str, ...] = ()
    options: Mapping[str, Mapping[str, Any]] | None = None


def _operator_inputs(options: Mapping[str, Mapping[str, Any]] | None) -> list[str]:
    """The what-if inputs the operator set, one line each (defaults left out)."""
    lines = []
    for order_id, opt in sorted((options or {}).items()):
        for key, words in _INPUT_WORDS:
            if opt.get(key) is not None:
                lines.append(f"[order {order_id}] {words}: {'yes' if opt[key] else 'no'}")
        if opt.get("original_failed"):
            lines.append(f"[order {order_id}] original-method refund failed: yes (ROUTE-FALLBACK)")
        if opt.get("discount") not in (None, "1", "1.0", "1.00"):
            lines.append(f"[order {order_id}] discount factor for the used days: {opt['discount']}")
    return lines


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
        acknowledged with the customer, advice, what the operator checked (``ASSUMED-*`` flags
        confirmed with the customer, what-if inputs set) apart from what is still assumed or to
        be checked (every other flag), every rule id, the policy version, the operator and the
        time (China time and UTC); on demo data a DEMO DATA line first and last. Amounts in
        CNY. While the quote is not complete (``complete`` false, or ``blocking`` reasons in an
        older dict) it has no total: the ticket lists the blocking reasons and gives the sums
        only as "known so far", never as the refund.
    """
    cancel_at = datetime.fromisoformat(quote["cancel_at"])
    blocking = list(quote.get("blocking") or [])
    # Dicts stored before ``complete`` existed: incomplete exactly when something blocks.
    complete = bool(quote.get("complete", not blocking))
    outcome = OUTCOME_WORDS.get(quote["outcome"], quote["outcome"])
    if not complete:
        outcome += f" — NO TOTAL YET: {_blocked_words(blocking)} (see Blocked below)"
    account = quote.get("account_id") or "—"
    if context.account_name:
        account += f" ({context.account_name})"
    lines = [DEMO_LINE, ""] if context.demo else []
    lines += [
        "Refund request — IoT Platform instance",
        "=" * 38,
        f"Instance:      {quote['instance_id']} ({KIND_WORDS.get(quote['kind'], quote['kind'])})",
        f"Account:       {account}",
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
    asked = [flag for flag in quote["flags"] if flag in context.customer_asked]
    inputs = _operator_inputs(context.options)
    lines += ["", "Checked by the operator:"]
    for flag in asked:
        lines.append(f"  {flag} — {asked_words(flag)}")
    lines.extend(f"  {line}" for line in inputs)
    if not asked and not inputs:
        lines.append("  (nothing beyond the data above)")
    still = [flag for flag in quote["flags"] if flag not in context.customer_asked]
    if still:
        lines += ["", "Still assumed or to be checked (not confirmed):"]
        for flag in still:
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
    if context.demo:
        lines += ["", DEMO_LINE]
    # Ids, statuses and reasons come from imported files: whatever they hold, each line of the
    # ticket stays one line (a line break inside a value cannot add a line of its own).
    return "\n".join(one_line(line) for line in lines) + "\n"


def ticket_context(
    store: OrderStore,
    account_id: str | None,
    *,
    operator: str,
    recorded_at: datetime,
    confirmation: str | None = None,
    customer_asked: tuple[str, ...] = (),
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> TicketContext:
    """The :class:`TicketContext` of a case recorded now on ``store``: the account's name from
    the database and whether it is the demo database.

    Args:
        store: the open ``OrderStore``. account_id: the quote's account (None: unknown).
        operator / recorded_at / confirmation / customer_asked / options: as
            :class:`TicketContext`.
    """
    account = store.get_account(account_id) if account_id else None
    return TicketContext(
        operator=operator,
        recorded_at=recorded_at,
        confirmation=confirmation,
        account_name=account.name if account is not None else None,
        demo=store.role == "demo",
        customer_asked=tuple(customer_asked),
        options=options,
    )

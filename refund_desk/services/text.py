"""Plain-text rendering of a quote (CLI ``--format text``, tickets, training feedback)."""

from __future__ import annotations

from ..policy import Quote, destination_label, explain, format_cny
from ..policy.rules import OUTCOME_WORDS, RULES
from ..safetext import one_line


def id_line(rule_id: str) -> str:
    """``'WARN-RELEASE-DELETE — Instance released at once, all data deleted'``."""
    info = RULES.get(rule_id)
    return f"{rule_id} — {info.title}" if info else rule_id


def quote_as_text(q: Quote) -> str:
    """A readable multi-line summary of ``q``: outcome, orders, totals, ETA, warnings, flags and
    the rule trace with one sentence per step. Amounts in CNY with two decimals."""
    lines = [
        f"Instance {q.instance_id} ({q.kind.value}), account {q.account_id or '—'}",
        f"Cancellation {q.cancel_at.isoformat()} (China date {q.cancel_date.isoformat()})",
        f"Outcome: {OUTCOME_WORDS[q.outcome.value]}",
        f"Policy: {q.policy_id} v{q.policy_version}",
    ]
    for warning in q.warnings:
        lines.append(f"WARNING {id_line(warning)}")
    for advice in q.advice:
        lines.append(f"ADVICE {id_line(advice)}")
    for flag in q.flags:
        lines.append(f"CHECK {id_line(flag)}")
    for reason in q.blocking:
        lines.append(f"BLOCKED {reason}")
    if q.orders:
        lines.append("")
        lines.append("Orders:")
    for oq in q.orders:
        if oq.excluded:
            lines.append(f"  {oq.order_id} {oq.order_type}: excluded ({oq.excluded_detail})")
            continue
        assert oq.route is not None  # every order not excluded has its route (policy/model.py)
        fallback = (
            f"; fallback {destination_label(oq.fallback_destination)}"
            if oq.fallback_destination
            else ""
        )
        lines.append(
            f"  {oq.order_id} {oq.order_type}: refund CNY {format_cny(oq.refund)} to "
            f"{destination_label(oq.destination)} ({oq.route.value}{fallback}); consumed "
            f"{format_cny(oq.consumed)}, not refundable {format_cny(oq.not_refundable)}, "
            f"used {oq.used_days} of {oq.order_days} days; rules {', '.join(oq.rules)}"
        )
    if q.outcome.value == "refundable" and not q.complete:
        # A blocked order makes any sum partial: never print it as the refund.
        lines.append("")
        lines.append(f"NO TOTAL YET: {len(q.blocking)} blocked order(s), see BLOCKED above.")
        for dest, amount in sorted(q.by_destination.items()):
            lines.append(
                f"Known so far (NOT the refund), to {destination_label(dest)}: "
                f"CNY {format_cny(amount)}"
            )
    elif q.outcome.value == "refundable":
        lines.append("")
        for dest, amount in sorted(q.by_destination.items()):
            lines.append(f"To {destination_label(dest)}: CNY {format_cny(amount)}")
        lines.append(f"Total refund: CNY {format_cny(q.total_refund)}")
        lines.append(
            f"Not refundable (vouchers, coupons): CNY {format_cny(q.total_not_refundable)}"
        )
    if q.outcome.value == "refundable":
        if q.processed_by:
            lines.append(f"Expected processed by: {q.processed_by.isoformat()}")
        if q.credited_between:
            start, end = q.credited_between
            lines.append(f"Expected credited by the bank: {start.isoformat()} – {end.isoformat()}")
    lines.append("")
    lines.append("Rule trace:")
    for entry in q.trace:
        where = f" [{entry.order_id}]" if entry.order_id else ""
        lines.append(f"  {entry.rule_id}{where}: {explain(entry)}")
    # Values from imported files never add a line of their own (see safetext.one_line).
    return "\n".join(one_line(line) for line in lines) + "\n"

"""What already happened to the instance (RULES.md §7, revision 1.1): the outcome a refund or a
release imposes, and the open case that holds a new one. Read from
:class:`~refund_desk.policy.model.InstanceHistory`, part of the quote's input (the core stays
pure)."""

from __future__ import annotations

from datetime import datetime

from .model import CaseFact, InstanceHistory, Outcome
from .money import format_cny
from .timeutil import CHINA_TZ
from .trace import Trace


def _china(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(CHINA_TZ)


def _cny(amount) -> str:
    return "" if amount is None else format_cny(amount)


def _case_words(case: CaseFact) -> str:
    """``'case #7 (submitted, recorded by Ana on 2024-03-09 10:05 China time, CNY 764.00)'``."""
    amount = "amount not known" if case.total_refund is None else f"CNY {_cny(case.total_refund)}"
    when = case.recorded_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    return (
        f"case #{case.case_id} ({case.status}, recorded by {case.operator} on {when} China "
        f"time, {amount})"
    )


def history_outcome(history: InstanceHistory, trace: Trace) -> tuple[Outcome, str] | None:
    """``HISTORY-REFUNDED`` / ``HISTORY-RELEASED`` (RULES.md §7): the outcome the history
    imposes, with its rule id, or ``None``. A refund wins over a release (a refunded instance is
    released too). Each refund order and refunded case is recorded in ``trace``."""
    refunded_cases = history.refunded_cases
    if history.refund_orders or refunded_cases:
        for order in history.refund_orders:
            trace.add(
                "HISTORY-REFUNDED",
                order.order_id,
                source="refund order",
                related=order.related_order_id or "",
                when=_china(order.refunded_at) or "",
                amount=_cny(order.amount),
            )
        for case in refunded_cases:
            trace.add(
                "HISTORY-REFUNDED",
                None,
                source="case",
                case_id=case.case_id,
                operator=case.operator,
                when=_china(case.changed_at or case.recorded_at),
                amount=_cny(case.total_refund),
            )
        return Outcome.ALREADY_REFUNDED, "HISTORY-REFUNDED"
    if history.released:
        trace.add(
            "HISTORY-RELEASED",
            None,
            when=_china(history.release_time) or "",
            status=history.status or "",
        )
        return Outcome.RELEASED, "HISTORY-RELEASED"
    return None


def history_holds(
    history: InstanceHistory, trace: Trace, rules: dict[str, None]
) -> tuple[CaseFact | None, tuple[str, ...]]:
    """``HISTORY-OPEN-CASE`` and ``HISTORY-FALLBACK-DONE`` (RULES.md §7).

    Returns:
        ``(open case or None, reasons a new case must not be recorded)``: English phrases of a
        fixed shape (:func:`refund_desk.wording_phrases.blocking_words`); the figures stay a
        what-if. The ids applied are added to ``rules`` and ``trace``.
    """
    case = history.open_case
    if case is None:
        return None, ()
    reasons = [
        f"{_case_words(case)} is open for this instance: continue it in Cases; a new case "
        "cannot be recorded (HISTORY-OPEN-CASE)"
    ]
    rules["HISTORY-OPEN-CASE"] = None
    trace.add(
        "HISTORY-OPEN-CASE",
        None,
        case_id=case.case_id,
        status=case.status,
        operator=case.operator,
        when=_china(case.recorded_at),
        amount=_cny(case.total_refund),
    )
    if case.replaces_case_id is not None:
        reasons.append(
            f"case #{case.case_id} already replaces failed case #{case.replaces_case_id} "
            "(ROUTE-FALLBACK): a second replacement cannot be recorded (HISTORY-FALLBACK-DONE)"
        )
        rules["HISTORY-FALLBACK-DONE"] = None
        trace.add(
            "HISTORY-FALLBACK-DONE", None, case_id=case.case_id, replaces=case.replaces_case_id
        )
    return case, tuple(reasons)

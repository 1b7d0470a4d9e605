"""The fallback after a failed original-method refund (``ROUTE-FALLBACK``): the case is marked
``failed`` and its one drafted replacement, recomputed with every original-method order going to
the account balance, is recorded in the same transaction (``HISTORY-FALLBACK-DONE``: one failed
case, at most one replacement). The life cycle it belongs to is :mod:`.cases`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..errors import CaseError, CaseTransitionError, FallbackDoneError
from ..policy import OrderOptions, quote
from .case_drafts import add_entry, case_row, draft_ticket
from .cases import (
    FAILED,
    RecordedCase,
    allowed_statuses,
    asked_in,
    case_to_change,
    forbidden_change,
)

if TYPE_CHECKING:
    from ..store import OrderStore


def fallback_orders(quote_dict: dict[str, Any]) -> list[str]:
    """Order ids of a stored quote that go back by an original method with a fallback
    (``ROUTE-ORIGINAL`` to Alipay, online banking or an unlisted channel): the orders a failed
    original-method refund sends to the account balance (``ROUTE-FALLBACK``)."""
    return [
        o["order_id"]
        for o in quote_dict.get("orders", [])
        if o.get("route") == "original_method" and o.get("fallback_destination")
    ]


def recompute_original_failed(
    store: OrderStore,
    case_id: int,
    *,
    operator: str,
    reason: str,
    now: datetime | None = None,
) -> RecordedCase:
    """The original-method refund of case ``case_id`` failed: in ONE transaction, mark it
    ``failed`` with ``reason`` (compare-and-set from the status it is in) and record its one
    drafted replacement, recomputed with the fallback (``ROUTE-FALLBACK``: every order whose route
    was the original method now goes to the account balance).

    The replacement keeps the original cancellation time, what-if inputs, policy version and the
    customer's confirmation (the release was already agreed); its expected dates count from
    ``now`` (it is requested now: :func:`refund_desk.policy.dates_counted_from`); its ticket
    says which case it replaces and why that refund failed. Audited ``case.status`` (old),
    ``case.add`` and ``case.fallback`` (new).

    Returns:
        The new :class:`RecordedCase`.
    Raises:
        CaseError: unknown case, no reason, or no order of the case went by the original method.
        CaseTransitionError: the case is not drafted or submitted (refunded, failed), or another
            desk moved it first.
        FallbackDoneError: the case already has its replacement (``HISTORY-FALLBACK-DONE``).
        CaseTamperedError: the case's stored record no longer matches its audit trail (changed
            outside the desk); nothing changed.
        refund_desk.errors.UnknownInstanceError: the instance is no longer in the database.
    """
    from ..policy import dates_counted_from, get_policy

    if not reason.strip():
        raise CaseError("Say why the original-method refund failed.")
    old = case_to_change(store, case_id, operator)
    done = store.replacement_of(case_id)
    if done is not None:
        raise FallbackDoneError(case_id, done)
    if old.status == FAILED:
        raise CaseTransitionError(f"Case #{case_id} is already marked failed.")
    if FAILED not in allowed_statuses(old.status):
        raise CaseTransitionError(forbidden_change(old, FAILED))
    options = old.order_options()
    original = fallback_orders(old.quote)
    if not original:
        raise CaseError(
            f"Case #{case_id} has no order refunded by an original method other than the "
            "account balance: nothing falls back."
        )
    for order_id in original:
        options[order_id] = replace(options.get(order_id, OrderOptions()), original_failed=True)
    instance = store.instance_input(old.instance_id)
    # The replacement is quoted as if the failed case were already closed: it is, in the same
    # transaction that stores the replacement.
    history = replace(
        instance.history, cases=tuple(c for c in instance.history.cases if c.case_id != case_id)
    )
    policy = get_policy(old.policy_version, old.policy_id)
    new_quote = quote(replace(instance, history=history), old.cancel_at, options, policy=policy)
    reason_text = f"original-method refund failed: {reason.strip()}"
    operator = operator.strip()
    now = now or datetime.now(UTC)
    # Requested now, not at the cancellation: its dates count from now (never in the past).
    new_quote = dates_counted_from(new_quote, now, policy=policy)
    confirmation_text = ((old.confirmation_text or "") + f" Replaces case #{case_id}.").strip()
    quote_dict, ticket = draft_ticket(
        store,
        new_quote,
        operator,
        now,
        confirmation_text,
        asked_in(old.confirmation_text),
        replaces=(case_id, reason.strip()),
    )
    values = case_row(
        new_quote,
        quote_dict,
        ticket,
        operator=operator,
        confirmation_text=confirmation_text,
        confirmed_at=old.confirmed_at if old.confirmed else None,
    )
    fallback = {
        "replaces": case_id,
        "reason": reason.strip(),
        "orders_falling_back": original,
        "total_refund": str(new_quote.total_refund),
        "by_destination": {k: str(v) for k, v in sorted(new_quote.by_destination.items())},
    }
    case = store.fail_and_replace(
        case_id,
        old.status,
        reason_text,
        values,
        [("case.add", add_entry(new_quote)), ("case.fallback", fallback)],
        actor=operator,
    )
    return RecordedCase(case, created=True)

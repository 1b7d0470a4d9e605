"""What a new refund case is written from, shared by recording (:mod:`.cases`) and the fallback
replacement (:mod:`.fallback`): the quote's dict and ticket draft, the case row, and its
``case.add`` audit entry. Deciding whether a case may be recorded is not done here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..policy import Quote, quote_to_dict
from ..policy.serialize import options_to_json
from ..wording_rules import english_explain
from .case_tickets import ticket_context
from .tickets import render_ticket

if TYPE_CHECKING:
    from ..store import OrderStore

DRAFTED = "drafted"
"""The status every new case starts in (the same value as ``cases.DRAFTED``)."""


def draft_ticket(
    store: OrderStore,
    q: Quote,
    operator: str,
    now: datetime,
    confirmation_text: str | None,
    customer_asked: tuple[str, ...] = (),
    replaces: tuple[int, str] | None = None,
) -> tuple[dict[str, Any], str]:
    """The quote's dict and its ticket text: the account's name and DEMO DATA from ``store``,
    what the operator checked (``customer_asked``, the what-if inputs) apart from what is still
    assumed; for a replacement, the failed case and why (``replaces``).

    Args:
        store: the open store (account name, demo role).
        q: the quote the case is recorded from.
        operator: the operator's name, stripped.
        now: aware time of recording.
        confirmation_text: the stored acknowledgement sentence, or None.
        customer_asked: the ``ASSUMED-*`` flags the customer was asked about.
        replaces: ``(case id, reason)`` of the failed case a fallback replaces, or None.
    Returns:
        ``(quote dict with English explanations, ticket text)``.
    """
    quote_dict = quote_to_dict(q, explain=lambda entry: english_explain(entry, q.policy_version))
    ticket = render_ticket(
        quote_dict,
        ticket_context(
            store,
            q.account_id,
            operator=operator,
            recorded_at=now,
            confirmation=confirmation_text,
            customer_asked=customer_asked,
            options=options_to_json(q.options),
            replaces=replaces,
        ),
    )
    return quote_dict, ticket


def case_row(
    q: Quote,
    quote_dict: dict[str, Any],
    ticket: str,
    *,
    operator: str,
    confirmation_text: str | None,
    confirmed_at: datetime | None,
    confirmation_key: str | None = None,
) -> dict[str, Any]:
    """The column values of a new ``drafted`` case for ``q`` (``store.case_rows.case_values``):
    amounts in CNY, times aware, confirmed when ``confirmed_at`` is given."""
    from ..store.case_rows import case_values

    values, _ = case_values(
        instance_id=q.instance_id,
        account_id=q.account_id,
        status=DRAFTED,
        cancel_at=q.cancel_at,
        quote=quote_dict,
        policy_id=q.policy_id,
        policy_version=q.policy_version,
        outcome=q.outcome.value,
        total_refund=q.total_refund,
        confirmed=confirmed_at is not None,
        confirmed_at=confirmed_at,
        confirmation_text=confirmation_text,
        confirmation_key=confirmation_key,
        options=q.options,
        ticket_text=ticket,
        actor=operator,
    )
    return values


def add_entry(q: Quote) -> dict[str, Any]:
    """The ``case.add`` audit entry of a new case for ``q`` (total in CNY as a string, the
    what-if inputs as JSON)."""
    return {
        "instance_id": q.instance_id,
        "status": DRAFTED,
        "total_refund": str(q.total_refund),
        "options": options_to_json(q.options),
    }

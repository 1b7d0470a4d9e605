"""A refund case as a ``cases`` row and back: the row a new case is written as
(:func:`case_values`), the :class:`~.records.CaseRecord` a row is read as (:func:`case_from_row`)
and the policy core's :class:`~refund_desk.policy.CaseFact` of a stored case (:func:`case_fact`).
Pure mapping: no connection, no Qt. The bytes written here (``options_json``, ``quote_json``)
are hashed by the audit chain (:mod:`.audit_chain`): their shape never changes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Row

from ..policy.model import CaseFact, OrderOptions, Quote
from ..policy.money import to_fen
from ..policy.serialize import options_to_json, quote_to_dict
from .records import CaseRecord

DEFAULT_STATUS = "drafted"


def utcnow() -> datetime:
    """Now as aware UTC (the store's clock)."""
    return datetime.now(UTC)


def cny_of_fen(fen: int | None) -> Decimal | None:
    """Integer fen as stored → CNY ``Decimal`` with two places (``None`` stays ``None``)."""
    return None if fen is None else Decimal(fen).scaleb(-2)


def detail_json(detail: Mapping[str, Any] | None) -> str:
    """An audit entry's ``detail`` as the ``detail_json`` column stores it (sorted keys;
    Decimals and datetimes as strings)."""
    return json.dumps(detail or {}, ensure_ascii=False, default=str, sort_keys=True)


def case_from_row(row: Row | Mapping[str, Any]) -> CaseRecord:
    """A ``cases`` row → :class:`CaseRecord`."""
    r = row._mapping if isinstance(row, Row) else row
    return CaseRecord(
        case_id=r["case_id"],
        instance_id=r["instance_id"],
        account_id=r["account_id"],
        status=r["status"],
        status_reason=r["status_reason"],
        cancel_at=r["cancel_at"],
        policy_id=r["policy_id"],
        policy_version=r["policy_version"],
        outcome=r["outcome"],
        total_refund=cny_of_fen(r["total_refund_fen"]),
        confirmed=bool(r["confirmed"]),
        confirmed_at=r["confirmed_at"],
        confirmation_text=r["confirmation_text"],
        options=json.loads(r["options_json"]),
        quote=json.loads(r["quote_json"]),
        ticket_text=r["ticket_text"],
        actor=r["actor"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
        confirmation_key=r["confirmation_key"],
        replaces_case_id=r["replaces_case_id"],
        host=r.get("host"),
    )


def case_fact(case: CaseRecord) -> CaseFact:
    """A stored case as the policy core's :class:`CaseFact` (``HISTORY-*``)."""
    parts = (case.quote or {}).get("by_destination") or {}
    return CaseFact(
        case_id=case.case_id,
        status=case.status,
        operator=case.actor,
        recorded_at=case.created_at,
        total_refund=case.total_refund,
        by_destination=tuple((dest, Decimal(str(amount))) for dest, amount in parts.items()),
        changed_at=case.updated_at if case.updated_at != case.created_at else None,
        replaces_case_id=case.replaces_case_id,
    )


def case_values(
    *,
    instance_id: str,
    cancel_at: datetime,
    quote: Quote | Mapping[str, Any],
    actor: str,
    options: Mapping[str, OrderOptions] | None = None,
    confirmed: bool = False,
    confirmed_at: datetime | None = None,
    confirmation_text: str | None = None,
    confirmation_key: str | None = None,
    ticket_text: str | None = None,
    status: str = DEFAULT_STATUS,
    account_id: str | None = None,
    policy_id: str | None = None,
    policy_version: int | None = None,
    outcome: str | None = None,
    total_refund: Decimal | None = None,
    replaces_case_id: int | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``cases`` row of a new case (``created_at``/``updated_at`` left to the store) and
    the quote's JSON dict. ``quote`` is a ``Quote`` or its JSON dict. Raises ``ValueError``
    without a policy id and version."""
    if isinstance(quote, Quote):
        from ..wording_rules import english_explain

        version = quote.policy_version
        quote_dict = quote_to_dict(quote, explain=lambda entry: english_explain(entry, version))
        total_refund = total_refund if total_refund is not None else quote.total_refund
    else:
        quote_dict = dict(quote)
    # What the caller did not give comes from the quote (the dict says what the Quote says).
    account_id = account_id if account_id is not None else quote_dict.get("account_id")
    policy_id = policy_id or quote_dict.get("policy")
    policy_version = policy_version or quote_dict.get("policy_version")
    outcome = outcome or quote_dict.get("outcome")
    if total_refund is None and quote_dict.get("total_refund") is not None:
        total_refund = Decimal(str(quote_dict["total_refund"]))
    if not policy_id or not policy_version:
        raise ValueError("a refund case needs the policy id and version it was quoted under")
    for name, moment in (("cancel_at", cancel_at), ("confirmed_at", confirmed_at)):
        if moment is not None and moment.tzinfo is None:
            raise ValueError(f"naive {name} {moment!r}: the store keeps aware times only")
    values = {
        "instance_id": instance_id,
        "account_id": account_id,
        "status": status,
        "status_reason": None,
        "cancel_at": cancel_at,
        "policy_id": policy_id,
        "policy_version": int(policy_version),
        "outcome": outcome,
        "total_refund_fen": None if total_refund is None else to_fen(total_refund),
        "confirmed": bool(confirmed),
        "confirmed_at": confirmed_at,
        "confirmation_text": confirmation_text,
        "confirmation_key": confirmation_key,
        "options_json": json.dumps(options_to_json(options), sort_keys=True),
        "quote_json": json.dumps(quote_dict, ensure_ascii=False, default=str),
        "ticket_text": ticket_text,
        "actor": actor,
        "replaces_case_id": replaces_case_id,
    }
    return values, quote_dict

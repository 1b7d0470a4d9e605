"""Refund cases: record a confirmed case, move it through its statuses, recompute a failed
original-method refund with the fallback.

Rules enforced here (not only in the window):
- ``WARN-RELEASE-DELETE``: a case for an Enterprise instance is recorded only with a valid
  :class:`ReleaseConfirmation` (the customer was told and agreed; the operator typed the instance
  id);
- a quote with ``blocking`` reasons, or whose outcome is not refundable, is never recorded;
- one confirmation records one case: a second call with the same ``confirmation.key`` returns the
  case already recorded (double click, second press);
- a case is recorded for a cancellation that has happened: a cancellation time in the future is
  a what-if, never a case;
- a quote that still assumes something (``ASSUMED-*`` flags) is recorded only when the operator
  confirmed asking the customer about each of them.
Every change is written to the audit log with the operator's name and the policy version.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..errors import CaseError, DuplicateConfirmationError
from ..policy import OrderOptions, Quote, quote, quote_to_dict
from ..policy.timeutil import CHINA_TZ
from .tickets import open_assumptions, render_ticket, ticket_context

DRAFTED = "drafted"
SUBMITTED = "submitted"
REFUNDED = "refunded"
FAILED = "failed"
STATUSES = (DRAFTED, SUBMITTED, REFUNDED, FAILED)
"""Case statuses: drafted (ticket drafted), submitted (ticket sent), refunded, failed (with a
reason)."""

KEY_MARK = "[confirmation "
ASKED_MARK = "[customer asked: "


@dataclass(frozen=True, slots=True)
class ReleaseConfirmation:
    """What the operator confirmed in the release dialog (``WARN-RELEASE-DELETE``).

    Attributes:
        instance_id: the instance the dialog was about.
        told_and_agreed: the tick "the customer was told and agreed".
        typed_instance_id: what the operator typed (must equal ``instance_id``).
        zero_refund_told: the dialog also said the refund is 0.00 (``WARN-ZERO-REFUND``).
        key: one key per opened dialog; recording twice with it records one case.
        confirmed_at: aware time of the confirmation.
        customer_asked: the ``ASSUMED-*`` flags of the quote the operator confirmed asking the
            customer about (each one ticked in the dialog).
    """

    instance_id: str
    told_and_agreed: bool
    typed_instance_id: str
    zero_refund_told: bool = False
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    confirmed_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    customer_asked: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        """Ticked, and the typed id equals the instance id (surrounding spaces ignored)."""
        return self.told_and_agreed and self.typed_instance_id.strip() == self.instance_id

    def sentence(self, operator: str) -> str:
        """The acknowledgement as written on the case and the ticket."""
        zero = " and that the refund is 0.00" if self.zero_refund_told else ""
        when = self.confirmed_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
        asked = f" {ASKED_MARK}{', '.join(self.customer_asked)}]" if self.customer_asked else ""
        return (
            f"The customer was told that instance {self.instance_id} is released immediately and "
            f"all its data (products, devices, rules, stored data) permanently deleted with no "
            f"grace period{zero}, and agreed; confirmed by {operator} at {when} China time "
            f"{KEY_MARK}{self.key}]{asked}."
        )


def asked_in(confirmation_text: str | None) -> tuple[str, ...]:
    """The ``ASSUMED-*`` flags a stored confirmation sentence says the customer was asked
    about (:meth:`ReleaseConfirmation.sentence`)."""
    text = confirmation_text or ""
    start = text.find(ASKED_MARK)
    if start < 0:
        return ()
    end = text.find("]", start)
    listed = text[start + len(ASKED_MARK) : end if end >= 0 else None]
    return tuple(flag.strip() for flag in listed.split(",") if flag.strip())


@dataclass(frozen=True, slots=True)
class RecordedCase:
    """The result of :func:`record_case`: the stored case and whether this call created it."""

    case: Any  # refund_desk.store.records.CaseRecord
    created: bool

    @property
    def case_id(self) -> int:
        """The desk's case number."""
        return self.case.case_id

    @property
    def ticket_text(self) -> str:
        """The ticket draft stored with the case."""
        return self.case.ticket_text or ""


def needs_confirmation(q: Quote) -> bool:
    """True for an Enterprise instance (``KIND-ENTERPRISE`` → ``WARN-RELEASE-DELETE``)."""
    return q.kind.value == "enterprise"


def why_not_recordable(q: Quote) -> str | None:
    """Why no case can be recorded from ``q`` (plain words), or None when it can."""
    if q.outcome.value != "refundable":
        return (
            f"instance {q.instance_id} is {q.outcome.value.replace('_', ' ')}: there is no refund "
            "case and no ticket; give the customer the outcome and the advice"
        )
    if q.blocking:
        return "the quote is blocked: " + "; ".join(q.blocking)
    return None


def options_to_json(options: dict[str, OrderOptions]) -> dict[str, dict[str, Any]]:
    """What-if inputs → the JSON shape a case stores (discount as a string)."""
    return {
        order_id: {
            "invoiced": opt.invoiced,
            "marketplace": opt.marketplace,
            "original_failed": opt.original_failed,
            "discount": str(opt.discount),
        }
        for order_id, opt in sorted(options.items())
    }


def _add_drafted_case(
    store,
    q: Quote,
    *,
    operator: str,
    now: datetime,
    confirmation_text: str | None,
    confirmed_at: datetime | None,
    confirmation_key: str | None = None,
    customer_asked: tuple[str, ...] = (),
) -> int:
    """Render the ticket of ``q`` and store it as a new drafted case; returns the case id.
    Raises ``DuplicateConfirmationError`` when ``confirmation_key`` recorded a case already."""
    quote_dict = quote_to_dict(q)
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
        ),
    )
    return store.add_case(
        instance_id=q.instance_id,
        account_id=q.account_id,
        status=DRAFTED,
        cancel_at=q.cancel_at,
        policy_id=q.policy_id,
        policy_version=q.policy_version,
        outcome=q.outcome.value,
        total_refund=q.total_refund,
        confirmed=confirmed_at is not None,
        confirmed_at=confirmed_at,
        confirmation_text=confirmation_text,
        confirmation_key=confirmation_key,
        options=options_to_json(q.options),
        quote=quote_dict,
        ticket_text=ticket,
        actor=operator,
    )


def record_case(
    store,
    q: Quote,
    confirmation: ReleaseConfirmation | None,
    *,
    operator: str,
    now: datetime | None = None,
) -> RecordedCase:
    """Record a refund case for the quote ``q``, with its ticket draft and an audit entry.

    Args:
        store: an open :class:`refund_desk.store.OrderStore`.
        q: the quote the operator acted on (its ``options`` are stored to recompute it later).
        confirmation: the release confirmation; required for an Enterprise instance.
        operator: the operator's name (ticket and audit).
        now: aware time of recording (default now).
    Returns:
        :class:`RecordedCase`; ``created`` is False when this confirmation already recorded a case
        (that case is returned, nothing new is written).
    Raises:
        CaseError: not refundable, blocked, confirmation missing/invalid or for another instance,
            cancellation time after ``now``, an ``ASSUMED-*`` flag the customer was not asked
            about, or no operator name.
    """
    reason = why_not_recordable(q)
    if reason:
        raise CaseError(f"Cannot record a case: {reason}.")
    if not operator.strip():
        raise CaseError("Cannot record a case without the operator's name.")
    now = now or datetime.now(UTC)
    if q.cancel_at > now:
        raise CaseError(
            "Cannot record a case: the cancellation time "
            f"{q.cancel_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M} China time is in the future. "
            "A future time is a what-if; record the case once the instance is cancelled."
        )
    if needs_confirmation(q):
        if confirmation is None:
            raise CaseError(
                "Cannot record a case: the customer's agreement to the release and deletion "
                "(WARN-RELEASE-DELETE) was not confirmed."
            )
        if confirmation.instance_id != q.instance_id:
            raise CaseError(
                f"Cannot record a case: the confirmation is for {confirmation.instance_id}, "
                f"not {q.instance_id}."
            )
        if not confirmation.valid:
            raise CaseError(
                "Cannot record a case: tick that the customer was told and agreed, and type the "
                "instance id exactly."
            )
        if q.total_refund == 0 and not confirmation.zero_refund_told:
            raise CaseError(
                "Cannot record a case: the refund is 0.00 and the customer was not told so "
                "(WARN-ZERO-REFUND)."
            )
    not_asked = [
        flag
        for flag in open_assumptions(q.flags)
        if confirmation is None or flag not in confirmation.customer_asked
    ]
    if not_asked:
        raise CaseError(
            "Cannot record a case: confirm that the customer was asked about "
            f"{', '.join(not_asked)} (the quote still assumes it)."
        )
    operator = operator.strip()
    confirmation_text = confirmation.sentence(operator) if confirmation else None
    # One confirmation records one case: the store keeps the confirmation key under a unique
    # index, so a second press, another thread or another desk on the same database gets the
    # case already recorded instead of a second one.
    if confirmation is not None:
        existing = store.case_by_confirmation_key(confirmation.key)
        if existing is not None:
            return RecordedCase(existing, created=False)
    try:
        case_id = _add_drafted_case(
            store,
            q,
            operator=operator,
            now=now,
            confirmation_text=confirmation_text,
            confirmed_at=confirmation.confirmed_at if confirmation else None,
            confirmation_key=confirmation.key if confirmation else None,
            customer_asked=confirmation.customer_asked if confirmation else (),
        )
    except DuplicateConfirmationError as dup:  # lost a race with another press or desk
        return RecordedCase(store.get_case(dup.case_id), created=False)
    # The store audits "case.add"; this entry says what the customer acknowledged.
    store.audit(
        operator,
        "case.confirm",
        "case",
        str(case_id),
        q.policy_version,
        policy_id=q.policy_id,
        detail={
            "instance_id": q.instance_id,
            "total_refund": str(q.total_refund),
            "by_destination": {k: str(v) for k, v in sorted(q.by_destination.items())},
            "warnings_acknowledged": list(q.warnings),
            "confirmation_key": confirmation.key if confirmation else None,
            "rules": list(q.all_ids),
        },
    )
    case = store.get_case(case_id)
    return RecordedCase(case, created=True)


def set_status(store, case_id: int, status: str, *, operator: str, reason: str | None = None):
    """Move case ``case_id`` to ``status`` (one of :data:`STATUSES`) and audit it.

    Raises:
        CaseError: unknown status, unknown case, or ``failed`` without a reason.
    Returns:
        The updated case record.
    """
    if status not in STATUSES:
        raise CaseError(f"Unknown case status {status!r}; use one of {', '.join(STATUSES)}.")
    if status == FAILED and not (reason or "").strip():
        raise CaseError("A failed case needs a reason.")
    if store.get_case(case_id) is None:
        raise CaseError(f"No case #{case_id}.")
    store.set_case_status(case_id, status, (reason or "").strip() or None, operator)
    return store.get_case(case_id)


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
    store,
    case_id: int,
    *,
    operator: str,
    reason: str,
    now: datetime | None = None,
) -> RecordedCase:
    """The original-method refund of case ``case_id`` failed: mark it ``failed`` with ``reason``
    and record a new drafted case recomputed with the fallback (``ROUTE-FALLBACK``: every order
    whose route was the original method now goes to the account balance).

    The new case keeps the original cancellation time, what-if inputs, policy version and the
    customer's confirmation (the release was already agreed); its ticket says it replaces the
    failed case.

    Returns:
        The new :class:`RecordedCase`.
    Raises:
        CaseError: unknown case, no reason, or no order of the case went by the original method.
        refund_desk.errors.UnknownInstanceError: the instance is no longer in the database.
    """
    from ..policy import get_policy

    if not reason.strip():
        raise CaseError("Say why the original-method refund failed.")
    old = store.get_case(case_id)
    if old is None:
        raise CaseError(f"No case #{case_id}.")
    if old.status == FAILED:
        raise CaseError(f"Case #{case_id} is already marked failed.")
    options = old.order_options()
    original = fallback_orders(old.quote)
    if not original:
        raise CaseError(
            f"Case #{case_id} has no order refunded by an original method other than the "
            "account balance: nothing falls back."
        )
    for order_id in original:
        base = options.get(order_id, OrderOptions())
        options[order_id] = OrderOptions(
            invoiced=base.invoiced,
            marketplace=base.marketplace,
            original_failed=True,
            discount=base.discount,
        )
    instance = store.instance_input(old.instance_id)
    new_quote = quote(
        instance, old.cancel_at, options, policy=get_policy(old.policy_version, old.policy_id)
    )
    now = now or datetime.now(UTC)
    # The replacement first: if it cannot be stored, the failed case stays as it was and the
    # operator can try again (marking it failed first would leave it failed with no successor).
    new_id = _add_drafted_case(
        store,
        new_quote,
        operator=operator,
        now=now,
        confirmation_text=((old.confirmation_text or "") + f" Replaces case #{case_id}.").strip(),
        confirmed_at=old.confirmed_at if old.confirmed else None,
        customer_asked=asked_in(old.confirmation_text),
    )
    set_status(
        store,
        case_id,
        FAILED,
        operator=operator,
        reason=f"original-method refund failed: {reason.strip()}",
    )
    store.audit(
        operator,
        "case.fallback",
        "case",
        str(new_id),
        new_quote.policy_version,
        policy_id=new_quote.policy_id,
        detail={
            "replaces": case_id,
            "reason": reason.strip(),
            "orders_falling_back": original,
            "total_refund": str(new_quote.total_refund),
            "by_destination": {k: str(v) for k, v in sorted(new_quote.by_destination.items())},
        },
    )
    return RecordedCase(store.get_case(new_id), created=True)

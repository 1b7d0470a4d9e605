"""The one home of the refund case life cycle: record a confirmed case, move it through its
statuses; the recompute of a failed original-method refund with the fallback is in
:mod:`.fallback`.

    drafted → submitted → refunded
    drafted | submitted → failed (with a reason)
    drafted | submitted → failed "original-method refund failed" + exactly one drafted
                          replacement to the account balance (ROUTE-FALLBACK)

``refunded``, ``failed`` and ``duplicate`` are final. Rules enforced here, whoever calls (window,
CLI, script), and backed by the database:

- ``WARN-RELEASE-DELETE``: a case for an Enterprise instance is recorded only with a valid
  :class:`ReleaseConfirmation` (the customer was told and agreed; the operator typed the id);
- a quote that is blocked, not refundable, already refunded or released (``HISTORY-REFUNDED``,
  ``HISTORY-RELEASED``) is never recorded;
- one instance, at most one open case (``HISTORY-OPEN-CASE``): refused here in words, and by a
  partial unique index when two desks press at the same moment;
- one confirmation records one case: a retry with the same ``confirmation.key`` (second press,
  retry after a crash, another desk) returns the case already recorded;
- recording writes the case, ``case.add`` and ``case.confirm`` in ONE transaction; every
  transition is one compare-and-set with its audit entry in the same transaction;
- one failed case, at most one replacement (``HISTORY-FALLBACK-DONE``);
- a case is recorded for a cancellation that has happened: a cancellation time in the future is
  a what-if, never a case;
- a quote that still assumes something (``ASSUMED-*`` flags) is recorded only when the operator
  confirmed asking the customer about each of them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..errors import (
    CaseError,
    CaseTransitionError,
    DuplicateConfirmationError,
)
from ..policy import NotRecordable, Quote
from ..policy.timeutil import CHINA_TZ
from ..wording import current_language
from .acknowledgement import open_assumptions
from .case_drafts import DRAFTED, add_entry, case_row, draft_ticket

if TYPE_CHECKING:
    from ..store import OrderStore
    from ..store.records import CaseRecord

SUBMITTED = "submitted"
REFUNDED = "refunded"
FAILED = "failed"
DUPLICATE = "duplicate"
STATUSES = (DRAFTED, SUBMITTED, REFUNDED, FAILED)
"""Case statuses an operator sets: drafted (ticket drafted), submitted (ticket sent), refunded,
failed (with a reason). ``duplicate`` marks a case closed by the 0004 upgrade (final)."""
OPEN_STATUSES = (DRAFTED, SUBMITTED)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    DRAFTED: (SUBMITTED, FAILED),
    SUBMITTED: (REFUNDED, FAILED),
    REFUNDED: (),
    FAILED: (),
    DUPLICATE: (),
}
"""The allowed status changes (every other one is refused): a refund arrives only after the
ticket was submitted; refunded, failed and duplicate are final."""

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


def allowed_statuses(status: str) -> tuple[str, ...]:
    """The statuses a case in ``status`` may move to (:data:`TRANSITIONS`)."""
    return TRANSITIONS.get(status, ())


def why_not_recordable(q: Quote) -> str | None:
    """Why no case can be recorded from ``q``, in plain words (the interface language; the
    refund history in English), or ``None`` when it can.

    The decision is the policy core's (:attr:`refund_desk.policy.Quote.not_recordable`, RULES.md
    §7 and the blocking reasons); this only words its code.
    """
    from ..wording import _
    from ..wording_phrases import blocking_words
    from ..wording_rules import outcome_words

    code = q.not_recordable
    if code is None:
        return None
    if code is NotRecordable.ALREADY_REFUNDED:
        return (
            f"instance {q.instance_id} was already refunded (HISTORY-REFUNDED): "
            + "; ".join(_refund_words(q))
            + "; no new case may be recorded"
        )
    if code is NotRecordable.RELEASED:
        return _(
            "instance {instance_id} is released (HISTORY-RELEASED): nothing can be refunded and "
            "no case may be recorded"
        ).format(instance_id=q.instance_id)
    if code is NotRecordable.NOT_REFUNDABLE:
        outcome = (
            q.outcome.value.replace("_", " ")
            if current_language() == "en"
            else outcome_words(q.outcome.value)
        )
        return _(
            "instance {instance_id} is {outcome}: there is no refund case and no ticket; give the "
            "customer the outcome and the advice"
        ).format(instance_id=q.instance_id, outcome=outcome)
    if code is NotRecordable.BLOCKED:
        return _("the quote is blocked: {reasons}").format(
            reasons=_("; ").join(blocking_words(r) for r in q.blocking)
        )
    return _("; ").join(blocking_words(r) for r in q.history_blocking)


def _refund_words(q: Quote) -> list[str]:
    from ..policy import format_cny
    from ..policy.timeutil import CHINA_TZ as _TZ

    words = []
    for order in q.history.refund_orders:
        when = f" on {order.refunded_at.astimezone(_TZ):%Y-%m-%d}" if order.refunded_at else ""
        words.append(f"refund order {order.order_id}{when}")
    for case in q.history.refunded_cases:
        amount = "" if case.total_refund is None else f", CNY {format_cny(case.total_refund)}"
        words.append(f"case #{case.case_id} marked refunded{amount}")
    return words


def record_case(
    store: OrderStore,
    q: Quote,
    confirmation: ReleaseConfirmation | None,
    *,
    operator: str,
    now: datetime | None = None,
) -> RecordedCase:
    """Record a refund case for the quote ``q``: the case with its ticket draft, its ``case.add``
    entry and its ``case.confirm`` entry (what the customer acknowledged), in ONE transaction.

    Args:
        store: an open :class:`refund_desk.store.OrderStore`.
        q: the quote the operator acted on (its ``options`` are stored to recompute it later;
            its history must say no refund, no release and no open case).
        confirmation: the release confirmation; required for an Enterprise instance.
        operator: the operator's name (ticket and audit).
        now: aware time of recording (default now).
    Returns:
        :class:`RecordedCase`; ``created`` is False when this confirmation already recorded a
        case (that case is returned, nothing new is written): a second press, a retry after a
        crash, another desk with the same dialog's key.
    Raises:
        CaseError: not refundable, blocked, already refunded, released, an open case in the
            quote's history, confirmation missing/invalid or for another instance, a
            cancellation time after ``now``, an ``ASSUMED-*`` flag the customer was not asked
            about, no operator.
        OpenCaseExistsError: another desk recorded a case for the instance meanwhile (refused by
            the database; the error names that case, its operator, date and amount).
        CaseTransitionError: a case of the instance was marked refunded meanwhile.
    Implements: RULES.md §1 ``WARN-RELEASE-DELETE``, §4 ``WARN-ZERO-REFUND``, §7.
    """
    if not operator.strip():
        raise CaseError("Cannot record a case without the operator's name.")
    # One confirmation records one case: a retry with this key finds the case it recorded,
    # before any rule is judged again (the open case then is that very case).
    if confirmation is not None:
        existing = store.case_by_confirmation_key(confirmation.key)
        if existing is not None:
            return RecordedCase(existing, created=False)
    reason = why_not_recordable(q)
    if reason:
        raise CaseError(f"Cannot record a case: {reason}.")
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
    now = now or datetime.now(UTC)
    if q.cancel_at > now:
        raise CaseError(
            "Cannot record a case: the cancellation time "
            f"{q.cancel_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M} China time is in the future. "
            "A future time is a what-if; record the case once the instance is cancelled."
        )
    operator = operator.strip()
    confirmation_text = confirmation.sentence(operator) if confirmation else None
    asked = confirmation.customer_asked if confirmation else ()
    quote_dict, ticket = draft_ticket(store, q, operator, now, confirmation_text, asked)
    values = case_row(
        q,
        quote_dict,
        ticket,
        operator=operator,
        confirmation_text=confirmation_text,
        confirmed_at=confirmation.confirmed_at if confirmation else None,
        confirmation_key=confirmation.key if confirmation else None,
    )
    confirm = {
        "instance_id": q.instance_id,
        "total_refund": str(q.total_refund),
        "by_destination": {k: str(v) for k, v in sorted(q.by_destination.items())},
        "warnings_acknowledged": list(q.warnings),
        "confirmation_key": confirmation.key if confirmation else None,
        "rules": list(q.all_ids),
    }
    try:
        case = store.insert_case(
            values, [("case.add", add_entry(q)), ("case.confirm", confirm)], actor=operator
        )
    except DuplicateConfirmationError as dup:  # lost a race with another press or desk
        return RecordedCase(store.get_case(dup.case_id), created=False)
    return RecordedCase(case, created=True)


def set_status(
    store: OrderStore, case_id: int, status: str, *, operator: str, reason: str | None = None
) -> CaseRecord | None:
    """Move case ``case_id`` to ``status`` if :data:`TRANSITIONS` allows it from the status it
    is in, as one compare-and-set with its ``case.status`` audit entry.

    Raises:
        CaseError: unknown status, unknown case, ``failed`` without a reason, no operator.
        CaseTransitionError: the change is not allowed from the case's status (e.g. refunded
            back to drafted), or another desk moved the case first (nothing changed).
        CaseTamperedError: the case's stored record no longer matches its audit trail (changed
            outside the desk); nothing changed.
    Returns:
        The updated case record.
    """
    if status not in STATUSES:
        raise CaseError(f"Unknown case status {status!r}; use one of {', '.join(STATUSES)}.")
    if status == FAILED and not (reason or "").strip():
        raise CaseError("A failed case needs a reason.")
    case = case_to_change(store, case_id, operator)
    if status not in allowed_statuses(case.status):
        raise CaseTransitionError(forbidden_change(case, status))
    if not store.compare_and_set_status(
        case_id, case.status, status, (reason or "").strip() or None, operator.strip()
    ):
        now = store.get_case(case_id)
        raise CaseTransitionError(
            f"Case #{case_id} was changed meanwhile (it is now {now.status if now else 'gone'}, "
            f"not {case.status}): nothing was changed. Look at it again."
        )
    return store.get_case(case_id)


def case_to_change(store: OrderStore, case_id: int, operator: str) -> CaseRecord:
    """Case ``case_id``, about to be changed by ``operator`` (status change or fallback).

    Raises:
        CaseError: no operator, no such case.
    """
    if not operator.strip():
        raise CaseError("Cannot change a case without the operator's name.")
    case = store.get_case(case_id)
    if case is None:
        raise CaseError(f"No case #{case_id}.")
    return case


def forbidden_change(case: CaseRecord, status: str) -> str:
    """Why ``case`` may not become ``status``, in words (:data:`TRANSITIONS`)."""
    allowed = allowed_statuses(case.status)
    if not allowed:
        return f"Case #{case.case_id} is {case.status}, which is final: it cannot become {status}."
    return (
        f"Case #{case.case_id} is {case.status}: it cannot become {status} (from "
        f"{case.status} only {' or '.join(allowed)})."
    )

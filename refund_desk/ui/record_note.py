"""What the simulator's Record button and the note under it say for a quote: whether a case can
be recorded from it now, and why not (no Qt here; the panel shows it).

The reasons, first that applies: Record is held off by the desk (e.g. the database is offline);
another desk just recorded a case of the instance (heard live, ``HISTORY-OPEN-CASE``); the quote's
history holds an open case; the outcome is not a refund; an order is blocked (no total yet); the
cancellation time is in the future (what-if only).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..wording import _, ngettext


@dataclass(frozen=True, slots=True)
class RecordState:
    """The Record button's state: ``enabled``, and ``note``, the words under it."""

    enabled: bool
    note: str


def record_state(q, *, block: str | None, elsewhere, clock: Callable[[], datetime]) -> RecordState:
    """Whether a case can be recorded from the quote ``q`` now, and the note that says so.

    Args:
        q: the shown :class:`~refund_desk.policy.Quote`.
        block: why the desk keeps Record off whatever the quote says, or None.
        elsewhere: another desk's open case of the instance heard live (a
            :class:`refund_desk.services.live.CaseChange`), or None.
        clock: now (aware), asked only when the rest allows recording.
    Returns:
        The :class:`RecordState`; the note in the window's language (the live case's note in
        English, as the live box above it).
    """
    from ..policy.model import NotRecordable
    from ..services.cases import why_not_recordable
    from ..services.text import blocked_orders_words, blocking_reasons

    code = q.not_recordable  # the core's one decision; the note only words it
    if block:
        return RecordState(False, block)
    if elsewhere is not None:
        e = elsewhere
        desk = f" on desk {e.host}" if e.host else " on another desk"
        return RecordState(
            False,
            f"Cannot be recorded: case #{e.case_id} was just recorded{desk} by "
            f"{e.operator or 'another operator'} (see above); continue it in Cases (Ctrl+2).",
        )
    if code is NotRecordable.HISTORY_BLOCKED and q.open_case is not None:
        return RecordState(
            False,
            _(
                "Cannot be recorded: case #{case_id} is open for this instance (see above); "
                "continue it in Cases (Ctrl+2)."
            ).format(case_id=q.open_case.case_id),
        )
    if code in (
        NotRecordable.ALREADY_REFUNDED,
        NotRecordable.RELEASED,
        NotRecordable.NOT_REFUNDABLE,
    ):
        # The note sits between the outcome (above) and the advice box (below it).
        return RecordState(
            False,
            _(
                "No refund case and no ticket for this instance: give the customer the "
                "outcome above and the advice below."
            )
            if q.advice
            else _(
                "No refund case and no ticket for this instance: give the customer the "
                "outcome above."
            ),
        )
    if code is NotRecordable.BLOCKED:
        return RecordState(
            False,
            ngettext(
                "Cannot be recorded, and there is no total to give the customer, until the "
                "{blocked} is resolved: see BLOCKED below.",
                "Cannot be recorded, and there is no total to give the customer, until the "
                "{blocked} are resolved: see BLOCKED below.",
                len(blocking_reasons(q)),
            ).format(blocked=blocked_orders_words(q)),
        )
    if code is not None:  # a history block without an open case: the services' words
        return RecordState(
            False, _("Cannot be recorded: {reason}.").format(reason=why_not_recordable(q))
        )
    if q.cancel_at > clock():
        return RecordState(
            False,
            _(
                "What-if only: this cancellation time is in the future. A case is recorded for "
                "a cancellation that has happened — type the actual time (or now) to record it."
            ),
        )
    return RecordState(
        True,
        _(
            "Recording asks you to confirm that the customer was told about the release and "
            "agreed (Ctrl+R)."
        ),
    )


def elsewhere_html(change) -> str:
    """The live box's words for another desk's open case of the shown instance (a
    :class:`refund_desk.services.live.CaseChange`), as rich text (``HISTORY-OPEN-CASE``)."""
    from .quote_format import china_time

    when = f", {china_time(change.at)} China time" if change.at else ""
    desk = f" on desk {change.host}" if change.host else ""
    return (
        "<b>"
        + html.escape(
            f"JUST RECORDED ON ANOTHER DESK — case #{change.case_id} ({change.status}) "
            f"by {change.operator or 'another operator'}{desk}{when}."
        )
        + "</b><br>"
        + html.escape(
            f"Instance {change.instance_id} now has an open case (HISTORY-OPEN-CASE): a "
            "new case cannot be recorded here. Continue that case in Cases (Ctrl+2)."
        )
    )

"""The ticket of a recorded case on a store: the context a case is recorded with (the account's
name, demo or not), the language its ticket is drafted in, and its ticket in another language
drafted again from the stored quote. The ticket text itself is rendered by
:func:`refund_desk.services.tickets.render_ticket`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import wording
from ..policy.timeutil import CHINA_TZ
from .tickets import TicketContext, render_ticket

if TYPE_CHECKING:
    from ..store import OrderStore
    from ..store.records import CaseRecord


def ticket_context(
    store: OrderStore,
    account_id: str | None,
    *,
    operator: str,
    recorded_at: datetime,
    confirmation: str | None = None,
    customer_asked: tuple[str, ...] = (),
    options: Mapping[str, Mapping[str, Any]] | None = None,
    replaces: tuple[int, str] | None = None,
) -> TicketContext:
    """The :class:`TicketContext` of a case recorded now on ``store``: the account's name from
    the database and whether it is the demo database.

    Args:
        store: the open ``OrderStore``. account_id: the quote's account (None: unknown).
        operator / recorded_at / confirmation / customer_asked / options / replaces: as
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
        replaces=replaces,
    )


TICKET_LANGUAGE_AUTO = "auto"


def ticket_language_for(region: str | None, preference: str = TICKET_LANGUAGE_AUTO) -> str:
    """The language a ticket is drafted in by default, whatever the window's.

    Args:
        region: the instance's region (``cn-shanghai``…; None when the data has none).
        preference: the operator's setting: ``"auto"`` (default), ``"zh_CN"`` or ``"en"``.
    Returns:
        ``preference`` when it names a language; for ``"auto"``: ``"zh_CN"`` for an instance
        on Alibaba Cloud's China site (a ``cn-*`` region: the ticket goes to the Chinese ticket
        system), else ``"en"``.
    """
    if preference in wording.LANGUAGES:
        return preference
    return wording.ZH_CN if (region or "").lower().startswith("cn-") else wording.EN


_RECORDED = re.compile(r"^Recorded: +(\d{4}-\d\d-\d\d \d\d:\d\d) China time", re.M)


def _recorded_at(case: CaseRecord) -> datetime:
    """The time the case's ticket says it was recorded (the service's clock when it was
    recorded), else the row's creation time."""
    m = _RECORDED.search(case.ticket_text or "")
    if m is None:
        return case.created_at
    return datetime.strptime(m[1], "%Y-%m-%d %H:%M").replace(tzinfo=CHINA_TZ)


def case_ticket(store: OrderStore, case: CaseRecord, lang: str) -> str:
    """The ticket of a recorded case in ``lang``.

    English is the ticket stored with the case, exactly as recorded. Another language renders
    the stored quote dict with the case's own operator, time, acknowledgement and what-if
    inputs (as :func:`refund_desk.services.cases.record_case` did), in that language.

    Args:
        store: the open ``OrderStore`` (the account's name, demo or not).
        case: a ``CaseRecord``.
        lang: ``"zh_CN"`` or ``"en"``.
    Raises:
        ValueError: an unknown language.
    """
    if wording.translator(lang).lang == wording.EN:
        return case.ticket_text or ""
    from .cases import asked_in

    context = ticket_context(
        store,
        case.account_id,
        operator=case.actor,
        recorded_at=_recorded_at(case),
        confirmation=case.confirmation_text,
        customer_asked=asked_in(case.confirmation_text),
        options=case.options,
    )
    return render_ticket(case.quote, context, lang)

"""The quote engine: an instance and its orders → a :class:`~refund_desk.policy.model.Quote`.

Implements RULES.md (``iot-platform-refund`` v1 and later versions through
:class:`~refund_desk.policy.definition.PolicyDefinition`). Pure Python: no I/O, no clock (the
caller passes the cancellation time).

:func:`quote` composes the steps, each in its module: what already happened to the instance
(:mod:`.history`, §7), the instance kind (§1, here), each order's dates, route and amount
(:mod:`.orders`, §2–§4), the expected dates (:mod:`.eta`, §5). Every step records the ids it
applied in one :class:`~.trace.Trace`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import NamedTuple

from .calendar import BusinessCalendar, china_calendar
from .definition import ONLINE_BANKING, PolicyDefinition, get_policy, policy_in_force
from .eta import beyond_schedule, expected_dates
from .history import history_holds, history_outcome
from .model import (
    Exclusion,
    InstanceInput,
    InstanceKind,
    OrderInput,
    OrderOptions,
    OrderQuote,
    Outcome,
    Quote,
    Route,
    TraceEntry,
)
from .money import ZERO
from .orders import excluded_quote, exclusion, quote_order
from .rules import EXCLUDED
from .timeutil import CHINA_TZ, china_date
from .trace import ADVICE_ORDER, FLAG_ORDER, WARNING_ORDER, Applied, Trace, sorted_ids

_DEFAULT_OPTIONS = OrderOptions()
_ONE = Decimal(1)


class QuoteError(ValueError):
    """The request cannot be quoted (naive cancellation time, bad discount factor, …)."""


class _Request(NamedTuple):
    """What is quoted: the instance, when, under which policy, with which what-if inputs."""

    instance: InstanceInput
    cancel_at: datetime
    cancel_date: date
    policy: PolicyDefinition
    options: dict[str, OrderOptions]


def _merge(applied: Applied, oq: OrderQuote) -> None:
    """Take into the instance's ids those an order's own steps applied (already traced)."""
    applied.rules.update(dict.fromkeys(oq.rules))
    applied.flags.extend(oq.flags)
    applied.advice.extend(oq.advice)


def quote(
    instance: InstanceInput,
    cancel_at: datetime,
    options: Mapping[str, OrderOptions] | None = None,
    *,
    policy: PolicyDefinition | None = None,
    cancel_at_assumed_tz: bool = False,
    calendar: BusinessCalendar | None = None,
) -> Quote:
    """Quote the refund of ``instance`` if it were cancelled at ``cancel_at``.

    Args:
        instance: the instance, its kind and all its orders (any order; the quote sorts them by
            payment time, then order id).
        cancel_at: the cancellation time, timezone-aware (judged in China time, ``TIME-ZONE``).
        options: what-if inputs per order id (invoice issued, marketplace, original-method refund
            failed, discount factor). Missing orders take the defaults.
        policy: the policy version; default the one in force on the cancellation date.
        cancel_at_assumed_tz: the operator typed the time without an offset (flag ``ASSUMED-TZ``).
        calendar: business-day calendar (default the shared mainland China calendar).
    Returns:
        A :class:`Quote`: outcome, per-order route/destination/amounts with rule ids and flags,
        totals per destination, warnings, advice, ETA and the rule trace.
    Raises:
        QuoteError: ``cancel_at`` is naive, ``options`` names an order the instance does not
            have, a discount factor is not in ``(0, 1]``, or every order was paid after
            ``cancel_at``.
    Implements: RULES.md §1–§5 (``KIND-*``, ``METHOD-TICKET``, ``TIME-ZONE``, ``DATE-*``,
        ``ROUTE-*``, ``AMOUNT-*``, ``ETA-*``, ``WARN-*``, ``ADVICE-*`` and flags) and §7 from
        ``instance.history``: a refund order or a case marked refunded gives the outcome
        ``already_refunded`` (``HISTORY-REFUNDED``), a release ``released``
        (``HISTORY-RELEASED``), both without amounts; an open case (``HISTORY-OPEN-CASE``,
        and ``HISTORY-FALLBACK-DONE`` when it is a fallback replacement) leaves the figures as a
        what-if and fills ``history_blocking``.
    """
    request = _checked(instance, cancel_at, options, policy)
    applied = Applied(Trace())
    if cancel_at_assumed_tz:
        applied.flag("ASSUMED-TZ", what="cancellation time")

    decided = history_outcome(instance.history, applied.trace)
    if decided is not None:
        outcome, rule_id = decided
        applied.rules[rule_id] = None
        return _assemble(request, outcome, applied)
    if instance.kind is InstanceKind.OLD_PUBLIC:
        applied.rule("KIND-OLD-PUBLIC")
        applied.advise("ADVICE-DISABLE-DEVICES")
        return _assemble(request, Outcome.NOT_REFUNDABLE, applied)
    if instance.kind is not InstanceKind.ENTERPRISE:
        applied.rule("KIND-NEW-PUBLIC")
        return _assemble(request, Outcome.NOTHING_TO_REFUND, applied)

    applied.rule("KIND-ENTERPRISE")
    applied.rule("METHOD-TICKET")
    applied.warn("WARN-RELEASE-DELETE")
    orders, blocking = _quote_orders(request, applied)
    included = [oq for oq in orders if oq.excluded is None]
    # While an order is blocked (missing data, several instances) the total is not known yet:
    # "the refund is 0.00" would be wrong there; the blocking reasons say what to do instead.
    if sum((oq.refund for oq in included), ZERO) == ZERO and not blocking:
        applied.warn("WARN-ZERO-REFUND", orders=len(included))
    eta = _eta(request, included, calendar or china_calendar(), applied)
    return _assemble(request, Outcome.REFUNDABLE, applied, orders, blocking, eta)


def _checked(
    instance: InstanceInput,
    cancel_at: datetime,
    options: Mapping[str, OrderOptions] | None,
    policy: PolicyDefinition | None,
) -> _Request:
    """The request, checked. Raises :class:`QuoteError` (see :func:`quote`)."""
    if cancel_at.tzinfo is None:
        raise QuoteError("the cancellation time must carry a time zone")
    options = dict(options or {})
    unknown = sorted(set(options) - {o.order_id for o in instance.orders})
    if unknown:
        raise QuoteError(f"no order {', '.join(unknown)} on instance {instance.instance_id}")
    for order_id, opt in options.items():
        if not (Decimal(0) < opt.discount <= _ONE):
            raise QuoteError(
                f"discount factor of order {order_id} must be in (0, 1]: {opt.discount}"
            )
    cancel_date = cancel_at.astimezone(CHINA_TZ).date()
    policy = policy or policy_in_force(cancel_date)
    return _Request(instance, cancel_at, cancel_date, policy, options)


def _order_sort_key(order: OrderInput):
    moment = order.payment_time or datetime.max.replace(tzinfo=UTC)
    return (moment, order.order_id)


def _quote_orders(
    request: _Request, applied: Applied
) -> tuple[tuple[OrderQuote, ...], tuple[str, ...]]:
    """Every order quoted or left out (RULES.md §2–§4), by payment time then order id, and the
    reasons the quote is blocked (missing data, several instances).

    Raises:
        QuoteError: every order was paid after the cancellation.
    """
    order_quotes: list[OrderQuote] = []
    blocking: list[str] = []
    for order in sorted(request.instance.orders, key=_order_sort_key):
        excluded = exclusion(order, request.policy, request.cancel_at)
        if excluded is None:
            options = request.options.get(order.order_id, _DEFAULT_OPTIONS)
            oq = quote_order(
                order,
                request.cancel_at,
                request.cancel_date,
                options,
                request.policy,
                applied.trace,
            )
            order_quotes.append(oq)
            _merge(applied, oq)
            continue
        reason, detail = excluded
        order_flags = ("DATA-MISSING",) if reason is Exclusion.DATA_MISSING else ()
        applied.trace.add(EXCLUDED, order.order_id, reason=reason.value, detail=detail)
        if order_flags:
            applied.trace.add("DATA-MISSING", order.order_id, detail=detail)
            blocking.append(f"order {order.order_id}: {detail}; import it before a ticket")
        if reason is Exclusion.SEVERAL_INSTANCES:
            blocking.append(f"order {order.order_id} {detail}: escalate, the money cannot be split")
        order_quotes.append(excluded_quote(order, reason, detail, order_flags))
        applied.flags.extend(order_flags)

    if (
        not blocking
        and all(oq.excluded is not None for oq in order_quotes)
        and any(oq.excluded is Exclusion.PAID_AFTER_CANCELLATION for oq in order_quotes)
    ):
        orders = request.instance.orders
        first = min(o.payment_time for o in orders if o.payment_time is not None)
        raise QuoteError(
            f"the cancellation {request.cancel_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M} China time "
            f"is before the instance's first payment ({first.astimezone(CHINA_TZ):%Y-%m-%d %H:%M})"
        )
    return tuple(order_quotes), tuple(blocking)


def _eta(
    request: _Request, included: list[OrderQuote], calendar: BusinessCalendar, applied: Applied
) -> tuple[date, tuple[date, date] | None]:
    """RULES.md §5 from the cancellation date: ``ETA-PROCESS``, ``ETA-BANK`` when an
    online-banking refund goes back the original way, ``ETA-CALENDAR-ESTIMATE``."""
    policy, cancel_date = request.policy, request.cancel_date
    bank = any(
        oq.route is Route.ORIGINAL_METHOD and oq.destination == ONLINE_BANKING and oq.refund > 0
        for oq in included
    )
    processed_by, credited_between = expected_dates(cancel_date, policy, calendar, bank=bank)
    applied.rule(
        "ETA-PROCESS",
        cancel_date=cancel_date,
        days=policy.process_business_days,
        processed_by=processed_by,
    )
    if credited_between is not None:
        low, high = policy.bank_business_days
        start, end = credited_between
        applied.rule("ETA-BANK", low=low, high=high, start=start, end=end)
    if beyond_schedule(processed_by, credited_between, policy):
        applied.flag("ETA-CALENDAR-ESTIMATE", last_year=policy.last_published_holiday_year)
    return processed_by, credited_between


def _assemble(
    request: _Request,
    outcome: Outcome,
    applied: Applied,
    orders: tuple[OrderQuote, ...] = (),
    blocking: tuple[str, ...] = (),
    eta: tuple[date | None, tuple[date, date] | None] = (None, None),
) -> Quote:
    """The :class:`Quote`, once the history's holds (``HISTORY-OPEN-CASE``…) are applied; the
    totals are the sums of the included orders' figures."""
    instance = request.instance
    open_case, held = history_holds(instance.history, applied.trace, applied.rules)
    included = [oq for oq in orders if oq.excluded is None]
    by_destination: dict[str, Decimal] = {}
    for oq in included:
        by_destination[oq.destination] = by_destination.get(oq.destination, ZERO) + oq.refund
    return Quote(
        instance_id=instance.instance_id,
        kind=instance.kind,
        account_id=instance.account_id,
        outcome=outcome,
        cancel_at=request.cancel_at,
        cancel_date=request.cancel_date,
        orders=orders,
        by_destination=by_destination,
        total_refund=sum((oq.refund for oq in included), ZERO),
        total_not_refundable=sum((oq.not_refundable for oq in included), ZERO),
        total_consumed=sum((oq.consumed for oq in included), ZERO),
        warnings=sorted_ids(applied.warnings, WARNING_ORDER),
        advice=sorted_ids(applied.advice, ADVICE_ORDER),
        flags=sorted_ids(applied.flags, FLAG_ORDER),
        rules=tuple(applied.rules),
        trace=tuple(applied.trace.entries),
        processed_by=eta[0],
        credited_between=eta[1],
        blocking=blocking,
        policy_id=request.policy.policy_id,
        policy_version=request.policy.version,
        options=request.options,
        history=instance.history,
        open_case=open_case,
        history_blocking=held,
    )


def dates_counted_from(q: Quote, requested_at: datetime, *, policy=None, calendar=None) -> Quote:
    """``q`` with its expected dates counted from a later request instead of the cancellation.

    A replacement case (``ROUTE-FALLBACK``) is requested when the original-method refund
    failed, after the cancellation: its refund is processed from that request, so
    ``ETA-PROCESS`` (and ``ETA-BANK``) count from ``requested_at``'s China date, or from the
    cancellation date when that is later (RULES.md §5, *desk decision*). Amounts, routes and
    every other rule are unchanged.

    Args:
        q: the recomputed quote. requested_at: aware time the replacement is recorded.
        policy: the policy definition (default: the one ``q`` was quoted under).
        calendar: business-day calendar (default :func:`china_calendar`).
    Returns:
        A new :class:`Quote` (``processed_by``, ``credited_between``, their trace entries with
        ``requested_on``, ``ETA-CALENDAR-ESTIMATE`` when the new dates need it).
    Raises:
        ValueError: ``requested_at`` is naive.
    """
    if q.processed_by is None:
        return q
    if policy is None:
        policy = get_policy(q.policy_version, q.policy_id)
    start = max(china_date(requested_at), q.cancel_date)
    if start == q.cancel_date:
        return q
    processed_by, credited_between = expected_dates(
        start, policy, calendar or china_calendar(), bank=q.credited_between is not None
    )
    trace = []
    for entry in q.trace:
        if entry.rule_id == "ETA-PROCESS":
            entry = TraceEntry(
                "ETA-PROCESS",
                None,
                (
                    ("cancel_date", q.cancel_date),
                    ("requested_on", start),
                    ("days", policy.process_business_days),
                    ("processed_by", processed_by),
                ),
            )
        elif entry.rule_id == "ETA-BANK" and credited_between is not None:
            facts = dict(entry.facts)
            facts.update(start=credited_between[0], end=credited_between[1])
            entry = TraceEntry("ETA-BANK", None, tuple(facts.items()))
        trace.append(entry)
    flags = q.flags
    if beyond_schedule(processed_by, credited_between, policy) and (
        "ETA-CALENDAR-ESTIMATE" not in flags
    ):
        flags = sorted_ids((*flags, "ETA-CALENDAR-ESTIMATE"), FLAG_ORDER)
        trace.append(
            TraceEntry(
                "ETA-CALENDAR-ESTIMATE",
                None,
                (("last_year", policy.last_published_holiday_year),),
            )
        )
    return replace(
        q,
        processed_by=processed_by,
        credited_between=credited_between,
        trace=tuple(trace),
        flags=flags,
    )

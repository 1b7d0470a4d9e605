"""The quote engine: an instance and its orders → a :class:`~refund_desk.policy.model.Quote`.

Implements RULES.md (``iot-platform-refund`` v1 and later versions through
:class:`~refund_desk.policy.definition.PolicyDefinition`). Pure Python: no I/O, no clock (the
caller passes the cancellation time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, localcontext
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from .calendar import BusinessCalendar, china_calendar
from .definition import (
    ACCOUNT_BALANCE,
    ONLINE_BANKING,
    PolicyDefinition,
    get_policy,
    policy_in_force,
)
from .model import (
    CaseFact,
    Exclusion,
    InstanceHistory,
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
from .money import ZERO, format_cny, round_down_fen, round_up_fen
from .timeutil import CHINA_TZ, china_date

_DAY = timedelta(days=1)
_DEFAULT_OPTIONS = OrderOptions()
_ONE = Decimal(1)

# Stable display order of instance-level ids.
WARNING_ORDER = ("WARN-RELEASE-DELETE", "WARN-ZERO-REFUND")
ADVICE_ORDER = ("ADVICE-DISABLE-DEVICES", "ADVICE-RETURN-INVOICE")
FLAG_ORDER = (
    "DATA-MISSING",
    "BORDERLINE-CUTOFF",
    "BORDERLINE-WINDOW",
    "CHANNEL-UNLISTED",
    "ASSUMED-TZ",
    "ASSUMED-NOT-INVOICED",
    "ETA-CALENDAR-ESTIMATE",
)


class QuoteError(ValueError):
    """The request cannot be quoted (naive cancellation time, bad discount factor)."""


def _sorted_ids(ids: Iterable[str], order: tuple[str, ...]) -> tuple[str, ...]:
    present = set(ids)
    return tuple(i for i in order if i in present) + tuple(sorted(present - set(order)))


@lru_cache(maxsize=8192)
def _months_after(day: date, months: int) -> date:
    # relativedelta is the slowest step of a quote; payment dates repeat a lot.
    return day + relativedelta(months=months)


def _periods_floor(span: timedelta) -> int:
    return span // _DAY


def _periods_ceil(span: timedelta) -> int:
    whole, rest = divmod(span, _DAY)
    return whole + (1 if rest else 0)


class _Trace:
    __slots__ = ("entries", "rules")

    def __init__(self) -> None:
        self.entries: list[TraceEntry] = []
        self.rules: dict[str, None] = {}

    def add(self, rule_id: str, order_id: str | None = None, **facts: object) -> None:
        # Facts keep their raw values; they become text only when explained.
        self.entries.append(TraceEntry(rule_id, order_id, tuple(facts.items())))


def _excluded(order: OrderInput, reason: Exclusion, detail: str, flags=()) -> OrderQuote:
    return OrderQuote(
        order_id=order.order_id,
        order_type=order.order_type,
        route=None,
        destination=None,
        fallback_route=None,
        fallback_destination=None,
        refund=ZERO,
        consumed=ZERO,
        consumed_exact=ZERO,
        basis=ZERO,
        not_refundable=ZERO,
        used_days=None,
        order_days=None,
        payment_date=None,
        days_since_payment=None,
        window_end=None,
        months_end=None,
        usage_start=order.usage_start,
        usage_end=order.usage_end,
        rules=(),
        flags=tuple(flags),
        advice=(),
        excluded=reason,
        excluded_detail=detail,
    )


def _exclusion(order: OrderInput, policy: PolicyDefinition, cancel_at: datetime):
    if order.payment_status != "Paid":
        return Exclusion.UNPAID, f"payment status {order.payment_status}"
    if order.currency != policy.currency:
        return Exclusion.OTHER_CURRENCY, f"currency {order.currency}, policy {policy.currency}"
    if len(order.instance_ids) > 1:
        return Exclusion.SEVERAL_INSTANCES, "names instances " + ", ".join(order.instance_ids)
    missing = [
        name
        for name, value in (
            ("payment breakdown", order.breakdown),
            ("payment channel", order.channel),
            ("payment time", order.payment_time),
            ("usage start", order.usage_start),
            ("usage end", order.usage_end),
            ("list price", order.list_price),
        )
        if value is None
    ]
    if missing:
        return Exclusion.DATA_MISSING, "missing " + ", ".join(missing)
    if order.payment_time > cancel_at:
        # Desk decision: a what-if cancellation before an order was paid cannot refund it.
        paid = order.payment_time.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
        return Exclusion.PAID_AFTER_CANCELLATION, f"paid {paid} China time, after the cancellation"
    return None


def _quote_order(
    order: OrderInput,
    cancel_at: datetime,
    cancel_date: date,
    options: OrderOptions,
    policy: PolicyDefinition,
    trace: _Trace,
) -> OrderQuote:
    oid = order.order_id
    rules: list[str] = ["TIME-ZONE"]
    flags: list[str] = []
    advice: list[str] = []
    if order.assumed_tz:
        flags.append("ASSUMED-TZ")
        trace.add("ASSUMED-TZ", oid)

    # --- Time: DATE-CUTOFF and DATE-WINDOW on China-time calendar dates.
    payment_date = order.payment_time.astimezone(CHINA_TZ).date()
    trace.add(
        "TIME-ZONE",
        oid,
        paid_utc=order.payment_time.astimezone(UTC),
        paid_china=order.payment_time.astimezone(CHINA_TZ),
    )
    after_cutoff = payment_date > policy.cutoff_date
    rules.append("DATE-CUTOFF")
    trace.add(
        "DATE-CUTOFF",
        oid,
        paid=payment_date,
        cutoff=policy.cutoff_date,
        after=after_cutoff,
    )
    if payment_date == policy.cutoff_date:
        flags.append("BORDERLINE-CUTOFF")
        trace.add("BORDERLINE-CUTOFF", oid, paid=payment_date)

    days = (cancel_date - payment_date).days
    within_days = days <= policy.window_days
    months_end = _months_after(payment_date, policy.window_months)
    within_months = cancel_date <= months_end
    window_end = payment_date + timedelta(days=policy.window_days)
    rules.append("DATE-WINDOW")
    trace.add(
        "DATE-WINDOW",
        oid,
        days=days,
        limit=policy.window_days,
        within=within_days,
        window_end=window_end,
    )
    if within_days != within_months:
        flags.append("BORDERLINE-WINDOW")
        trace.add(
            "BORDERLINE-WINDOW",
            oid,
            days=days,
            months=policy.window_months,
            months_end=months_end,
            within_days=within_days,
        )

    # --- Route (RULES.md §3, checked in order).
    invoiced = options.invoiced if options.invoiced is not None else order.invoiced
    marketplace = options.marketplace if options.marketplace is not None else order.marketplace
    fallback_route: Route | None = None
    fallback_destination: str | None = None
    if not after_cutoff or not within_days:
        route, destination = Route.ACCOUNT_BALANCE, ACCOUNT_BALANCE
        rules.append("ROUTE-LATE")
        trace.add(
            "ROUTE-LATE",
            oid,
            reason="paid on or before the cut-off" if not after_cutoff else "window passed",
            days=days,
        )
    else:
        # RULES.md §3: until set, "no invoice, official website" is assumed and said, whenever
        # the fact not set could change the route (an invoice matters only off the marketplace;
        # the marketplace only once an invoice was issued).
        unknown = None
        if invoiced is None and marketplace is None:
            unknown = "invoice and marketplace"
        elif invoiced is None and not marketplace:
            unknown = "invoice"
        elif invoiced and marketplace is None:
            unknown = "marketplace"
        if unknown is not None:
            flags.append("ASSUMED-NOT-INVOICED")
            trace.add("ASSUMED-NOT-INVOICED", oid, unknown=unknown)
        if invoiced and not marketplace:
            route, destination = Route.ACCOUNT_BALANCE, ACCOUNT_BALANCE
            rules.append("ROUTE-INVOICED")
            advice.append("ADVICE-RETURN-INVOICE")
            trace.add("ROUTE-INVOICED", oid)
            trace.add("ADVICE-RETURN-INVOICE", oid)
        else:
            destination, listed = policy.destination_for(order.channel)
            route = Route.ORIGINAL_METHOD
            rules.append("ROUTE-ORIGINAL")
            trace.add(
                "ROUTE-ORIGINAL",
                oid,
                channel=order.channel,
                destination=destination,
                marketplace=bool(marketplace),
            )
            if not listed:
                flags.append("CHANNEL-UNLISTED")
                trace.add("CHANNEL-UNLISTED", oid, channel=order.channel)
            if destination == ACCOUNT_BALANCE:
                fallback_route, fallback_destination = None, None
            else:
                fallback_route, fallback_destination = Route.ACCOUNT_BALANCE, ACCOUNT_BALANCE
            if options.original_failed and destination != ACCOUNT_BALANCE:
                route, destination = Route.ACCOUNT_BALANCE, ACCOUNT_BALANCE
                fallback_route, fallback_destination = None, None
                rules.append("ROUTE-FALLBACK")
                trace.add("ROUTE-FALLBACK", oid, channel=order.channel)

    # --- Amount (RULES.md §4).
    breakdown = order.breakdown
    basis = breakdown.basis
    rules.append("AMOUNT-BASIS")
    trace.add(
        "AMOUNT-BASIS",
        oid,
        cash=breakdown.cash,
        prepaid_card=breakdown.prepaid_card,
        voucher=breakdown.voucher,
        coupon=breakdown.coupon,
        basis=basis,
    )
    order_days = max(1, _periods_floor(order.usage_end - order.usage_start))
    if cancel_at < order.usage_start:
        used_days = 0
        consumed_exact = Decimal(0)
        rules.append("AMOUNT-PENDING-RENEWAL")
        trace.add(
            "AMOUNT-PENDING-RENEWAL",
            oid,
            usage_start=order.usage_start.astimezone(CHINA_TZ),
            basis=basis,
            order_type=order.order_type,
        )
    else:
        used_days = min(order_days, max(1, _periods_ceil(cancel_at - order.usage_start)))
        discount = options.discount
        # Multiply before dividing: when the exact result is a whole fen (e.g. the period has
        # ended, used_days == order_days) the division is exact and no rounding creeps in.
        with localcontext() as ctx:
            ctx.prec = 50
            consumed_exact = (
                order.list_price * used_days * discount * policy.product_coefficient / order_days
            )
        rules.append("AMOUNT-CONSUMED")
        trace.add(
            "AMOUNT-CONSUMED",
            oid,
            list_price=order.list_price,
            order_days=order_days,
            used_days=used_days,
            discount=discount,
            consumed=round_up_fen(consumed_exact),
            ended=cancel_at >= order.usage_end,
        )
    refund = round_down_fen(max(Decimal(0), basis - consumed_exact))
    consumed = round_up_fen(consumed_exact)
    rules.append("AMOUNT-ROUNDING")
    trace.add("AMOUNT-ROUNDING", oid, refund=refund, consumed=consumed, exact=consumed_exact)

    return OrderQuote(
        order_id=oid,
        order_type=order.order_type,
        route=route,
        destination=destination,
        fallback_route=fallback_route,
        fallback_destination=fallback_destination,
        refund=refund,
        consumed=consumed,
        consumed_exact=consumed_exact,
        basis=basis,
        not_refundable=breakdown.not_refundable,
        used_days=used_days,
        order_days=order_days,
        payment_date=payment_date,
        days_since_payment=days,
        window_end=window_end,
        months_end=months_end,
        usage_start=order.usage_start,
        usage_end=order.usage_end,
        rules=tuple(rules),
        flags=tuple(flags),
        advice=tuple(advice),
    )


def _china(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(CHINA_TZ)


def _case_words(case: CaseFact) -> str:
    """``'case #7 (submitted, recorded by Ana on 2024-03-09 10:05 China time, CNY 764.00)'``."""
    amount = (
        "amount not known"
        if case.total_refund is None
        else (f"CNY {format_cny(case.total_refund)}")
    )
    when = case.recorded_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    return (
        f"case #{case.case_id} ({case.status}, recorded by {case.operator} on {when} China "
        f"time, {amount})"
    )


def _history_outcome(history: InstanceHistory, trace: _Trace) -> tuple[Outcome, str] | None:
    """``HISTORY-REFUNDED`` / ``HISTORY-RELEASED`` (RULES.md §7): the outcome the history
    imposes, with its rule id, or ``None``. A refund wins over a release (a refunded instance is
    released too)."""
    refunded_cases = history.refunded_cases
    if history.refund_orders or refunded_cases:
        for order in history.refund_orders:
            trace.add(
                "HISTORY-REFUNDED",
                order.order_id,
                source="refund order",
                related=order.related_order_id or "",
                when=_china(order.refunded_at) or "",
                amount="" if order.amount is None else format_cny(order.amount),
            )
        for case in refunded_cases:
            trace.add(
                "HISTORY-REFUNDED",
                None,
                source="case",
                case_id=case.case_id,
                operator=case.operator,
                when=_china(case.changed_at or case.recorded_at),
                amount="" if case.total_refund is None else format_cny(case.total_refund),
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


def _history_holds(
    history: InstanceHistory, trace: _Trace, rules: dict[str, None]
) -> tuple[CaseFact | None, tuple[str, ...]]:
    """``HISTORY-OPEN-CASE`` and ``HISTORY-FALLBACK-DONE``: the open case and the reasons a new
    case must not be recorded (the figures stay a what-if)."""
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
        amount="" if case.total_refund is None else format_cny(case.total_refund),
    )
    if case.replaces_case_id is not None:
        reasons.append(
            f"case #{case.case_id} already replaces failed case #{case.replaces_case_id} "
            "(ROUTE-FALLBACK): a second replacement cannot be recorded (HISTORY-FALLBACK-DONE)"
        )
        rules["HISTORY-FALLBACK-DONE"] = None
        trace.add(
            "HISTORY-FALLBACK-DONE",
            None,
            case_id=case.case_id,
            replaces=case.replaces_case_id,
        )
    return case, tuple(reasons)


def _order_sort_key(order: OrderInput):
    moment = order.payment_time or datetime.max.replace(tzinfo=UTC)
    return (moment, order.order_id)


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
        QuoteError: ``cancel_at`` is naive, or a discount factor is not in ``(0, 1]``.
    Implements: RULES.md §1–§5 (``KIND-*``, ``METHOD-TICKET``, ``TIME-ZONE``, ``DATE-*``,
        ``ROUTE-*``, ``AMOUNT-*``, ``ETA-*``, ``WARN-*``, ``ADVICE-*`` and flags) and §7 from
        ``instance.history``: a refund order or a case marked refunded gives the outcome
        ``already_refunded`` (``HISTORY-REFUNDED``), a release ``released``
        (``HISTORY-RELEASED``), both without amounts; an open case (``HISTORY-OPEN-CASE``,
        and ``HISTORY-FALLBACK-DONE`` when it is a fallback replacement) leaves the figures as a
        what-if and fills ``history_blocking``.
    """
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
    trace = _Trace()
    warnings: list[str] = []
    advice: list[str] = []
    flags: list[str] = []
    rules: dict[str, None] = {}
    blocking: list[str] = []
    if cancel_at_assumed_tz:
        flags.append("ASSUMED-TZ")
        trace.add("ASSUMED-TZ", None, what="cancellation time")

    def base(outcome: Outcome, kind_rule: str) -> dict:
        rules[kind_rule] = None
        return dict(
            instance_id=instance.instance_id,
            kind=instance.kind,
            account_id=instance.account_id,
            outcome=outcome,
            cancel_at=cancel_at,
            cancel_date=cancel_date,
            policy_id=policy.policy_id,
            policy_version=policy.version,
            options=options,
            history=instance.history,
        )

    decided = _history_outcome(instance.history, trace)
    if decided is not None:
        outcome, rule_id = decided
        fields = base(outcome, rule_id)
        open_case, held = _history_holds(instance.history, trace, rules)
        return Quote(
            **fields,
            orders=(),
            by_destination={},
            total_refund=ZERO,
            total_not_refundable=ZERO,
            total_consumed=ZERO,
            warnings=(),
            advice=(),
            flags=_sorted_ids(flags, FLAG_ORDER),
            rules=tuple(rules),
            trace=tuple(trace.entries),
            processed_by=None,
            credited_between=None,
            blocking=(),
            open_case=open_case,
            history_blocking=held,
        )

    if instance.kind is not InstanceKind.ENTERPRISE:
        if instance.kind is InstanceKind.OLD_PUBLIC:
            fields = base(Outcome.NOT_REFUNDABLE, "KIND-OLD-PUBLIC")
            trace.add("KIND-OLD-PUBLIC")
            advice.append("ADVICE-DISABLE-DEVICES")
            trace.add("ADVICE-DISABLE-DEVICES")
        else:
            fields = base(Outcome.NOTHING_TO_REFUND, "KIND-NEW-PUBLIC")
            trace.add("KIND-NEW-PUBLIC")
        open_case, held = _history_holds(instance.history, trace, rules)
        return Quote(
            **fields,
            orders=(),
            by_destination={},
            total_refund=ZERO,
            total_not_refundable=ZERO,
            total_consumed=ZERO,
            warnings=(),
            advice=tuple(advice),
            flags=_sorted_ids(flags, FLAG_ORDER),
            rules=tuple(rules),
            trace=tuple(trace.entries),
            processed_by=None,
            credited_between=None,
            blocking=(),
            open_case=open_case,
            history_blocking=held,
        )

    fields = base(Outcome.REFUNDABLE, "KIND-ENTERPRISE")
    trace.add("KIND-ENTERPRISE")
    rules["METHOD-TICKET"] = None
    trace.add("METHOD-TICKET")
    warnings.append("WARN-RELEASE-DELETE")
    trace.add("WARN-RELEASE-DELETE")

    order_quotes: list[OrderQuote] = []
    for order in sorted(instance.orders, key=_order_sort_key):
        excluded = _exclusion(order, policy, cancel_at)
        if excluded is not None:
            reason, detail = excluded
            order_flags = ("DATA-MISSING",) if reason is Exclusion.DATA_MISSING else ()
            trace.add("EXCLUDED", order.order_id, reason=reason.value, detail=detail)
            if order_flags:
                trace.add("DATA-MISSING", order.order_id, detail=detail)
                blocking.append(f"order {order.order_id}: {detail}; import it before a ticket")
            if reason is Exclusion.SEVERAL_INSTANCES:
                blocking.append(
                    f"order {order.order_id} {detail}: escalate, the money cannot be split"
                )
            order_quotes.append(_excluded(order, reason, detail, order_flags))
            flags.extend(order_flags)
            continue
        oq = _quote_order(
            order,
            cancel_at,
            cancel_date,
            options.get(order.order_id, _DEFAULT_OPTIONS),
            policy,
            trace,
        )
        order_quotes.append(oq)
        for r in oq.rules:
            rules[r] = None
        flags.extend(oq.flags)
        advice.extend(oq.advice)

    included = [oq for oq in order_quotes if oq.excluded is None]
    if (
        not included
        and not blocking
        and any(oq.excluded is Exclusion.PAID_AFTER_CANCELLATION for oq in order_quotes)
    ):
        first = min(o.payment_time for o in instance.orders if o.payment_time is not None)
        raise QuoteError(
            f"the cancellation {cancel_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M} China time is "
            f"before the instance's first payment ({first.astimezone(CHINA_TZ):%Y-%m-%d %H:%M})"
        )
    by_destination: dict[str, Decimal] = {}
    for oq in included:
        by_destination[oq.destination] = by_destination.get(oq.destination, ZERO) + oq.refund
    total_refund = sum((oq.refund for oq in included), ZERO)
    total_not_refundable = sum((oq.not_refundable for oq in included), ZERO)
    total_consumed = sum((oq.consumed for oq in included), ZERO)
    # While an order is blocked (missing data, several instances) the total is not known yet:
    # "the refund is 0.00" would be wrong there; the blocking reasons say what to do instead.
    if total_refund == ZERO and not blocking:
        warnings.append("WARN-ZERO-REFUND")
        trace.add("WARN-ZERO-REFUND", None, orders=len(included))

    # --- ETA (RULES.md §5).
    cal = calendar or china_calendar()
    processed_by = cal.add_business_days(cancel_date, policy.process_business_days)
    rules["ETA-PROCESS"] = None
    trace.add(
        "ETA-PROCESS",
        None,
        cancel_date=cancel_date,
        days=policy.process_business_days,
        processed_by=processed_by,
    )
    last_eta = processed_by
    credited_between = None
    if any(
        oq.route is Route.ORIGINAL_METHOD and oq.destination == ONLINE_BANKING and oq.refund > 0
        for oq in included
    ):
        low, high = policy.bank_business_days
        credited_between = (
            cal.add_business_days(processed_by, low),
            cal.add_business_days(processed_by, high),
        )
        last_eta = credited_between[1]
        rules["ETA-BANK"] = None
        trace.add(
            "ETA-BANK",
            None,
            low=low,
            high=high,
            start=credited_between[0],
            end=credited_between[1],
        )
    if last_eta.year > policy.last_published_holiday_year:
        flags.append("ETA-CALENDAR-ESTIMATE")
        trace.add("ETA-CALENDAR-ESTIMATE", None, last_year=policy.last_published_holiday_year)
    open_case, held = _history_holds(instance.history, trace, rules)

    return Quote(
        **fields,
        orders=tuple(order_quotes),
        by_destination=by_destination,
        total_refund=total_refund,
        total_not_refundable=total_not_refundable,
        total_consumed=total_consumed,
        warnings=_sorted_ids(warnings, WARNING_ORDER),
        advice=_sorted_ids(advice, ADVICE_ORDER),
        flags=_sorted_ids(flags, FLAG_ORDER),
        rules=tuple(rules),
        trace=tuple(trace.entries),
        processed_by=processed_by,
        credited_between=credited_between,
        blocking=tuple(blocking),
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
    from dataclasses import replace

    if q.processed_by is None:
        return q
    if policy is None:
        policy = get_policy(q.policy_version, q.policy_id)
    start = max(china_date(requested_at), q.cancel_date)
    if start == q.cancel_date:
        return q
    cal = calendar or china_calendar()
    processed_by = cal.add_business_days(start, policy.process_business_days)
    credited_between = None
    if q.credited_between is not None:
        low, high = policy.bank_business_days
        credited_between = (
            cal.add_business_days(processed_by, low),
            cal.add_business_days(processed_by, high),
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
    last_eta = credited_between[1] if credited_between else processed_by
    if last_eta.year > policy.last_published_holiday_year and "ETA-CALENDAR-ESTIMATE" not in flags:
        flags = _sorted_ids((*flags, "ETA-CALENDAR-ESTIMATE"), FLAG_ORDER)
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

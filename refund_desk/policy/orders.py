"""One order's quote (RULES.md §2–§4): whether it is left out of the sums, then its dates,
its route and its amount, each step recording its rule ids in the trace.

:func:`quote_order` composes the three steps; :func:`exclusion` / :func:`excluded_quote` say
why an order is left out. Pure Python, called by :func:`refund_desk.policy.engine.quote`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, localcontext
from functools import lru_cache
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from .definition import ACCOUNT_BALANCE, PolicyDefinition
from .model import Exclusion, OrderInput, OrderOptions, OrderQuote, Route
from .money import ZERO, round_down_fen, round_up_fen
from .timeutil import CHINA_TZ
from .trace import Applied, Trace

_DAY = timedelta(days=1)


@lru_cache(maxsize=8192)
def _months_after(day: date, months: int) -> date:
    # relativedelta is the slowest step of a quote; payment dates repeat a lot.
    return day + relativedelta(months=months)


def _periods_floor(span: timedelta) -> int:
    return span // _DAY


def _periods_ceil(span: timedelta) -> int:
    whole, rest = divmod(span, _DAY)
    return whole + (1 if rest else 0)


def exclusion(
    order: OrderInput, policy: PolicyDefinition, cancel_at: datetime
) -> tuple[Exclusion, str] | None:
    """Why ``order`` is left out of the sums (RULES.md §4), or ``None`` when it is quoted.

    Returns:
        ``(reason, detail)``: the :class:`Exclusion` and an English phrase of a fixed shape
        (``'missing payment channel, list price'``) that the wording reads back
        (:func:`refund_desk.wording_phrases.detail_words`). Checked in this order: not paid,
        another currency than ``policy.currency``, several instances, missing data
        (``DATA-MISSING``), paid after ``cancel_at`` (desk decision).
    """
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


class _Dates(NamedTuple):
    """``DATE-CUTOFF`` / ``DATE-WINDOW`` on China-time calendar dates."""

    payment_date: date | None = None
    after_cutoff: bool = False
    days: int | None = None
    within_days: bool = False
    window_end: date | None = None
    months_end: date | None = None


class _Route(NamedTuple):
    """Where the money goes (RULES.md §3) and where it goes if the original method fails."""

    route: Route | None = None
    destination: str | None = None
    fallback_route: Route | None = None
    fallback_destination: str | None = None


class _Amount(NamedTuple):
    """RULES.md §4 for one order, CNY."""

    basis: Decimal = ZERO
    not_refundable: Decimal = ZERO
    used_days: int | None = None
    order_days: int | None = None
    consumed_exact: Decimal = ZERO
    consumed: Decimal = ZERO
    refund: Decimal = ZERO


_NO_DATES, _NO_ROUTE, _NO_AMOUNT = _Dates(), _Route(), _Amount()


def _order_quote(
    order: OrderInput,
    dates: _Dates,
    route: _Route,
    amount: _Amount,
    rules: tuple[str, ...] = (),
    flags: tuple[str, ...] = (),
    advice: tuple[str, ...] = (),
    excluded: tuple[Exclusion, str] | None = None,
) -> OrderQuote:
    reason, detail = excluded or (None, "")
    return OrderQuote(
        order_id=order.order_id,
        order_type=order.order_type,
        route=route.route,
        destination=route.destination,
        fallback_route=route.fallback_route,
        fallback_destination=route.fallback_destination,
        refund=amount.refund,
        consumed=amount.consumed,
        consumed_exact=amount.consumed_exact,
        basis=amount.basis,
        not_refundable=amount.not_refundable,
        used_days=amount.used_days,
        order_days=amount.order_days,
        payment_date=dates.payment_date,
        days_since_payment=dates.days,
        window_end=dates.window_end,
        months_end=dates.months_end,
        usage_start=order.usage_start,
        usage_end=order.usage_end,
        rules=rules,
        flags=flags,
        advice=advice,
        excluded=reason,
        excluded_detail=detail,
    )


def excluded_quote(
    order: OrderInput, reason: Exclusion, detail: str, flags: tuple[str, ...] = ()
) -> OrderQuote:
    """The quote of an order left out of the sums: no route, zero amounts, ``excluded`` set."""
    return _order_quote(
        order, _NO_DATES, _NO_ROUTE, _NO_AMOUNT, flags=flags, excluded=(reason, detail)
    )


def quote_order(
    order: OrderInput,
    cancel_at: datetime,
    cancel_date: date,
    options: OrderOptions,
    policy: PolicyDefinition,
    trace: Trace,
) -> OrderQuote:
    """Quote one order that :func:`exclusion` lets through.

    Args:
        order: a paid order with all its data. cancel_at: aware cancellation time; cancel_date:
            its China date. options: the operator's what-if inputs for the order.
        policy: the definition whose numbers apply. trace: where the steps are recorded.
    Returns:
        Its :class:`OrderQuote`: dates (``TIME-ZONE``, ``DATE-*``), route (``ROUTE-*``) and
        amounts (``AMOUNT-*``), CNY, with the ids applied, in the order applied.
    """
    applied = Applied(trace, order.order_id)
    if order.assumed_tz:
        applied.flag("ASSUMED-TZ")
    dates = _order_dates(order, cancel_date, policy, applied)
    route = _order_route(order, dates, options, policy, applied)
    amount = _order_amount(order, cancel_at, options, policy, applied)
    return _order_quote(
        order,
        dates,
        route,
        amount,
        tuple(applied.rules),
        tuple(applied.flags),
        tuple(applied.advice),
    )


def _order_dates(
    order: OrderInput, cancel_date: date, policy: PolicyDefinition, applied: Applied
) -> _Dates:
    """RULES.md §2: ``TIME-ZONE``, ``DATE-CUTOFF`` (+ ``BORDERLINE-CUTOFF``), ``DATE-WINDOW``
    (+ ``BORDERLINE-WINDOW`` when the calendar months would decide otherwise)."""
    payment_date = order.payment_time.astimezone(CHINA_TZ).date()
    applied.rule(
        "TIME-ZONE",
        paid_utc=order.payment_time.astimezone(UTC),
        paid_china=order.payment_time.astimezone(CHINA_TZ),
    )
    after_cutoff = payment_date > policy.cutoff_date
    applied.rule("DATE-CUTOFF", paid=payment_date, cutoff=policy.cutoff_date, after=after_cutoff)
    if payment_date == policy.cutoff_date:
        applied.flag("BORDERLINE-CUTOFF", paid=payment_date)

    days = (cancel_date - payment_date).days
    within_days = days <= policy.window_days
    months_end = _months_after(payment_date, policy.window_months)
    window_end = payment_date + timedelta(days=policy.window_days)
    applied.rule(
        "DATE-WINDOW",
        days=days,
        limit=policy.window_days,
        within=within_days,
        window_end=window_end,
    )
    if within_days != (cancel_date <= months_end):
        applied.flag(
            "BORDERLINE-WINDOW",
            days=days,
            months=policy.window_months,
            months_end=months_end,
            within_days=within_days,
        )
    return _Dates(payment_date, after_cutoff, days, within_days, window_end, months_end)


def _assumed_unknown(invoiced: bool | None, marketplace: bool | None) -> str | None:
    """RULES.md §3: until set, "no invoice, official website" is assumed and said, whenever the
    fact not set could change the route (an invoice matters only off the marketplace; the
    marketplace only once an invoice was issued). Returns what is not set, or ``None``."""
    if invoiced is None and marketplace is None:
        return "invoice and marketplace"
    if invoiced is None and not marketplace:
        return "invoice"
    if invoiced and marketplace is None:
        return "marketplace"
    return None


def _order_route(
    order: OrderInput,
    dates: _Dates,
    options: OrderOptions,
    policy: PolicyDefinition,
    applied: Applied,
) -> _Route:
    """RULES.md §3, checked in order: ``ROUTE-LATE``, ``ROUTE-INVOICED``, ``ROUTE-ORIGINAL``
    (then ``ROUTE-FALLBACK`` when the operator says the original-method refund failed)."""
    balance = _Route(Route.ACCOUNT_BALANCE, ACCOUNT_BALANCE)
    if not dates.after_cutoff or not dates.within_days:
        reason = "paid on or before the cut-off" if not dates.after_cutoff else "window passed"
        applied.rule("ROUTE-LATE", reason=reason, days=dates.days)
        return balance
    invoiced = options.invoiced if options.invoiced is not None else order.invoiced
    marketplace = options.marketplace if options.marketplace is not None else order.marketplace
    unknown = _assumed_unknown(invoiced, marketplace)
    if unknown is not None:
        applied.flag("ASSUMED-NOT-INVOICED", unknown=unknown)
    if invoiced and not marketplace:
        applied.rule("ROUTE-INVOICED")
        applied.advise("ADVICE-RETURN-INVOICE")
        return balance
    destination, listed = policy.destination_for(order.channel)
    applied.rule(
        "ROUTE-ORIGINAL",
        channel=order.channel,
        destination=destination,
        marketplace=bool(marketplace),
    )
    if not listed:
        applied.flag("CHANNEL-UNLISTED", channel=order.channel)
    if destination == ACCOUNT_BALANCE:  # nothing to fall back to
        return _Route(Route.ORIGINAL_METHOD, destination)
    if options.original_failed:
        applied.rule("ROUTE-FALLBACK", channel=order.channel)
        return balance
    return _Route(Route.ORIGINAL_METHOD, destination, Route.ACCOUNT_BALANCE, ACCOUNT_BALANCE)


def _order_amount(
    order: OrderInput,
    cancel_at: datetime,
    options: OrderOptions,
    policy: PolicyDefinition,
    applied: Applied,
) -> _Amount:
    """RULES.md §4: ``AMOUNT-BASIS``, then ``AMOUNT-PENDING-RENEWAL`` or ``AMOUNT-CONSUMED``,
    then ``AMOUNT-ROUNDING``; amounts in CNY."""
    breakdown = order.breakdown
    basis = breakdown.basis
    applied.rule(
        "AMOUNT-BASIS",
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
        applied.rule(
            "AMOUNT-PENDING-RENEWAL",
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
        applied.rule(
            "AMOUNT-CONSUMED",
            list_price=order.list_price,
            order_days=order_days,
            used_days=used_days,
            discount=discount,
            consumed=round_up_fen(consumed_exact),
            ended=cancel_at >= order.usage_end,
        )
    refund = round_down_fen(max(Decimal(0), basis - consumed_exact))
    consumed = round_up_fen(consumed_exact)
    applied.rule("AMOUNT-ROUNDING", refund=refund, consumed=consumed, exact=consumed_exact)
    return _Amount(
        basis, breakdown.not_refundable, used_days, order_days, consumed_exact, consumed, refund
    )

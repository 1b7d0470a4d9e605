"""Plain input and output objects of the policy core (no Qt, no SQLAlchemy).

Money is ``Decimal`` CNY with fen precision; times are timezone-aware ``datetime``; dates are
China-time calendar dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class InstanceKind(StrEnum):
    """The kind of an IoT Platform instance (RULES.md §1)."""

    ENTERPRISE = "enterprise"  # KIND-ENTERPRISE: BSS SubscriptionType "Subscription"
    OLD_PUBLIC = "old_public"  # KIND-OLD-PUBLIC: BSS SubscriptionType "PayAsYouGo"
    NEW_PUBLIC = "new_public"  # KIND-NEW-PUBLIC: free, no billing

    @classmethod
    def from_subscription_type(cls, subscription_type: str) -> InstanceKind:
        """BSS ``SubscriptionType`` → kind. Raises ``ValueError`` for an unknown value."""
        try:
            return {"Subscription": cls.ENTERPRISE, "PayAsYouGo": cls.OLD_PUBLIC}[subscription_type]
        except KeyError:
            raise ValueError(f"unknown SubscriptionType {subscription_type!r}") from None


class Outcome(StrEnum):
    """What the instance's quote says (``KIND-*``; ``HISTORY-REFUNDED``, ``HISTORY-RELEASED``)."""

    REFUNDABLE = "refundable"
    NOT_REFUNDABLE = "not_refundable"
    NOTHING_TO_REFUND = "nothing_to_refund"
    ALREADY_REFUNDED = "already_refunded"  # HISTORY-REFUNDED (RULES.md §7)
    RELEASED = "released"  # HISTORY-RELEASED (RULES.md §7)


class NotRecordable(StrEnum):
    """Why no refund case may be recorded from a quote: the one home of that decision
    (:attr:`Quote.not_recordable`); the services and the UI turn the code into words.

    Checked in this order, the first that applies wins:

    - ``ALREADY_REFUNDED``: outcome ``already_refunded`` (``HISTORY-REFUNDED``, RULES.md §7);
    - ``RELEASED``: outcome ``released`` (``HISTORY-RELEASED``, RULES.md §7);
    - ``NOT_REFUNDABLE``: any other outcome than ``refundable`` (``KIND-*``: not refundable,
      nothing to refund): no case and no ticket, the customer gets the outcome and advice;
    - ``HISTORY_BLOCKED``: the history holds a new case (:attr:`Quote.history_blocking`:
      ``HISTORY-OPEN-CASE``, ``HISTORY-FALLBACK-DONE``): the operator continues that case,
      whatever the new figures are, so it wins over a blocked order;
    - ``BLOCKED``: the quote is incomplete (:attr:`Quote.blocking`: missing data, an order
      naming several instances).
    """

    ALREADY_REFUNDED = "already_refunded"
    RELEASED = "released"
    NOT_REFUNDABLE = "not_refundable"
    BLOCKED = "blocked"
    HISTORY_BLOCKED = "history_blocked"


class Route(StrEnum):
    """Refund route of one order (``ROUTE-*``)."""

    ORIGINAL_METHOD = "original_method"
    ACCOUNT_BALANCE = "account_balance"


class Exclusion(StrEnum):
    """Why an order is left out of the sums (RULES.md §4, last list)."""

    UNPAID = "unpaid"
    OTHER_CURRENCY = "other_currency"
    SEVERAL_INSTANCES = "several_instances"
    DATA_MISSING = "data_missing"
    PAID_AFTER_CANCELLATION = "paid_after_cancellation"  # desk decision: what-if in the past


@dataclass(frozen=True, slots=True)
class PaymentBreakdown:
    """How an order was paid (BSS ``QueryBill``), each part in CNY.

    ``cash`` = ``PaymentAmount``, ``voucher`` = ``DeductedByCashCoupons``, ``coupon`` =
    ``DeductedByCoupons``, ``prepaid_card`` = ``DeductedByPrepaidCard``.
    """

    cash: Decimal
    prepaid_card: Decimal = Decimal("0.00")
    voucher: Decimal = Decimal("0.00")
    coupon: Decimal = Decimal("0.00")

    @property
    def basis(self) -> Decimal:
        """``AMOUNT-BASIS``: the refundable part, cash + prepaid card."""
        return self.cash + self.prepaid_card

    @property
    def not_refundable(self) -> Decimal:
        """Vouchers + coupons: never refunded."""
        return self.voucher + self.coupon


@dataclass(frozen=True, slots=True)
class OrderInput:
    """One order of an instance as the store knows it.

    Attributes:
        order_id: BSS ``OrderId``.
        instance_ids: every instance the order names (more than one → excluded, escalate).
        order_type: BSS ``OrderType`` (``New``, ``Renew``, ``Upgrade``).
        payment_status: BSS ``PaymentStatus``; only ``Paid`` counts.
        currency: ISO 4217 code.
        payment_time / usage_start / usage_end: aware datetimes; ``None`` when not imported yet.
        list_price: ``PretaxGrossAmount`` in CNY; ``None`` when not imported yet.
        breakdown: ``None`` until the ``QueryBill`` record was imported (``DATA-MISSING``).
        channel: raw BSS ``TransactionChannel``; ``None`` until imported (``DATA-MISSING``).
        invoiced / marketplace: known facts from the data (CSV), or ``None`` when unknown.
        assumed_tz: a time of this order was read without an offset and taken as China time.
    """

    order_id: str
    instance_ids: tuple[str, ...]
    order_type: str = "New"
    payment_status: str = "Paid"
    currency: str = "CNY"
    payment_time: datetime | None = None
    usage_start: datetime | None = None
    usage_end: datetime | None = None
    list_price: Decimal | None = None
    breakdown: PaymentBreakdown | None = None
    channel: str | None = None
    invoiced: bool | None = None
    marketplace: bool | None = None
    assumed_tz: bool = False


OPEN_CASE_STATUSES = ("drafted", "submitted")
"""Case statuses that make a case open (``HISTORY-OPEN-CASE``: at most one per instance)."""


@dataclass(frozen=True, slots=True)
class RefundOrderFact:
    """A refund order the billing data holds for the instance (BSS ``OrderType`` ``Refund``;
    the API gives refund orders no payment status).

    Attributes:
        order_id: the refund order's ``OrderId``.
        related_order_id: ``RelatedOrderId``, the order it refunds (``None`` when not given).
        refunded_at: aware time of the refund order (``PaymentTime``, else ``CreateTime``), or
            ``None`` when the export gives neither.
        amount: the amount the refund order states (``PretaxAmount``, else
            ``PretaxGrossAmount``; CNY, as a positive figure), or ``None``.
    """

    order_id: str
    related_order_id: str | None = None
    refunded_at: datetime | None = None
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CaseFact:
    """One of the desk's own refund cases for the instance, as the quote needs to know it.

    Attributes:
        case_id: the desk's case number. status: ``drafted`` / ``submitted`` / ``refunded`` /
            ``failed`` (or ``duplicate``, a case closed when the desk began enforcing one open
            case per instance). operator: who recorded it. recorded_at: aware time recorded.
        total_refund: CNY, ``None`` when not known. by_destination: ``((destination, CNY), …)``.
        changed_at: aware time of the last status change (e.g. when it was marked refunded).
        replaces_case_id: the failed case this one replaces (``ROUTE-FALLBACK``), or ``None``.
    """

    case_id: int
    status: str
    operator: str
    recorded_at: datetime
    total_refund: Decimal | None = None
    by_destination: tuple[tuple[str, Decimal], ...] = ()
    changed_at: datetime | None = None
    replaces_case_id: int | None = None

    @property
    def is_open(self) -> bool:
        """Drafted or submitted (``HISTORY-OPEN-CASE``)."""
        return self.status in OPEN_CASE_STATUSES


@dataclass(frozen=True, slots=True)
class InstanceHistory:
    """What already happened to the instance (RULES.md §7): the billing data's refund orders and
    released status, and the desk's own cases for it.

    Attributes:
        refund_orders: refund orders naming the instance or one of its orders.
        released: the billing data says the instance is released (``QueryAvailableInstances``).
        release_time: aware time of the release, when the export gives it.
        status: the raw BSS instance ``Status`` last imported (``None`` when never imported).
        cases: every case the desk recorded for the instance, oldest first.
    """

    refund_orders: tuple[RefundOrderFact, ...] = ()
    released: bool = False
    release_time: datetime | None = None
    status: str | None = None
    cases: tuple[CaseFact, ...] = ()

    @property
    def open_case(self) -> CaseFact | None:
        """The open (drafted or submitted) case, or ``None``; the newest if the data holds
        several (the database allows one)."""
        open_cases = [c for c in self.cases if c.is_open]
        return max(open_cases, key=lambda c: c.case_id) if open_cases else None

    @property
    def refunded_cases(self) -> tuple[CaseFact, ...]:
        """The desk's cases marked refunded."""
        return tuple(c for c in self.cases if c.status == "refunded")

    @property
    def empty(self) -> bool:
        """Nothing happened yet: no refund order, not released, no case."""
        return not (self.refund_orders or self.released or self.cases)


NO_HISTORY = InstanceHistory()


@dataclass(frozen=True, slots=True)
class InstanceInput:
    """An instance, all its orders and its history, as handed to
    :func:`refund_desk.policy.quote`. ``orders`` holds the payment orders only (new, renewal,
    upgrade); refund orders are in ``history``."""

    instance_id: str
    kind: InstanceKind
    account_id: str | None = None
    orders: tuple[OrderInput, ...] = ()
    history: InstanceHistory = NO_HISTORY


@dataclass(frozen=True, slots=True)
class OrderOptions:
    """The operator's what-if inputs for one order.

    ``invoiced`` / ``marketplace``: ``None`` keeps what the data says (or the assumption "no
    invoice, official website", flag ``ASSUMED-NOT-INVOICED``). ``original_failed``: the
    original-method refund failed (``ROUTE-FALLBACK``). ``discount``: the discount factor of
    ``AMOUNT-CONSUMED`` for the used duration, ``0 < discount <= 1``.
    """

    invoiced: bool | None = None
    marketplace: bool | None = None
    original_failed: bool = False
    discount: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """One step of the rule trace: a rule/warning/advice/flag id, the order it concerns (or
    ``None`` for the instance), and the facts that made it apply (rendered by
    :func:`refund_desk.wording_rules.explain`)."""

    rule_id: str
    order_id: str | None = None
    facts: tuple[tuple[str, object], ...] = ()

    def fact(self, name: str, default: str = "") -> str:
        """The value of fact ``name`` as text: a datetime as ``YYYY-MM-DD HH:MM`` (in the zone it
        carries), a date ISO, a Decimal as is, a bool ``True``/``False``; ``default`` if absent."""
        for key, value in self.facts:
            if key == name:
                if isinstance(value, datetime):
                    return value.strftime("%Y-%m-%d %H:%M")
                if isinstance(value, date):
                    return value.isoformat()
                return str(value)
        return default


@dataclass(frozen=True, slots=True)
class OrderQuote:
    """The quote of one order.

    Amounts are CNY ``Decimal`` (two places). For an excluded order the amounts are zero,
    ``route``/``destination`` are ``None`` and ``excluded`` says why.

    Attributes:
        route / destination: ``Route`` and where the money goes (``alipay``, ``online_banking``,
            ``account_balance`` or an unlisted channel's own BSS name).
        fallback_route / fallback_destination: where the money goes if the original-method refund
            fails (``ROUTE-FALLBACK``); ``None`` when the route is already the account balance.
        refund: rounded down to the fen. consumed: rounded up to the fen (``AMOUNT-ROUNDING``).
        consumed_exact: the unrounded consumed amount.
        basis: cash + prepaid card. not_refundable: vouchers + coupons.
        used_days / order_days: ``AMOUNT-CONSUMED`` in 24-hour periods (``used_days`` 0 for a
            pending renewal).
        payment_date: China date of payment; days_since_payment: ``DATE-WINDOW`` days.
        window_end: last cancellation date inside the window (``window_days``, 548 in v1);
            months_end: end of ``window_months`` calendar months (18 in v1).
        rules / flags / advice: ids applied to this order.
    """

    order_id: str
    order_type: str
    route: Route | None
    destination: str | None
    fallback_route: Route | None
    fallback_destination: str | None
    refund: Decimal
    consumed: Decimal
    consumed_exact: Decimal
    basis: Decimal
    not_refundable: Decimal
    used_days: int | None
    order_days: int | None
    payment_date: date | None
    days_since_payment: int | None
    window_end: date | None
    months_end: date | None
    usage_start: datetime | None
    usage_end: datetime | None
    rules: tuple[str, ...]
    flags: tuple[str, ...]
    advice: tuple[str, ...]
    excluded: Exclusion | None = None
    excluded_detail: str = ""


@dataclass(frozen=True, slots=True)
class Quote:
    """A refund quote for one instance at one cancellation time.

    Attributes:
        outcome: refundable / not refundable / nothing to refund.
        cancel_at: the cancellation time (aware); cancel_date: its China date.
        orders: per-order quotes, in order of payment time then order id.
        by_destination: refund total per destination (only destinations with an order).
        total_refund / total_not_refundable / total_consumed: sums of the per-order figures.
        warnings / advice / flags: ids, instance-level union, in a stable order.
        rules: every rule id applied (instance level and per order), in first-applied order.
        trace: the explained steps (rule id, order, facts).
        processed_by: ``ETA-PROCESS`` date; credited_between: ``ETA-BANK`` window or ``None``.
        blocking: reasons the quote is incomplete and no case may be recorded from it (missing
            data, an order naming several instances): empty when the quote is complete.
        policy_id / policy_version: the policy it was computed under.
        history: what already happened to the instance (RULES.md §7), as given in the input.
        open_case: the open case of the instance (``HISTORY-OPEN-CASE``), or ``None``.
        history_blocking: reasons from the history a new case must not be recorded although
            the figures are complete (``HISTORY-OPEN-CASE``, ``HISTORY-FALLBACK-DONE``): the
            quote is then a what-if.
    """

    instance_id: str
    kind: InstanceKind
    account_id: str | None
    outcome: Outcome
    cancel_at: datetime
    cancel_date: date
    orders: tuple[OrderQuote, ...]
    by_destination: dict[str, Decimal]
    total_refund: Decimal
    total_not_refundable: Decimal
    total_consumed: Decimal
    warnings: tuple[str, ...]
    advice: tuple[str, ...]
    flags: tuple[str, ...]
    rules: tuple[str, ...]
    trace: tuple[TraceEntry, ...]
    processed_by: date | None
    credited_between: tuple[date, date] | None
    blocking: tuple[str, ...]
    policy_id: str
    policy_version: int
    options: dict[str, OrderOptions] = field(default_factory=dict)
    history: InstanceHistory = NO_HISTORY
    open_case: CaseFact | None = None
    history_blocking: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """False while an order is blocked (missing data, several instances): the totals then
        cover only the other orders and must not be quoted to the customer as the refund."""
        return not self.blocking

    @property
    def not_recordable(self) -> NotRecordable | None:
        """Why no case may be recorded from this quote (:class:`NotRecordable`, the first
        reason in its order), or ``None`` when one may: refundable, complete, and nothing in the
        history holds it (no refund yet, not released, no open case, no replacement yet).
        Implements RULES.md §7 (``HISTORY-*``) and the blocking reasons of the quote."""
        if self.outcome is Outcome.ALREADY_REFUNDED:
            return NotRecordable.ALREADY_REFUNDED
        if self.outcome is Outcome.RELEASED:
            return NotRecordable.RELEASED
        if self.outcome is not Outcome.REFUNDABLE:
            return NotRecordable.NOT_REFUNDABLE
        if self.history_blocking:
            return NotRecordable.HISTORY_BLOCKED
        if self.blocking:
            return NotRecordable.BLOCKED
        return None

    @property
    def recordable(self) -> bool:
        """A case may be recorded from this quote (:attr:`not_recordable` is ``None``)."""
        return self.not_recordable is None

    @property
    def all_ids(self) -> tuple[str, ...]:
        """Every rule, warning, advice and flag id this quote produced."""
        seen: dict[str, None] = {}
        for rule_id in (*self.rules, *self.warnings, *self.advice, *self.flags):
            seen.setdefault(rule_id, None)
        return tuple(seen)

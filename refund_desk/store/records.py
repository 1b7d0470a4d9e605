"""Plain read-only records the store returns (no SQLAlchemy objects leave the store).

Money is ``Decimal`` in the order's currency (CNY: yuan with fen precision); times are aware UTC
``datetime`` (convert with :func:`refund_desk.policy.timeutil.china_date` for display).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..policy.model import InstanceKind, OrderInput, OrderOptions, PaymentBreakdown
from ..policy.serialize import options_from_json


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """One stored order. Any field may be ``None`` when the export that carries it has not been
    imported yet (``DATA-MISSING``: never guessed).

    Attributes:
        order_id / sub_order_id: BSS ``OrderId`` / ``SubOrderId``.
        instance_ids: every instance the order names, in the export's order (empty when only
            ``QueryBill``/``QueryAccountTransactions`` records of the order were imported).
        account_id: ``Operator`` / ``OwnerID`` / ``TransactionAccount``.
        order_type: ``New`` / ``Renew`` / ``Upgrade``. subscription_type: ``Subscription`` /
            ``PayAsYouGo``. payment_status: ``Paid`` / ``Unpaid`` / …. currency: ISO 4217.
        create_time / payment_time / usage_start / usage_end: aware UTC datetimes.
        list_price: ``PretaxGrossAmount``. cash / prepaid_card / voucher / coupon: the payment
            breakdown (``QueryBill``); all ``None`` until imported (see ``has_breakdown``).
        channel: raw BSS ``TransactionChannel``. invoiced / marketplace: facts from a CSV file, or
            ``None`` when unknown. assumed_tz: a CSV time without offset was read as China time.
        detail_source: ``"GetOrderDetail"`` / ``"csv"`` once a full order record was imported.
        created_at / updated_at: when the desk first stored / last changed the order (UTC).
    """

    order_id: str
    instance_ids: tuple[str, ...]
    account_id: str | None
    sub_order_id: str | None
    order_type: str | None
    subscription_type: str | None
    payment_status: str | None
    currency: str | None
    create_time: datetime | None
    payment_time: datetime | None
    usage_start: datetime | None
    usage_end: datetime | None
    list_price: Decimal | None
    cash: Decimal | None
    prepaid_card: Decimal | None
    voucher: Decimal | None
    coupon: Decimal | None
    channel: str | None
    invoiced: bool | None
    marketplace: bool | None
    assumed_tz: bool
    region: str | None
    detail_source: str | None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def has_breakdown(self) -> bool:
        """True once the payment breakdown (``QueryBill``) is known."""
        return self.cash is not None

    @property
    def breakdown(self) -> PaymentBreakdown | None:
        """The :class:`PaymentBreakdown`, or ``None`` when not imported yet."""
        if self.cash is None:
            return None
        zero = Decimal("0.00")
        return PaymentBreakdown(
            cash=self.cash,
            prepaid_card=self.prepaid_card if self.prepaid_card is not None else zero,
            voucher=self.voucher if self.voucher is not None else zero,
            coupon=self.coupon if self.coupon is not None else zero,
        )

    @property
    def missing(self) -> tuple[str, ...]:
        """Names of the facts not imported yet (shown as missing in the window)."""
        names = []
        if not self.instance_ids:
            names.append("instance")
        for name in ("payment_time", "usage_start", "usage_end", "list_price", "channel"):
            if getattr(self, name) is None:
                names.append(name)
        if self.cash is None:
            names.append("breakdown")
        return tuple(names)

    def to_order_input(self) -> OrderInput:
        """This order as the policy core's :class:`OrderInput`; missing facts stay ``None``
        (the quote flags ``DATA-MISSING``); an unknown status or type becomes ``"Unknown"`` (the
        quote excludes an order that is not ``Paid``)."""
        return OrderInput(
            order_id=self.order_id,
            instance_ids=self.instance_ids,
            order_type=self.order_type or "Unknown",
            payment_status=self.payment_status or "Unknown",
            currency=self.currency or "Unknown",
            payment_time=self.payment_time,
            usage_start=self.usage_start,
            usage_end=self.usage_end,
            list_price=self.list_price,
            breakdown=self.breakdown,
            channel=self.channel,
            invoiced=self.invoiced,
            marketplace=self.marketplace,
            assumed_tz=self.assumed_tz,
        )


@dataclass(frozen=True, slots=True)
class InstanceRecord:
    """One stored instance.

    Attributes:
        kind: declared in CSV, else from the ``SubscriptionType`` of its latest order; ``None``
            when no record says it yet.
        kind_declared: True when the kind comes from a CSV declaration.
        account_id / account_name: the owner (name only from CSV files).
        order_count: how many orders name this instance.
    """

    instance_id: str
    kind: InstanceKind | None
    kind_declared: bool
    account_id: str | None
    account_name: str | None
    region: str | None
    order_count: int
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """One stored account: id, name (from CSV; ``None`` when not given), how many instances and
    orders it owns."""

    account_id: str
    name: str | None
    instance_count: int
    order_count: int


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result of :meth:`OrderStore.search`.

    Attributes:
        kind: ``"account"``, ``"instance"`` or ``"order"``.
        id: the account, instance or order id that matched.
        exact: the term equals the id (else it is a prefix).
        account_id: the owner, when known.
        instance_ids: for an order, the instances it names; for an instance, its own id.
        detail: a short label for the list (order type and payment date, instance kind, the
            account's name, …).
        by_name: an account found by its name (``detail``) rather than its id.
    """

    kind: str
    id: str
    exact: bool
    account_id: str | None = None
    instance_ids: tuple[str, ...] = ()
    detail: str = ""
    by_name: bool = False


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A recorded refund case: the quote the operator acted on, the what-if inputs, the
    confirmation and the ticket text.

    Attributes:
        case_id: database id. status: ``drafted`` / ``submitted`` / ``refunded`` / ``failed``
            (``duplicate``: closed by the 0004 upgrade). status_reason: why it last changed.
        cancel_at: the cancellation time quoted (aware UTC). policy_id / policy_version: the
            policy the quote was computed under. outcome: quote outcome. total_refund: CNY.
        confirmed / confirmed_at / confirmation_text: the customer's acknowledgement of
            ``WARN-RELEASE-DELETE`` (Enterprise instances). confirmation_key: the key of the
            confirmation that recorded the case (unique: one confirmation, one case).
        replaces_case_id: the failed case this one replaces (``ROUTE-FALLBACK``), or ``None``.
        actor / host: the operator who recorded it and the desk (computer name) it was
            recorded on (``None`` for a case recorded before schema 0007).
        options: what-if inputs as stored (``{order_id: {"invoiced": …, "marketplace": …,
            "original_failed": …, "discount": "0.85"}}``). quote: the quote as JSON dict.
    """

    case_id: int
    instance_id: str
    account_id: str | None
    status: str
    status_reason: str | None
    cancel_at: datetime
    policy_id: str
    policy_version: int
    outcome: str | None
    total_refund: Decimal | None
    confirmed: bool
    confirmed_at: datetime | None
    confirmation_text: str | None
    options: dict[str, Any]
    quote: dict[str, Any]
    ticket_text: str | None
    actor: str
    created_at: datetime
    updated_at: datetime
    confirmation_key: str | None = None
    replaces_case_id: int | None = None
    host: str | None = None

    @property
    def is_open(self) -> bool:
        """Drafted or submitted: the instance's one open case (``HISTORY-OPEN-CASE``)."""
        return self.status in ("drafted", "submitted")

    def order_options(self) -> dict[str, OrderOptions]:
        """The stored what-if inputs as ``{order_id: OrderOptions}`` (to recompute the quote;
        :func:`refund_desk.policy.serialize.options_from_json`)."""
        return options_from_json(self.options)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One append-only audit entry: who (``actor``) did what (``action``, e.g. ``import``,
    ``order.update``, ``case.add``, ``case.status``) to which ``entity``/``entity_id``, when
    (``at``, aware UTC), under which policy, with a JSON ``detail`` (for an order update:
    ``{"file": …, "changes": {field: [old, new]}}``), from which desk (``host``, the computer
    name; ``None`` before schema 0007)."""

    entry_id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None
    policy_id: str | None
    policy_version: int | None
    detail: dict[str, Any] = field(default_factory=dict)
    entry_hash: str | None = None
    host: str | None = None

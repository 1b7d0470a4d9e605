"""Training scenarios as the desk holds them once a pack is read: the scenario, its orders, its
hand-written answer, its texts per language, and the conversion into the policy core's inputs.

The JSON that becomes these objects is read by :mod:`refund_desk.training.scenario_parser`;
whole pack files by :mod:`refund_desk.training.pack`.

Pure Python: no Qt, no SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..policy import (
    InstanceHistory,
    InstanceInput,
    InstanceKind,
    OrderInput,
    OrderOptions,
    Outcome,
    PaymentBreakdown,
)
from ..policy.model import NO_HISTORY
from ..policy.rules import RULES

WARNING_IDS = tuple(i for i, info in RULES.items() if info.kind in ("warning", "advice"))
"""Ids a trainee may have to tell the customer (``WARN-*`` and ``ADVICE-*``)."""
FLAG_IDS = tuple(i for i, info in RULES.items() if info.kind == "flag")
"""Ids a trainee may have to check (``BORDERLINE-*``, ``ASSUMED-*``, ``CHANNEL-UNLISTED``, …)."""

TEXT_LANGUAGES = ("en", "zh_CN")
"""The languages a scenario's ``title`` and ``request`` may be written in (the desk's interface
languages). A plain string in a pack is English (packs written before per-language texts)."""


@dataclass(frozen=True, slots=True)
class ScenarioOrder:
    """One order of a scenario, close to :class:`~refund_desk.policy.OrderInput`.

    Times are aware datetimes (a time written without an offset is China time and sets
    ``assumed_tz``, flag ``ASSUMED-TZ``); amounts are ``Decimal`` CNY; ``cash is None`` means the
    payment breakdown is not imported (``DATA-MISSING``). ``raw`` keeps the times as written so
    a pack round-trips unchanged.
    """

    order_id: str
    order_type: str = "New"
    payment_status: str = "Paid"
    currency: str = "CNY"
    payment_time: datetime | None = None
    usage_start: datetime | None = None
    usage_end: datetime | None = None
    list_price: Decimal | None = None
    cash: Decimal | None = None
    prepaid_card: Decimal = Decimal("0.00")
    voucher: Decimal = Decimal("0.00")
    coupon: Decimal = Decimal("0.00")
    channel: str | None = None
    invoiced: bool | None = None
    marketplace: bool | None = None
    instance_ids: tuple[str, ...] = ()
    assumed_tz: bool = False
    raw_times: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Expected:
    """Hand-written model answer of a scenario (checked against the policy core by the tests).

    ``destinations``: destination code → refund in CNY; ``processed_by``: China date or ``None``;
    ``warnings`` / ``advice`` / ``flags``: id sets; ``flags is None`` when not written.
    """

    outcome: Outcome
    destinations: dict[str, Decimal]
    total_refund: Decimal
    processed_by: date | None
    warnings: frozenset[str]
    advice: frozenset[str]
    flags: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class LocalText:
    """A scenario text picked for one language.

    Attributes:
        text: the words. language: the language they are written in (one of
            :data:`TEXT_LANGUAGES`). fallback: ``True`` when the pack has no text in the language
            asked for and this is the other one (the window then says so).
    """

    text: str
    language: str
    fallback: bool = False


def pick_text(texts: Mapping[str, str], language: str) -> LocalText:
    """The text of ``texts`` (language → words, at least one) in ``language``, else in the other
    language with ``fallback=True`` (English first, then Chinese).

    Raises ``ValueError`` when ``texts`` is empty."""
    if texts.get(language):
        return LocalText(texts[language], language)
    for other in (*TEXT_LANGUAGES, *sorted(texts)):
        if texts.get(other):
            return LocalText(texts[other], other, fallback=True)
    raise ValueError("no text in any language")


@dataclass(frozen=True, slots=True)
class Scenario:
    """One training scenario: a customer's request about one instance at one cancellation time.

    Attributes:
        scenario_id: unique within its pack. difficulty: 1 (easy) to 5 (hard).
        title / request: the short title and the customer's words in English, or in the only
            language the pack gives; ``titles`` / ``requests``: every language given
            (language → text, keys from :data:`TEXT_LANGUAGES`); pick one with
            :meth:`title_in` / :meth:`request_in`.
        instance_id / kind / account_id: the (fake) instance.
        orders: the instance's orders. cancel_at: aware cancellation time;
        cancel_at_assumed_tz: written without offset (China time assumed, ``ASSUMED-TZ``).
        options: what-if inputs per order id (as the operator would set them in the simulator).
        expected: the hand-written answer, or ``None``.
        pack_file: the file it came from (``""`` for a scenario built in memory).
    """

    scenario_id: str
    title: str
    difficulty: int
    request: str
    instance_id: str
    kind: InstanceKind
    account_id: str | None
    orders: tuple[ScenarioOrder, ...]
    cancel_at: datetime
    cancel_at_assumed_tz: bool = False
    options: dict[str, OrderOptions] = field(default_factory=dict)
    expected: Expected | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()
    pack_file: str = ""
    cancel_at_text: str = ""
    history: InstanceHistory = NO_HISTORY
    titles: dict[str, str] = field(default_factory=dict)
    requests: dict[str, str] = field(default_factory=dict)

    def title_in(self, language: str) -> LocalText:
        """The title in ``language`` (``"en"`` / ``"zh_CN"``), else the other one with
        ``fallback=True``."""
        return pick_text(self.titles or {"en": self.title}, language)

    def request_in(self, language: str) -> LocalText:
        """The customer's request in ``language`` (``"en"`` / ``"zh_CN"``), else the other one
        with ``fallback=True``."""
        return pick_text(self.requests or {"en": self.request}, language)

    def instance_input(self) -> InstanceInput:
        """The scenario as the policy core's :class:`~refund_desk.policy.InstanceInput`."""
        orders = []
        for o in self.orders:
            breakdown = (
                None
                if o.cash is None
                else PaymentBreakdown(
                    cash=o.cash, prepaid_card=o.prepaid_card, voucher=o.voucher, coupon=o.coupon
                )
            )
            orders.append(
                OrderInput(
                    order_id=o.order_id,
                    instance_ids=o.instance_ids or (self.instance_id,),
                    order_type=o.order_type,
                    payment_status=o.payment_status,
                    currency=o.currency,
                    payment_time=o.payment_time,
                    usage_start=o.usage_start,
                    usage_end=o.usage_end,
                    list_price=o.list_price,
                    breakdown=breakdown,
                    channel=o.channel,
                    invoiced=o.invoiced,
                    marketplace=o.marketplace,
                    assumed_tz=o.assumed_tz,
                )
            )
        return InstanceInput(
            instance_id=self.instance_id,
            kind=self.kind,
            account_id=self.account_id,
            orders=tuple(orders),
            history=self.history,
        )

    def quote(self):
        """Quote the scenario with the policy core (policy in force on the cancellation date).

        Returns:
            :class:`~refund_desk.policy.Quote`. Raises ``QuoteError`` for a bad discount factor
            (already rejected by the loader).
        """
        from ..policy import quote

        return quote(
            self.instance_input(),
            self.cancel_at,
            self.options,
            cancel_at_assumed_tz=self.cancel_at_assumed_tz,
        )


@dataclass(frozen=True, slots=True)
class Pack:
    """A loaded pack: its file, id, title and scenarios (ids unique within the pack)."""

    path: str
    pack_id: str
    title: str
    scenarios: tuple[Scenario, ...]
    description: str = ""

    def scenario(self, scenario_id: str) -> Scenario:
        """The scenario with that id; raises ``KeyError``."""
        for s in self.scenarios:
            if s.scenario_id == scenario_id:
                return s
        raise KeyError(scenario_id)

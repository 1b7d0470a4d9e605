"""Training scenario packs: the versioned JSON schema, the loader/validator and the conversion of
a scenario into the policy core's inputs.

A pack is a JSON file ``{"schema": "refund-desk/training-pack", "version": 1, ...}`` documented in
``resources/training/README.md``. Every problem found while reading a pack raises
:class:`PackError`, which names the pack file, the scenario id and the field, so a trainer can fix
the file they copied in; :func:`load_packs` keeps loading the other packs.

Pure Python: no Qt, no SQLAlchemy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import FileFieldError
from ..policy import (
    CaseFact,
    InstanceHistory,
    InstanceInput,
    InstanceKind,
    MoneyError,
    OrderInput,
    OrderOptions,
    Outcome,
    PaymentBreakdown,
    RefundOrderFact,
    TimeError,
    UnknownPolicyError,
    china_date,
    parse_amount,
    parse_time,
    policy_in_force,
)
from ..policy.model import NO_HISTORY
from ..policy.rules import RULES
from .words import _

PACK_SCHEMA = "refund-desk/training-pack"
PACK_VERSION = 1
"""The pack schema this desk reads and writes (``"schema"`` / ``"version"`` of a pack file)."""

WARNING_IDS = tuple(i for i, info in RULES.items() if info.kind in ("warning", "advice"))
"""Ids a trainee may have to tell the customer (``WARN-*`` and ``ADVICE-*``)."""
FLAG_IDS = tuple(i for i, info in RULES.items() if info.kind == "flag")
"""Ids a trainee may have to check (``BORDERLINE-*``, ``ASSUMED-*``, ``CHANNEL-UNLISTED``, …)."""

TEXT_LANGUAGES = ("en", "zh_CN")
"""The languages a scenario's ``title`` and ``request`` may be written in (the desk's interface
languages). A plain string in a pack is English (packs written before per-language texts)."""

_SCENARIO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_ORDER_KEYS = {
    "order_id",
    "order_type",
    "payment_status",
    "currency",
    "payment_time",
    "usage_start",
    "usage_end",
    "list_price",
    "cash",
    "prepaid_card",
    "voucher",
    "coupon",
    "channel",
    "invoiced",
    "marketplace",
    "instance_ids",
}
_SCENARIO_KEYS = {
    "history",
    "id",
    "title",
    "difficulty",
    "request",
    "instance",
    "orders",
    "cancel_at",
    "options",
    "expected",
    "notes",
    "tags",
}
_OPTION_KEYS = {"invoiced", "marketplace", "original_failed", "discount"}
_EXPECTED_KEYS = {
    "outcome",
    "destinations",
    "total_refund",
    "processed_by",
    "warnings",
    "advice",
    "flags",
}


class PackError(FileFieldError):
    """A pack file cannot be used; names the file, the scenario and the field.

    Attributes:
        scenario: the scenario id (or ``"#3"`` for the third scenario when its id is
            unreadable), ``None`` for the whole file. field: the field path (``orders[1].cash``),
            or ``None``; the rest as :class:`~refund_desk.errors.FileFieldError`.
    """

    entry_kind = "scenario"

    def __init__(
        self, file: str, reason: str, scenario: str | None = None, field: str | None = None
    ):
        self.scenario = scenario
        super().__init__(file, reason, scenario, field)
        # The trainer reads it in the window's language: "<file>, 场景 X, 字段 Y: …" in Chinese
        # (the same words as FileFieldError's in English).
        from ..safetext import one_line

        where = one_line(file)
        if scenario:
            where = _("{where}, scenario {scenario}").format(where=where, scenario=scenario)
        if field:
            where = _("{where}, field {field}").format(where=where, field=field)
        self.args = (_("{where}: {reason}").format(where=where, reason=reason),)


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


@dataclass(frozen=True, slots=True)
class PackLoadResult:
    """What :func:`load_packs` found: the packs that loaded and the errors of those that did not."""

    packs: tuple[Pack, ...]
    errors: tuple[PackError, ...]

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        """Every scenario of every loaded pack, pack by pack."""
        return tuple(s for p in self.packs for s in p.scenarios)


class _Reader:
    """Reads one scenario's fields, raising :class:`PackError` with file/scenario/field."""

    def __init__(self, file: str, scenario: str | None):
        self.file = file
        self.scenario = scenario

    def fail(self, field_name: str | None, reason: str) -> PackError:
        return PackError(self.file, reason, self.scenario, field_name)

    def require(self, data: Mapping[str, Any], key: str, prefix: str = "") -> Any:
        if key not in data:
            raise self.fail(prefix + key, _("missing"))
        return data[key]

    def text(self, value: Any, name: str, *, allow_empty: bool = False) -> str:
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise self.fail(
                name, _("must be a non-empty string, got {value}").format(value=repr(value))
            )
        return value.strip()

    def texts(self, value: Any, name: str) -> dict[str, str]:
        """A per-language text: a plain string (English, the format before per-language texts)
        or an object ``{"en": …, "zh_CN": …}`` with at least one language."""
        if isinstance(value, str):
            return {"en": self.text(value, name)}
        if not isinstance(value, dict) or not value:
            raise self.fail(
                name,
                _(
                    "must be a non-empty string or an object of languages ({languages}), "
                    'e.g. {{"en": "…", "zh_CN": "…"}}; got {value}'
                ).format(languages=", ".join(TEXT_LANGUAGES), value=repr(value)),
            )
        for lang in value:
            if lang not in TEXT_LANGUAGES:
                raise self.fail(
                    f"{name}.{lang}",
                    _("unknown language (one of {languages})").format(
                        languages=", ".join(TEXT_LANGUAGES)
                    ),
                )
        return {
            lang: self.text(value[lang], f"{name}.{lang}")
            for lang in TEXT_LANGUAGES
            if lang in value
        }

    def boolean(self, value: Any, name: str, *, nullable: bool = False) -> bool | None:
        if value is None and nullable:
            return None
        if not isinstance(value, bool):
            raise self.fail(
                name,
                (
                    _("must be true or false or null, got {value}")
                    if nullable
                    else _("must be true or false, got {value}")
                ).format(value=repr(value)),
            )
        return value

    def amount(self, value: Any, name: str) -> Decimal:
        if not isinstance(value, str):
            raise self.fail(name, f'amounts are strings like "764.00", got {value!r}')
        try:
            return parse_amount(value)
        except MoneyError as exc:
            raise self.fail(name, str(exc)) from None

    def time(self, value: Any, name: str) -> tuple[datetime, bool]:
        if not isinstance(value, str):
            raise self.fail(
                name, _("must be an ISO-8601 time string, got {value}").format(value=repr(value))
            )
        try:
            return parse_time(value, naive_is="china")
        except TimeError as exc:
            raise self.fail(name, str(exc)) from None

    def unknown_keys(self, data: Mapping[str, Any], allowed: set[str], prefix: str) -> None:
        extra = sorted(set(data) - allowed)
        if extra:
            raise self.fail(prefix + extra[0], _("unknown field (a typo?)"))


def _parse_order(r: _Reader, data: Any, prefix: str) -> ScenarioOrder:
    if not isinstance(data, dict):
        raise r.fail(prefix.rstrip("."), _("must be an object"))
    r.unknown_keys(data, _ORDER_KEYS, prefix)
    order_id = r.text(r.require(data, "order_id", prefix), prefix + "order_id")
    kw: dict[str, Any] = {"order_id": order_id}
    for key in ("order_type", "payment_status", "currency"):
        if key in data:
            kw[key] = r.text(data[key], prefix + key)
    assumed = False
    raw_times = []
    for key in ("payment_time", "usage_start", "usage_end"):
        value = data.get(key)
        raw_times.append((key, value))
        if value is None:
            continue
        moment, was_assumed = r.time(value, prefix + key)
        assumed = assumed or was_assumed
        kw[key] = moment
    if "usage_start" in kw and "usage_end" in kw and kw["usage_end"] <= kw["usage_start"]:
        raise r.fail(prefix + "usage_end", _("must be after usage_start"))
    if data.get("list_price") is not None:
        kw["list_price"] = r.amount(data["list_price"], prefix + "list_price")
    if data.get("cash") is not None:
        kw["cash"] = r.amount(data["cash"], prefix + "cash")
    for key in ("prepaid_card", "voucher", "coupon"):
        if data.get(key) is not None:
            kw[key] = r.amount(data[key], prefix + key)
    if data.get("channel") is not None:
        kw["channel"] = r.text(data["channel"], prefix + "channel")
    for key in ("invoiced", "marketplace"):
        if key in data:
            kw[key] = r.boolean(data[key], prefix + key, nullable=True)
    if "instance_ids" in data:
        ids = data["instance_ids"]
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
            raise r.fail(prefix + "instance_ids", _("must be a non-empty list of instance ids"))
        kw["instance_ids"] = tuple(ids)
    kw["assumed_tz"] = assumed
    kw["raw_times"] = tuple(raw_times)
    return ScenarioOrder(**kw)


def _parse_options(r: _Reader, data: Any, order_ids: set[str]) -> dict[str, OrderOptions]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise r.fail("options", _("must be an object keyed by order id"))
    options = {}
    for order_id, opt in data.items():
        prefix = f"options.{order_id}."
        if order_id not in order_ids:
            raise r.fail(f"options.{order_id}", _("names an order the scenario does not have"))
        if not isinstance(opt, dict):
            raise r.fail(f"options.{order_id}", _("must be an object"))
        r.unknown_keys(opt, _OPTION_KEYS, prefix)
        discount = Decimal(1)
        if "discount" in opt:
            value = opt["discount"]
            if not isinstance(value, str):
                raise r.fail(
                    prefix + "discount",
                    _('must be a string like "0.85", got {value}').format(value=repr(value)),
                )
            try:
                discount = Decimal(value)
            except InvalidOperation:
                raise r.fail(
                    prefix + "discount", _("not a number: {value}").format(value=repr(value))
                ) from None
            if not discount.is_finite() or not (0 < discount <= 1):
                raise r.fail(
                    prefix + "discount",
                    _("must be in (0, 1], got {value}").format(value=repr(value)),
                )
        options[order_id] = OrderOptions(
            invoiced=r.boolean(opt.get("invoiced"), prefix + "invoiced", nullable=True),
            marketplace=r.boolean(opt.get("marketplace"), prefix + "marketplace", nullable=True),
            original_failed=bool(
                r.boolean(opt.get("original_failed", False), prefix + "original_failed")
            ),
            discount=discount,
        )
    return options


def _parse_ids(r: _Reader, value: Any, name: str, allowed: Iterable[str]) -> frozenset[str]:
    allowed = set(allowed)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise r.fail(name, _("must be a list of ids"))
    for v in value:
        if v not in allowed:
            raise r.fail(
                name,
                _("{value} is not one of {allowed}").format(
                    value=repr(v), allowed=", ".join(sorted(allowed))
                ),
            )
    return frozenset(value)


def _parse_expected(r: _Reader, data: Any) -> Expected | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise r.fail("expected", _("must be an object"))
    r.unknown_keys(data, _EXPECTED_KEYS, "expected.")
    outcome_text = r.require(data, "outcome", "expected.")
    try:
        outcome = Outcome(outcome_text)
    except ValueError:
        raise r.fail(
            "expected.outcome",
            _("{value} is not one of {allowed}").format(
                value=repr(outcome_text), allowed=[o.value for o in Outcome]
            ),
        ) from None
    dests = data.get("destinations", {})
    if not isinstance(dests, dict):
        raise r.fail("expected.destinations", _("must be an object destination → amount"))
    destinations = {str(k): r.amount(v, f"expected.destinations.{k}") for k, v in dests.items()}
    total = r.amount(data.get("total_refund", "0.00"), "expected.total_refund")
    processed = data.get("processed_by")
    processed_by = None
    if processed is not None:
        try:
            processed_by = date.fromisoformat(processed)
        except (TypeError, ValueError):
            raise r.fail(
                "expected.processed_by",
                _("not a date YYYY-MM-DD: {value}").format(value=repr(processed)),
            ) from None
    warn_ids = [i for i in WARNING_IDS if i.startswith("WARN-")]
    advice_ids = [i for i in WARNING_IDS if i.startswith("ADVICE-")]
    return Expected(
        outcome=outcome,
        destinations=destinations,
        total_refund=total,
        processed_by=processed_by,
        warnings=_parse_ids(r, data.get("warnings", []), "expected.warnings", warn_ids),
        advice=_parse_ids(r, data.get("advice", []), "expected.advice", advice_ids),
        flags=_parse_ids(r, data["flags"], "expected.flags", FLAG_IDS) if "flags" in data else None,
    )


_HISTORY_KEYS = {"refund_orders", "released", "release_time", "status", "cases"}
_REFUND_KEYS = {"order_id", "related_order_id", "refunded_at", "amount"}
_CASE_KEYS = {
    "case_id",
    "status",
    "operator",
    "recorded_at",
    "total_refund",
    "changed_at",
    "replaces_case_id",
}


def _parse_history(r: _Reader, data: Any) -> InstanceHistory:
    """The optional ``history`` of a scenario (RULES.md §7): ``refund_orders[]``
    (``order_id``, ``related_order_id``, ``refunded_at``, ``amount``), ``released``,
    ``release_time``, ``status``, ``cases[]`` (``case_id``, ``status``, ``operator``,
    ``recorded_at``, ``total_refund``, ``changed_at``, ``replaces_case_id``)."""
    if data is None:
        return NO_HISTORY
    if not isinstance(data, dict):
        raise r.fail("history", _("must be an object"))
    r.unknown_keys(data, _HISTORY_KEYS, "history.")

    def when(value, name):
        return None if value is None else r.time(value, name)[0]

    refunds = []
    for i, item in enumerate(data.get("refund_orders", [])):
        name = f"history.refund_orders[{i}]."
        if not isinstance(item, dict):
            raise r.fail(name.rstrip("."), "must be an object")
        r.unknown_keys(item, _REFUND_KEYS, name)
        refunds.append(
            RefundOrderFact(
                order_id=r.text(r.require(item, "order_id", name), name + "order_id"),
                related_order_id=item.get("related_order_id"),
                refunded_at=when(item.get("refunded_at"), name + "refunded_at"),
                amount=None
                if item.get("amount") is None
                else r.amount(item["amount"], name + "amount"),
            )
        )
    cases = []
    for i, item in enumerate(data.get("cases", [])):
        name = f"history.cases[{i}]."
        if not isinstance(item, dict):
            raise r.fail(name.rstrip("."), "must be an object")
        r.unknown_keys(item, _CASE_KEYS, name)
        case_id = r.require(item, "case_id", name)
        if isinstance(case_id, bool) or not isinstance(case_id, int):
            raise r.fail(
                name + "case_id", _("must be an integer, got {value}").format(value=repr(case_id))
            )
        cases.append(
            CaseFact(
                case_id=case_id,
                status=r.text(r.require(item, "status", name), name + "status"),
                operator=r.text(r.require(item, "operator", name), name + "operator"),
                recorded_at=when(r.require(item, "recorded_at", name), name + "recorded_at"),
                total_refund=None
                if item.get("total_refund") is None
                else r.amount(item["total_refund"], name + "total_refund"),
                changed_at=when(item.get("changed_at"), name + "changed_at"),
                replaces_case_id=item.get("replaces_case_id"),
            )
        )
    released = r.boolean(data.get("released", False), "history.released")
    return InstanceHistory(
        refund_orders=tuple(refunds),
        released=bool(released),
        release_time=when(data.get("release_time"), "history.release_time"),
        status=data.get("status"),
        cases=tuple(cases),
    )


def parse_scenario(data: Any, *, file: str = "<memory>", index: int = 0) -> Scenario:
    """Validate one scenario object of a pack and build a :class:`Scenario`.

    Args:
        data: the decoded JSON object. file: the pack file (for messages). index: its position
            (0-based; used as ``#n`` in messages when the id itself is unreadable).
    Returns:
        The scenario, with ``pack_file`` set to ``file``.
    Raises:
        PackError: naming ``file``, the scenario and the field at fault.
    """
    if not isinstance(data, dict):
        raise PackError(file, _("must be an object"), f"#{index + 1}")
    raw_id = data.get("id")
    label = raw_id if isinstance(raw_id, str) and raw_id else f"#{index + 1}"
    r = _Reader(file, label)
    if not isinstance(raw_id, str) or not _SCENARIO_ID.match(raw_id):
        raise r.fail("id", _("missing or not an id (letters, digits, '.', '_', '-'; at most 64)"))
    r.unknown_keys(data, _SCENARIO_KEYS, "")
    titles = r.texts(r.require(data, "title"), "title")
    difficulty = r.require(data, "difficulty")
    if isinstance(difficulty, bool) or not isinstance(difficulty, int) or not 1 <= difficulty <= 5:
        raise r.fail(
            "difficulty",
            _("must be an integer 1 to 5, got {value}").format(value=repr(difficulty)),
        )
    requests = r.texts(r.require(data, "request"), "request")
    inst = r.require(data, "instance")
    if not isinstance(inst, dict):
        raise r.fail("instance", _("must be an object with id, kind, account_id"))
    r.unknown_keys(inst, {"id", "kind", "account_id"}, "instance.")
    instance_id = r.text(r.require(inst, "id", "instance."), "instance.id")
    kind_text = r.require(inst, "kind", "instance.")
    try:
        kind = InstanceKind(kind_text)
    except ValueError:
        raise r.fail(
            "instance.kind",
            _("{value} is not one of {allowed}").format(
                value=repr(kind_text), allowed=[k.value for k in InstanceKind]
            ),
        ) from None
    account_id = inst.get("account_id")
    if account_id is not None:
        account_id = r.text(account_id, "instance.account_id")
    raw_orders = data.get("orders", [])
    if not isinstance(raw_orders, list):
        raise r.fail("orders", _("must be a list"))
    orders = tuple(_parse_order(r, o, f"orders[{i}].") for i, o in enumerate(raw_orders))
    seen: set[str] = set()
    for i, o in enumerate(orders):
        if o.order_id in seen:
            raise r.fail(
                f"orders[{i}].order_id",
                _("duplicate order id {order_id}").format(order_id=o.order_id),
            )
        seen.add(o.order_id)
    cancel_text = r.require(data, "cancel_at")
    cancel_at, cancel_assumed = r.time(cancel_text, "cancel_at")
    try:
        policy_in_force(china_date(cancel_at))
    except UnknownPolicyError as exc:
        raise r.fail("cancel_at", str(exc)) from None
    options = _parse_options(r, data.get("options"), seen)
    expected = _parse_expected(r, data.get("expected"))
    notes = data.get("notes", "")
    if not isinstance(notes, str):
        raise r.fail("notes", _("must be a string"))
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise r.fail("tags", _("must be a list of strings"))
    return Scenario(
        scenario_id=raw_id,
        title=pick_text(titles, "en").text,
        difficulty=difficulty,
        request=pick_text(requests, "en").text,
        instance_id=instance_id,
        kind=kind,
        account_id=account_id,
        orders=orders,
        cancel_at=cancel_at,
        cancel_at_assumed_tz=cancel_assumed,
        options=options,
        expected=expected,
        notes=notes,
        tags=tuple(tags),
        pack_file=file,
        cancel_at_text=cancel_text,
        history=_parse_history(r, data.get("history")),
        titles=titles,
        requests=requests,
    )


def parse_pack(data: Any, *, file: str = "<memory>") -> Pack:
    """Validate a decoded pack document and build a :class:`Pack`.

    Raises:
        PackError: wrong ``schema``/``version``, missing fields, duplicate scenario ids, or any
            scenario error (naming the scenario and field).
    """
    if not isinstance(data, dict):
        raise PackError(file, _("a pack is a JSON object"))
    if data.get("schema") != PACK_SCHEMA:
        raise PackError(
            file,
            _("not a training pack (schema must be {schema})").format(schema=repr(PACK_SCHEMA)),
            None,
            "schema",
        )
    version = data.get("version")
    if version != PACK_VERSION:
        raise PackError(
            file,
            _(
                "pack version {version} is not supported (this desk reads version {supported})"
            ).format(version=repr(version), supported=PACK_VERSION),
            None,
            "version",
        )
    pack_id = data.get("pack_id")
    if not isinstance(pack_id, str) or not _SCENARIO_ID.match(pack_id):
        raise PackError(file, _("missing or not an id"), None, "pack_id")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise PackError(file, _("missing"), None, "title")
    raw = data.get("scenarios")
    if not isinstance(raw, list):
        raise PackError(file, _("must be a list of scenarios"), None, "scenarios")
    scenarios = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        scenario = parse_scenario(item, file=file, index=i)
        if scenario.scenario_id in seen:
            raise PackError(file, _("duplicate scenario id"), scenario.scenario_id, "id")
        seen.add(scenario.scenario_id)
        scenarios.append(scenario)
    return Pack(
        path=file,
        pack_id=pack_id,
        title=title.strip(),
        scenarios=tuple(scenarios),
        description=str(data.get("description", "")),
    )


def load_pack(path: str | Path) -> Pack:
    """Read and validate one pack file.

    Args:
        path: a ``.json`` pack file.
    Returns:
        The :class:`Pack`.
    Raises:
        PackError: unreadable file, invalid JSON (with line and column), or invalid content.
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(file, _("cannot read: {reason}").format(reason=exc)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackError(
            file,
            _("invalid JSON at line {line} column {column}: {reason}").format(
                line=exc.lineno, column=exc.colno, reason=exc.msg
            ),
        ) from None
    return parse_pack(data, file=file)


def builtin_packs_dir() -> Path:
    """``resources/training`` of the installed desk (the starter pack lives there)."""
    return Path(__file__).resolve().parent.parent.parent / "resources" / "training"


def user_packs_dir() -> Path:
    """``<data dir>/training-packs``: where a trainer copies extra packs (created on use)."""
    from ..paths import data_dir

    path = data_dir() / "training-packs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_pack_dirs() -> tuple[Path, ...]:
    """The folders searched for packs: the built-in ones, then the trainer's own."""
    return (builtin_packs_dir(), user_packs_dir())


def load_packs(paths: Iterable[str | Path] | None = None) -> PackLoadResult:
    """Load every pack in ``paths`` (files, or folders whose ``*.json`` files are packs).

    A malformed pack is reported in ``errors`` and skipped; the others still load. Two packs with
    the same ``pack_id`` are an error for the second one.

    Args:
        paths: files or folders; default :func:`default_pack_dirs`.
    Returns:
        :class:`PackLoadResult` (packs in path then file-name order, and the errors).
    """
    files: list[Path] = []
    for p in paths if paths is not None else default_pack_dirs():
        p = Path(p)
        if p.is_dir():
            files.extend(sorted(f for f in p.glob("*.json") if f.is_file()))
        elif p.exists():
            files.append(p)
    packs: list[Pack] = []
    errors: list[PackError] = []
    seen: dict[str, str] = {}
    for f in files:
        try:
            pack = load_pack(f)
        except PackError as exc:
            errors.append(exc)
            continue
        if pack.pack_id in seen:
            errors.append(
                PackError(
                    str(f),
                    _("pack id {pack_id} already loaded from {file}").format(
                        pack_id=repr(pack.pack_id), file=seen[pack.pack_id]
                    ),
                    None,
                    "pack_id",
                )
            )
            continue
        seen[pack.pack_id] = str(f)
        packs.append(pack)
    return PackLoadResult(tuple(packs), tuple(errors))

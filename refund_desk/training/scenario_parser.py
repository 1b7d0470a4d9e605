"""Reading one scenario of a training pack: the scenario object of the JSON schema (documented in
``resources/training/README.md``) checked field by field and turned into a
:class:`~refund_desk.training.scenario.Scenario`. Every problem raises
:class:`~refund_desk.training.pack_fields.PackError` naming the file, the scenario and the field.

Pure Python: no Qt, no SQLAlchemy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ..policy import (
    CaseFact,
    InstanceHistory,
    InstanceKind,
    OrderOptions,
    Outcome,
    RefundOrderFact,
    UnknownPolicyError,
    china_date,
    policy_in_force,
)
from ..policy.model import NO_HISTORY
from .pack_fields import FieldReader, PackError
from .scenario import FLAG_IDS, WARNING_IDS, Expected, Scenario, ScenarioOrder, pick_text
from .words import _

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
"""A scenario or pack id: letters, digits, ``.``, ``_``, ``-``; at most 64 characters."""
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


def _parse_order(r: FieldReader, data: Any, prefix: str) -> ScenarioOrder:
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


def _parse_options(r: FieldReader, data: Any, order_ids: set[str]) -> dict[str, OrderOptions]:
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


def _parse_ids(r: FieldReader, value: Any, name: str, allowed: Iterable[str]) -> frozenset[str]:
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


def _parse_expected(r: FieldReader, data: Any) -> Expected | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise r.fail("expected", _("must be an object"))
    r.unknown_keys(data, _EXPECTED_KEYS, "expected.")
    outcome = r.choice(r.require(data, "outcome", "expected."), Outcome, "expected.outcome")
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


def _parse_history(r: FieldReader, data: Any) -> InstanceHistory:
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

    def money(item, key, name):
        return None if item.get(key) is None else r.amount(item[key], name + key)

    def objects(key, allowed):
        """The objects of the list ``history.<key>``, each with its field prefix."""
        for i, item in enumerate(data.get(key, [])):
            name = f"history.{key}[{i}]."
            if not isinstance(item, dict):
                raise r.fail(name.rstrip("."), "must be an object")
            r.unknown_keys(item, allowed, name)
            yield name, item

    refunds = [
        RefundOrderFact(
            order_id=r.text(r.require(item, "order_id", name), name + "order_id"),
            related_order_id=item.get("related_order_id"),
            refunded_at=when(item.get("refunded_at"), name + "refunded_at"),
            amount=money(item, "amount", name),
        )
        for name, item in objects("refund_orders", _REFUND_KEYS)
    ]
    cases = []
    for name, item in objects("cases", _CASE_KEYS):
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
                total_refund=money(item, "total_refund", name),
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
    r = FieldReader(file, label)
    if not isinstance(raw_id, str) or not ID_PATTERN.match(raw_id):
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
    kind = r.choice(r.require(inst, "kind", "instance."), InstanceKind, "instance.kind")
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

"""Quote → JSON-ready dict (the shape of ``refund-desk quote --format json`` and the golden file),
and the one home of the what-if options' JSON, both ways (a case's ``options_json``, a training
pack's ``options``).

Amounts are strings with two decimals, dates ISO ``YYYY-MM-DD``, times ISO with offset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from .model import CaseFact, InstanceHistory, OrderOptions, OrderQuote, Quote, TraceEntry
from .money import FEN

_NO_DISCOUNT = Decimal(1)


def _money(amount: Decimal) -> str:
    return str(amount.quantize(FEN))


def order_to_dict(oq: OrderQuote) -> dict[str, Any]:
    """One :class:`OrderQuote` as a JSON-ready dict."""
    return {
        "order_id": oq.order_id,
        "order_type": oq.order_type,
        "route": oq.route.value if oq.route else None,
        "destination": oq.destination,
        "fallback_route": oq.fallback_route.value if oq.fallback_route else None,
        "fallback_destination": oq.fallback_destination,
        "refund": _money(oq.refund),
        "consumed": _money(oq.consumed),
        "basis": _money(oq.basis),
        "not_refundable": _money(oq.not_refundable),
        "used_days": oq.used_days,
        "order_days": oq.order_days,
        "payment_date": oq.payment_date.isoformat() if oq.payment_date else None,
        "days_since_payment": oq.days_since_payment,
        "rules": list(oq.rules),
        "flags": list(oq.flags),
        "advice": list(oq.advice),
        "excluded": oq.excluded.value if oq.excluded else None,
        "excluded_detail": oq.excluded_detail or None,
    }


def _time(moment) -> str | None:
    return None if moment is None else moment.isoformat()


def case_fact_to_dict(case: CaseFact) -> dict[str, Any]:
    """One :class:`CaseFact` as a JSON-ready dict (amounts as strings, times ISO)."""
    return {
        "case_id": case.case_id,
        "status": case.status,
        "operator": case.operator,
        "recorded_at": _time(case.recorded_at),
        "changed_at": _time(case.changed_at),
        "total_refund": None if case.total_refund is None else _money(case.total_refund),
        "by_destination": {dest: _money(amount) for dest, amount in case.by_destination},
        "replaces_case_id": case.replaces_case_id,
    }


def history_to_dict(history: InstanceHistory) -> dict[str, Any]:
    """An :class:`InstanceHistory` as a JSON-ready dict (``refund_orders[]``, ``released``,
    ``release_time``, ``status``, ``cases[]``)."""
    return {
        "refund_orders": [
            {
                "order_id": o.order_id,
                "related_order_id": o.related_order_id,
                "refunded_at": _time(o.refunded_at),
                "amount": None if o.amount is None else _money(o.amount),
            }
            for o in history.refund_orders
        ],
        "released": history.released,
        "release_time": _time(history.release_time),
        "status": history.status,
        "cases": [case_fact_to_dict(c) for c in history.cases],
    }


def quote_to_dict(
    q: Quote,
    *,
    with_trace: bool = True,
    explain: Callable[[TraceEntry], str] | None = None,
) -> dict[str, Any]:
    """A :class:`Quote` as a JSON-ready dict.

    Keys: ``instance_id``, ``kind``, ``account_id``, ``outcome``, ``cancel_at``, ``cancel_date``,
    ``policy``, ``policy_version``, ``warnings``, ``advice``, ``flags``, ``rules``, ``orders[]``,
    ``by_destination``, ``total_refund``, ``total_not_refundable``, ``total_consumed``,
    ``processed_by``, ``credited_between`` (two dates or ``None``), ``blocking``, ``complete``
    (False while an order is blocked: the totals then cover only the other orders), the
    history of RULES.md §7 (``history``, ``open_case`` or ``None``, ``history_blocking``) and,
    with ``with_trace``, ``trace[]`` of ``{rule, order_id, facts}`` (and ``why``, the sentence,
    when ``explain`` is given: the core has no words of its own). The outcomes
    ``already_refunded`` and ``released`` carry no amounts; ``history`` lists the refund orders
    or the case that made them so.
    """
    data: dict[str, Any] = {
        "instance_id": q.instance_id,
        "kind": q.kind.value,
        "account_id": q.account_id,
        "outcome": q.outcome.value,
        "cancel_at": q.cancel_at.isoformat(),
        "cancel_date": q.cancel_date.isoformat(),
        "policy": q.policy_id,
        "policy_version": q.policy_version,
        "warnings": list(q.warnings),
        "advice": list(q.advice),
        "flags": list(q.flags),
        "rules": list(q.rules),
        "orders": [order_to_dict(oq) for oq in q.orders],
        "by_destination": {k: _money(v) for k, v in sorted(q.by_destination.items())},
        "total_refund": _money(q.total_refund),
        "total_not_refundable": _money(q.total_not_refundable),
        "total_consumed": _money(q.total_consumed),
        "processed_by": q.processed_by.isoformat() if q.processed_by else None,
        "credited_between": [d.isoformat() for d in q.credited_between]
        if q.credited_between
        else None,
        "blocking": list(q.blocking),
        "complete": q.complete,
        "history": history_to_dict(q.history),
        "open_case": None if q.open_case is None else case_fact_to_dict(q.open_case),
        "history_blocking": list(q.history_blocking),
    }
    if with_trace:
        data["trace"] = [trace_entry_to_dict(e, explain) for e in q.trace]
    return data


def trace_entry_to_dict(
    entry: TraceEntry, explain: Callable[[TraceEntry], str] | None = None
) -> dict[str, Any]:
    """One trace entry: ``{"rule", "order_id", "facts": {name: text}}`` (facts as
    :meth:`TraceEntry.fact` writes them, so the words can be rendered later in any language),
    plus ``"why"`` when ``explain`` is given (e.g. :func:`refund_desk.wording_rules.explain`)."""
    item: dict[str, Any] = {
        "rule": entry.rule_id,
        "order_id": entry.order_id,
        "facts": {name: entry.fact(name) for name, _ in entry.facts},
    }
    if explain is not None:
        item["why"] = explain(entry)
    return item


def order_options_to_json(opt: OrderOptions, *, sparse: bool = False) -> dict[str, Any]:
    """One order's what-if inputs (:class:`OrderOptions`) as a JSON-ready dict.

    Args:
        opt: the inputs. sparse: only what differs from the defaults (``invoiced`` /
            ``marketplace`` when not ``None``, ``original_failed`` when true, ``discount`` when
            not 1), as a training pack writes them; otherwise all four keys, as a case stores
            them.
    Returns:
        ``{"invoiced": bool | None, "marketplace": bool | None, "original_failed": bool,
        "discount": "0.85"}`` (the discount factor as its exact decimal string, e.g. ``"1"``).
        The bytes a case stores are hashed by the audit chain: this shape never changes.
    """
    if not sparse:
        return {
            "invoiced": opt.invoiced,
            "marketplace": opt.marketplace,
            "original_failed": opt.original_failed,
            "discount": str(opt.discount),
        }
    entry: dict[str, Any] = {}
    if opt.invoiced is not None:
        entry["invoiced"] = opt.invoiced
    if opt.marketplace is not None:
        entry["marketplace"] = opt.marketplace
    if opt.original_failed:
        entry["original_failed"] = True
    if opt.discount != _NO_DISCOUNT:
        entry["discount"] = str(opt.discount)
    return entry


def options_to_json(options: Mapping[str, OrderOptions] | None) -> dict[str, dict[str, Any]]:
    """What-if inputs ``{order_id: OrderOptions}`` → the JSON a case stores (``options_json``,
    its ``case.add`` entry, the ticket's "checked with the customer" lines): every order with
    all four keys (:func:`order_options_to_json`), in order id order. ``None`` → ``{}``."""
    return {
        order_id: order_options_to_json(opt) for order_id, opt in sorted((options or {}).items())
    }


def options_from_json(data: Mapping[str, Mapping[str, Any]] | None) -> dict[str, OrderOptions]:
    """Stored what-if inputs (a case's ``options``: ``{order_id: {"invoiced": …,
    "marketplace": …, "original_failed": …, "discount": "0.85"}}``) → ``{order_id:
    OrderOptions}``, to recompute the quote. A missing key takes its default (``None``,
    ``None``, ``False``, ``1``). Trusts the data (the desk wrote it); a training pack is read by
    its validating parser instead (:mod:`refund_desk.training.pack`).
    Raises ``decimal.InvalidOperation`` for a discount that is not a number."""
    return {
        order_id: OrderOptions(
            invoiced=raw.get("invoiced"),
            marketplace=raw.get("marketplace"),
            original_failed=bool(raw.get("original_failed", False)),
            discount=Decimal(str(raw.get("discount", "1"))),
        )
        for order_id, raw in (data or {}).items()
    }

"""The training database: scenarios loaded through the desk's real store and importer, quoted
the way the desk quotes, and practice cases recorded the way real work records them, in a
database of role ``training`` that is never the operator's.

Each session starts from a fresh training database (``refund_desk.paths.training_db_path()``):
an existing file is replaced only when its role says ``training``, so a mistaken path never
destroys a real database. No Qt here; SQLAlchemy is imported only when a store is opened.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from ..errors import DeskError
from .scenario import Scenario
from .words import _


class TrainingDatabaseError(DeskError):
    """The training database cannot be used (not a training database, a scenario rejected)."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def open_training_store(path: str | Path | None = None, *, fresh: bool = True):
    """Open (by default re-create) the training database.

    Args:
        path: the database file (default :func:`refund_desk.paths.training_db_path`).
        fresh: start from an empty database: an existing file whose role is ``training`` is
            deleted first.
    Returns:
        An open :class:`refund_desk.store.OrderStore` with role ``training``.
    Raises:
        TrainingDatabaseError: the path is the operator's or demo database, or an existing file
            there is not a training database (it is left untouched).
        refund_desk.errors.DatabaseError: the store cannot open it.
    """
    from ..paths import demo_db_path, operator_db_path, training_db_path
    from ..store import open_store

    file = Path(path) if path is not None else training_db_path()
    for other in (operator_db_path(), demo_db_path()):
        if _same_file(file, other):
            raise TrainingDatabaseError(
                _("{file} is the desk's own database, not a training one").format(file=file)
            )
    if file.exists():
        store = open_store(file, create=False)
        role = store.role
        if role != "training":
            store.close()
            raise TrainingDatabaseError(
                _(
                    "{file} is a database of role {role}, not a training database: left untouched"
                ).format(file=file, role=repr(role))
            )
        if not fresh:
            return store
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(file) + suffix).unlink(missing_ok=True)
    return open_store(file, role="training")


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def scenario_csv(scenario: Scenario) -> str:
    """The scenario's instance and orders in the desk's CSV template (``store/csvfile.py``).

    Times are written as in the pack (a time without offset stays without, so the importer flags
    ``ASSUMED-TZ`` the same way); a missing breakdown or channel is a blank cell, which the
    importer keeps missing (``DATA-MISSING``).
    """
    from ..store.csvfile import COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(
        {
            "instance_ids": scenario.instance_id,
            "account_id": scenario.account_id or "",
            "instance_kind": scenario.kind.value,
        }
    )
    for o in scenario.orders:
        raw = dict(o.raw_times)
        writer.writerow(
            {
                "order_id": o.order_id,
                "instance_ids": ";".join(o.instance_ids or (scenario.instance_id,)),
                "account_id": scenario.account_id or "",
                "order_type": o.order_type,
                "payment_status": o.payment_status,
                "currency": o.currency,
                "payment_time": raw.get("payment_time") or "",
                "usage_start": raw.get("usage_start") or "",
                "usage_end": raw.get("usage_end") or "",
                "list_price": "" if o.list_price is None else str(o.list_price),
                "cash": "" if o.cash is None else str(o.cash),
                "prepaid_card": "" if o.cash is None else str(o.prepaid_card),
                "voucher": "" if o.cash is None else str(o.voucher),
                "coupon": "" if o.cash is None else str(o.coupon),
                "channel": o.channel or "",
                "invoiced": _yes_no(o.invoiced),
                "marketplace": _yes_no(o.marketplace),
            }
        )
    return out.getvalue()


def load_scenario(store, scenario: Scenario, *, actor: str = "training") -> None:
    """Import ``scenario``'s instance and orders into the training ``store`` with the desk's
    real importer (CSV template).

    Raises:
        TrainingDatabaseError: the store is not a training database, or the importer rejected
            the scenario (message names the scenario and the importer's file/record/field).
    """
    from ..store.importer import import_paths

    if store.role != "training":
        raise TrainingDatabaseError(_("scenarios are only loaded into a training database"))
    with tempfile.TemporaryDirectory(prefix="refund-desk-training-") as tmp:
        path = Path(tmp) / f"{scenario.scenario_id}.csv"
        path.write_text(scenario_csv(scenario), encoding="utf-8")
        paths = [path, *_history_exports(scenario, Path(tmp))]
        summary = import_paths(store, paths, actor=actor)
    if summary.rejected:
        reasons = "; ".join(str(getattr(f, "error", "") or f) for f in summary.rejected)
        raise TrainingDatabaseError(
            _(
                "scenario {scenario} could not be loaded into the training database: {reasons}"
            ).format(scenario=scenario.scenario_id, reasons=reasons)
        )


def _history_exports(scenario: Scenario, folder: Path) -> list[Path]:
    """The scenario's refund orders and release as the BSS exports that carry them
    (``QueryOrders``, ``QueryAvailableInstances``), for the real importer (RULES.md §7)."""
    import json

    from ..demo_data import GenRefund, available_instances_doc, query_orders_doc

    history = scenario.history
    paths = []
    refunds = [
        GenRefund(
            r.order_id,
            r.related_order_id or "",
            scenario.instance_id,
            scenario.account_id or "1000000000000000",
            r.refunded_at or scenario.cancel_at,
            r.amount or 0,
        )
        for r in history.refund_orders
    ]
    if refunds:
        path = folder / "QueryOrders.json"
        doc = query_orders_doc([], refunds, scenario.scenario_id)
        path.write_text(json.dumps(doc), encoding="utf-8")
        paths.append(path)
    if history.released:
        path = folder / "QueryAvailableInstances.json"
        owner = scenario.account_id or "1000000000000000"
        row = (scenario.instance_id, owner, history.status or "Released", history.release_time)
        path.write_text(json.dumps(available_instances_doc([row], scenario.scenario_id)))
        paths.append(path)
    return paths


def quote_from_store(store, scenario: Scenario):
    """Quote ``scenario`` the way the desk does: its instance as read back from ``store``
    (``services.quoting.quote_instance``), with the scenario's cancellation time and options.

    Raises:
        refund_desk.errors.UnknownInstanceError: the scenario was not loaded.
    """
    from dataclasses import replace

    from ..policy import quote

    instance = store.instance_input(scenario.instance_id)
    # The scenario's cases (a colleague's open case, a failed one and its replacement) stand for
    # the desk's own cases: the training database never records them.
    history = replace(instance.history, cases=instance.history.cases + scenario.history.cases)
    return quote(
        replace(instance, history=history),
        scenario.cancel_at,
        scenario.options,
        cancel_at_assumed_tz=scenario.cancel_at_assumed_tz,
    )


def record_practice_case(store, quote, confirmation, trainee: str):
    """Record the trainee's confirmed case in the training database, as real work does
    (``services.cases.record_case``: ticket draft, audit entries).

    Returns:
        The :class:`~refund_desk.services.cases.RecordedCase`, or ``None`` with the reason when
        the desk refuses it (blocked quote, invalid confirmation): ``(case | None, reason)``.
    """
    from ..errors import CaseError
    from ..services.cases import record_case

    if store.role != "training":
        raise TrainingDatabaseError(_("practice cases are only recorded in a training database"))
    try:
        return record_case(store, quote, confirmation, operator=trainee), None
    except CaseError as exc:
        return None, str(exc)

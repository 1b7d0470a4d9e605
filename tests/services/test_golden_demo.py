"""Golden snapshot: the quotes of the whole demo database, committed as JSON.

A change in any figure, route, flag or date of any demo instance fails this test. When a change is
intended (a new policy version, a generator change), regenerate and review the diff:

    REFUND_DESK_REGEN_GOLDEN=1 python -m pytest tests/services/test_golden_demo.py
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from refund_desk.demo_data import DEFAULT_SEED, demo_scenarios
from refund_desk.policy import CHINA_TZ, QuoteError, quote_to_dict
from refund_desk.services.demo import create_demo_database
from refund_desk.services.quoting import quote_instance
from refund_desk.store import open_store

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "demo_quotes.json"
# One fixed cancellation time for every instance, besides each scenario's own time.
FIXED_CANCEL_AT = datetime(2025, 6, 30, 10, 0, tzinfo=CHINA_TZ)


def _compact(data: dict) -> dict:
    for key in ("cancel_at", "policy", "blocking"):
        data.pop(key, None)
    for order in data["orders"]:
        for key in ("fallback_route", "payment_date", "excluded_detail", "order_type"):
            order.pop(key, None)
    return data


def _all_instances(store) -> list[str]:
    ids: list[str] = []
    for hit in store.search("iot", limit=100_000):
        if hit.kind == "instance":
            ids.append(hit.id)
    return sorted(ids)


def _fixed_quote(store, instance_id: str) -> dict:
    try:
        q = quote_instance(store, instance_id, FIXED_CANCEL_AT)
    except QuoteError as exc:  # e.g. an instance first paid after the fixed time
        return {"error": str(exc)}
    return _compact(quote_to_dict(q, with_trace=False))


def _demo_store(db, tmp_path):
    """The demo data in ``db``: on SQLite through ``create_demo_database`` itself; on
    PostgreSQL (where the desk never builds a demo) the same generated files imported the same
    way, so the server's store must quote every instance exactly as SQLite's does."""
    if db.backend == "sqlite":
        return open_store(create_demo_database(db.path), create=False)
    from refund_desk.demo_data import demo_dataset, write_demo_files
    from refund_desk.store.importer import import_paths

    store = open_store(db.target, role="demo")
    paths = write_demo_files(demo_dataset(DEFAULT_SEED), tmp_path / "demo-files")
    assert not import_paths(store, paths, actor="demo").rejected
    return store


def _snapshot(db, tmp_path) -> dict:
    store = _demo_store(db, tmp_path)
    try:
        fixed = {iid: _fixed_quote(store, iid) for iid in _all_instances(store)}
        scenarios = [
            {
                "instance_id": s.instance_id,
                "cancel_at": s.cancel_at.astimezone(CHINA_TZ).isoformat(),
                "note": s.note,
                "quote": _compact(
                    quote_to_dict(
                        quote_instance(store, s.instance_id, s.cancel_at), with_trace=False
                    )
                ),
            }
            for s in demo_scenarios()
        ]
    finally:
        store.close()
    return {
        "fixed_cancel_at": FIXED_CANCEL_AT.isoformat(),
        "scenarios": scenarios,
        "instances": fixed,
    }


def test_demo_quotes_match_the_golden_file(db, tmp_path):
    snapshot = _snapshot(db, tmp_path)
    assert len(snapshot["instances"]) >= 300
    if os.environ.get("REFUND_DESK_REGEN_GOLDEN") and db.backend == "sqlite":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n", "utf-8")
    golden = json.loads(GOLDEN.read_text("utf-8"))
    assert snapshot["fixed_cancel_at"] == golden["fixed_cancel_at"]
    assert snapshot["scenarios"] == golden["scenarios"]
    assert sorted(snapshot["instances"]) == sorted(golden["instances"])
    for iid, expected in golden["instances"].items():
        assert snapshot["instances"][iid] == expected, iid


def test_golden_file_holds_the_reference_figures():
    golden = json.loads(GOLDEN.read_text("utf-8"))
    by_instance = {s["instance_id"]: s["quote"] for s in golden["scenarios"]}
    assert by_instance["iot-cn-7pp2mhxqz01"]["by_destination"] == {"alipay": "764.00"}
    assert by_instance["iot-cn-0pp1lkd8x02"]["by_destination"] == {"online_banking": "308.00"}
    assert by_instance["iot-cn-4kd0s8v1q03"]["by_destination"] == {"account_balance": "2350.00"}
    assert by_instance["iot-cn-2mv7wq9e604"]["by_destination"] == {"account_balance": "804.94"}

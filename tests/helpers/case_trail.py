"""Helpers of the case-trail tests: a reference database built by the real importer from the
generator's exports, confirmations, and the bodies of the processes that race or get killed."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from refund_desk.policy import CHINA_TZ

EX1 = "iot-cn-7pp2mhxqz01"  # RULES.md §6 example 1: 764.00 to Alipay
EX4 = "iot-cn-2mv7wq9e604"  # example 4: 804.94 to the account balance
CANCEL_EX1 = datetime(2024, 3, 9, 9, 0, tzinfo=CHINA_TZ)


def build_reference_db(folder: Path) -> Path:
    """The generator's reference exports imported by the real importer into
    ``folder/ref.db``."""
    from refund_desk.demo_data import write_reference_exports
    from refund_desk.store import open_store
    from refund_desk.store.importer import import_paths

    write_reference_exports(folder / "exports")
    db = folder / "ref.db"
    store = open_store(db)
    try:
        summary = import_paths(store, [folder / "exports"], actor="tests")
        assert not summary.rejected, summary.format()
    finally:
        store.close()
    return db


def confirmed(instance_id: str, **kw):
    """A valid release confirmation for ``instance_id`` (ticked, id typed, and the customer
    asked about the assumptions these quotes make: ASSUMED-NOT-INVOICED)."""
    from refund_desk.services.cases import ReleaseConfirmation

    kw.setdefault("customer_asked", ("ASSUMED-NOT-INVOICED", "ASSUMED-TZ"))
    return ReleaseConfirmation(instance_id, True, instance_id, **kw)


def race_worker(db: str, index: int, rounds: int, barrier, results) -> None:
    """One desk of the race: each round quote EX1 (no open case yet), wait at the barrier with
    the other desk, record; then desk 0 closes the round's case (failed) for the next round."""
    from refund_desk.errors import CaseError
    from refund_desk.services.cases import record_case, set_status
    from refund_desk.services.quoting import quote_instance
    from refund_desk.store import open_store

    store = open_store(db, create=False)
    try:
        for round_no in range(rounds):
            q = quote_instance(store, EX1, CANCEL_EX1)
            barrier.wait()
            try:
                result = record_case(store, q, confirmed(EX1), operator=f"desk-{index}")
                results.put((round_no, index, "created" if result.created else "found", ""))
            except CaseError as exc:
                results.put((round_no, index, type(exc).__name__, str(exc)))
            barrier.wait()
            if index == 0:
                open_case = store.open_case_of(EX1)
                if open_case is not None:
                    set_status(store, open_case.case_id, "failed", operator="desk-0", reason="race")
            barrier.wait()
    finally:
        store.close()


def record_forever(db: str, start: int) -> None:
    """The process a test kills with SIGKILL: record a case for EX1 with key ``kill-<n>``, mark it
    failed (so the next one may be recorded), forever. Prints ``start <key>`` before each."""
    from refund_desk.services.cases import record_case, set_status
    from refund_desk.services.quoting import quote_instance
    from refund_desk.store import open_store

    store = open_store(db, create=False)
    n = start
    while True:
        key = f"kill-{n}"
        print(f"start {key}", flush=True)
        q = quote_instance(store, EX1, CANCEL_EX1)
        case = record_case(store, q, confirmed(EX1, key=key), operator="Kim").case
        set_status(store, case.case_id, "failed", operator="Kim", reason="round over")
        n += 1


if __name__ == "__main__":  # python tests/helpers/case_trail.py DB START
    record_forever(sys.argv[1], int(sys.argv[2]))

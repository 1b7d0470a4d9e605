"""The other desk of the team tests: a separate process that records or moves a case through
the real services, as another operator on another desk, and says when its write committed.

    python tests/helpers/team_desk.py DB record INSTANCE OPERATOR DESK
    python tests/helpers/team_desk.py DB status CASE_ID STATUS OPERATOR DESK

Prints one JSON line: ``{"case_id": …, "status": …, "committed": <time.time()>}``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(argv: list[str]) -> int:
    from refund_desk.services.cases import record_case, set_status
    from refund_desk.services.quoting import quote_instance
    from refund_desk.store import open_store
    from tests.helpers.case_trail import CANCEL_EX1, EX1, confirmed

    db, action, *rest = argv
    store = open_store(db, create=False)
    try:
        if action == "record":
            instance, operator, desk = rest
            store.desk_host = desk
            # EX1's example time; the reference data's other instances were paid later.
            cancel_at = CANCEL_EX1 if instance == EX1 else CANCEL_EX1.replace(year=2025)
            q = quote_instance(store, instance, cancel_at)
            case = record_case(store, q, confirmed(instance), operator=operator).case
        else:
            case_id, status, operator, desk = rest
            store.desk_host = desk
            case = set_status(store, int(case_id), status, operator=operator, reason="test")
        committed = time.time()
    finally:
        store.close()
    print(json.dumps({"case_id": case.case_id, "status": case.status, "committed": committed}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

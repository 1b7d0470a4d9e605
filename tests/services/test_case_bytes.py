"""A case recorded today stores the same bytes as before the what-if options and the case
trail were refactored (issue 15): the audit chain hashes the case row (``options_json``,
``quote_json``, …) and the entries' details, so one byte of difference would break every
stored chain. The hashes below were taken from the code before the refactoring."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from refund_desk.demo_data import write_reference_exports
from refund_desk.policy import CHINA_TZ, OrderOptions
from refund_desk.services.cases import ReleaseConfirmation, record_case
from refund_desk.services.quoting import quote_instance
from refund_desk.store import audit_chain, open_store
from refund_desk.store import models as m
from refund_desk.store.importer import import_paths

EX1 = "iot-cn-7pp2mhxqz01"
ORDER = "241559391310333"
CANCEL_EX1 = datetime(2024, 3, 9, 9, 0, tzinfo=CHINA_TZ)
RECORDED = datetime(2024, 3, 9, 2, 30, tzinfo=UTC)
OPTIONS_JSON = (
    '{"241559391310333": {"discount": "0.85", "invoiced": true, "marketplace": false, '
    '"original_failed": false}}'
)


@pytest.fixture
def store(tmp_path):
    write_reference_exports(tmp_path / "exports")
    opened = open_store(tmp_path / "desk.db")
    assert not import_paths(opened, [tmp_path / "exports"], actor="tests").rejected
    opened.desk_host = "desk-7"
    yield opened
    opened.close()


def test_a_recorded_case_keeps_its_bytes_and_content_hash(store):
    options = {ORDER: OrderOptions(invoiced=True, marketplace=False, discount=Decimal("0.85"))}
    q = quote_instance(store, EX1, CANCEL_EX1, options)
    confirmation = ReleaseConfirmation(
        EX1, True, EX1, key="key-of-the-dialog", confirmed_at=RECORDED
    )
    result = record_case(store, q, confirmation, operator="Ana", now=RECORDED)
    with store.engine.connect() as conn:
        row = dict(
            conn.execute(select(m.cases).where(m.cases.c.case_id == result.case_id)).one()._mapping
        )
        details = dict(
            conn.execute(
                select(m.audit_log.c.action, m.audit_log.c.detail_json).where(
                    m.audit_log.c.entity == "case"
                )
            ).all()
        )
    assert row["options_json"] == OPTIONS_JSON
    # The store's own clock is not what this pins: the row as written at a fixed moment.
    row.update(created_at=RECORDED, updated_at=RECORDED)
    assert audit_chain.case_content_hash(row) == CONTENT_HASH
    assert _sha(row["quote_json"]) == QUOTE_JSON_SHA
    assert _sha(details["case.add"]) == ADD_DETAIL_SHA
    assert result.case.order_options() == options


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


CONTENT_HASH = "b9c6c9ea59202efd237502d195282b7b94b488c8bf100c98a60b6bfad6f36973"
QUOTE_JSON_SHA = "21b95b7534582bafe61a3977a9cea914ea92de6b72a2b4bf2c0b689c0989a996"
# case.add carries the options and no hash of the row (a new case); case.confirm carries the
# row's hash after the write, which depends on the store's clock, so it is not pinned here.
ADD_DETAIL_SHA = "8d7d9f09db15639f2dac6bc2c109cb81d2a863c974329d260d91428e9e7019fb"

"""Recording a case, whoever calls: never for a future cancellation time, never while the quote
assumes something the customer was not asked about; the ticket carries the account's name,
says DEMO DATA on demo data, and keeps what the operator checked apart from what is still
assumed (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from refund_desk.errors import CaseError
from refund_desk.policy import CHINA_TZ, OrderOptions
from refund_desk.services.acknowledgement import open_assumptions
from refund_desk.services.cases import (
    ReleaseConfirmation,
    asked_in,
    record_case,
)
from refund_desk.services.fallback import recompute_original_failed
from refund_desk.services.quoting import quote_instance
from refund_desk.services.tickets import TicketContext, render_ticket
from refund_desk.store import open_store
from tests.helpers.desk_data import (
    EX1,
    EX1_ACCOUNT_NAME,
    LATE,
    LATE_ACCOUNT,
    LATE_ACCOUNT_NAME,
    build_keyboard_db,
)

CANCEL_EX1 = datetime(2024, 3, 9, 9, 0, tzinfo=CHINA_TZ)
NOW = datetime(2025, 1, 15, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_keyboard_db(tmp_path_factory.mktemp("recording"))


@pytest.fixture
def store(template, tmp_path):
    target = tmp_path / "desk.db"
    target.write_bytes(template.read_bytes())
    opened = open_store(target)
    yield opened
    opened.close()


def confirmation(instance_id: str, *asked: str) -> ReleaseConfirmation:
    return ReleaseConfirmation(instance_id, True, instance_id, customer_asked=asked)


def test_a_future_cancellation_is_a_what_if_never_a_case(store):
    q = quote_instance(store, LATE, datetime(2025, 1, 15, 10, 0, 1, tzinfo=CHINA_TZ))
    with pytest.raises(CaseError, match="2025-01-15 10:00 China time is in the future"):
        record_case(store, q, confirmation(LATE, *open_assumptions(q.flags)), operator="Ana",
                    now=NOW)  # fmt: skip
    assert store.count_cases() == 0
    # The same moment as the clock is not in the future.
    q = quote_instance(store, LATE, NOW)
    assert record_case(store, q, confirmation(LATE, *open_assumptions(q.flags)),
                       operator="Ana", now=NOW).created  # fmt: skip


def test_open_assumptions_must_have_been_put_to_the_customer(store):
    q = quote_instance(store, EX1, CANCEL_EX1)
    assert open_assumptions(q.flags) == ("ASSUMED-NOT-INVOICED",)
    for asked in ((), ("ASSUMED-TZ",)):
        with pytest.raises(CaseError, match="asked about ASSUMED-NOT-INVOICED"):
            record_case(store, q, confirmation(EX1, *asked), operator="Ana", now=NOW)
    assert store.count_cases() == 0
    # Set by the operator (no invoice), nothing is assumed any more: nothing to ask.
    options = {"241559391310333": OrderOptions(invoiced=False, marketplace=False)}
    q = quote_instance(store, EX1, CANCEL_EX1, options)
    assert open_assumptions(q.flags) == ()
    result = record_case(store, q, confirmation(EX1), operator="Ana", now=NOW)
    text = result.ticket_text
    checked = text.split("Checked by the operator:")[1].split("\n\n")[0]
    assert "[order 241559391310333] invoice issued: no" in checked
    assert "[order 241559391310333] bought on the cloud marketplace: no" in checked


def test_the_ticket_names_the_account_and_separates_checked_from_assumed(store):
    q = quote_instance(store, EX1, CANCEL_EX1)
    result = record_case(
        store, q, confirmation(EX1, "ASSUMED-NOT-INVOICED"), operator="Ana", now=NOW
    )
    text = result.ticket_text
    assert f"Account:       1498573829450012 ({EX1_ACCOUNT_NAME})" in text
    checked = text.split("Checked by the operator:")[1].split("\n\n")[0]
    assert "ASSUMED-NOT-INVOICED — the customer was asked and said no invoice was issued" in checked
    assert "Still assumed" not in text and "DEMO DATA" not in text
    assert asked_in(result.case.confirmation_text) == ("ASSUMED-NOT-INVOICED",)

    # The replacement after a failed original-method refund keeps what was asked.
    new = recompute_original_failed(store, result.case_id, operator="Ana", reason="card expired")
    assert new.case.quote["by_destination"] == {"account_balance": "764.00"}
    assert "ASSUMED-NOT-INVOICED — the customer was asked" in new.ticket_text


def test_what_is_not_confirmed_is_listed_as_still_assumed():
    # A stored quote dict (quote_to_dict's shape) with a flag nobody confirmed.
    quote = {
        "instance_id": LATE,
        "kind": "enterprise",
        "account_id": LATE_ACCOUNT,
        "outcome": "refundable",
        "cancel_at": "2024-12-12T03:10:00+08:00",
        "policy": "iot-platform-refund",
        "policy_version": 1,
        "warnings": ["WARN-RELEASE-DELETE"],
        "advice": [],
        "flags": ["BORDERLINE-WINDOW", "ASSUMED-NOT-INVOICED"],
        "rules": ["ROUTE-ORIGINAL"],
        "orders": [],
        "by_destination": {"alipay": "2007.25"},
        "total_refund": "2007.25",
        "total_not_refundable": "3535.15",
        "total_consumed": "5402.60",
        "processed_by": "2024-12-16",
        "credited_between": None,
        "blocking": [],
        "complete": True,
        "trace": [],
    }
    text = render_ticket(
        quote,
        TicketContext(
            operator="Ana",
            recorded_at=NOW,
            account_name=LATE_ACCOUNT_NAME,
            demo=True,
            customer_asked=("ASSUMED-NOT-INVOICED",),
        ),
    )
    lines = text.splitlines()
    assert (
        lines[0]
        == lines[-1]
        == ("*** DEMO DATA — made-up customer and orders for practice: do not submit ***")
    )
    assert f"Account:       {LATE_ACCOUNT} ({LATE_ACCOUNT_NAME})" in text
    checked, still = text.split("Checked by the operator:")[1].split(
        "Still assumed or to be checked (not confirmed):"
    )
    still = still.split("\n\n")[0]
    assert "ASSUMED-NOT-INVOICED" in checked and "BORDERLINE-WINDOW" not in checked
    assert "BORDERLINE-WINDOW" in still and "ASSUMED-NOT-INVOICED" not in still


def test_a_case_on_the_demo_database_says_demo_data(store):
    store.set_role("demo")
    q = quote_instance(store, LATE, datetime(2024, 12, 31, 1, 0, tzinfo=CHINA_TZ))
    assert q.total_refund == Decimal("1817.51") and open_assumptions(q.flags) == ()
    result = record_case(store, q, confirmation(LATE), operator="Ana", now=NOW)
    assert result.ticket_text.startswith("*** DEMO DATA")
    assert f"({LATE_ACCOUNT_NAME})" in result.ticket_text
    assert result.case.cancel_at == datetime(2024, 12, 31, 1, 0, tzinfo=CHINA_TZ)

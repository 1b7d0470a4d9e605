"""services.cases: the rules a refund case must pass, whoever calls (window, script, test)."""

from __future__ import annotations

import threading
from datetime import datetime
from decimal import Decimal

import pytest

from refund_desk.demo_data import write_reference_exports
from refund_desk.errors import CaseError
from refund_desk.policy import CHINA_TZ, OrderOptions
from refund_desk.services import cases, fallback
from refund_desk.services.cases import ReleaseConfirmation, record_case
from refund_desk.services.quoting import quote_instance
from refund_desk.store import open_store
from refund_desk.store.importer import import_paths

EX1 = "iot-cn-7pp2mhxqz01"
EX4 = "iot-cn-2mv7wq9e604"
CANCEL_EX1 = datetime(2024, 3, 9, 9, 0, tzinfo=CHINA_TZ)


@pytest.fixture(scope="module")
def reference_exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cases-ref") / "exports"
    write_reference_exports(folder)
    return folder


@pytest.fixture(scope="module")
def template(reference_exports):
    """An SQLite database holding the reference instances (copied per test: faster than
    importing them each time)."""
    db = reference_exports.parent / "ref.db"
    store = open_store(db)
    try:
        assert not import_paths(store, [reference_exports], actor="tests").rejected
    finally:
        store.close()
    return db


@pytest.fixture
def store(db, request, reference_exports):
    """The reference instances in an empty database of the test's backend."""
    if db.backend == "sqlite":
        db.path.write_bytes(request.getfixturevalue("template").read_bytes())
        opened = open_store(db.target)
    else:
        opened = open_store(db.target)
        assert not import_paths(opened, [reference_exports], actor="tests").rejected
    yield opened
    opened.close()


def confirmed(instance_id: str, **kw) -> ReleaseConfirmation:
    """A valid confirmation; the operator also ticked "the customer was asked" for the open
    assumptions of these quotes (ASSUMED-NOT-INVOICED)."""
    kw.setdefault("customer_asked", ("ASSUMED-NOT-INVOICED",))
    return ReleaseConfirmation(instance_id, True, instance_id, **kw)


def test_records_case_ticket_and_audit(store):
    q = quote_instance(store, EX1, CANCEL_EX1)
    result = record_case(store, q, confirmed(EX1), operator="Ana")
    assert result.created
    case = store.get_case(result.case_id)
    assert case.status == cases.DRAFTED and case.confirmed and case.actor == "Ana"
    assert case.total_refund == Decimal("764.00")
    assert case.ticket_text == result.ticket_text and "CNY 764.00" in case.ticket_text
    assert case.quote["total_refund"] == "764.00"
    entries = store.audit_entries(entity="case", entity_id=str(case.case_id))
    by_action = {e.action: e for e in entries}
    assert set(by_action) == {"case.add", "case.confirm"}
    confirm = by_action["case.confirm"]
    assert confirm.actor == "Ana" and confirm.policy_version == 1
    assert confirm.detail["warnings_acknowledged"] == ["WARN-RELEASE-DELETE"]
    assert confirm.detail["by_destination"] == {"alipay": "764.00"}


@pytest.mark.parametrize(
    ("confirmation", "words"),
    [
        (None, "was not confirmed"),
        (ReleaseConfirmation(EX1, False, EX1), "tick that the customer"),
        (ReleaseConfirmation(EX1, True, ""), "type the instance id"),
        (ReleaseConfirmation(EX1, True, "iot-cn-7pp2mhxqz0"), "type the instance id"),
        (ReleaseConfirmation(EX4, True, EX4), "is for iot-cn-2mv7wq9e604"),
    ],
)
def test_refuses_without_valid_confirmation(store, confirmation, words):
    q = quote_instance(store, EX1, CANCEL_EX1)
    with pytest.raises(CaseError, match=words):
        record_case(store, q, confirmation, operator="Ana")
    assert store.count_cases() == 0


def test_typed_id_with_surrounding_spaces_is_accepted(store):
    q = quote_instance(store, EX1, CANCEL_EX1)
    record_case(
        store,
        q,
        ReleaseConfirmation(EX1, True, f"  {EX1} ", customer_asked=("ASSUMED-NOT-INVOICED",)),
        operator="Ana",
    )
    assert store.count_cases() == 1


def test_refuses_without_operator_name(store):
    q = quote_instance(store, EX1, CANCEL_EX1)
    with pytest.raises(CaseError, match="operator"):
        record_case(store, q, confirmed(EX1), operator="  ")


def test_zero_refund_needs_the_customer_told(store):
    q = quote_instance(store, EX4, datetime(2025, 6, 5, 12, tzinfo=CHINA_TZ))
    assert q.total_refund == 0 and "WARN-ZERO-REFUND" in q.warnings
    with pytest.raises(CaseError, match="0.00"):
        record_case(store, q, confirmed(EX4), operator="Ana")
    result = record_case(store, q, confirmed(EX4, zero_refund_told=True), operator="Ana")
    assert "refund is 0.00" in result.case.confirmation_text


def test_same_confirmation_records_one_case(store):
    q = quote_instance(store, EX1, CANCEL_EX1)
    confirmation = confirmed(EX1)
    first = record_case(store, q, confirmation, operator="Ana")
    second = record_case(store, q, confirmation, operator="Ana")
    assert first.created and not second.created
    assert second.case_id == first.case_id
    assert store.count_cases() == 1
    assert len(store.audit_entries(action="case.add")) == 1
    # A new confirmation (the dialog opened again) is refused: the instance has an open case.
    from refund_desk.errors import OpenCaseExistsError

    with pytest.raises(OpenCaseExistsError, match=f"open case: #{first.case_id}"):
        record_case(store, q, confirmed(EX1), operator="Ana")
    assert store.count_cases() == 1


def test_two_threads_with_one_confirmation_record_one_case(store):
    q = quote_instance(store, EX1, CANCEL_EX1)
    confirmation = confirmed(EX1)
    results, errors = [], []
    barrier = threading.Barrier(4)

    def press():
        barrier.wait()
        try:
            results.append(record_case(store, q, confirmation, operator="Ana"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=press) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r.created for r in results) == 1
    assert store.count_cases() == 1


def test_two_desks_on_one_database_record_one_case_per_confirmation(store):
    other_desk = open_store(store.url, create=False)
    try:
        q = quote_instance(store, EX1, CANCEL_EX1)
        confirmation = confirmed(EX1)
        first = record_case(store, q, confirmation, operator="Ana")
        second = record_case(other_desk, q, confirmation, operator="Bo")
        assert first.created and not second.created and second.case_id == first.case_id
        assert other_desk.count_cases() == 1
    finally:
        other_desk.close()


def test_the_database_refuses_a_second_case_with_the_same_confirmation_key(store):
    from refund_desk.errors import DuplicateConfirmationError

    q = quote_instance(store, EX1, CANCEL_EX1)
    kwargs = dict(
        instance_id=EX1, cancel_at=q.cancel_at, quote=q, actor="Ana", confirmation_key="k-1"
    )
    case_id = store.add_case(**kwargs)
    with pytest.raises(DuplicateConfirmationError) as err:
        store.add_case(**kwargs)
    assert err.value.case_id == case_id
    assert store.count_cases() == 1
    assert store.case_by_confirmation_key("k-1").case_id == case_id


def test_status_changes_are_checked_and_audited(store):
    q = quote_instance(store, EX1, CANCEL_EX1)
    case_id = record_case(store, q, confirmed(EX1), operator="Ana").case_id
    assert cases.set_status(store, case_id, "submitted", operator="Bo").status == "submitted"
    with pytest.raises(CaseError, match="needs a reason"):
        cases.set_status(store, case_id, "failed", operator="Bo")
    with pytest.raises(CaseError, match="Unknown case status"):
        cases.set_status(store, case_id, "lost", operator="Bo")
    with pytest.raises(CaseError, match="No case #999"):
        cases.set_status(store, 999, "refunded", operator="Bo")
    assert cases.set_status(store, case_id, "refunded", operator="Bo").status == "refunded"
    with pytest.raises(CaseError, match="final"):
        cases.set_status(store, case_id, "failed", operator="Bo", reason="bank said no")
    case_id = record_case(
        store, quote_instance(store, EX4, CANCEL_EX1.replace(year=2025)), confirmed(EX4),
        operator="Ana",
    ).case_id  # fmt: skip
    updated = cases.set_status(store, case_id, "failed", operator="Bo", reason="bank said no")
    assert updated.status == "failed" and updated.status_reason == "bank said no"
    statuses = [e for e in store.audit_entries(action="case.status") if e.actor == "Bo"]
    assert len(statuses) == 3


def test_original_failed_recomputes_with_fallback(store):
    q = quote_instance(
        store, EX1, CANCEL_EX1, {"241559391310333": OrderOptions(discount=Decimal("0.5"))}
    )
    assert q.total_refund == Decimal("882.00")
    first = record_case(store, q, confirmed(EX1), operator="Ana")
    new = fallback.recompute_original_failed(
        store, first.case_id, operator="Bo", reason="Alipay account closed"
    )
    old = store.get_case(first.case_id)
    assert old.status == "failed" and "Alipay account closed" in old.status_reason
    case = new.case
    assert case.status == "drafted" and case.actor == "Bo"
    # Same cancellation, same what-if inputs (discount kept), fallback route.
    assert case.total_refund == Decimal("882.00")
    assert case.quote["by_destination"] == {"account_balance": "882.00"}
    assert case.options["241559391310333"]["original_failed"] is True
    assert case.options["241559391310333"]["discount"] == "0.5"
    assert case.cancel_at == old.cancel_at
    assert "ROUTE-FALLBACK" in case.quote["rules"]
    with pytest.raises(CaseError, match="HISTORY-FALLBACK-DONE"):
        fallback.recompute_original_failed(store, first.case_id, operator="Bo", reason="again")
    with pytest.raises(CaseError, match="nothing falls back"):
        fallback.recompute_original_failed(store, case.case_id, operator="Bo", reason="x")
    # An account-balance payment has no fallback: nothing to recompute.
    q4 = quote_instance(store, EX4, datetime(2025, 3, 1, 12, tzinfo=CHINA_TZ))
    balance = record_case(store, q4, confirmed(EX4), operator="Ana")
    assert fallback.fallback_orders(balance.case.quote) == []
    with pytest.raises(CaseError, match="nothing falls back"):
        fallback.recompute_original_failed(store, balance.case_id, operator="Bo", reason="x")
    with pytest.raises(CaseError, match="why"):
        fallback.recompute_original_failed(store, case.case_id, operator="Bo", reason=" ")


def test_blocked_or_not_refundable_quotes_are_refused(store):
    from dataclasses import replace

    from refund_desk.policy import Outcome

    q = quote_instance(store, EX1, CANCEL_EX1)
    with pytest.raises(CaseError, match="blocked"):
        record_case(
            store,
            replace(q, blocking=("order 1: breakdown missing",)),
            confirmed(EX1),
            operator="Ana",
        )
    with pytest.raises(CaseError, match="no refund case"):
        record_case(
            store, replace(q, outcome=Outcome.NOT_REFUNDABLE), confirmed(EX1), operator="Ana"
        )
    assert store.count_cases() == 0


def test_a_failed_replacement_leaves_the_case_as_it_was(store, monkeypatch):
    from refund_desk.store import case_store

    q = quote_instance(store, EX1, CANCEL_EX1)
    first = record_case(store, q, confirmed(EX1), operator="Ana")
    real_append = case_store.audit_chain.append
    calls = []

    def append_then_disk_full(conn, entries):
        calls.append(1)
        if len(calls) == 2:  # the replacement's entries, after the old case was marked failed
            raise RuntimeError("disk full")
        return real_append(conn, entries)

    monkeypatch.setattr(case_store.audit_chain, "append", append_then_disk_full)
    with pytest.raises(RuntimeError):
        fallback.recompute_original_failed(
            store, first.case_id, operator="Ana", reason="bank said no"
        )
    monkeypatch.undo()
    assert store.get_case(first.case_id).status == cases.DRAFTED  # can be tried again
    assert store.count_cases() == 1 and store.verify_audit().intact
    again = fallback.recompute_original_failed(
        store, first.case_id, operator="Ana", reason="bank said no"
    )
    assert again.created and store.get_case(first.case_id).status == cases.FAILED


def test_the_replacement_ticket_counts_its_dates_from_now_and_says_why(store):
    """The replacement is requested when the original-method refund failed, long after the
    cancellation (2024-03-09): ETA-PROCESS counts from that request, never a date already past,
    and the ticket says which case failed and why."""
    first = record_case(
        store, quote_instance(store, EX1, CANCEL_EX1), confirmed(EX1), operator="Ana"
    )
    assert first.case.quote["processed_by"] == "2024-03-12"  # the original: from the cancellation
    failed_on = datetime(2024, 9, 27, 16, 30, tzinfo=CHINA_TZ)  # a Friday
    new = fallback.recompute_original_failed(
        store, first.case_id, operator="Bo", reason="Alipay account closed", now=failed_on
    )
    case = new.case
    # Day 1: Sunday 2024-09-29 (a make-up workday before National Day), day 2: Monday.
    assert case.quote["processed_by"] == "2024-09-30"
    ticket = case.ticket_text
    assert "  Processed by 2024-09-30 (ETA-PROCESS)" in ticket
    assert "2024-03-12" not in ticket
    assert (
        f"Replaces:      case #{first.case_id}: the original-method refund failed (Alipay "
        "account closed); this refund goes to the account balance (ROUTE-FALLBACK)"
    ) in ticket
    eta = next(t for t in case.quote["trace"] if t["rule"] == "ETA-PROCESS")
    assert eta["why"] == (
        "Expected to be processed by 2024-09-30: 2 business days after the replacement was "
        "requested on 2024-09-27 (the cancellation was on 2024-03-09; mainland China calendar)."
    )


def test_invoiced_with_the_marketplace_not_set_is_asked_and_written_as_such(store):
    """Invoice yes, marketplace not set: the quote assumes the official website
    (ROUTE-INVOICED, ASSUMED-NOT-INVOICED); the case needs the customer asked, and the ticket
    says what was asked, never "said no invoice was issued"."""
    options = {"241559391310333": OrderOptions(invoiced=True)}
    q = quote_instance(store, EX1, CANCEL_EX1, options)
    assert q.by_destination == {"account_balance": Decimal("764.00")}
    assert "ASSUMED-NOT-INVOICED" in q.flags
    with pytest.raises(CaseError, match="asked about ASSUMED-NOT-INVOICED"):
        record_case(store, q, ReleaseConfirmation(EX1, True, EX1), operator="Ana")
    ticket = record_case(store, q, confirmed(EX1), operator="Ana").ticket_text
    assert (
        "  ASSUMED-NOT-INVOICED — the customer was asked and said the order was bought on the "
        "official website, not the cloud marketplace (an invoice was issued, as set)"
    ) in ticket
    assert "said no invoice" not in ticket

"""RULES.md §7 in the policy core: what already happened to the instance decides first.

Example 1 of RULES.md §6 (764.00 to Alipay) with, in turn, a refund order, a case marked
refunded, a release, an open case and an open fallback replacement in its history."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from refund_desk.policy import (
    CaseFact,
    InstanceHistory,
    InstanceKind,
    Outcome,
    RefundOrderFact,
    quote,
    quote_to_dict,
)
from refund_desk.wording_rules import explain


@pytest.fixture
def ex1(build):
    return build.enterprise(build.order("241559391310333", cash="1000.00", voucher="200.00"))


def with_history(instance, **history):
    return replace(instance, history=InstanceHistory(**history))


def case(build, case_id=7, status="submitted", **kw) -> CaseFact:
    return CaseFact(
        case_id=case_id,
        status=status,
        operator=kw.pop("operator", "Ana"),
        recorded_at=build.cn("2024-03-09 09:05"),
        total_refund=Decimal("764.00"),
        by_destination=(("alipay", Decimal("764.00")),),
        **kw,
    )


def test_no_history_quotes_example_1_as_before(build, ex1):
    q = quote(ex1, build.cn("2024-03-09 09:00"))
    assert q.outcome is Outcome.REFUNDABLE and q.total_refund == Decimal("764.00")
    assert q.recordable and q.open_case is None and q.history_blocking == ()
    assert not any(r.startswith("HISTORY-") for r in q.all_ids)


def test_a_refund_order_means_already_refunded_without_amounts(build, ex1):
    refund = RefundOrderFact(
        "241600000000001",
        related_order_id="241559391310333",
        refunded_at=build.utc("2024-04-02T02:00:00Z"),
        amount=Decimal("764.00"),
    )
    q = quote(with_history(ex1, refund_orders=(refund,)), build.cn("2024-05-01 09:00"))
    assert q.outcome is Outcome.ALREADY_REFUNDED
    assert q.orders == () and q.total_refund == 0 and q.by_destination == {}
    assert q.processed_by is None and q.warnings == ()
    assert q.rules == ("HISTORY-REFUNDED",) and not q.recordable
    (entry,) = q.trace
    assert explain(entry) == (
        "The billing data holds refund order 241600000000001, refunding order "
        "241559391310333, made on 2024-04-02 10:00 China time of CNY 764.00: the instance is "
        "already refunded; no new case may be recorded."
    )
    data = quote_to_dict(q)
    assert data["outcome"] == "already_refunded"
    assert data["history"]["refund_orders"] == [
        {
            "order_id": "241600000000001",
            "related_order_id": "241559391310333",
            "refunded_at": "2024-04-02T02:00:00+00:00",
            "amount": "764.00",
        }
    ]


def test_a_case_marked_refunded_means_already_refunded(build, ex1):
    done = case(build, status="refunded", changed_at=build.cn("2024-03-20 15:00"))
    q = quote(with_history(ex1, cases=(done,)), build.cn("2024-03-21 09:00"))
    assert q.outcome is Outcome.ALREADY_REFUNDED and not q.recordable
    assert q.open_case is None
    assert "Case #7 (recorded by Ana) was marked refunded on 2024-03-20 15:00 China time" in (
        explain(q.trace[0])
    )
    assert quote_to_dict(q)["history"]["cases"][0]["status"] == "refunded"


def test_released_without_refund_means_released(build, ex1):
    q = quote(
        with_history(
            ex1, released=True, status="Released", release_time=build.utc("2024-06-01T00:00Z")
        ),
        build.cn("2024-06-02 09:00"),
    )
    assert q.outcome is Outcome.RELEASED and q.rules == ("HISTORY-RELEASED",)
    assert q.total_refund == 0 and q.orders == () and not q.recordable
    assert "released on 2024-06-01 08:00 China time (status Released)" in explain(q.trace[0])


def test_a_refund_wins_over_a_release(build, ex1):
    refund = RefundOrderFact("241600000000001", "241559391310333")
    q = quote(
        with_history(ex1, refund_orders=(refund,), released=True), build.cn("2024-06-02 09:00")
    )
    assert q.outcome is Outcome.ALREADY_REFUNDED
    assert "HISTORY-RELEASED" not in q.all_ids


def test_an_open_case_keeps_the_figures_as_a_what_if_and_blocks_recording(build, ex1):
    q = quote(with_history(ex1, cases=(case(build),)), build.cn("2024-03-09 09:00"))
    assert q.outcome is Outcome.REFUNDABLE and q.total_refund == Decimal("764.00")
    assert q.complete and q.blocking == ()  # the figures are whole: no "no total yet"
    assert not q.recordable and q.open_case.case_id == 7
    (reason,) = q.history_blocking
    assert reason == (
        "case #7 (submitted, recorded by Ana on 2024-03-09 09:05 China time, CNY 764.00) is "
        "open for this instance: continue it in Cases; a new case cannot be recorded "
        "(HISTORY-OPEN-CASE)"
    )
    assert "HISTORY-OPEN-CASE" in q.rules
    data = quote_to_dict(q)
    assert data["open_case"]["case_id"] == 7 and data["open_case"]["operator"] == "Ana"
    assert data["open_case"]["total_refund"] == "764.00"
    assert data["history_blocking"] == [reason]


@pytest.mark.parametrize("status", ["failed", "duplicate"])
def test_a_closed_case_does_not_block(build, ex1, status):
    q = quote(with_history(ex1, cases=(case(build, status=status),)), build.cn("2024-03-09"))
    assert q.recordable and q.open_case is None


def test_an_open_replacement_is_fallback_done(build, ex1):
    failed = case(build, 7, "failed")
    replacement = case(build, 8, "drafted", replaces_case_id=7)
    q = quote(with_history(ex1, cases=(failed, replacement)), build.cn("2024-03-09 09:00"))
    assert q.open_case.case_id == 8
    assert {"HISTORY-OPEN-CASE", "HISTORY-FALLBACK-DONE"} <= set(q.rules)
    assert "already replaces failed case #7" in q.history_blocking[1]
    fallback = next(e for e in q.trace if e.rule_id == "HISTORY-FALLBACK-DONE")
    assert explain(fallback) == (
        "The original-method refund of case #7 failed and case #8 already replaces it with the "
        "account balance: a second replacement cannot be recorded."
    )


def test_old_public_instance_with_a_release_is_released(build):
    from refund_desk.policy import InstanceInput

    instance = InstanceInput(
        "iot-cn-old", InstanceKind.OLD_PUBLIC, history=InstanceHistory(released=True)
    )
    q = quote(instance, build.cn("2024-06-02 09:00"))
    assert q.outcome is Outcome.RELEASED and q.advice == ()


def test_json_of_a_quote_without_history_keeps_its_keys(build, ex1):
    data = quote_to_dict(quote(ex1, build.cn("2024-03-09 09:00")))
    assert data["history"] == {
        "refund_orders": [],
        "released": False,
        "release_time": None,
        "status": None,
        "cases": [],
    }
    assert data["open_case"] is None and data["history_blocking"] == []
    assert data["outcome"] == "refundable" and data["total_refund"] == "764.00"

"""Grading answers against the policy core: per-field marks, misses explained with rule ids and
the simulator's sentences."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from refund_desk.policy import Outcome, TraceEntry
from refund_desk.training.grading import (
    FIELDS,
    Answer,
    grade,
    grade_scenario,
    model_answer,
    requires_confirmation,
)
from refund_desk.wording_rules import explain


def test_the_model_answer_gets_every_field_right(starter_quotes):
    for sid, (_, q) in starter_quotes.items():
        g = grade(q, model_answer(q), scenario_id=sid)
        assert [m.field for m in g.marks] == list(FIELDS)
        assert g.score == g.total == len(FIELDS), (sid, [m for m in g.misses])


def example_1_answer(**changes) -> Answer:
    answer = Answer(
        outcome=Outcome.REFUNDABLE,
        destinations={"alipay": Decimal("764.00")},
        total_refund=Decimal("764.00"),
        processed_by=date(2024, 3, 12),
        warnings=frozenset({"WARN-RELEASE-DELETE"}),
        checks=frozenset(),
        confirmed_release=True,
    )
    return replace(answer, **changes)


def test_right_answer_to_example_1(starter_pack):
    scenario = starter_pack.scenario("E03-example-1-alipay-voucher")
    _, g = grade_scenario(scenario, example_1_answer())
    assert g.score == g.total


@pytest.mark.parametrize(
    ("changes", "field", "rule_ids"),
    [
        ({"outcome": Outcome.NOT_REFUNDABLE}, "outcome", {"KIND-ENTERPRISE"}),
        (
            {"destinations": {"account_balance": Decimal("764.00")}},
            "destinations",
            {"ROUTE-ORIGINAL", "DATE-CUTOFF", "DATE-WINDOW"},
        ),
        (
            {"total_refund": Decimal("964.00")},
            "total_refund",
            {"AMOUNT-BASIS", "AMOUNT-CONSUMED", "AMOUNT-ROUNDING"},
        ),
        ({"total_refund": None}, "total_refund", {"AMOUNT-BASIS"}),
        ({"processed_by": date(2024, 3, 11)}, "processed_by", {"ETA-PROCESS"}),
        ({"warnings": frozenset()}, "warnings", {"WARN-RELEASE-DELETE"}),
        ({"checks": frozenset({"ASSUMED-NOT-INVOICED"})}, "checks", set()),
        ({"confirmed_release": False}, "confirmation", {"WARN-RELEASE-DELETE"}),
    ],
)
def test_each_miss_is_one_field_with_its_rules(starter_pack, changes, field, rule_ids):
    scenario = starter_pack.scenario("E03-example-1-alipay-voucher")
    q, g = grade_scenario(scenario, example_1_answer(**changes))
    assert [m.field for m in g.misses] == [field]
    miss = g.mark(field)
    assert rule_ids <= set(miss.rule_ids)
    for rid, order_id, sentence in miss.explanations:
        entry = next(e for e in q.trace if e.rule_id == rid and e.order_id == order_id)
        assert sentence == explain(entry)
    assert miss.expected != miss.given


def test_destination_miss_explains_the_route(starter_pack):
    """Example 3 answered "Alipay": the miss cites ROUTE-LATE and the cut-off sentence."""
    scenario = starter_pack.scenario("H19-example-3-cutoff-utc")
    answer = Answer(
        outcome=Outcome.REFUNDABLE,
        destinations={"alipay": Decimal("2350.00")},
        total_refund=Decimal("2350.00"),
        processed_by=date(2019, 6, 4),
        warnings=frozenset({"WARN-RELEASE-DELETE"}),
        checks=frozenset(),
        confirmed_release=True,
    )
    _, g = grade_scenario(scenario, answer)
    assert {m.field for m in g.misses} == {"destinations", "checks"}
    dest = g.mark("destinations")
    assert "ROUTE-LATE" in dest.rule_ids and "DATE-CUTOFF" in dest.rule_ids
    sentences = " ".join(s for _, _, s in dest.explanations)
    assert "not after the cut-off 2019-03-29" in sentences
    assert "2019-03-28 17:30 UTC" in sentences and "2019-03-29 01:30 China time" in sentences
    assert dest.expected == "CNY 2,350.00 to Alibaba Cloud account balance"
    assert g.mark("checks").rule_ids == ("BORDERLINE-CUTOFF",)


def test_zero_destinations_are_ignored_and_unlisted_channels_compare_by_name(starter_quotes):
    _, q = starter_quotes["M11-fully-consumed"]
    answer = replace(model_answer(q), destinations={"alipay": Decimal("0.00")})
    assert grade(q, answer).mark("destinations").correct
    _, q = starter_quotes["M10-unlisted-channel"]
    assert model_answer(q).destinations == {"CreditCard": Decimal("5265.00")}
    wrong = replace(model_answer(q), destinations={"alipay": Decimal("5265.00")})
    assert not grade(q, wrong).mark("destinations").correct
    assert "CHANNEL-UNLISTED" in grade(q, wrong).mark("destinations").rule_ids


def test_blocked_quote_must_not_be_confirmed(starter_quotes):
    for sid in ("H22-data-missing", "X25-several-instances"):
        _, q = starter_quotes[sid]
        assert q.blocking and not requires_confirmation(q)
        confirmed = replace(model_answer(q), confirmed_release=True)
        mark = grade(q, confirmed).mark("confirmation")
        assert not mark.correct and mark.expected == "no case recorded"


def test_non_refundable_needs_no_date_and_no_confirmation(starter_quotes):
    _, q = starter_quotes["E02-old-public"]
    model = model_answer(q)
    assert model.processed_by is None and not model.confirmed_release
    assert model.warnings == {"ADVICE-DISABLE-DEVICES"}
    dated = replace(model, processed_by=date(2024, 5, 8))
    assert not grade(q, dated).mark("processed_by").correct
    no_advice = replace(model, warnings=frozenset())
    miss = grade(q, no_advice).mark("warnings")
    assert not miss.correct
    assert miss.explanations == (
        ("ADVICE-DISABLE-DEVICES", None, explain(TraceEntry("ADVICE-DISABLE-DEVICES"))),
    )


def test_several_destinations_must_all_be_right(starter_quotes):
    _, q = starter_quotes["H24-two-channels"]
    model = model_answer(q)
    assert model.destinations == {
        "alipay": Decimal("100.00"),
        "online_banking": Decimal("3285.00"),
    }
    one_only = replace(model, destinations={"online_banking": Decimal("3285.00")})
    assert not grade(q, one_only).mark("destinations").correct
    assert grade(q, one_only).mark("total_refund").correct


def test_a_destination_miss_is_charged_to_route_or_amount_rules(starter_pack):
    scenario = starter_pack.scenario("E03-example-1-alipay-voucher")
    _, wrong_place = grade_scenario(
        scenario, example_1_answer(destinations={"account_balance": Decimal("764.00")})
    )
    place = set(wrong_place.mark("destinations").rule_ids)
    assert "ROUTE-ORIGINAL" in place and not place & {"AMOUNT-BASIS", "AMOUNT-CONSUMED"}
    _, wrong_amount = grade_scenario(
        scenario, example_1_answer(destinations={"alipay": Decimal("964.00")})
    )
    amount = set(wrong_amount.mark("destinations").rule_ids)
    assert {"AMOUNT-BASIS", "AMOUNT-CONSUMED", "AMOUNT-ROUNDING"} <= amount
    assert "ROUTE-ORIGINAL" not in amount
    _, both = grade_scenario(
        scenario, example_1_answer(destinations={"account_balance": Decimal("1.00")})
    )
    assert {"ROUTE-ORIGINAL", "AMOUNT-CONSUMED"} <= set(both.mark("destinations").rule_ids)
    _, right = grade_scenario(scenario, example_1_answer())
    assert {"ROUTE-ORIGINAL", "AMOUNT-CONSUMED"} <= set(right.mark("destinations").rule_ids)

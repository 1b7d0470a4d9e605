"""The bundle's golden-quote check compares the fields the snapshot holds, and no fewer."""

from __future__ import annotations

import json


def test_equal_on_the_expected_keys(check_bundle_quotes):
    expected = {"outcome": "refundable", "orders": [{"refund": "764.00", "rules": ["A", "B"]}]}
    actual = {
        "outcome": "refundable",
        "trace": ["extra keys are fine"],
        "orders": [{"refund": "764.00", "rules": ["A", "B"], "payment_date": "2024-01-10"}],
    }
    assert check_bundle_quotes.differences(expected, actual) == []


def test_every_kind_of_difference_is_named(check_bundle_quotes):
    expected = {
        "outcome": "refundable",
        "processed_by": "2024-03-12",
        "orders": [{"refund": "764.00"}],
        "rules": ["A", "B"],
        "by_destination": {"alipay": "764.00"},
    }
    actual = {
        "outcome": "blocked",
        "orders": [{"refund": "765.00"}],
        "rules": ["A"],
        "by_destination": None,
    }
    found = check_bundle_quotes.differences(expected, actual)
    assert found == [
        ".outcome: expected 'refundable', got 'blocked'",
        ".processed_by: missing",
        ".orders[0].refund: expected '764.00', got '765.00'",
        ".rules: expected ['A', 'B'], got ['A']",
        ".by_destination: expected an object, got None",
    ]


def test_cases_cover_scenarios_and_a_sample_of_instances(check_bundle_quotes):
    golden = json.loads(check_bundle_quotes.GOLDEN.read_text(encoding="utf-8"))
    some = check_bundle_quotes.cases(golden, check_all=False)
    every = check_bundle_quotes.cases(golden, check_all=True)
    n_scen = len(golden["scenarios"])
    assert len(every) == n_scen + len(golden["instances"])
    assert n_scen < len(some) < len(every)
    assert all(c[1] == golden["fixed_cancel_at"] for c in some[n_scen:])

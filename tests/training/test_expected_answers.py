"""The answers written by hand in the starter pack agree with the policy core."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from refund_desk.policy.money import ZERO
from refund_desk.training.pack import builtin_packs_dir, load_pack

STARTER = builtin_packs_dir() / "starter.json"


def disagreements(scenario, q) -> list[str]:
    """Where the hand-written ``expected`` of ``scenario`` differs from quote ``q`` (empty when
    they agree)."""
    e = scenario.expected
    problems = []
    if e.outcome != q.outcome:
        problems.append(f"outcome {e.outcome} != {q.outcome}")
    core_dests = {d: a for d, a in q.by_destination.items() if a != ZERO}
    if e.destinations != core_dests:
        problems.append(f"destinations {e.destinations} != {core_dests}")
    if e.total_refund != q.total_refund:
        problems.append(f"total {e.total_refund} != {q.total_refund}")
    if e.processed_by != q.processed_by:
        problems.append(f"processed_by {e.processed_by} != {q.processed_by}")
    if e.warnings != set(q.warnings):
        problems.append(f"warnings {sorted(e.warnings)} != {list(q.warnings)}")
    if e.advice != set(q.advice):
        problems.append(f"advice {sorted(e.advice)} != {list(q.advice)}")
    if e.flags is not None and e.flags != set(q.flags):
        problems.append(f"flags {sorted(e.flags)} != {list(q.flags)}")
    return problems


def with_expected():
    return [s for s in load_pack(STARTER).scenarios if s.expected is not None]


def test_at_least_ten_hand_written_answers():
    assert len(with_expected()) >= 10


@pytest.mark.parametrize("scenario", with_expected(), ids=lambda s: s.scenario_id)
def test_hand_written_answer_agrees_with_the_core(scenario):
    assert disagreements(scenario, scenario.quote()) == []


def test_the_check_can_fail():
    """A hand-written answer one fen off, or with a missing flag, is caught."""
    scenario = next(s for s in with_expected() if s.scenario_id.startswith("H17"))
    q = scenario.quote()
    off = replace(scenario.expected, total_refund=scenario.expected.total_refund + Decimal("0.01"))
    assert disagreements(replace(scenario, expected=off), q)
    no_flag = replace(scenario.expected, flags=frozenset())
    assert any("flags" in p for p in disagreements(replace(scenario, expected=no_flag), q))

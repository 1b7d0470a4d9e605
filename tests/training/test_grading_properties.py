"""Property: changing any one field of the model answer makes exactly that field wrong, and the
miss always carries the rule ids and explain sentences of the quote's trace."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from refund_desk.policy import Outcome
from refund_desk.training.grading import grade, model_answer
from refund_desk.training.pack import builtin_packs_dir, load_pack
from refund_desk.training.scenario import FLAG_IDS, WARNING_IDS

PACK = load_pack(builtin_packs_dir() / "starter.json")
QUOTES = [(s.scenario_id, s.quote()) for s in PACK.scenarios]


def _perturb(model, field, data):
    if field == "outcome":
        return replace(
            model, outcome=data.draw(st.sampled_from([o for o in Outcome if o != model.outcome]))
        )
    if field == "destinations":
        fen = Decimal(data.draw(st.integers(1, 99_999))) / 100
        dest = data.draw(st.sampled_from(["alipay", "online_banking", "account_balance"]))
        changed = dict(model.destinations)
        changed[dest] = changed.get(dest, Decimal(0)) + fen
        return replace(model, destinations=changed)
    if field == "total_refund":
        return replace(model, total_refund=model.total_refund + Decimal("0.01"))
    if field == "processed_by":
        if model.processed_by is None:
            from datetime import date

            return replace(model, processed_by=date(2024, 1, 2))
        days = data.draw(st.sampled_from([-1, 1, 2]))
        return replace(model, processed_by=model.processed_by + timedelta(days=days))
    if field == "warnings":
        rid = data.draw(st.sampled_from(WARNING_IDS))
        return replace(model, warnings=model.warnings ^ {rid})
    if field == "checks":
        rid = data.draw(st.sampled_from(FLAG_IDS))
        return replace(model, checks=model.checks ^ {rid})
    return replace(model, confirmed_release=not model.confirmed_release)


@settings(max_examples=150, deadline=None)
@given(
    index=st.integers(0, len(QUOTES) - 1),
    field=st.sampled_from(
        [
            "outcome",
            "destinations",
            "total_refund",
            "processed_by",
            "warnings",
            "checks",
            "confirmation",
        ]
    ),
    data=st.data(),
)
def test_one_changed_field_is_the_one_miss(index, field, data):
    sid, q = QUOTES[index]
    model = model_answer(q)
    assert grade(q, model).misses == ()
    g = grade(q, _perturb(model, field, data), scenario_id=sid)
    assert [m.field for m in g.misses] == [field]
    (miss,) = g.misses
    assert miss.expected != miss.given
    trace_ids = {e.rule_id for e in q.trace}
    assert set(miss.rule_ids) <= trace_ids

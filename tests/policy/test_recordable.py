""" "Can this quote be recorded?" has one home: ``Quote.not_recordable`` (a code, in a fixed
order); ``Quote.recordable``, the services' words and the trainer's grading all read it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from refund_desk.policy import NotRecordable, Outcome, quote


@pytest.fixture
def ex1_quote(build):
    instance = build.enterprise(build.order("241559391310333", cash="1000.00", voucher="200.00"))
    return quote(instance, build.cn("2024-03-09 09:00"))


@pytest.mark.parametrize(
    ("outcome", "blocking", "history_blocking", "code"),
    [
        (Outcome.REFUNDABLE, (), (), None),
        (Outcome.ALREADY_REFUNDED, ("x",), ("y",), NotRecordable.ALREADY_REFUNDED),
        (Outcome.RELEASED, ("x",), ("y",), NotRecordable.RELEASED),
        (Outcome.NOT_REFUNDABLE, ("x",), ("y",), NotRecordable.NOT_REFUNDABLE),
        (Outcome.NOTHING_TO_REFUND, (), (), NotRecordable.NOT_REFUNDABLE),
        (Outcome.REFUNDABLE, ("x",), ("y",), NotRecordable.HISTORY_BLOCKED),
        (Outcome.REFUNDABLE, ("x",), (), NotRecordable.BLOCKED),
        (Outcome.REFUNDABLE, (), ("y",), NotRecordable.HISTORY_BLOCKED),
    ],
)
def test_the_first_reason_in_order_decides(ex1_quote, outcome, blocking, history_blocking, code):
    q = replace(ex1_quote, outcome=outcome, blocking=blocking, history_blocking=history_blocking)
    assert q.not_recordable is code
    assert q.recordable is (code is None)


def test_services_and_grading_read_the_same_decision(ex1_quote):
    from refund_desk.services.cases import why_not_recordable
    from refund_desk.training.grading import requires_confirmation

    for code in (None, *NotRecordable):
        q = ex1_quote
        if code is NotRecordable.NOT_REFUNDABLE:
            q = replace(q, outcome=Outcome.NOT_REFUNDABLE)
        elif code is NotRecordable.BLOCKED:
            q = replace(q, blocking=("MISSING-PAYMENT",))
        elif code is NotRecordable.HISTORY_BLOCKED:
            q = replace(q, history_blocking=("HISTORY-OPEN-CASE",))
        elif code is not None:
            q = replace(q, outcome=Outcome(code.value))
        assert q.not_recordable is code
        assert (why_not_recordable(q) is None) is (code is None)
        assert requires_confirmation(q) is (code is None)

"""Across the starter pack, the policy core's own traces produce every rule, warning, advice and
flag id of docs/RULES.md; and the pack covers the boundary cases the issue names."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from refund_desk.policy import CHINA_TZ, Outcome, Route, china_calendar
from refund_desk.policy.rules import RULES

RULES_MD = Path(__file__).resolve().parents[2] / "docs" / "RULES.md"
ID_PATTERN = re.compile(r"`([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)`")


def rules_md_ids() -> set[str]:
    """Every backticked id of RULES.md (``KIND-NEW-PUBLIC``…; wildcards like ``KIND-*`` skipped)."""
    return set(ID_PATTERN.findall(RULES_MD.read_text(encoding="utf-8")))


def test_rules_md_enumeration_is_sane():
    ids = rules_md_ids()
    assert len(ids) >= 28
    assert {"KIND-NEW-PUBLIC", "WARN-ZERO-REFUND", "ETA-CALENDAR-ESTIMATE"} <= ids
    assert ids == set(RULES), "RULES.md and the policy catalogue list the same ids"


def test_every_rules_md_id_is_produced_by_the_core(starter_quotes):
    produced: set[str] = set()
    for _, q in starter_quotes.values():
        produced |= set(q.all_ids)
        produced |= {e.rule_id for e in q.trace}
    never = sorted(rules_md_ids() - produced)
    assert not never, f"never produced across the starter pack: {never}"


def _orders(starter_quotes):
    for s, q in starter_quotes.values():
        for oq in q.orders:
            yield s, q, oq


def test_boundary_cases_are_in_the_pack(starter_quotes):
    orders = list(_orders(starter_quotes))
    days = {oq.days_since_payment for _, _, oq in orders}
    assert 548 in days and 549 in days, "day 548 and day 549"
    assert any(oq.payment_date == date(2019, 3, 29) for _, _, oq in orders), "cut-off day"
    assert any(oq.payment_date == date(2019, 3, 30) for _, _, oq in orders), "day after cut-off"
    # A UTC payment time that is the next day in China.
    assert any(
        o.payment_time.utcoffset().total_seconds() == 0
        and o.payment_time.date() != o.payment_time.astimezone(CHINA_TZ).date()
        for s, _ in starter_quotes.values()
        for o in s.orders
        if o.payment_time
    )
    rules = {r for _, _, oq in orders for r in oq.rules}
    assert {"ROUTE-INVOICED", "ROUTE-FALLBACK", "AMOUNT-PENDING-RENEWAL"} <= rules
    assert any(
        s.options.get(oq.order_id)
        and s.options[oq.order_id].marketplace
        and s.options[oq.order_id].invoiced
        and oq.route is Route.ORIGINAL_METHOD
        for s, _, oq in orders
    ), "marketplace with an invoice still goes back the original way"
    assert any(oq.not_refundable > 0 for _, _, oq in orders), "vouchers or coupons"
    zero = [q for _, q in starter_quotes.values() if "WARN-ZERO-REFUND" in q.warnings]
    assert len(zero) >= 2, "voucher-only and fully consumed"
    outcomes = {q.outcome for _, q in starter_quotes.values()}
    assert outcomes == set(Outcome)


def test_holidays_with_make_up_workdays(starter_quotes):
    """At least one processed-by date crosses a make-up workday, and Spring Festival and
    National Day are both in the pack."""
    cal = china_calendar()
    crossing = []
    for _, q in starter_quotes.values():
        if q.processed_by is None:
            continue
        day = q.cancel_date
        while day < q.processed_by:
            day = date.fromordinal(day.toordinal() + 1)
            if day.weekday() >= 5 and cal.is_business_day(day):
                crossing.append(day)
    months = {(d.month) for d in crossing}
    assert crossing, "no make-up workday crossed"
    assert any(
        q.cancel_date <= date(2024, 10, 1) <= q.processed_by
        for _, q in starter_quotes.values()
        if q.processed_by
    ), "National Day"
    assert any(m in (1, 2) for m in months), "Spring Festival make-up workday"


def test_all_four_reference_examples(starter_quotes):
    """RULES.md §6 examples 1–4 (and 5) are scenarios, with the figures of RULES.md."""
    by_figures = {
        (q.total_refund, q.processed_by, tuple(sorted(q.by_destination.items())))
        for _, q in starter_quotes.values()
    }
    assert (
        Decimal("764.00"),
        date(2024, 3, 12),
        (("alipay", Decimal("764.00")),),
    ) in by_figures
    assert (
        Decimal("308.00"),
        date(2025, 7, 15),
        (("online_banking", Decimal("308.00")),),
    ) in by_figures
    assert (
        Decimal("2350.00"),
        date(2019, 6, 4),
        (("account_balance", Decimal("2350.00")),),
    ) in by_figures
    ex2 = [q for _, q in starter_quotes.values() if q.total_refund == Decimal("308.00")]
    assert ex2[0].credited_between == (date(2025, 7, 17), date(2025, 7, 18))
    kinds = {q.outcome for _, q in starter_quotes.values() if not q.orders}
    assert {Outcome.NOT_REFUNDABLE, Outcome.NOTHING_TO_REFUND} <= kinds

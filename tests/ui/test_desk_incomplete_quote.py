"""An incomplete quote (one order blocked: its payment channel was never imported) is never shown
as the refund: no bold total, no "To …" lines as if final, the blocking reasons first, no case,
and a ticket rendered from it says "no total yet"."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

from refund_desk.policy import quote_to_dict
from refund_desk.services.tickets import TicketContext, render_ticket
from tests.helpers.desk_fixtures import PARTIAL, PARTIAL_MISSING, china, save, search_and_open


def open_partial(qtbot, window):
    search_and_open(qtbot, window, PARTIAL, PARTIAL)
    window.quote_panel.set_cancel_at(china(2024, 7, 15, 12, 0))
    q = window.quote_panel.quote()
    assert not q.complete and len(q.blocking) == 1 and PARTIAL_MISSING in q.blocking[0]
    assert q.total_refund > 0  # the good orders' part: known, but not the refund
    return q


def test_partial_sum_is_never_presented_as_the_refund(qtbot, window, tmp_path):
    window.resize(1440, 900)
    q = open_partial(qtbot, window)
    panel = window.quote_panel
    partial = f"CNY {q.total_refund:,.2f}"

    outcome = panel.outcome_label.text()
    assert "no total yet" in outcome and "1 blocked order" in outcome
    assert "CNY" not in outcome
    blocked = panel.alerts.boxes["blocked"]
    assert blocked.isVisibleTo(window) and PARTIAL_MISSING in blocked.text()
    assert "NO TOTAL YET" in blocked.text()
    # The blocked box comes first, above every other alert.
    shown = [b for b in panel.alerts.boxes.values() if b.isVisibleTo(window)]
    assert shown[0] is blocked

    totals = panel.totals_label.text()
    assert "Known so far, without 1 blocked order" in totals
    assert "not the refund" in totals
    assert "Total refund" not in totals
    assert "<b>" not in totals  # nothing in bold: nothing reads as final
    assert not re.search(r">To ", totals)  # only "so far to …" lines
    assert partial in totals and "#777777" in totals  # greyed
    assert panel.partial_label.isVisibleTo(window)
    assert "not the refund" in panel.partial_label.text()
    assert "incomplete" in panel.money_box.title()

    # The blocked order's row says so in the per-order table (checks column, full reason).
    model = panel.orders_model
    row = next(
        r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == PARTIAL_MISSING
    )
    assert model.data(model.index(row, 2)) == "blocked"
    assert "missing payment channel" in model.data(model.index(row, 9))

    # Recording stays refused.
    assert not panel.record_button.isEnabled()
    assert "Cannot be recorded" in panel.record_note.text()
    window.record_case()
    assert window.record_flow.dialog is None
    assert window.session.store.count_cases() == 0
    save(window, "partial-quote", tmp_path)
    window.quote_scroll.verticalScrollBar().setValue(panel.money_box.y())
    save(window, "partial-quote-money", tmp_path)


def test_a_complete_quote_still_shows_the_total_in_bold(qtbot, window):
    open_partial(qtbot, window)
    search_and_open(qtbot, window, "iot-cn-7pp", "iot-cn-7pp2mhxqz01")
    panel = window.quote_panel
    panel.set_cancel_at(china(2024, 3, 9, 9, 0))
    assert panel.outcome_label.text() == "Refundable by ticket: CNY 764.00"
    assert "<b>Total refund</b>" in panel.totals_label.text()
    assert "Known so far" not in panel.totals_label.text()
    assert not panel.partial_label.isVisibleTo(window)
    assert panel.money_box.title() == "Money and dates"


def test_ticket_of_an_incomplete_quote_has_no_total(qtbot, window):
    q = open_partial(qtbot, window)
    context = TicketContext(operator="Ana Li", recorded_at=datetime(2024, 7, 15, 4, tzinfo=UTC))
    data = quote_to_dict(q)
    old_shape = {k: v for k, v in data.items() if k != "complete"}  # stored before `complete`
    for quote_dict in (data, old_shape):
        text = render_ticket(quote_dict, context)
        assert "NO TOTAL YET: 1 blocked order" in text
        assert "Blocked — no total yet; do not submit this as the refund:" in text
        assert PARTIAL_MISSING in text
        assert "Known so far, without 1 blocked order (NOT the refund):" in text
        assert f"partial sum, not the refund: CNY {q.total_refund:,.2f}" in text
        assert "Total refund" not in text and "Refund per destination" not in text
    # A complete quote's ticket is unchanged: a total and the refund per destination.
    complete = render_ticket({**data, "blocking": [], "complete": True}, context)
    assert "Total refund: CNY" in complete and "NO TOTAL YET" not in complete
    assert Decimal(data["total_refund"]) == q.total_refund

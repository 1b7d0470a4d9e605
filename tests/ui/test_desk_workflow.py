"""The operator's whole workflow in the window, end to end on a real SQLite file built by the
real importer: search → quote (RULES.md §6 figures) → confirm → ticket → stored case and audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from refund_desk.ui.instance_panel import ORDER_COLUMN
from tests.helpers.desk_fixtures import (
    EX1,
    EX2,
    EX3,
    EX4,
    NO_BILL,
    OLD_PUBLIC,
    OPERATOR,
    china,
    search_and_open,
)


def test_example_1_search_quote_confirm_ticket(qtbot, window, tmp_path):
    store = window.session.store
    search_and_open(qtbot, window, "iot-cn-7pp", EX1)
    header = window.instance_panel.header_label.text()
    assert EX1 in header and "Enterprise" in header and "1498573829450012" in header
    orders = window.instance_panel.orders_model
    assert orders.rowCount() == 1
    cells = {key: orders.data(orders.index(0, col)) for key, col in ORDER_COLUMN.items()}
    assert cells["order"] == "241559391310333"
    assert cells["paid_china"] == "2024-01-10 10:00"  # payment time, China time
    assert "2024-01-10" in cells["paid_local"]  # and the operator's local time
    assert cells["cash"] == "1,000.00" and cells["voucher"] == "200.00"
    assert cells["channel"] == "Alipay"

    panel = window.quote_panel
    panel.set_cancel_at(china(2024, 3, 9, 9, 0))
    q = panel.quote()
    assert q.total_refund == Decimal("764.00")
    assert panel.outcome_label.text() == "Refundable by ticket: CNY 764.00"
    totals = panel.totals_label.text()
    assert "Alipay account used for payment" in totals and "CNY 764.00" in totals
    assert "CNY 200.00" in totals  # not refundable (voucher)
    assert "CNY 236.00" in totals  # consumed
    assert "2024-03-12" in panel.eta_label.text()
    assert "WARN-RELEASE-DELETE" in panel.alerts.boxes["warning"].text()
    assert panel.alerts.boxes["warning"].isVisibleTo(window)
    row = [panel.orders_model.data(panel.orders_model.index(0, c)) for c in range(10)]
    assert row[2:8] == [
        "original method",
        "Alipay",
        "account balance",
        "764.00",
        "236.00",
        "200.00",
    ]
    assert row[8] == "59 / 366"
    # The rule trace and the timeline are drawn one event after the figures.
    qtbot.waitUntil(lambda: bool(panel.trace_view.toPlainText()))
    trace = panel.trace_view.toPlainText()
    assert "Consumed 236.00 = list price 1464.00 ÷ 366 days × 59 days used." in trace
    assert "Expected to be processed by 2024-03-12" in trace

    # Record: the confirmation dialog opens; without the typed id nothing can be recorded.
    assert panel.record_button.isEnabled()
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    dialog = window.record_flow.dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.body_label.text()
    for words in (
        "released immediately",
        "permanently deleted",
        "products, devices, rules and stored data",
        "no grace period",
    ):
        assert words in text
    assert not dialog.zero_label.isVisibleTo(dialog)
    assert dialog.cancel_button.isDefault() and not dialog.confirm_button.isDefault()
    assert not dialog.confirm_button.isEnabled()
    dialog.agree_box.setChecked(True)
    for asked in dialog.asked_boxes.values():  # the customer was asked
        asked.setChecked(True)
    assert not dialog.confirm_button.isEnabled()  # ticked, id not typed
    qtbot.keyClicks(dialog.id_edit, "iot-cn-7pp2mhxqz0")
    assert not dialog.confirm_button.isEnabled()  # one character short
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)  # disabled: no effect
    assert store.count_cases() == 0
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Escape cancels
    qtbot.waitUntil(lambda: window.record_flow.dialog is None)
    assert store.count_cases() == 0
    assert "nothing was recorded" in window.message_bar.text()

    # Second attempt: ticked and typed; a double click records one case.
    window.activateWindow()
    qtbot.waitActive(window)
    focus = QApplication.focusWidget() or window
    qtbot.keyClick(focus, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = window.record_flow.dialog
    assert dialog is not None
    dialog.agree_box.setChecked(True)
    for asked in dialog.asked_boxes.values():  # the customer was asked
        asked.setChecked(True)
    qtbot.keyClicks(dialog.id_edit, EX1)
    assert dialog.confirm_button.isEnabled()
    qtbot.mouseDClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.record_flow.ticket_dialog is not None)
    assert store.count_cases() == 1

    case = store.list_cases()[0]
    assert case.instance_id == EX1 and case.status == "drafted" and case.confirmed
    assert case.total_refund == Decimal("764.00") and case.actor == OPERATOR
    assert case.quote["by_destination"] == {"alipay": "764.00"}
    assert "customer was told" in case.confirmation_text
    actions = {e.action for e in store.audit_entries(entity="case", entity_id=str(case.case_id))}
    assert {"case.add", "case.confirm"} <= actions

    ticket = window.record_flow.ticket_dialog
    ticket_text = ticket.text_edit.toPlainText()
    assert ticket_text == case.ticket_text
    for expected in (
        EX1,
        "1498573829450012",
        "241559391310333",
        "CNY 764.00",
        "CNY 200.00",
        "Processed by 2024-03-12",
        "WARN-RELEASE-DELETE",
        "METHOD-TICKET",
        "AMOUNT-CONSUMED",
        "iot-platform-refund version 1",
        OPERATOR,
        "Alipay account used for payment",
        "ASSUMED-NOT-INVOICED",
    ):
        assert expected in ticket_text, expected
    ticket.copy()
    assert QApplication.clipboard().text() == ticket_text
    saved = ticket.save_to(tmp_path / ticket.default_name())
    assert saved.read_text(encoding="utf-8") == ticket_text
    assert saved.name == f"ticket-case-{case.case_id}-{EX1}.txt"

    # The cases tab lists it: built only now (start-up never pays for it), from the store.
    assert window._cases_panel is None
    window.tabs.setCurrentIndex(1)
    assert window._cases_panel is not None and window._cases_panel.isVisible()
    cases = window.cases_panel.model
    assert cases.rowCount() == 1
    assert cases.data(cases.index(0, 3)) == "drafted"
    assert cases.data(cases.index(0, 5)) == "764.00"
    assert cases.data(cases.index(0, 6)) == "Alipay 764.00"


@pytest.mark.parametrize(
    ("instance_id", "cancel_at", "outcome", "in_totals", "in_eta", "flag"),
    [
        (
            EX2,
            china(2025, 7, 11, 9, 0),
            "Refundable by ticket: CNY 308.00",
            "online-banking account used for payment",
            ("2025-07-15", "2025-07-17", "2025-07-18"),
            "BORDERLINE-WINDOW",
        ),
        (
            EX3,
            china(2019, 6, 1, 10, 0),
            "Refundable by ticket: CNY 2,350.00",
            "Alibaba Cloud account balance",
            ("2019-06-04",),
            "BORDERLINE-CUTOFF",
        ),
        (
            EX4,
            china(2025, 3, 1, 12, 0),
            "Refundable by ticket: CNY 804.94",
            "Alibaba Cloud account balance",
            ("2025-03-04",),
            None,
        ),
    ],
)
def test_worked_examples_shown(
    qtbot, window, instance_id, cancel_at, outcome, in_totals, in_eta, flag
):
    search_and_open(qtbot, window, instance_id, instance_id)
    panel = window.quote_panel
    panel.set_cancel_at(cancel_at)
    assert panel.outcome_label.text() == outcome
    assert in_totals in panel.totals_label.text()
    for day in in_eta:
        assert day in panel.eta_label.text()
    if flag:
        box = panel.alerts.boxes["flag"]
        assert box.isVisibleTo(window) and flag in box.text()
        assert "check" in box.text().lower() or "confirm" in box.text().lower()


def test_example_4_consumed_shown_rounded_up(qtbot, window):
    search_and_open(qtbot, window, EX4, EX4)
    panel = window.quote_panel
    panel.set_cancel_at(china(2025, 3, 1, 12, 0))
    model = panel.orders_model
    rows = {
        model.data(model.index(r, 0)): [model.data(model.index(r, c)) for c in range(10)]
        for r in range(model.rowCount())
    }
    assert rows["241770090031166"][5:9] == ["804.94", "895.06", "0.00", "90 / 182"]
    assert rows["231190044512081"][5] == "0.00"


def test_what_if_original_failed_and_discount(qtbot, window):
    search_and_open(qtbot, window, EX1, EX1)
    panel = window.quote_panel
    panel.set_cancel_at(china(2024, 3, 9, 9, 0))
    model = panel.whatif_model
    # Keyboard: Ctrl+W moves to the what-if table, Space ticks "original refund failed".
    window.focus_whatif()
    view = panel.whatif_view
    view.setCurrentIndex(model.index(0, 3))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    q = panel.quote()
    assert q.by_destination == {"account_balance": Decimal("764.00")}
    assert "ROUTE-FALLBACK" in q.rules
    assert "Alibaba Cloud account balance" in panel.totals_label.text()
    # A discount factor on the used duration: consumed 236.00 × 0.5.
    assert model.setData(model.index(0, 4), "0.5")
    assert panel.quote().total_refund == Decimal("882.00")
    # A bad factor is refused in plain words and the quote is unchanged.
    assert not model.setData(model.index(0, 4), "1.5")
    assert "at most 1" in window.message_bar.text()
    assert panel.quote().total_refund == Decimal("882.00")
    # Invoice issued: cycles not set → yes; the route becomes the account balance.
    model.setData(model.index(0, 1), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert "ROUTE-INVOICED" in panel.quote().rules
    assert "ADVICE-RETURN-INVOICE" in panel.alerts.boxes["advice"].text()


def test_old_public_instance_shows_advice_and_no_case(qtbot, window):
    search_and_open(qtbot, window, OLD_PUBLIC, OLD_PUBLIC)
    panel = window.quote_panel
    assert panel.outcome_label.text() == "Not refundable"
    assert "ADVICE-DISABLE-DEVICES" in panel.alerts.boxes["advice"].text()
    assert "disabling all devices" in panel.alerts.boxes["advice"].text()
    assert not panel.record_button.isEnabled()
    assert "no ticket" in panel.record_note.text()
    # The note points where the advice really is: the box below it.
    assert "the advice below" in panel.record_note.text()
    advice = panel.alerts.boxes["advice"]
    assert advice.mapTo(panel, advice.rect().topLeft()).y() > panel.record_note.geometry().bottom()
    window.record_case()  # Ctrl+R anyway: refused in words, nothing recorded, no dialog
    assert window.record_flow.dialog is None
    assert window.session.store.count_cases() == 0
    assert "no refund case" in window.message_bar.text()


def test_blocked_quote_cannot_be_recorded(qtbot, window):
    search_and_open(qtbot, window, NO_BILL, NO_BILL)
    panel = window.quote_panel
    q = panel.quote()
    assert q.blocking
    assert "DATA-MISSING" in panel.alerts.boxes["flag"].text()
    assert panel.alerts.boxes["blocked"].isVisibleTo(window)
    assert not panel.record_button.isEnabled()
    assert "Cannot be recorded" in panel.record_note.text()
    window.record_case()
    assert window.record_flow.dialog is None
    assert window.session.store.count_cases() == 0
    orders = window.instance_panel.orders_model
    assert "breakdown" in orders.data(orders.index(0, ORDER_COLUMN["missing"]))


def test_zero_refund_dialog_says_so(qtbot, window):
    search_and_open(qtbot, window, EX4, EX4)
    window.quote_panel.set_cancel_at(china(2025, 6, 5, 12, 0))
    assert window.quote_panel.quote().total_refund == Decimal("0.00")
    assert "WARN-ZERO-REFUND" in window.quote_panel.alerts.boxes["warning"].text()
    window.record_case()
    dialog = window.record_flow.dialog
    assert dialog.zero_label.isVisibleTo(dialog)
    assert "refund is 0.00" in dialog.zero_label.text()
    assert "0.00" in dialog.agree_box.text()
    dialog.agree_box.setChecked(True)
    for asked in dialog.asked_boxes.values():  # the customer was asked
        asked.setChecked(True)
    qtbot.keyClicks(dialog.id_edit, EX4)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.record_flow.ticket_dialog is not None)
    case = window.session.store.list_cases()[0]
    assert "refund is 0.00" in case.confirmation_text


def test_cases_original_method_failed_recomputes_with_fallback(qtbot, window):
    search_and_open(qtbot, window, EX1, EX1)
    window.quote_panel.set_cancel_at(china(2024, 3, 9, 9, 0))
    window.record_case()
    dialog = window.record_flow.dialog
    dialog.agree_box.setChecked(True)
    for asked in dialog.asked_boxes.values():  # the customer was asked
        asked.setChecked(True)
    qtbot.keyClicks(dialog.id_edit, EX1)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    store = window.session.store
    first = store.list_cases()[0]

    window.tabs.setCurrentIndex(1)
    panel = window.cases_panel
    assert panel.select_case(first.case_id)
    assert panel.fallback_button.isEnabled()
    panel.mark("submitted")
    assert store.get_case(first.case_id).status == "submitted"
    panel.original_failed(reason="Alipay account closed")
    old = store.get_case(first.case_id)
    assert old.status == "failed" and "Alipay account closed" in old.status_reason
    newest = store.list_cases()[0]
    assert newest.case_id != first.case_id and newest.status == "drafted"
    assert newest.quote["by_destination"] == {"account_balance": "764.00"}
    assert "ROUTE-FALLBACK" in newest.quote["rules"]
    assert f"Replaces case #{first.case_id}" in newest.ticket_text
    assert window.record_flow.ticket_dialog.text() == newest.ticket_text
    assert store.audit_entries(action="case.fallback")[0].entity_id == str(newest.case_id)
    assert panel.model.rowCount() == 2
    # A failed case offers no more actions.
    assert panel.select_case(first.case_id)
    assert not panel.fallback_button.isEnabled() and not panel.failed_button.isEnabled()


def test_search_by_order_and_account(qtbot, window):
    search_and_open(qtbot, window, "2415593913", EX1)  # an order id prefix
    lookup = window.lookup
    lookup.search_edit.clear()
    qtbot.keyClicks(lookup.search_edit, "1730066214087755")
    lookup.run_search()
    model = lookup.model
    assert model.hit(0).kind == "account" and model.hit(0).exact
    lookup.view.selectRow(0)
    instances = window.instance_panel.instances_model
    assert window.instance_panel.view.model() is instances
    assert {r.instance_id for r in instances.records()} == {EX3, EX4}
    lookup.search_edit.setText("nothing-like-this")
    lookup.run_search()
    assert model.rowCount() == 0
    assert "Nothing matches" in lookup.status_label.text()

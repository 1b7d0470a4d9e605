"""The case trail in the window, driven with keys and clicks (RULES.md §7): an open case is
shown first and blocks Ctrl+R with the reason; after a case is marked refunded the instance
reads "Already refunded" and nothing more can be recorded; a broken audit chain shows a red
bar. Screens are rendered to PNG (``DESK_SCREENSHOTS=/tmp/x`` keeps them)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from PySide6.QtCore import Qt

from refund_desk.policy import CHINA_TZ
from refund_desk.services.cases import record_case
from refund_desk.services.quoting import quote_instance
from refund_desk.store import open_store
from tests.helpers.case_trail import confirmed
from tests.helpers.desk import confirm_in_dialog, key, screenshot, search_and_open
from tests.helpers.keyboard import back_to

EX1 = "iot-cn-7pp2mhxqz01"
CANCEL = datetime(2024, 3, 9, 9, 0, tzinfo=CHINA_TZ)


def other_desk_records(db, operator="Bo"):
    store = open_store(db, create=False)
    try:
        return record_case(
            store, quote_instance(store, EX1, CANCEL), confirmed(EX1), operator=operator
        ).case
    finally:
        store.close()


def test_ctrl_r_on_an_instance_with_an_open_case_says_why_and_opens_nothing(
    qtbot, make_window, desk_db, tmp_path
):
    case = other_desk_records(desk_db, operator="Bo")
    window = make_window(desk_db)
    search_and_open(qtbot, window, "iot-cn-7pp", EX1)
    panel = window.quote_panel
    panel.set_cancel_at(CANCEL)
    history = panel.history_view
    assert history.isVisibleTo(window)
    text = history.text()
    assert f"OPEN CASE #{case.case_id} (drafted)" in text and "recorded by Bo" in text
    assert "CNY 764.00" in text and "HISTORY-OPEN-CASE" in text
    # First: above the money.
    assert history.y() < panel.money_box.y()
    assert panel.outcome_label.text() == "Refundable by ticket: CNY 764.00"  # the what-if
    assert not panel.record_button.isEnabled()
    assert f"case #{case.case_id} is open" in panel.record_note.text()
    key(qtbot, window, "Ctrl+R")
    assert window.record_flow.dialog is None
    message = window.message_bar.text()
    assert f"case #{case.case_id} (drafted, recorded by Bo on" in message
    assert window.session.store.count_cases() == 1
    screenshot(window, "open-case", tmp_path)


def test_a_second_case_cannot_be_recorded_after_the_first_was_marked_refunded(
    qtbot, window, tmp_path
):
    search_and_open(qtbot, window, "iot-cn-7pp", EX1)
    window.quote_panel.set_cancel_at(CANCEL)
    key(qtbot, window, "Ctrl+R")
    confirm_in_dialog(qtbot, window, EX1)
    window.record_flow.ticket_dialog.close()
    store = window.session.store
    (case,) = store.list_cases()
    # Right away the quote shows the case it just recorded.
    qtbot.waitUntil(lambda: window.quote_panel.quote().open_case is not None)
    assert not window.quote_panel.record_button.isEnabled()

    key(qtbot, window, "Ctrl+2")
    panel = window.cases_panel
    assert panel.select_case(case.case_id)
    assert not panel.refunded_button.isEnabled()  # drafted: submit the ticket first
    qtbot.mouseClick(panel.submitted_button, Qt.MouseButton.LeftButton)
    assert store.get_case(case.case_id).status == "submitted"
    assert panel.refunded_button.isEnabled()
    _answer_yes_to_the_next_question()  # refunded is final: the desk asks first
    qtbot.mouseClick(panel.refunded_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: store.get_case(case.case_id).status == "refunded", timeout=3000)
    back_to(qtbot, window)  # the question box closed: the window manager's part, offscreen
    assert store.get_case(case.case_id).status == "refunded"
    # Refunded is final: no button moves it any more.
    for button in (
        panel.submitted_button,
        panel.refunded_button,
        panel.failed_button,
        panel.fallback_button,
    ):
        assert not button.isEnabled()

    key(qtbot, window, "Ctrl+1")
    quote_panel = window.quote_panel
    qtbot.waitUntil(lambda: quote_panel.quote().outcome.value == "already_refunded")
    assert quote_panel.outcome_label.text() == "Already refunded"
    assert not quote_panel.money_box.isVisibleTo(window)
    history = quote_panel.history_view.text()
    assert "ALREADY REFUNDED" in history and f"Case #{case.case_id} (CNY 764.00" in history
    assert not quote_panel.record_button.isEnabled()
    key(qtbot, window, "Ctrl+R")
    assert window.record_flow.dialog is None
    assert "already refunded (HISTORY-REFUNDED)" in window.message_bar.text()
    assert store.count_cases() == 1
    screenshot(window, "already-refunded", tmp_path)


def test_a_broken_audit_chain_shows_a_red_bar(qtbot, make_window, desk_db, tmp_path):
    other_desk_records(desk_db)
    conn = sqlite3.connect(desk_db)
    conn.execute("UPDATE cases SET total_refund_fen = 9999900")
    conn.commit()
    conn.close()
    window = make_window(desk_db)
    banner = window.audit_check.banner
    qtbot.waitUntil(lambda: banner.isVisibleTo(window))
    assert banner.text().startswith("AUDIT LOG BROKEN")
    assert "(case #1)" in banner.text()
    screenshot(window, "audit-broken", tmp_path)


def test_an_intact_chain_shows_no_bar(qtbot, window):
    assert window.audit_check.report is not None and window.audit_check.report.intact
    assert not window.audit_check.banner.isVisibleTo(window)


def _answer_yes_to_the_next_question(tries: int = 250) -> None:
    """Press Alt+Y in the next Yes/No box once it is active (it runs its own event loop)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox

    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox) or QApplication.activeWindow() is not box:
        if tries:
            QTimer.singleShot(20, lambda: _answer_yes_to_the_next_question(tries - 1))
        return
    QTest.keyClick(box, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)

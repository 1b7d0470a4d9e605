"""What a fresh-user tester broke in the window, driven as they drove it: keys into the focused
widget and clicks on buttons, on a real SQLite file built by the real importer, with a fixed
clock. A tampered case is refused in words; a year before 2017 leaves no stale quote; Ctrl+2 is
on the newest case; Alt+A without an assumption types nothing; Confirm has Alt+C and Enter once
ready; "Mark refunded" asks first (No by default); an empty fallback reason is refused in words;
a corrected discount takes its error bar away. Screens are rendered to PNG
(``DESK_SCREENSHOTS=/tmp/x`` keeps them)."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QPushButton

from refund_desk.policy import CHINA_TZ
from tests.helpers.desk import screenshot
from tests.helpers.desk_data import EX1, EX1_ORDER
from tests.helpers.keyboard import (
    back_to,
    child,
    chord,
    click,
    focused,
    replace_text,
    type_text,
    wait_active,
)


def open_ex1(qtbot, window, cancel: str = "2024-03-09 09:00") -> None:
    chord(window, "Ctrl+F")
    replace_text(window, EX1_ORDER)
    chord(window, "Return")
    qtbot.waitUntil(lambda: window.quote_panel.instance() is not None, timeout=5000)
    chord(window, "Alt+C")
    replace_text(window, cancel)


def open_release_dialog(qtbot, window):
    chord(window, "Ctrl+R")
    qtbot.waitUntil(lambda: window.record_flow.dialog is not None, timeout=3000)
    dialog = window.record_flow.dialog
    wait_active(qtbot, dialog)
    return dialog


def record_ex1(qtbot, window) -> None:
    """Record EX1's case by keys: told (Alt+T), asked (Alt+A), id (Alt+I), Enter."""
    open_ex1(qtbot, window)
    dialog = open_release_dialog(qtbot, window)
    chord(dialog, "Alt+T")
    qtbot.waitUntil(dialog.agree_box.isChecked)
    for box in dialog.asked_boxes.values():
        chord(dialog, "Alt+A")
        qtbot.waitUntil(box.isChecked)
    chord(dialog, "Alt+I")
    type_text(dialog, EX1)
    chord(dialog, "Return")  # ready: Confirm is the default button
    qtbot.waitUntil(lambda: window.record_flow.ticket_dialog is not None, timeout=3000)
    ticket = window.record_flow.ticket_dialog
    wait_active(qtbot, ticket)
    chord(ticket, "Escape")
    qtbot.waitUntil(lambda: not ticket.isVisible())
    back_to(qtbot, window)


def answer_modal(kind, act, tries: int = 250) -> None:
    """Answer the next modal ``kind`` dialog once it is active (it runs its own event loop)."""
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, kind) or QApplication.activeWindow() is not dialog:
        if tries:
            QTimer.singleShot(20, lambda: answer_modal(kind, act, tries - 1))
        return
    act(dialog)


def test_a_case_edited_outside_the_desk_is_refused_in_plain_words(qtbot, desk, desk_file, tmp_path):
    record_ex1(qtbot, desk)
    store = desk.session.store
    (case,) = store.list_cases()
    conn = sqlite3.connect(desk_file)
    conn.execute(f"UPDATE cases SET total_refund_fen = 9999900 WHERE case_id = {case.case_id}")
    conn.commit()
    conn.close()
    chord(desk, "Ctrl+2")
    panel = desk.cases_panel
    qtbot.waitUntil(panel.isVisible)
    click(panel.submitted_button)
    message = desk.message_bar.text()
    assert message.startswith(
        f"Case #{case.case_id}: its stored record no longer matches what its audit trail "
        "recorded last"
    )
    assert "Nothing was written" in message
    assert store.get_case(case.case_id).status == "drafted"
    # This desk now says so at the top too, as a desk opened on the database would.
    banner = desk.audit_check.banner
    qtbot.waitUntil(lambda: banner.isVisibleTo(desk), timeout=3000)
    assert (
        banner.text().startswith("AUDIT LOG BROKEN") and f"(case #{case.case_id})" in banner.text()
    )
    screenshot(desk, "tampered-case-refused", tmp_path)


def test_a_year_before_2017_leaves_no_stale_quote(qtbot, desk, tmp_path):
    open_ex1(qtbot, desk, "2024-03-09 09:00")
    panel = desk.quote_panel
    assert panel.quote() is not None and panel.record_button.isEnabled()
    replace_text(desk, "2016-12-31 10:00")
    assert panel.quote() is None
    assert not panel.record_button.isEnabled()
    assert not panel.money_box.isVisibleTo(desk)
    assert panel.outcome_label.text() == "Not a valid cancellation time"
    assert "2016-12-31 (China time) is before 2017: no refund policy" in panel.refused_page.text()
    # The line under the field does not contradict it (the time typed is complete).
    assert panel.local_label.text() == ("No time quoted: see why below.")
    screenshot(desk, "before-2017", tmp_path)
    replace_text(desk, "2024-02-30")
    assert "February 2024 has no day 30 (it has 29 days)" in panel.refused_page.text()
    screenshot(desk, "no-such-day", tmp_path)


def test_ctrl_2_is_on_the_newest_case_every_time(qtbot, desk):
    from refund_desk.services.cases import ReleaseConfirmation, record_case, set_status
    from refund_desk.services.quoting import quote_instance

    record_ex1(qtbot, desk)
    store = desk.session.store
    (first,) = store.list_cases()
    chord(desk, "Ctrl+2")
    panel = desk.cases_panel
    qtbot.waitUntil(panel.isVisible)
    assert focused(desk) is panel.view and panel.selected().case_id == first.case_id
    # Another desk closes it and records a newer case while this one shows the list.
    set_status(store, first.case_id, "failed", operator="Bo", reason="ticket rejected")
    q = quote_instance(store, EX1, datetime(2024, 3, 9, 9, 0, tzinfo=CHINA_TZ))
    asked = ("ASSUMED-NOT-INVOICED",)
    newest = record_case(
        store, q, ReleaseConfirmation(EX1, True, EX1, customer_asked=asked), operator="Bo"
    ).case
    click(panel.refresh_button)
    assert panel.selected().case_id == first.case_id  # what was selected stays selected
    chord(desk, "Ctrl+2")  # the tab is shown already: the keys still go to the newest
    assert focused(desk) is panel.view
    assert panel.selected().case_id == newest.case_id
    assert panel.view.currentIndex().row() == 0


def test_mark_refunded_asks_first_and_no_is_the_default(qtbot, desk, tmp_path):
    record_ex1(qtbot, desk)
    store = desk.session.store
    (case,) = store.list_cases()
    chord(desk, "Ctrl+2")
    qtbot.waitUntil(desk.cases_panel.isVisible)
    click(desk.cases_panel.submitted_button)
    assert store.get_case(case.case_id).status == "submitted"
    seen = {}

    def press_enter(box):
        seen["text"] = box.text()
        seen["shot"] = box.grab()
        seen["default"] = box.defaultButton() is box.button(QMessageBox.StandardButton.No)
        chord(box, "Return")

    QTimer.singleShot(0, lambda: answer_modal(QMessageBox, press_enter))
    click(desk.cases_panel.refunded_button)
    qtbot.waitUntil(lambda: "text" in seen, timeout=3000)
    assert seen["default"]
    seen["shot"].save(str(tmp_path / "desk-mark-refunded-question.png"))
    if os.environ.get("DESK_SCREENSHOTS"):
        seen["shot"].save(os.path.join(os.environ["DESK_SCREENSHOTS"], "desk-mark-refunded.png"))
    assert seen["text"].startswith(f"Mark case #{case.case_id} (CNY 764.00) refunded?")
    assert store.get_case(case.case_id).status == "submitted"  # Enter said No
    QTimer.singleShot(0, lambda: answer_modal(QMessageBox, lambda box: chord(box, "Alt+Y")))
    click(desk.cases_panel.refunded_button)
    qtbot.waitUntil(lambda: store.get_case(case.case_id).status == "refunded", timeout=3000)


def test_an_empty_fallback_reason_is_refused_in_words(qtbot, desk):
    record_ex1(qtbot, desk)
    store = desk.session.store
    chord(desk, "Ctrl+2")
    qtbot.waitUntil(desk.cases_panel.isVisible)
    QTimer.singleShot(0, lambda: answer_modal(QInputDialog, lambda d: chord(d, "Return")))
    click(desk.cases_panel.fallback_button)  # OK on an empty reason
    qtbot.waitUntil(lambda: "A reason is needed" in desk.message_bar.text(), timeout=3000)
    (case,) = store.list_cases()
    assert case.status == "drafted"
    assert desk.message_bar.text() == (
        f"Original-method refund of case #{case.case_id} failed: nothing was changed. "
        "A reason is needed; try again."
    )


def test_alt_a_without_an_assumption_types_nothing_and_confirm_has_its_keys(qtbot, desk, tmp_path):
    open_ex1(qtbot, desk)
    # Set the invoice and marketplace facts: nothing assumed, so no box to tick.
    desk.quote_panel.whatif_model.set_value(EX1_ORDER, "invoiced", False)
    dialog = open_release_dialog(qtbot, desk)
    assert not dialog.asked_boxes
    chord(dialog, "Alt+I")
    type_text(dialog, EX1[:5])
    chord(dialog, "Alt+A")
    assert dialog.id_edit.text() == EX1[:5]  # no "a" typed
    type_text(dialog, EX1[5:])
    confirm = child(dialog, QPushButton, "confirm")
    from refund_desk.ui.keymap import command

    assert confirm.text() == command("confirm").text == "&Confirm and record case"
    assert command("confirm").keys() == "Alt+C"  # what F1 lists
    assert not confirm.isEnabled() and dialog.cancel_button.isDefault()
    chord(dialog, "Alt+T")
    qtbot.waitUntil(confirm.isEnabled)
    assert confirm.isDefault() and not dialog.cancel_button.isDefault()
    screenshot(dialog, "release-dialog-ready", tmp_path)
    chord(dialog, "Alt+C")
    qtbot.waitUntil(lambda: desk.record_flow.ticket_dialog is not None, timeout=3000)
    assert len(desk.session.store.list_cases()) == 1


def test_a_corrected_discount_takes_its_error_bar_away(qtbot, desk):
    open_ex1(qtbot, desk)
    model = desk.quote_panel.whatif_model
    model.setData(model.index(0, 4), "1.5", Qt.ItemDataRole.EditRole)
    assert desk.message_bar.text() == "Discount factor 1.5 must be more than 0 and at most 1."
    model.setData(model.index(0, 4), "0.85", Qt.ItemDataRole.EditRole)
    assert desk.message_bar.text() == ""


LONG_NAME = "杭州云智科技有限公司上海分公司物联网平台事业部华东区域运营中心"


@pytest.fixture
def long_name_file(desk_file):
    conn = sqlite3.connect(desk_file)
    conn.execute(f"UPDATE accounts SET name = '{LONG_NAME}' WHERE name = '杭州云智科技有限公司'")
    assert conn.total_changes == 1
    conn.commit()
    conn.close()
    return desk_file


def test_a_long_account_name_keeps_both_ends_and_its_tooltip_has_it_whole(
    qtbot, long_name_file, desk, tmp_path
):
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyleOptionViewItem

    chord(desk, "Ctrl+F")
    type_text(desk, "杭州云智")
    lookup = desk.lookup
    qtbot.waitUntil(lambda: lookup.model.rowCount() > 0 and not lookup.model.fetching)
    row = next(r for r in range(lookup.model.rowCount()) if lookup.model.hit(r).kind == "account")
    detail = lookup.model.index(row, lookup.model.columnCount() - 1)
    assert detail.data() == LONG_NAME
    width = lookup.view.columnWidth(detail.column())
    assert QFontMetrics(lookup.view.font()).horizontalAdvance(LONG_NAME) > width  # too wide
    option = QStyleOptionViewItem()
    lookup.view.initViewItemOption(option)  # as the view paints the cell: its options first
    lookup.view.itemDelegateForIndex(detail).initStyleOption(option, detail)
    assert option.textElideMode == Qt.TextElideMode.ElideMiddle
    shown = QFontMetrics(option.font).elidedText(LONG_NAME, option.textElideMode, width - 8)
    assert shown.startswith("杭州") and shown.endswith("中心") and "…" in shown
    assert LONG_NAME in detail.data(Qt.ItemDataRole.ToolTipRole)
    screenshot(desk, "long-account-name", tmp_path)


def test_the_flag_text_agrees_with_marketplace_no(qtbot, desk, tmp_path):
    open_ex1(qtbot, desk)
    alerts = desk.quote_panel.alerts
    assert "Invoice and marketplace are not set" in alerts.text()  # neither set yet
    chord(desk, "Ctrl+W")  # the what-if table
    view = desk.quote_panel.whatif_view
    assert focused(desk) is view
    for _ in range(2 - view.currentIndex().column()):
        chord(desk, "Right")  # to "Marketplace"
    assert view.currentIndex().column() == 2
    chord(desk, "Space")  # not set → yes
    chord(desk, "Space")  # yes → no
    assert desk.quote_panel.whatif_model.options()[EX1_ORDER].marketplace is False
    text = alerts.text()
    assert "ASSUMED-NOT-INVOICED" in text
    assert "Invoice and marketplace are not set" not in text
    assert (
        "Invoice not set: assumed no invoice was issued (bought on the official website, as "
        "set)." in text
    )
    screenshot(desk, "marketplace-no-flag", tmp_path)

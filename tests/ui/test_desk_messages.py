"""The message strip: a result or an error about one instance goes when another is shown; a
message about the database or an import stays until dismissed."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.desk_fixtures import EX1, EX4, OLD_PUBLIC, china, search_and_open


def test_cancelled_message_goes_when_another_instance_is_shown(qtbot, window):
    search_and_open(qtbot, window, EX1, EX1)
    window.quote_panel.set_cancel_at(china(2024, 3, 9, 9, 0))
    window.record_case()
    qtbot.keyClick(window.record_flow.dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.record_flow.dialog is None)
    assert "Cancelled: nothing was recorded." in window.message_bar.text()
    assert window.message_bar.isVisible()
    search_and_open(qtbot, window, EX4, EX4)
    assert window.message_bar.isHidden() and window.message_bar.text() == ""


def test_instance_errors_go_too_but_database_messages_stay(qtbot, window):
    search_and_open(qtbot, window, OLD_PUBLIC, OLD_PUBLIC)
    window.record_case()  # refused in words: about this instance
    assert "no refund case" in window.message_bar.text()
    search_and_open(qtbot, window, EX1, EX1)
    assert window.message_bar.isHidden()

    window.show_error("The database could not be opened: disk full")
    search_and_open(qtbot, window, EX4, EX4)
    assert "disk full" in window.message_bar.text()  # not about an instance: stays
    window.menus.escape_action.trigger()  # Escape dismisses it
    assert window.message_bar.isHidden()

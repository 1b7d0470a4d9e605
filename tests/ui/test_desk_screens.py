"""Render each main screen to PNG (offscreen): every screen paints, with its key text visible.

Set ``DESK_SCREENSHOTS=/some/folder`` to keep the PNGs and look at them (they never go in git).
"""

from __future__ import annotations

from datetime import datetime

from refund_desk.policy import CHINA_TZ
from tests.helpers.desk_fixtures import PARTIAL, save


def open_and_quote(qtbot, window, instance_id: str, cancel_at: datetime) -> None:
    window.open_instance(instance_id)
    qtbot.waitUntil(
        lambda: (
            window.quote_panel.quote() is not None
            and window.quote_panel.quote().instance_id == instance_id
        )
    )
    window.quote_panel.set_cancel_at(cancel_at)


def test_render_main_screens(qtbot, window, tmp_path):
    window.resize(1440, 900)
    window.lookup.search_edit.setText("iot-cn")
    window.lookup.run_search()
    open_and_quote(qtbot, window, "iot-cn-0pp1lkd8x02", datetime(2025, 7, 11, 9, tzinfo=CHINA_TZ))
    save(window, "quote-example-2", tmp_path)
    assert window.quote_panel.outcome_label.isVisible()

    open_and_quote(qtbot, window, "iot-cn-7pp2mhxqz01", datetime(2024, 3, 9, 9, tzinfo=CHINA_TZ))
    window.record_case()
    dialog = window.record_flow.dialog
    save(dialog, "confirmation", tmp_path)
    dialog.agree_box.setChecked(True)
    for asked in dialog.asked_boxes.values():  # the customer was asked
        asked.setChecked(True)
    qtbot.keyClicks(dialog.id_edit, "iot-cn-7pp2mhxqz01")
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: window.record_flow.ticket_dialog is not None)
    save(window.record_flow.ticket_dialog, "ticket", tmp_path)
    window.record_flow.ticket_dialog.close()

    window.tabs.setCurrentIndex(1)
    save(window, "cases", tmp_path)
    window.tabs.setCurrentIndex(0)
    open_and_quote(qtbot, window, "iot-cn-oldpublic001", datetime(2024, 3, 9, 9, tzinfo=CHINA_TZ))
    save(window, "old-public", tmp_path)
    assert not window.quote_panel.timeline_box.isVisibleTo(window)

    # An incomplete quote (one order's channel never imported): no total, the sums greyed.
    open_and_quote(qtbot, window, PARTIAL, datetime(2024, 7, 15, 12, tzinfo=CHINA_TZ))
    save(window, "partial-quote", tmp_path)
    assert "no total yet" in window.quote_panel.outcome_label.text()
    window.quote_scroll.verticalScrollBar().setValue(window.quote_panel.timeline_box.y())
    save(window, "partial-timeline", tmp_path)

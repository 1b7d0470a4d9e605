"""Every desk screen rendered in Simplified Chinese at 1440×900 (issue 13), offscreen: each
paints, in Chinese, without English left over in its main texts.

Set ``DESK_SCREENSHOTS=/some/folder`` to keep the PNGs and look at them (never committed).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from refund_desk import wording
from refund_desk.policy import CHINA_TZ
from tests.helpers.desk_fixtures import OLD_PUBLIC, PARTIAL

EX1 = "iot-cn-7pp2mhxqz01"
EX2 = "iot-cn-0pp1lkd8x02"


@pytest.fixture
def chinese(qapp):
    from refund_desk.ui.language import apply_cjk_fallback, install_language

    font = qapp.font()
    installed = install_language(qapp, "zh_CN")
    apply_cjk_fallback(qapp)
    yield
    for translator in installed:
        qapp.removeTranslator(translator)
    qapp.setFont(font)
    QLocale.setDefault(QLocale.c())
    wording.set_language(wording.EN)


def save(widget, name: str, folder: Path, min_width: int = 300) -> Path:
    for _ in range(3):
        QApplication.processEvents()
    target = Path(os.environ.get("DESK_SCREENSHOTS") or folder) / f"zh-{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    image = widget.grab()
    assert not image.isNull() and image.width() > min_width and image.height() > 100
    assert image.save(str(target))
    return target


def open_and_quote(qtbot, window, instance_id: str, cancel_at: datetime) -> None:
    window.open_instance(instance_id)
    qtbot.waitUntil(
        lambda: (
            window.quote_panel.quote() is not None
            and window.quote_panel.quote().instance_id == instance_id
        )
    )
    window.quote_panel.set_cancel_at(cancel_at)


def test_render_every_desk_screen_in_chinese(qtbot, chinese, make_window, desk_db, tmp_path):
    window = make_window(desk_db, size=(1440, 900))
    window.session.settings.ticket_language = "auto"
    assert window.menuBar().actions()[0].text() == "文件(&F)"
    assert window.tabs.tabText(0) == "查询与试算(&L)"
    window.lookup.search_edit.setText("iot-cn")
    window.lookup.run_search()
    open_and_quote(qtbot, window, EX2, datetime(2025, 7, 11, 9, tzinfo=CHINA_TZ))
    panel = window.quote_panel
    assert panel.outcome_label.text() == "可通过工单退款：¥308.00"
    save(window, "quote-example-2", tmp_path)
    window.quote_scroll.verticalScrollBar().setValue(panel.timeline_box.y())
    save(window, "quote-example-2-timeline-trace", tmp_path)
    assert "支付 2024年1月10日" in [text for _r, text in panel.timeline.drawn_labels]

    # An invalid time typed: the refusal in words, the field marked.
    panel.cancel_edit.setText("2024-13-40 25:00")
    qtbot.keyClick(panel.cancel_edit, "\r")
    save(window, "invalid-time", tmp_path)

    open_and_quote(qtbot, window, EX1, datetime(2024, 3, 9, 9, tzinfo=CHINA_TZ))
    window.record_case()
    dialog = window.record_flow.dialog
    assert dialog.confirm_button.text() == "确认并记录退款(&C)"
    save(dialog, "confirmation", tmp_path)
    dialog.agree_box.setChecked(True)
    for asked in dialog.asked_boxes.values():
        asked.setChecked(True)
    qtbot.keyClicks(dialog.id_edit, EX1)
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: window.record_flow.ticket_dialog is not None)
    ticket = window.record_flow.ticket_dialog
    assert ticket.language() == "zh_CN" and "退款合计：¥764.00" in ticket.text()
    save(ticket, "ticket", tmp_path)
    ticket.close()
    save(window, "recorded-message", tmp_path)

    window.tabs.setCurrentIndex(1)
    save(window, "cases", tmp_path)
    assert window._cases_panel.model.headerData(3, Qt.Orientation.Horizontal) == "状态"
    window.tabs.setCurrentIndex(0)

    open_and_quote(qtbot, window, EX1, datetime(2024, 3, 9, 9, tzinfo=CHINA_TZ))
    save(window, "open-case-history", tmp_path)

    open_and_quote(qtbot, window, OLD_PUBLIC, datetime(2024, 3, 9, 9, tzinfo=CHINA_TZ))
    save(window, "old-public", tmp_path)

    open_and_quote(qtbot, window, PARTIAL, datetime(2024, 7, 15, 12, tzinfo=CHINA_TZ))
    assert "尚无合计" in panel.outcome_label.text()
    save(window, "partial-quote", tmp_path)
    window.quote_scroll.verticalScrollBar().setValue(panel.timeline_box.y())
    save(window, "partial-timeline", tmp_path)

    window.open_account("1498573829450012")
    qtbot.waitUntil(
        lambda: window.instance_panel.view.model() is window.instance_panel.instances_model
    )
    save(window, "account", tmp_path)

    window.menus.show_shortcuts()
    shortcuts = window.menus.shortcuts_dialog
    save(shortcuts, "shortcuts-f1", tmp_path)
    shortcuts.close()

    settings_dialog = window.menus.open_settings()
    save(settings_dialog, "settings", tmp_path)
    settings_dialog.close()

    team = window.menus.open_team_database()
    save(team, "team-database", tmp_path)
    team.close()


def test_render_demo_and_import_summary_in_chinese(qtbot, chinese, make_window, tmp_path):
    from refund_desk.services.demo import create_demo_database
    from refund_desk.services.opening import DatabaseChoice

    demo = create_demo_database(tmp_path / "demo.db")
    window = make_window(None, size=(1440, 900))
    window.open_database(DatabaseChoice(target=str(demo), explicit=True, demo=True))
    qtbot.waitUntil(lambda: window.session.store is not None)
    assert window.banner.isVisible() and window.banner.text().startswith("演示数据")
    window.lookup.search_edit.setText("iot")
    window.lookup.run_search()
    qtbot.waitUntil(lambda: window.lookup.model.rowCount() > 0)
    save(window, "demo", tmp_path)

    from refund_desk.store.importer import ImportSummary

    shown = []
    original = QMessageBox.open

    def capture(box):
        shown.append(box)
        original(box)

    QMessageBox.open = capture
    try:
        window._import_finished(ImportSummary())
    finally:
        QMessageBox.open = original
    if shown:
        save(shown[0], "import-summary", tmp_path, min_width=150)
        assert "已读取文件：0" in shown[0].text()
        shown[0].close()
    save(window, "import-message", tmp_path)


def test_render_broken_audit_bar_and_already_refunded_in_chinese(
    qtbot, chinese, make_window, desk_db, tmp_path
):
    import sqlite3

    from refund_desk.services.cases import record_case, set_status
    from refund_desk.services.quoting import quote_instance
    from refund_desk.store import open_store
    from tests.helpers.case_trail import confirmed

    cancel = datetime(2024, 3, 9, 9, tzinfo=CHINA_TZ)
    store = open_store(desk_db, create=False)
    try:
        case = record_case(store, quote_instance(store, EX1, cancel), confirmed(EX1), operator="Bo")
        set_status(store, case.case_id, "submitted", operator="Bo")
        set_status(store, case.case_id, "refunded", operator="Bo")
    finally:
        store.close()
    window = make_window(desk_db, size=(1440, 900))
    open_and_quote(qtbot, window, EX1, cancel)
    assert window.quote_panel.outcome_label.text() == "已退款"
    save(window, "already-refunded", tmp_path)

    conn = sqlite3.connect(desk_db)
    conn.execute("UPDATE cases SET total_refund_fen = 9999900")
    conn.commit()
    conn.close()
    broken = make_window(desk_db, size=(1440, 900))
    banner = broken.audit_check.banner
    qtbot.waitUntil(lambda: banner.isVisibleTo(broken))
    assert banner.text().startswith("审计日志已损坏")
    save(broken, "audit-broken", tmp_path)

"""The window's language (issue 13): chosen at start, Qt's own words in Chinese too."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from refund_desk import wording
from refund_desk.ui.language import install_language, start_language, system_language

EX1 = "iot-cn-7pp2mhxqz01"


@pytest.fixture
def restore_language(qapp):
    yield
    for translator in getattr(qapp, "_test_translators", []):
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale.c())
    wording.set_language(wording.EN)


def test_start_language_asked_then_saved_then_system(monkeypatch):
    assert start_language("zh_CN", "en") == "zh_CN"
    assert start_language(None, "zh_CN") == "zh_CN"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("zh_CN")))
    assert system_language() == "zh_CN"
    assert start_language(None, "") == "zh_CN"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("de_DE")))
    assert start_language(None, "") == "en"


def test_qt_standard_buttons_in_chinese(qapp, restore_language):
    installed = install_language(QApplication.instance(), "zh_CN")
    qapp._test_translators = installed
    assert installed, "qtbase_zh_CN.qm not found in Qt's translations folder"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    assert wording.current_language() == "zh_CN"
    assert wording._("open the demo database") == "打开演示数据库"


def test_ticket_opens_in_chinese_for_the_china_site_and_alt_l_switches(
    qtbot, make_window, desk_db, tmp_path
):
    """Fresh settings (tickets 'auto'): an instance in cn-shanghai gets a Chinese ticket in an
    English window; Alt+L and a key choose English, which is the case's stored ticket."""
    from PySide6.QtCore import QSettings

    from refund_desk.ui.settings import DeskSettings
    from tests.helpers.desk import confirm_in_dialog, key, search_and_open
    from tests.helpers.keyboard import chord, focused, wait_active

    fresh = DeskSettings(QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat))
    fresh.operator_name = "Ana"
    assert fresh.ticket_language == "auto"
    window = make_window(desk_db, desk_settings=fresh)
    assert window.session.store.get_instance(EX1).region == "cn-shanghai"
    search_and_open(qtbot, window, "iot-cn-7pp", EX1)
    window.quote_panel.cancel_edit.setText("2024-03-09 09:00")
    qtbot.keyClick(window.quote_panel.cancel_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: str(window.quote_panel.quote().total_refund) == "764.00")
    key(qtbot, window, "Ctrl+R")
    qtbot.waitUntil(lambda: window.record_flow.dialog is not None)
    confirm_in_dialog(qtbot, window, EX1)
    ticket = window.record_flow.ticket_dialog
    (case,) = window.session.store.list_cases()
    assert ticket.language() == "zh_CN"
    shown = ticket.text_edit.toPlainText()
    assert "退款合计：¥764.00" in shown and "试算结果：可通过工单退款" in shown
    assert ticket.text() == shown
    wait_active(qtbot, ticket)
    chord(ticket, "Alt+L")
    assert focused(ticket) is ticket.language_box
    chord(ticket, "Down")
    assert ticket.language() == "en"
    assert ticket.text_edit.toPlainText() == case.ticket_text == ticket.text()


def test_every_chinese_character_of_the_catalog_has_a_glyph(qapp):
    """No tofu: the CJK font the desk falls back to (fonts-wqy-microhei on Linux; Microsoft
    YaHei / PingFang on Windows / macOS) has a glyph for every character of the zh_CN words."""
    import subprocess

    from babel.messages.pofile import read_po
    from PySide6.QtGui import QFont, QRawFont

    from refund_desk.ui.language import CJK_FONTS, apply_cjk_fallback, cjk_family

    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    assert listed.returncode == 0 and listed.stdout.strip(), "no Chinese font (fc-list :lang=zh)"
    family = cjk_family()
    assert family in CJK_FONTS, family
    raw = QRawFont.fromFont(QFont(family))
    chars = set()
    with open(wording.source_catalog("zh_CN"), "rb") as fh:
        for message in read_po(fh):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            chars.update(c for s in strings for c in s if ord(c) > 0x2E7F)
    chars.update("¥北京时间退款工作台")
    assert len(chars) > 300
    missing = sorted(c for c in chars if not raw.supportsCharacter(ord(c)))  # ucs4 overload
    assert missing == [], missing
    before = qapp.font()
    try:
        assert apply_cjk_fallback(qapp) == family
        assert qapp.font().families()[-1] == family
    finally:
        qapp.setFont(before)

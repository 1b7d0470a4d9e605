"""The window's language (issue 13): chosen at start, Qt's own words in Chinese too."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from refund_desk import wording
from refund_desk.ui.language import install_language, start_language, system_language


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

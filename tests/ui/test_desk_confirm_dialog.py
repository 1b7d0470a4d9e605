"""The release confirmation dialog: the id is typed, never shown in the field; the refund is
stated in plain words; the keys and the default button keep the operator safe."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.helpers.desk_fixtures import EX1, EX4, china, save, search_and_open


def open_dialog(qtbot, window, instance_id, cancel_at):
    search_and_open(qtbot, window, instance_id, instance_id)
    window.quote_panel.set_cancel_at(cancel_at)
    window.record_case()
    dialog = window.record_flow.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_id_is_typed_not_read_and_the_refund_is_stated(qtbot, window, tmp_path):
    dialog = open_dialog(qtbot, window, EX1, china(2024, 3, 9, 9, 0))
    save(dialog, "confirm", tmp_path)
    # The field and its label never show the id to copy.
    assert EX1 not in dialog.id_edit.placeholderText()
    assert dialog.id_edit.placeholderText() == "type the instance id"
    assert dialog.id_edit.text() == ""
    buddy = next(lb for lb in dialog.findChildren(QLabel) if lb.buddy() is dialog.id_edit)
    assert EX1 not in buddy.text()
    # No leftover in the tooltips: the mnemonics they name exist.
    assert "…" not in dialog.agree_box.toolTip() and "Alt+T" in dialog.agree_box.toolTip()
    assert dialog.agree_box.text().startswith("&T")
    assert "Alt+I" in dialog.id_edit.toolTip() and "&instance" in buddy.text()
    # The refund in plain words, total and per destination (not only when it is 0.00).
    text = dialog.body_label.text()
    assert "gets back <b>CNY 764.00</b> in all" in text
    assert "<b>CNY 764.00</b> to the Alipay account used for payment" in text
    assert "consumed CNY 236.00" in text and "vouchers and coupons CNY 200.00" in text
    assert not dialog.zero_label.isVisibleTo(dialog)
    # Kept: Cancel is the default, Confirm only when ticked and typed exactly, Escape cancels.
    assert dialog.cancel_button.isDefault() and not dialog.confirm_button.isDefault()
    dialog.agree_box.setChecked(True)
    for asked in dialog.asked_boxes.values():  # the customer was asked
        asked.setChecked(True)
    qtbot.keyClicks(dialog.id_edit, EX1[:-1])
    assert not dialog.confirm_button.isEnabled()
    qtbot.keyClicks(dialog.id_edit, EX1[-1])
    assert dialog.confirm_button.isEnabled()
    dialog.agree_box.setChecked(False)
    assert not dialog.confirm_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.record_flow.dialog is None)
    assert window.session.store.count_cases() == 0


def test_a_zero_refund_is_stated_too(qtbot, window, tmp_path):
    dialog = open_dialog(qtbot, window, EX4, china(2025, 6, 5, 12, 0))
    save(dialog, "confirm-zero", tmp_path)
    assert "gets back <b>CNY 0.00</b> in all." in dialog.body_label.text()
    assert dialog.zero_label.isVisibleTo(dialog)
    assert EX4 not in dialog.id_edit.placeholderText()
    dialog.reject()


def test_training_uses_the_desk_dialog_with_the_stated_total(qtbot):
    from decimal import Decimal

    from refund_desk.ui.confirm_dialog import ReleaseConfirmDialog
    from refund_desk.ui.training.confirm_dialog import make_confirm_dialog

    dialog = make_confirm_dialog("iot-cn-tr0ex03", Decimal("764.00"))
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ReleaseConfirmDialog)  # not the stand-in
    assert "gets back <b>CNY 764.00</b> in all." in dialog.body_label.text()
    assert "iot-cn-tr0ex03" not in dialog.id_edit.placeholderText()

"""Helpers of the window tests: drive the real widgets with keys and clicks."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def key(qtbot, window, keys: str) -> None:
    """Press a shortcut (``'Ctrl+R'``, ``'Ctrl+2'``) on the focused widget of ``window``."""
    from PySide6.QtGui import QKeySequence

    window.activateWindow()
    qtbot.waitActive(window)
    combo = QKeySequence(keys)[0]
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


def search_and_open(qtbot, window, term: str, instance_id: str) -> None:
    """Ctrl+F, type ``term``, Enter, open the result row of ``instance_id``; wait for its
    quote."""
    lookup = window.lookup
    key(qtbot, window, "Ctrl+F")
    qtbot.keyClicks(lookup.search_edit, term)
    qtbot.keyClick(lookup.search_edit, Qt.Key.Key_Return)
    model = lookup.model
    qtbot.waitUntil(lambda: model.rowCount() > 0 and not model.fetching, timeout=5000)
    rows = [r for r in range(model.rowCount()) if instance_id in model.hit(r).instance_ids]
    assert rows, f"{instance_id} not among the results of {term!r}"
    lookup.view.selectRow(rows[0])
    qtbot.waitUntil(
        lambda: (
            window.quote_panel.quote() is not None
            and window.quote_panel.quote().instance_id == instance_id
        ),
        timeout=5000,
    )


def confirm_in_dialog(qtbot, window, instance_id: str) -> None:
    """In the open release dialog: tick (told and agreed, each assumption asked), type the id,
    click Confirm."""
    dialog = window.record_flow.dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.agree_box, Qt.MouseButton.LeftButton)
    if not dialog.agree_box.isChecked():
        dialog.agree_box.setChecked(True)
    for asked in dialog.asked_boxes.values():  # the customer was asked (ASSUMED-* flags)
        if not asked.isChecked():
            asked.setChecked(True)
    qtbot.keyClicks(dialog.id_edit, instance_id)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.record_flow.ticket_dialog is not None)


def screenshot(widget, name: str, folder: Path) -> Path:
    """Render ``widget`` to ``<DESK_SCREENSHOTS or folder>/desk-<name>.png``."""
    for _ in range(3):
        QApplication.processEvents()
    target = Path(os.environ.get("DESK_SCREENSHOTS") or folder) / f"desk-{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    image = widget.grab()
    assert not image.isNull() and image.width() > 300
    assert image.save(str(target))
    return target

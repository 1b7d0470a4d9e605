"""Every screen of the keyboard path at 1366×768 and 1440×900, rendered to PNG and checked: the
Record button, the warnings and the Checks column on screen without side scrolling, the status
bar inside the window (issue 12).

``DESK_SCREENSHOTS=/some/folder`` keeps the PNGs to look at (they never go in git)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QCheckBox, QFileDialog, QLineEdit, QPushButton

from tests.helpers.desk_data import EX1, LATE, LATE_ACCOUNT_NAME
from tests.helpers.desk_fixtures import KEYBOARD_NOW, open_desk
from tests.helpers.keyboard import (
    back_to,
    child,
    chord,
    click,
    replace_text,
    top_level,
    type_text,
    wait_active,
)

NOW = KEYBOARD_NOW
SIZES = [(1366, 768), (1440, 900)]


def shoot(widget, name: str, folder: Path) -> Path:
    for _ in range(4):
        QApplication.processEvents()
    target = Path(os.environ.get("DESK_SCREENSHOTS") or folder) / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    image = widget.grab()
    assert not image.isNull() and image.save(str(target))
    return target


def inside(window, widget) -> bool:
    """``widget`` is wholly inside ``window``'s area (not clipped by its edge)."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


def check_quote_screen(window) -> None:
    panel = window.quote_panel
    assert inside(window, panel.record_button), "Record button clipped"
    assert inside(window, window.statusBar()), "status bar off the window"
    scroll = window.quote_scroll
    assert scroll.horizontalScrollBar().maximum() == 0, "the quote scrolls sideways"
    if panel.orders_box.isVisibleTo(window):
        view = panel.orders_view
        header = view.horizontalHeader()
        last = view.model().columnCount() - 1
        right = header.sectionViewportPosition(last) + view.columnWidth(last)
        assert right <= view.viewport().width(), "Checks column clipped"
        assert view.mapTo(panel.details, QPoint(view.width(), 0)).x() <= scroll.viewport().width()
    for box in panel.alerts.boxes.values():
        if box.isVisibleTo(window):
            assert box.mapTo(panel.details, QPoint(box.width(), 0)).x() <= (
                scroll.viewport().width()
            ), "a warning box is clipped"


def open_by_keys(qtbot, window, term: str, instance_id: str | None = None) -> None:
    chord(window, "Ctrl+F")
    replace_text(window, term)
    chord(window, "Return")
    if instance_id is not None:
        qtbot.waitUntil(
            lambda: (
                window.quote_panel.instance() is not None
                and window.quote_panel.instance().instance_id == instance_id
            )
        )


def time_by_keys(window, text: str) -> None:
    chord(window, "Alt+C")
    replace_text(window, text)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_at_common_sizes(qtbot, settings, desk_file, tmp_path, size):
    window = open_desk(qtbot, settings, desk_file, now=NOW, size=size)
    tag = f"{size[0]}x{size[1]}"

    def shot(name: str, widget=None) -> None:
        shoot(widget or window, f"desk-{tag}-{name}", tmp_path)

    open_by_keys(qtbot, window, "iot-cn")
    open_by_keys(qtbot, window, "iot-cn-0pp1lkd8x02", "iot-cn-0pp1lkd8x02")
    time_by_keys(window, "2025-07-11 09:00")  # RULES.md §6 example 2
    assert window.quote_panel.quote().total_refund == 308
    assert window.quote_panel.alerts.boxes["warning"].isVisibleTo(window)
    check_quote_screen(window)
    shot("quote-example-2")

    open_by_keys(qtbot, window, LATE.upper(), LATE)
    time_by_keys(window, "2024-12-31 01:00")
    check_quote_screen(window)
    shot("quote-late-window")
    time_by_keys(window, "2024-12-3")
    assert not window.quote_panel.record_button.isEnabled()
    check_quote_screen(window)
    shot("time-half-typed")
    time_by_keys(window, "2023-06-19 10:00")
    check_quote_screen(window)
    shot("time-refused")
    time_by_keys(window, "2025-06-01 10:00")
    check_quote_screen(window)
    shot("time-in-the-future")

    open_by_keys(qtbot, window, LATE_ACCOUNT_NAME[:4])
    qtbot.waitUntil(lambda: LATE_ACCOUNT_NAME in window.instance_panel.header_label.text())
    shot("account-by-chinese-name")
    open_by_keys(qtbot, window, "iot-cn-oldpublic001", "iot-cn-oldpublic001")
    check_quote_screen(window)
    shot("old-public")
    open_by_keys(qtbot, window, "iot-cn-partial000001", "iot-cn-partial000001")
    time_by_keys(window, "2024-07-15 12:00")
    check_quote_screen(window)
    shot("partial-quote")

    open_by_keys(qtbot, window, EX1, EX1)
    time_by_keys(window, "2024-03-09 09:00")
    check_quote_screen(window)
    shot("quote-example-1")
    chord(window, "Ctrl+R")
    qtbot.waitUntil(lambda: window.record_flow.dialog is not None)
    dialog = window.record_flow.dialog
    wait_active(qtbot, dialog)
    shot("confirmation", dialog)
    assert dialog.height() <= size[1] - 40, "the confirmation is taller than the screen"
    child(dialog, QCheckBox, "agreed").setChecked(True)
    child(dialog, QCheckBox, "asked_assumed_not_invoiced").setChecked(True)
    child(dialog, QLineEdit, "typed_instance_id").setFocus()
    type_text(dialog, EX1)
    click(child(dialog, QPushButton, "confirm"))
    qtbot.waitUntil(lambda: window.record_flow.ticket_dialog is not None)
    ticket = window.record_flow.ticket_dialog
    wait_active(qtbot, ticket)
    shot("ticket", ticket)
    chord(ticket, "Ctrl+S")
    qtbot.waitUntil(lambda: top_level(QFileDialog, "save_ticket_dialog") is not None)
    save_dialog = top_level(QFileDialog, "save_ticket_dialog")
    shot("ticket-save", save_dialog)
    save_dialog.reject()
    chord(ticket, "Escape")
    back_to(qtbot, window)

    chord(window, "Ctrl+2")
    qtbot.waitUntil(window.cases_panel.isVisible)
    assert inside(window, window.cases_panel.fallback_button)
    assert inside(window, window.cases_panel.refresh_button)
    shot("cases")
    chord(window, "F1")
    qtbot.waitUntil(lambda: window.menus.shortcuts_dialog is not None)
    shortcuts = window.menus.shortcuts_dialog
    assert shortcuts.height() <= size[1] - 40
    shot("shortcuts", shortcuts)
    shortcuts.close()
    window.close()
    window.session.close()

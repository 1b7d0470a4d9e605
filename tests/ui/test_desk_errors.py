"""Errors in plain words everywhere: no traceback, no SQL, no web address on screen; the details
in a log file the operator can attach, whose folder the Help menu opens (issue 12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from refund_desk.logfile import log_file, setup_logging, stop_logging
from refund_desk.ui.messages import plain_error
from tests.helpers.keyboard import chord, key_into, replace_text


def _operational_error():
    from sqlalchemy.exc import OperationalError

    return OperationalError(
        "SELECT orders.order_id FROM orders WHERE lower(orders.order_id) >= ?",
        ("24",),
        Exception("disk I/O error"),
    )


def test_database_errors_are_words_and_the_details_go_to_the_log(_isolated_dirs):
    setup_logging()
    try:
        try:
            raise _operational_error()
        except Exception as caught:  # noqa: BLE001 - as the window catches it
            exc = caught
        assert "sqlalche.me" in str(exc) and "SELECT" in str(exc)  # what the bar showed before
        text = plain_error(exc)
        assert text.startswith("The database could not be read or written (disk I/O error).")
        assert str(log_file()) in text
        for leak in ("SELECT", "sqlalche.me", "http", "[SQL", "Traceback"):
            assert leak not in text
        stop_logging()  # flushed and closed
        logged = log_file().read_text(encoding="utf-8")
        assert "Traceback" in logged and "SELECT orders.order_id" in logged
    finally:
        stop_logging()


def test_a_busy_database_and_an_exhausted_pool_say_try_again():
    from sqlalchemy.exc import OperationalError, TimeoutError

    busy = OperationalError("UPDATE x", (), Exception("database is locked"))
    assert plain_error(busy).startswith("The database is busy")
    pool = TimeoutError(
        "QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 "
        "(Background on this error at: https://sqlalche.me/e/20/3o7r)"
    )
    text = plain_error(pool)
    assert text.startswith("The database has no free connection right now")
    assert "sqlalche.me" not in text and "QueuePool" not in text


@pytest.mark.parametrize(
    ("exc", "start"),
    [
        (RuntimeError("boom at postgresql://desk:secret@db/desk"), "Something went wrong"),
        (KeyError("x"), "Something went wrong (KeyError)."),
    ],
)
def test_anything_else_is_named_by_its_kind(exc, start):
    text = plain_error(exc)
    assert text.startswith(start) and "secret" not in text and "postgresql://" not in text


def test_a_failed_search_is_shown_in_words(qtbot, window, monkeypatch):
    def broken(*_args, **_kwargs):
        raise _operational_error()

    monkeypatch.setattr(window.session.store, "search", broken)
    chord(window, "Ctrl+F")
    replace_text(window, "2415")
    chord(window, "Return")
    status = window.lookup.status_label.text()
    shown = window.message_bar.text()
    for text in (status, shown):
        assert text.startswith("Search failed: The database could not be read or written")
        assert "SELECT" not in text and "sqlalche.me" not in text


class _Opened(QObject):
    def __init__(self):
        super().__init__()
        self.urls = []

    @Slot(QUrl)
    def open(self, url):  # noqa: A003 - the name QDesktopServices calls
        self.urls.append(url)


def test_help_menu_opens_the_log_folder(qtbot, window):
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        chord(window, "Alt+H")  # the Help menu…
        menu = window.menuBar().actions()[-1].menu()
        qtbot.waitUntil(menu.isVisible)
        key_into(menu, "L")  # …its "Open the &log folder"
        qtbot.waitUntil(lambda: bool(opened.urls))
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert opened.urls[0].toLocalFile() == str(log_file().parent)
    assert str(log_file()) in window.message_bar.text()

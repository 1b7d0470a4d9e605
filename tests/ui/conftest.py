"""Desk window test harness: a reference database built by the real importer from the
generator's exports (never /work/shared), temporary settings, one window per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from tests.helpers.desk_fixtures import (  # noqa: F401 - the keyboard tests' window fixtures
    OPERATOR,
    build_reference_db,
    desk,
    desk_file,
    keyboard_template,
)


@pytest.fixture(scope="session")
def reference_template(tmp_path_factory) -> Path:
    """The reference database, built once per session (copied per test)."""
    return build_reference_db(tmp_path_factory.mktemp("reference"))


@pytest.fixture
def reference_exports(tmp_path) -> Path:
    """A folder of the generator's reference exports."""
    from refund_desk.demo_data import write_reference_exports

    target = tmp_path / "exports"
    write_reference_exports(target)
    return target


@pytest.fixture
def desk_db(reference_template, tmp_path) -> Path:
    """A private copy of the reference database."""
    target = tmp_path / "desk-under-test.db"
    shutil.copyfile(reference_template, target)
    return target


@pytest.fixture
def settings(tmp_path):
    """Settings on a temporary INI file, with the operator's name already set and English
    tickets chosen."""
    from refund_desk.ui.settings import DeskSettings

    desk_settings = DeskSettings(
        QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    )
    desk_settings.operator_name = OPERATOR
    # This operator drafts English tickets (the default is Chinese for the China site's
    # instances, tests/ui/test_desk_language.py).
    desk_settings.ticket_language = "en"
    return desk_settings


@pytest.fixture
def make_window(qtbot, settings, fixed_now):
    """``make_window(db=None, desk_settings=None, size=(1400, 900))``: a desk window with
    background work run synchronously, opened on ``db`` when given (``size=None`` keeps the
    remembered geometry). Its clock is fixed (``fixed_now``): "now" in the cancellation field
    and the default cancellation time never depend on the day the tests run."""
    from refund_desk.app import build_window
    from refund_desk.services.opening import DatabaseChoice

    windows = []

    def make(db: Path | None = None, desk_settings=None, size=(1400, 900)):
        window = build_window(
            settings=desk_settings or settings, synchronous=True, clock=lambda: fixed_now
        )
        qtbot.addWidget(window)
        if size:
            window.resize(*size)
        window.show()
        window.activateWindow()
        qtbot.waitActive(window)
        if db is not None:
            window.open_database(DatabaseChoice(target=str(db), explicit=True))
            assert window.session.store is not None, window.message_bar.text()
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.record_flow.ticket_dialog is not None:
            window.record_flow.ticket_dialog.close()
        window.close()
        window.session.close()


@pytest.fixture
def window(make_window, desk_db):
    """A window open on the reference database."""
    return make_window(desk_db)

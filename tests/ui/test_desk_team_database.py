"""A desk on the team's PostgreSQL database: ``--db URL`` and ``REFUND_DESK_DB`` open it (the
password never shown), and Tools ▸ Team database… keeps the address without its password in
the settings, the password in the keyring, and opens it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from refund_desk.demo_data import write_reference_exports
from refund_desk.services.opening import DatabaseChoice, choose_database
from refund_desk.store import open_store
from refund_desk.store.importer import import_paths
from tests.helpers import databases

PASSWORD = "pw-never-shown-7"


@pytest.fixture
def team_db(pg_run, tmp_path):
    """A server schema holding the reference instances; its URL has no password."""
    database = databases.PostgresDatabase(pg_run)
    write_reference_exports(tmp_path / "exports")
    store = open_store(database.target)
    try:
        assert not import_paths(store, [tmp_path / "exports"], actor="tests").rejected
    finally:
        store.close()
    yield database
    database.close()


def _with_password(url: str) -> str:
    """The server trusts 127.0.0.1: any password is accepted, so it shows where it goes."""
    return url.replace("postgres@", f"postgres:{PASSWORD}@", 1)


def _run_desk(*args: str, env_extra: dict | None = None):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "refund_desk", *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


@pytest.mark.postgresql
def test_smoke_on_the_server_given_by_db(_isolated_dirs, team_db):
    result = _run_desk("--smoke", "--db", _with_password(team_db.target))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "refund-desk --smoke: OK: postgresql+psycopg://postgres:***@" in result.stdout
    assert "quoted instance iot-cn-" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr


@pytest.mark.postgresql
def test_smoke_on_the_server_given_by_the_environment(_isolated_dirs, team_db):
    result = _run_desk("--smoke", env_extra={"REFUND_DESK_DB": team_db.target})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "refund-desk --smoke: OK: postgresql+psycopg://postgres@" in result.stdout


def test_the_team_database_of_the_settings_is_chosen_after_db_and_the_environment(
    _isolated_dirs, monkeypatch
):
    team = "postgresql+psycopg://ana@db.example.cn/refund_desk"
    assert choose_database(team_url=team) == DatabaseChoice(target=team, explicit=True)
    assert choose_database("x.db", team_url=team).target == "x.db"
    assert choose_database(demo=True, team_url=team).demo
    monkeypatch.setenv("REFUND_DESK_DB", "env.db")
    assert choose_database(team_url=team).target == "env.db"


def _team_action(window):
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.text().replace("&", "") == "Team database…":
                return action
    raise AssertionError("no Tools ▸ Team database… action")


def _open_dialog(qtbot, window):
    _team_action(window).trigger()
    dialog = window.menus.team_database_dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


@pytest.mark.postgresql
def test_the_dialog_keeps_the_address_without_its_password_and_opens_it(
    qtbot, make_window, desk_db, settings, team_db, memory_keyring, tmp_path
):
    window = make_window(desk_db)
    assert window.session.store.dialect == "sqlite"
    dialog = _open_dialog(qtbot, window)
    assert dialog.remember_box.isChecked()  # a keyring is there: keep the password in it
    assert dialog.no_keyring_label.isHidden() and dialog.local_button.isHidden()
    dialog.url_edit.clear()
    qtbot.keyClicks(dialog.url_edit, team_db.target)
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    dialog.grab().save(str(tmp_path / "team-dialog.png"))
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.store.dialect == "postgresql")

    assert settings.team_database_url == team_db.target
    settings.sync()
    ini = (tmp_path / "settings.ini").read_text("utf-8")
    assert PASSWORD not in ini and "team_url" in ini
    assert list(memory_keyring.saved.values()) == [PASSWORD]
    label = window.db_label.text()
    assert "postgresql+psycopg://postgres@" in label and PASSWORD not in label
    assert window.session.store.get_instance("iot-cn-7pp2mhxqz01") is not None

    # Back to this computer's own database: the address and its keyring entry are gone.
    dialog = _open_dialog(qtbot, window)
    assert dialog.url_edit.text() == team_db.target and dialog.local_button.isVisible()
    qtbot.mouseClick(dialog.local_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.store.dialect == "sqlite")
    assert settings.team_database_url == "" and memory_keyring.saved == {}


def test_a_bad_address_is_named_and_the_dialog_stays(
    qtbot, make_window, desk_db, settings, tmp_path
):
    window = make_window(desk_db)
    dialog = _open_dialog(qtbot, window)
    qtbot.keyClicks(dialog.url_edit, "mysql://ana:secret@db/refund")
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    dialog.grab().save(str(tmp_path / "team-dialog-error.png"))
    assert dialog.isVisible()
    text = dialog.error_label.text()
    assert "is not a PostgreSQL address" in text and "secret" not in text
    assert "ana:***@db" in text
    assert settings.team_database_url == ""
    assert window.session.store.dialect == "sqlite"
    dialog.reject()


@pytest.mark.postgresql
def test_without_a_keyring_a_pasted_password_serves_this_session_only(
    qtbot, make_window, desk_db, settings, team_db, monkeypatch, tmp_path
):
    from refund_desk.services import team_database

    monkeypatch.setattr(team_database, "keyring_available", lambda: False)
    window = make_window(desk_db)
    dialog = _open_dialog(qtbot, window)
    assert not dialog.remember_box.isChecked() and not dialog.remember_box.isEnabled()
    assert dialog.no_keyring_label.isVisible()
    # An address pasted with its password in it: the password is taken out of what is kept.
    pasted = _with_password(team_db.target).replace("postgresql+psycopg:", "postgresql:")
    qtbot.keyClicks(dialog.url_edit, pasted)
    dialog.grab().save(str(tmp_path / "team-dialog-no-keyring.png"))
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.store.dialect == "postgresql")
    assert window.session.store.engine.url.password == PASSWORD  # this session's connection
    assert PASSWORD not in window.db_label.text() and "postgres:***@" in window.db_label.text()
    assert settings.team_database_url == team_db.target  # psycopg named, no password
    settings.sync()
    assert PASSWORD not in (tmp_path / "settings.ini").read_text("utf-8")

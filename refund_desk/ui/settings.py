"""The desk's settings: one registry of keys with defaults, stored with QSettings.

Tests inject a ``QSettings`` on a temporary INI file, so they never touch the operator's real
settings; with ``$REFUND_DESK_HOME`` set (tests, training rooms) the settings live in
``settings.ini`` in that folder instead of the user's native settings. ``SETTINGS_VERSION`` lets a
later desk upgrade old keys in one place.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QSettings

SETTINGS_VERSION = 1

ORGANIZATION = "RefundDesk"
APPLICATION = "RefundDesk"


def default_qsettings() -> QSettings:
    """The user's native settings for the desk, or ``$REFUND_DESK_HOME/settings.ini``."""
    home = os.environ.get("REFUND_DESK_HOME")
    if home:
        return QSettings(os.path.join(home, "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


class DeskSettings:
    """Typed access to the desk's QSettings keys.

    Args:
        qsettings: the store to use (default: the user's native settings for the desk).
    """

    def __init__(self, qsettings: QSettings | None = None):
        self.q = qsettings if qsettings is not None else default_qsettings()
        self._upgrade()

    def _upgrade(self) -> None:
        version = int(self.q.value("settings/version", 0) or 0)
        if version < SETTINGS_VERSION:
            self.q.setValue("settings/version", SETTINGS_VERSION)

    @property
    def operator_name(self) -> str:
        """The operator's name as written on tickets and audit entries ('' until asked)."""
        return str(self.q.value("operator/name", "") or "")

    @operator_name.setter
    def operator_name(self, name: str) -> None:
        self.q.setValue("operator/name", name.strip())
        self.q.sync()

    def geometry(self) -> QByteArray | None:
        """The saved main-window geometry, or None."""
        value = self.q.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        """The saved main-window state (splitters are saved separately), or None."""
        value = self.q.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the main window's geometry and state."""
        self.q.setValue("window/geometry", geometry)
        self.q.setValue("window/state", state)

    def splitter(self, name: str) -> QByteArray | None:
        """A saved splitter state by name, or None."""
        value = self.q.value(f"splitters/{name}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_splitter(self, name: str, state: QByteArray) -> None:
        """Remember a splitter's state."""
        self.q.setValue(f"splitters/{name}", state)

    @property
    def team_database_url(self) -> str:
        """The team's PostgreSQL database the desk opens at start-up ('' for none). Kept without
        a password: that comes from the keyring, PGPASSWORD or a .pgpass file (docs/TEAM.md)."""
        return str(self.q.value("database/team_url", "") or "")

    @team_database_url.setter
    def team_database_url(self, url: str) -> None:
        from ..services.team_database import url_to_keep

        self.q.setValue("database/team_url", url_to_keep(url) if url else "")
        self.q.sync()

    @property
    def language(self) -> str:
        """The interface language the operator chose (``"zh_CN"`` or ``"en"``), '' until chosen:
        then the system locale decides (:func:`refund_desk.ui.language.start_language`)."""
        return str(self.q.value("interface/language", "") or "")

    @language.setter
    def language(self, lang: str) -> None:
        self.q.setValue("interface/language", lang)
        self.q.sync()

    @property
    def ticket_language(self) -> str:
        """The language tickets open in: ``"auto"`` (default: Chinese for an instance on the
        China site, a ``cn-*`` region; else English), ``"zh_CN"`` or ``"en"``."""
        return str(self.q.value("ticket/language", "auto") or "auto")

    @ticket_language.setter
    def ticket_language(self, value: str) -> None:
        self.q.setValue("ticket/language", value)
        self.q.sync()

    def last_import_dir(self) -> str:
        """The folder of the last import ('' when none)."""
        return str(self.q.value("import/last_dir", "") or "")

    def set_last_import_dir(self, path: str) -> None:
        """Remember the folder of the last import."""
        self.q.setValue("import/last_dir", path)

    def last_ticket_dir(self) -> str:
        """The folder a ticket was last saved to ('' when none)."""
        return str(self.q.value("ticket/last_dir", "") or "")

    def set_last_ticket_dir(self, path: str) -> None:
        """Remember the folder a ticket was saved to."""
        self.q.setValue("ticket/last_dir", path)

    def sync(self) -> None:
        """Write pending changes."""
        self.q.sync()

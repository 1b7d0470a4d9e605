"""Tools ▸ Team database…: point the desk at the team's PostgreSQL database, or back at this
computer's own database (docs/TEAM.md).

The address is kept in the settings without a password. A password typed here goes to the
system keyring (or, unticked, serves this session only); PGPASSWORD, a ``.pgpass`` file or a
service file need nothing typed. The dialog checks the address through
``services.team_database`` and returns a value object; the caller opens the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..wording import _


@dataclass(frozen=True, slots=True)
class TeamDatabaseResult:
    """What the operator chose: ``team`` (a
    :class:`~refund_desk.services.team_database.TeamDatabase`), or ``None`` with ``local`` True
    to go back to this computer's own database."""

    team: object | None
    local: bool = False


class TeamDatabaseDialog(QDialog):
    """Ask for the team database's address (and optionally its password).

    ``current`` is the address in the settings ('' for none). After ``accepted``,
    :meth:`result_value` is the :class:`TeamDatabaseResult`."""

    def __init__(self, current: str, parent: QWidget | None = None):
        super().__init__(parent)
        from ..services import team_database

        self._result: TeamDatabaseResult | None = None
        self.setWindowTitle(_("Team database — Refund Desk"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Work on the team's shared PostgreSQL database: every desk pointed at it sees the "
                "same orders and cases. The address is kept in your settings without the password; "
                "the password comes from the system keyring, PGPASSWORD or a .pgpass file."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.url_edit = QLineEdit(current)
        self.url_edit.setObjectName("team_url")
        self.url_edit.setPlaceholderText("postgresql+psycopg://ana@db.example.cn/refund_desk")
        self.url_edit.setToolTip(
            _(
                "postgresql+psycopg://USER@HOST[:PORT]/DATABASE, or "
                "postgresql+psycopg:///?service=NAME for an entry of pg_service.conf"
            )
        )
        form.addRow(_("&Address:"), self.url_edit)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("team_password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(_("leave empty when PGPASSWORD or .pgpass has it"))
        form.addRow(_("&Password:"), self.password_edit)
        layout.addLayout(form)

        self.remember_box = QCheckBox(_("&Keep the password in the system keyring"))
        available = team_database.keyring_available()
        self.remember_box.setChecked(available)
        self.remember_box.setEnabled(available)
        layout.addWidget(self.remember_box)
        self.no_keyring_label = QLabel(
            _(
                "This computer has no system keyring: a password typed here serves this session "
                "only. To keep it, put it in a .pgpass file (docs/TEAM.md)."
            )
        )
        self.no_keyring_label.setWordWrap(True)
        self.no_keyring_label.setVisible(not available)
        layout.addWidget(self.no_keyring_label)

        self.error_label = QLabel("")
        self.error_label.setObjectName("team_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        buttons = QDialogButtonBox()
        self.use_button = QPushButton(_("&Use this database"))
        self.use_button.setDefault(True)
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.local_button = QPushButton(_("Use this &computer's own database"))
        buttons.addButton(self.local_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.local_button.setVisible(bool(current))  # after addButton, which shows it
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.use_button.clicked.connect(self._use)
        self.local_button.clicked.connect(self._local)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def result_value(self) -> TeamDatabaseResult | None:
        """The operator's choice after ``accepted`` (None after a cancel)."""
        return self._result

    def _use(self) -> None:
        from ..errors import DatabaseError
        from ..services import team_database

        try:
            team = team_database.configure(
                self.url_edit.text(),
                self.password_edit.text(),
                remember=self.remember_box.isChecked(),
            )
        except DatabaseError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            self.url_edit.setFocus()
            return
        self._result = TeamDatabaseResult(team)
        self.accept()

    def _local(self) -> None:
        self._result = TeamDatabaseResult(None, local=True)
        self.accept()


def open_team_database_dialog(window) -> TeamDatabaseDialog:
    """Show the dialog over ``window`` (a :class:`~refund_desk.ui.main_window.MainWindow`);
    on acceptance keep the choice in the settings and open that database. Returns the dialog
    (shown window-modal; the window stays responsive to its own timers)."""
    from ..services.opening import DatabaseChoice, choose_database

    settings = window.session.settings
    dialog = TeamDatabaseDialog(settings.team_database_url, window)

    def done() -> None:
        from ..services import team_database

        result = dialog.result_value()
        if result is None:
            return
        if result.local:
            team_database.forget(settings.team_database_url)
            settings.team_database_url = ""
            window.open_database(choose_database())
            window.show_info(_("This desk works on this computer's own database again."))
            return
        settings.team_database_url = result.team.saved_url
        window.open_database(DatabaseChoice(target=result.team.open_url, explicit=True))

    dialog.accepted.connect(done)
    dialog.open()
    return dialog

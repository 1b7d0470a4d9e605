"""Authoring: turn the simulator's current state (or a recorded case loaded into it) into a new
training scenario, with ids and personal details replaced, and save it to a pack file."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...training.words import _


class TrainingAuthorDialog(QDialog):
    """Author a scenario from ``(instance, cancel_at, options)``.

    Args:
        instance: :class:`~refund_desk.policy.InstanceInput` (real ids; never saved as they are).
        cancel_at: aware cancellation time. options: what-if inputs per order id.
        pack_path: the pack file to add to (default ``<data dir>/training-packs/authored.json``).
    After :meth:`save` the saved scenario is in ``self.saved``.
    """

    def __init__(
        self, instance, cancel_at, options=None, *, pack_path=None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        from ...training.pack import user_packs_dir
        from ...training.words import language

        self.instance = instance
        self.cancel_at = cancel_at
        self.options = dict(options or {})
        self.saved = None
        self.setWindowTitle(_("TRAINING — New scenario from the simulator — Refund Desk"))
        self.resize(640, 720)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "The instance, account and order ids are replaced by made-up ones (the same ids "
                "always get the same replacements). Write the customer's request without names "
                "or contact details; long numbers in it are removed."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("author_id")
        self.id_edit.setPlaceholderText(_("e.g. A01-invoice-marketplace"))
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("author_title")
        self.request_edit = QPlainTextEdit()
        self.request_edit.setObjectName("author_request")
        self.request_edit.setPlaceholderText(_("The customer's words, a sentence or two."))
        # The same title and request in the other language (optional): packs carry both, and
        # a trainee reads the one of their window.
        self.language = language()
        self.other_language = "en" if self.language == "zh_CN" else "zh_CN"
        self.other_title_edit = QLineEdit()
        self.other_title_edit.setObjectName("author_title_other")
        self.other_request_edit = QPlainTextEdit()
        self.other_request_edit.setObjectName("author_request_other")
        self.other_request_edit.setPlaceholderText(_("Optional: the same words in that language."))
        self.difficulty_spin = QSpinBox()
        self.difficulty_spin.setObjectName("author_difficulty")
        self.difficulty_spin.setRange(1, 5)
        self.difficulty_spin.setValue(3)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("author_notes")
        self.notes_edit.setPlaceholderText(_("Trainer's notes: what the scenario teaches."))
        path_row = QHBoxLayout()
        self.pack_edit = QLineEdit(str(pack_path or user_packs_dir() / "authored.json"))
        self.pack_edit.setObjectName("author_pack")
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        path_row.addWidget(self.pack_edit, 1)
        path_row.addWidget(browse)
        form.addRow(_("Scenario &id:"), self.id_edit)
        form.addRow(_("&Title:"), self.title_edit)
        form.addRow(_("Customer's &request:"), self.request_edit)
        if self.other_language == "en":
            form.addRow(_("Title in &English (optional):"), self.other_title_edit)
            form.addRow(_("Request in En&glish (optional):"), self.other_request_edit)
        else:
            form.addRow(_("Title in &Chinese (optional):"), self.other_title_edit)
            form.addRow(_("Request in C&hinese (optional):"), self.other_request_edit)
        form.addRow(_("&Difficulty (1–5):"), self.difficulty_spin)
        form.addRow(_("&Notes:"), self.notes_edit)
        form.addRow(_("&Pack file:"), path_row)
        layout.addLayout(form)
        self.preview = QLabel()
        self.preview.setObjectName("author_preview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.preview)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show_preview()

    def _show_preview(self) -> None:
        from ...training.authoring import Anonymiser

        anon = Anonymiser()
        lines = [
            _("Instance {real} → {fake}").format(
                real=html.escape(self.instance.instance_id),
                fake=f"<b>{anon.instance(self.instance.instance_id)}</b>",
            ),
        ]
        if self.instance.account_id:
            lines.append(
                _("Account {real} → {fake}").format(
                    real=html.escape(self.instance.account_id),
                    fake=f"<b>{anon.account(self.instance.account_id)}</b>",
                )
            )
        for o in self.instance.orders:
            lines.append(
                _("Order {real} → {fake}").format(
                    real=html.escape(o.order_id), fake=f"<b>{anon.order(o.order_id)}</b>"
                )
            )
        self.preview.setText("<br>".join(lines))

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Pack file"),
            self.pack_edit.text(),
            _("Training packs (*.json)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.pack_edit.setText(path)

    def save(self) -> Path:
        """Build the anonymised scenario from the form and add it to the pack file.

        Returns:
            The pack file written.
        Raises:
            refund_desk.training.pack.PackError: invalid id/title/request, a duplicate id, or a
                pack file that does not validate (left untouched).
        """
        from ...training.authoring import save_scenario, scenario_from_state

        scenario = scenario_from_state(
            self.instance,
            self.cancel_at,
            self.options,
            scenario_id=self.id_edit.text().strip(),
            title={
                self.language: self.title_edit.text().strip(),
                self.other_language: self.other_title_edit.text().strip(),
            },
            request={
                self.language: self.request_edit.toPlainText().strip(),
                self.other_language: self.other_request_edit.toPlainText().strip(),
            },
            difficulty=self.difficulty_spin.value(),
            notes=self.notes_edit.toPlainText().strip(),
            language=self.language,
        )
        path = save_scenario(self.pack_edit.text().strip(), scenario)
        self.saved = scenario
        return path

    def _save_clicked(self) -> None:
        from ...errors import DeskError
        from ..messages import plain_error

        try:
            self.save()
        except (DeskError, ValueError, OSError) as exc:
            QMessageBox.warning(self, _("Scenario not saved"), plain_error(exc))
            return
        self.accept()

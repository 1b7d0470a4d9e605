"""The training window's start page: the trainee's name, the scenario list (with the packs that
were rejected and why), and the buttons that start a session, add a pack, author a scenario or
open the trainer's report."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...training.words import N_, _

# After a scenario title shown in the other language than the window's.
_OTHER_LANGUAGE = {"en": N_("{title} (in English)"), "zh_CN": N_("{title} (in Chinese)")}


class TrainingStartPage(QWidget):
    """The start page. The window connects its buttons; it lists what :meth:`show_packs` is
    given and says which scenarios are picked (:meth:`picked_keys`).

    Args:
        can_author: enables "New scenario from the simulator…" (the desk has a simulator).
        can_author_case: enables "New scenario from a recorded case…" (the desk has a store).
    """

    def __init__(self, *, can_author: bool, can_author_case: bool, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        name_label = QLabel(_("Trainee's &name:"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("trainee_name")
        name_label.setBuddy(self.name_edit)
        row.addWidget(name_label)
        row.addWidget(self.name_edit, 1)
        layout.addLayout(row)
        layout.addWidget(QLabel(_("Scenarios (select some, or none to take them all in order):")))
        self.scenario_list = QListWidget()
        self.scenario_list.setObjectName("scenario_list")
        self.scenario_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        layout.addWidget(self.scenario_list, 1)
        self.pack_errors_label = QLabel()
        self.pack_errors_label.setObjectName("pack_errors")
        self.pack_errors_label.setWordWrap(True)
        self.pack_errors_label.setStyleSheet("color: #b71c1c;")
        self.pack_errors_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.pack_errors_label)
        self.start_error_label = QLabel()
        self.start_error_label.setObjectName("start_error")
        self.start_error_label.setStyleSheet("color: #b71c1c; font-weight: bold;")
        layout.addWidget(self.start_error_label)
        buttons = QHBoxLayout()
        self.start_button = QPushButton(_("&Start training"))
        self.start_button.setObjectName("start")
        self.start_button.setDefault(True)
        self.add_pack_button = QPushButton(_("&Add a pack file…"))
        self.add_pack_button.setObjectName("add_pack")
        self.author_button = QPushButton(_("New scenario from the &simulator…"))
        self.author_button.setObjectName("author")
        self.author_button.setEnabled(can_author)
        self.author_case_button = QPushButton(_("New scenario from a recorded &case…"))
        self.author_case_button.setObjectName("author_case")
        self.author_case_button.setEnabled(can_author_case)
        self.report_button = QPushButton(_("Trainer's &report…"))
        self.report_button.setObjectName("report")
        for b in (
            self.start_button,
            self.add_pack_button,
            self.author_button,
            self.author_case_button,
            self.report_button,
        ):
            buttons.addWidget(b)
        layout.addLayout(buttons)

    def show_packs(self, load_result) -> None:
        """List every scenario of ``load_result`` (a ``training.pack.PackLoadResult``) as
        ``pack / scenario — title  ★★`` in the window's language, and the rejected packs (file,
        scenario, field) under the list; the others are listed all the same."""
        from ...training.words import language

        self.scenario_list.clear()
        lang = language()
        for pack in load_result.packs:
            for s in pack.scenarios:
                stars = "★" * s.difficulty
                picked = s.title_in(lang)
                title = picked.text
                if picked.fallback:  # the pack has no text in the window's language
                    title = _(_OTHER_LANGUAGE[picked.language]).format(title=title)
                item = QListWidgetItem(f"{pack.pack_id} / {s.scenario_id} — {title}  {stars}")
                item.setData(Qt.ItemDataRole.UserRole, (pack.pack_id, s.scenario_id))
                self.scenario_list.addItem(item)
        errors = load_result.errors
        self.pack_errors_label.setText(
            _("Packs rejected (the others loaded):") + "\n" + "\n".join(str(e) for e in errors)
            if errors
            else ""
        )
        self.pack_errors_label.setVisible(bool(errors))

    def picked_keys(self) -> list[tuple[str, str]]:
        """The ``(pack_id, scenario_id)`` of the selected scenarios (in the order Qt gives the
        selection), or of every listed scenario, in order, when none is selected."""
        picked = self.scenario_list.selectedItems() or [
            self.scenario_list.item(i) for i in range(self.scenario_list.count())
        ]
        return [i.data(Qt.ItemDataRole.UserRole) for i in picked]

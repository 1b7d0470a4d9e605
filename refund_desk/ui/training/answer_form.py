"""The trainee's answer form: outcome, destination(s) with amounts, total refund, processed-by
date, warnings/advice to give and points to check. Returns a
:class:`~refund_desk.training.grading.Answer` value object."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...training.words import N_, _, destination_words
from ..look import section_box

DESTINATION_CHOICES = (
    ("", N_("— none —")),
    ("alipay", "Alipay account used for payment"),
    ("online_banking", "Online-banking account used for payment"),
    ("account_balance", "Alibaba Cloud account balance"),
)
"""(destination code, English label); shown with :func:`choice_label`."""


def choice_label(code: str) -> str:
    """A destination choice as shown in the window's language: the desk's own words for the
    destination (the ones the grade and the quote use), first letter capitalised."""
    if not code:
        return _(DESTINATION_CHOICES[0][1])
    words = destination_words(code)
    return words[:1].upper() + words[1:]


DESTINATION_ROWS = 3


def _rule_boxes(layout: QVBoxLayout, title: str, rule_ids) -> dict[str, QCheckBox]:
    """A titled section of ``layout`` with a check box ``<rule id> — <rule title>`` (object
    name ``answer_<rule id>``) per rule id; returns rule id → box."""
    from ...training.words import rule_title

    box_layout = QVBoxLayout()
    boxes: dict[str, QCheckBox] = {}
    for rid in rule_ids:
        box = QCheckBox(f"{rid} — {rule_title(rid)}")
        box.setObjectName(f"answer_{rid}")
        box_layout.addWidget(box)
        boxes[rid] = box
    layout.addWidget(section_box(title, box_layout))
    return boxes


class AnswerError(ValueError):
    """The form cannot be read (an amount that is not money, a destination without amount…)."""


class TrainingAnswerForm(QWidget):
    """Every answer field of a scenario; :meth:`answer` reads them.

    Unlisted channels: the trainee types the BSS channel name (``CreditCard``) in the
    destination box, which is editable.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        from ...training.grading import OUTCOME_LABELS, outcome_label
        from ...training.scenario import FLAG_IDS, WARNING_IDS

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.outcome_combo = QComboBox()
        self.outcome_combo.setObjectName("answer_outcome")
        self.outcome_combo.addItem(_("— choose —"), None)
        for outcome in OUTCOME_LABELS:
            self.outcome_combo.addItem(outcome_label(outcome), outcome)
        form.addRow(_("&Outcome:"), self.outcome_combo)
        layout.addLayout(form)

        grid = QGridLayout()
        self.dest_combos: list[QComboBox] = []
        self.amount_edits: list[QLineEdit] = []
        for row in range(DESTINATION_ROWS):
            combo = QComboBox()
            combo.setObjectName(f"answer_destination_{row}")
            combo.setEditable(True)
            combo.setToolTip(
                _(
                    "Choose a destination, or type a payment channel the policy does "
                    "not name (e.g. CreditCard)."
                )
            )
            for code, _label in DESTINATION_CHOICES:
                combo.addItem(choice_label(code), code)
            amount = QLineEdit()
            amount.setObjectName(f"answer_amount_{row}")
            amount.setPlaceholderText("0.00")
            grid.addWidget(combo, row, 0)
            grid.addWidget(amount, row, 1)
            self.dest_combos.append(combo)
            self.amount_edits.append(amount)
        # The destination gets the room: Chinese labels are short, the amount needs little.
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout.addWidget(section_box(_("Destination(s) and refund amounts (CNY)"), grid))

        form2 = QFormLayout()
        self.total_edit = QLineEdit()
        self.total_edit.setObjectName("answer_total")
        self.total_edit.setPlaceholderText("0.00")
        form2.addRow(_("&Total refund (CNY):"), self.total_edit)
        date_row = QHBoxLayout()
        self.processed_edit = QDateEdit()
        self.processed_edit.setObjectName("answer_processed_by")
        self.processed_edit.setCalendarPopup(True)
        self.processed_edit.setDisplayFormat("yyyy-MM-dd")
        self.no_date_box = QCheckBox(_("No date (nothing is processed)"))
        self.no_date_box.setObjectName("answer_no_date")
        self.no_date_box.toggled.connect(lambda on: self.processed_edit.setEnabled(not on))
        date_row.addWidget(self.processed_edit)
        date_row.addWidget(self.no_date_box)
        form2.addRow(_("Expected processed by:"), date_row)
        layout.addLayout(form2)

        self.warning_boxes = _rule_boxes(
            layout, _("Tell the customer (warnings and advice)"), WARNING_IDS
        )
        self.check_boxes = _rule_boxes(layout, _("Check before promising (flags)"), FLAG_IDS)
        self.hint = QLabel(_("Amounts in CNY with two decimals, e.g. 764.00."))
        self.hint.setStyleSheet("color: #555;")
        layout.addWidget(self.hint)
        layout.addStretch(1)

    def reset(self, default_date: date | None = None) -> None:
        """Clear every field; the date box starts at ``default_date`` (the cancellation date)."""
        self.outcome_combo.setCurrentIndex(0)
        for combo, edit in zip(self.dest_combos, self.amount_edits, strict=True):
            combo.setCurrentIndex(0)
            combo.setEditText(choice_label(""))
            edit.clear()
        self.total_edit.clear()
        self.no_date_box.setChecked(False)
        if default_date is not None:
            self.processed_edit.setDate(
                QDate(default_date.year, default_date.month, default_date.day)
            )
        for box in (*self.warning_boxes.values(), *self.check_boxes.values()):
            box.setChecked(False)

    # --- setters used by keyboard-free callers (tests, the trainer's demo)
    def set_destination(self, row: int, destination: str, amount: str) -> None:
        """Set row ``row`` to ``destination`` (code or unlisted channel name) and ``amount``."""
        combo = self.dest_combos[row]
        index = combo.findData(destination)
        if index >= 0:
            combo.setCurrentIndex(index)
        else:
            combo.setEditText(destination)
        self.amount_edits[row].setText(amount)

    def _destination_code(self, combo: QComboBox) -> str:
        text = combo.currentText().strip()
        for code, label in DESTINATION_CHOICES:
            if text in (label, choice_label(code), code):
                return code
        return text

    def answer(self, *, confirmed_release: bool = False):
        """Read the form.

        Returns:
            :class:`~refund_desk.training.grading.Answer`.
        Raises:
            AnswerError: an amount is not exact money, or a destination has no amount, or an
                amount has no destination.
        """
        from ...policy import MoneyError, parse_amount
        from ...training.grading import Answer
        from ...training.words import EN, language

        def money(text: str, what: str):
            try:
                return parse_amount(text)
            except MoneyError as exc:
                if language() == EN:
                    raise AnswerError(f"{what}: {exc}") from None
                # The policy core says what is wrong in English only: in another language, the
                # rule for an amount in that language's words.
                raise AnswerError(
                    _(
                        "{what}: {text} is not an amount (digits with at most two decimals, "
                        "e.g. 764.00)"
                    ).format(what=what, text=repr(text))
                ) from None

        destinations = {}
        for row, (combo, edit) in enumerate(zip(self.dest_combos, self.amount_edits, strict=True)):
            code = self._destination_code(combo)
            text = edit.text().strip()
            if not code and not text:
                continue
            if not code:
                raise AnswerError(
                    _("Destination row {row}: choose where the money goes.").format(row=row + 1)
                )
            if not text:
                raise AnswerError(
                    _("Destination row {row}: type the amount (0.00 if none).").format(row=row + 1)
                )
            amount = money(text, _("Destination row {row}").format(row=row + 1))
            destinations[code] = destinations.get(code, 0) + amount
        total_text = self.total_edit.text().strip()
        total = money(total_text, _("Total refund")) if total_text else None
        processed = None
        if not self.no_date_box.isChecked():
            qd = self.processed_edit.date()
            processed = date(qd.year(), qd.month(), qd.day())
        from ...policy import Outcome

        chosen = self.outcome_combo.currentData()  # Qt hands the StrEnum back as a plain str
        return Answer(
            outcome=Outcome(chosen) if chosen else None,
            destinations=destinations,
            total_refund=total,
            processed_by=processed,
            warnings=frozenset(r for r, b in self.warning_boxes.items() if b.isChecked()),
            checks=frozenset(r for r, b in self.check_boxes.items() if b.isChecked()),
            confirmed_release=confirmed_release,
        )

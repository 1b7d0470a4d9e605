"""The training window: a trainee works through scenarios one at a time, answers, goes through
the release confirmation, and sees each answer graded against the policy core.

Separate from the desk's own window and database: each session starts a fresh training database
(role ``training``), loads every scenario into it with the desk's importer, quotes it as the desk
does and records confirmed practice cases there; results go to the training results file. The
operator's database is never opened. A permanent "TRAINING" banner sits above every page.
The four pages are widgets of their own (``start_page``, ``run_page``, ``feedback_page``,
``done_page``); the window loads the packs and leads the session from page to page. Slots only
gather input, call :class:`~refund_desk.training.session.TrainingSession` and show the result.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...training.words import _
from .answer_form import AnswerError
from .banner import TrainingBanner
from .done_page import TrainingDonePage
from .feedback_page import TrainingFeedbackPage
from .run_page import TrainingRunPage
from .start_page import TrainingStartPage

PAGE_START, PAGE_RUN, PAGE_FEEDBACK, PAGE_DONE = range(4)


class TrainingWindow(QMainWindow):
    """Training mode.

    Args:
        pack_paths: files/folders to load packs from (default: built-in and trainer's folders).
        results: a :class:`~refund_desk.training.results.ResultsLog` (default: the data folder's).
        state_provider: returns the desk simulator's ``(instance, cancel_at, options)`` or
            ``None``; enables "New scenario from the simulator…".
        case_provider: ``case_id → (instance, cancel_at, options)`` over the desk's store;
            enables "New scenario from a recorded case…".
        clock: aware "now" for timing answers (tests pass a fake clock).
        training_db: the training database file (default ``paths.training_db_path()``), or
            ``False`` to quote scenarios directly without a database.
    """

    def __init__(
        self,
        *,
        pack_paths=None,
        results=None,
        state_provider: Callable[[], tuple | None] | None = None,
        case_provider: Callable[[int], tuple] | None = None,
        clock: Callable | None = None,
        training_db=None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        from ...training.results import ResultsLog

        self.setWindowTitle(_("TRAINING — Refund Desk"))
        self.setObjectName("training_window")
        self.resize(1280, 860)
        self.pack_paths = pack_paths
        self.results = results or ResultsLog()
        self.state_provider = state_provider
        self.case_provider = case_provider
        self.clock = clock
        self.training_db = training_db
        self.store = None
        self.session = None
        self.load_result = None
        self.confirm_dialog = None
        self.report_dialog = None
        self.author_dialog = None
        self._pending_answer = None

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = TrainingBanner()
        outer.addWidget(self.banner)
        self.pages = QStackedWidget()
        self.pages.setObjectName("training_pages")
        outer.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.start_page = TrainingStartPage(
            can_author=state_provider is not None, can_author_case=case_provider is not None
        )
        self.run_page = TrainingRunPage()
        self.feedback_page = TrainingFeedbackPage()
        self.done_page = TrainingDonePage()
        for page in (self.start_page, self.run_page, self.feedback_page, self.done_page):
            self.pages.addWidget(page)  # in the order of PAGE_START … PAGE_DONE
        # The parts the window's steps read and fill (tests and the keyboard path use them too).
        self.name_edit = self.start_page.name_edit
        self.scenario_list = self.start_page.scenario_list
        self.pack_errors_label = self.start_page.pack_errors_label
        self.start_error_label = self.start_page.start_error_label
        self.start_button = self.start_page.start_button
        self.author_button = self.start_page.author_button
        self.author_case_button = self.start_page.author_case_button
        self.progress_label = self.run_page.progress_label
        self.scenario_view = self.run_page.scenario_view
        self.answer_form = self.run_page.answer_form
        self.answer_error_label = self.run_page.answer_error_label
        self.submit_button = self.run_page.submit_button
        self.feedback_view = self.feedback_page.feedback_view
        self.next_button = self.feedback_page.next_button
        self.done_label = self.done_page.done_label
        self._connect_pages()
        self.reload_packs()

    def _connect_pages(self) -> None:
        self.start_button.clicked.connect(self.start_training)
        self.start_page.add_pack_button.clicked.connect(self._ask_add_pack)
        self.author_button.clicked.connect(self.open_author)
        self.author_case_button.clicked.connect(self._ask_author_case)
        self.start_page.report_button.clicked.connect(self.open_report)
        self.submit_button.clicked.connect(self.submit_answer)
        self.next_button.clicked.connect(self.next_scenario)
        self.feedback_page.end_button.clicked.connect(self.end_session)
        self.done_page.again_button.clicked.connect(lambda: self.pages.setCurrentIndex(PAGE_START))
        self.done_page.report_button.clicked.connect(self.open_report)

    # ------------------------------------------------------------------ packs
    def reload_packs(self) -> None:
        """(Re)load every pack; a malformed pack is listed with its file, scenario and field, and
        the others still load."""
        from ...training.pack import load_packs

        self.load_result = load_packs(self.pack_paths)
        self.start_page.show_packs(self.load_result)

    def add_pack(self, path: str | Path) -> Path:
        """Validate the pack file ``path`` and copy it into the trainer's pack folder.

        Returns the copy's path. Raises ``PackError`` (naming file, scenario, field) for a
        malformed pack, which is not copied.
        """
        from ...training.pack import load_pack, user_packs_dir

        load_pack(path)
        target = user_packs_dir() / Path(path).name
        if Path(path).resolve() != target.resolve():
            shutil.copyfile(path, target)
        self.reload_packs()
        return target

    def _ask_add_pack(self) -> None:
        from ...errors import DeskError
        from ..messages import plain_error

        path, _filter = QFileDialog.getOpenFileName(
            self, _("Add a training pack"), "", _("Training packs (*.json)")
        )
        if not path:
            return
        try:
            self.add_pack(path)
        except (DeskError, OSError) as exc:
            QMessageBox.warning(self, _("Pack rejected"), plain_error(exc))

    # ------------------------------------------------------------------ the run
    def _selected_scenarios(self):
        by_key = {
            (p.pack_id, s.scenario_id): (p.pack_id, s)
            for p in self.load_result.packs
            for s in p.scenarios
        }
        return [by_key[key] for key in self.start_page.picked_keys()]

    def start_training(self) -> bool:
        """Start a session for the typed trainee over the selected scenarios (all if none).
        Returns False (and says why on the page) when the name is empty or nothing loaded."""
        from ...errors import DeskError
        from ...training.session import TrainingSession
        from ..messages import plain_error

        chosen = self._selected_scenarios()
        kwargs = {"clock": self.clock} if self.clock else {}
        try:
            session = TrainingSession(
                self.name_edit.text(),
                [s for _, s in chosen],
                results=self.results,
                pack_ids={s.scenario_id: pid for pid, s in chosen},
                **kwargs,
            )
        except ValueError as exc:
            self.start_error_label.setText(str(exc))
            return False
        self.start_error_label.clear()
        session.store = self._fresh_store()
        self.session = session
        try:
            scenario = session.start(0)
        except DeskError as exc:
            self.start_error_label.setText(plain_error(exc))
            return False
        self._show_scenario(scenario)
        return True

    def _fresh_store(self):
        """A fresh training database for the session, or ``None`` (direct quoting) when it
        cannot be opened; the reason is shown, and training goes on."""
        from ...errors import DeskError
        from ...training.database import open_training_store
        from ..messages import plain_error

        self._close_store()
        if self.training_db is False:
            return None
        try:
            self.store = open_training_store(self.training_db)
        except (DeskError, OSError) as exc:
            self.store = None
            self.start_error_label.setText(
                _(
                    "Training database not available ({reason}): scenarios are quoted "
                    "directly and no practice case is recorded."
                ).format(reason=plain_error(exc))
            )
        return self.store

    def _close_store(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Close the training database with the window."""
        self._close_store()
        super().closeEvent(event)

    def _show_scenario(self, scenario) -> None:
        self.run_page.show_scenario(
            scenario,
            trainee=self.session.trainee,
            n=self.session.index + 1,
            total=len(self.session.scenarios),
        )
        self.pages.setCurrentIndex(PAGE_RUN)

    def submit_answer(self) -> None:
        """Read the answer; when the trainee says "refundable", open the release confirmation
        (as in real work) and grade once it closes; otherwise grade at once."""
        from ...policy import Outcome
        from .confirm_dialog import make_confirm_dialog

        if self.session is None or self.session.current is None:
            return
        try:
            answer = self.answer_form.answer()
        except AnswerError as exc:
            self.answer_error_label.setText(str(exc))
            return
        if answer.outcome is None:
            self.answer_error_label.setText(_("Choose an outcome first."))
            return
        self.answer_error_label.clear()
        self._pending_answer = answer
        if answer.outcome is Outcome.REFUNDABLE:
            dialog = make_confirm_dialog(
                self.session.current.instance_id, answer.total_refund, self
            )
            self.confirm_dialog = dialog
            dialog.finished.connect(self._confirmation_closed)
            dialog.open()
        else:
            self._grade(confirmed=False)

    def _confirmation_closed(self, result: int) -> None:
        from PySide6.QtWidgets import QDialog

        dialog = self.confirm_dialog
        self.confirm_dialog = None
        confirmation = None
        if dialog is not None:
            confirmation = dialog.confirmation() if result == QDialog.DialogCode.Accepted else None
            dialog.deleteLater()
        self._grade(confirmed=result == QDialog.DialogCode.Accepted, confirmation=confirmation)

    def _grade(self, *, confirmed: bool, confirmation=None) -> None:
        from dataclasses import replace

        from ...errors import DeskError
        from ..messages import plain_error

        answer = replace(self._pending_answer, confirmed_release=confirmed)
        self._pending_answer = None
        try:
            feedback = self.session.submit(answer, confirmation)
        except (DeskError, ValueError, LookupError) as exc:
            self.answer_error_label.setText(plain_error(exc))
            return
        last = self.session.index + 1 >= len(self.session.scenarios)
        self.feedback_page.show_feedback(feedback, last=last)
        self.pages.setCurrentIndex(PAGE_FEEDBACK)

    def next_scenario(self) -> None:
        """Show the next scenario, or the end page after the last one."""
        if self.session is None:
            return
        from ...errors import DeskError
        from ..messages import plain_error

        try:
            scenario = self.session.next()
        except DeskError as exc:
            self.answer_error_label.setText(plain_error(exc))
            self.pages.setCurrentIndex(PAGE_RUN)
            return
        if scenario is None:
            self.end_session()
        else:
            self._show_scenario(scenario)

    def end_session(self) -> None:
        """Show the session's summary (answers given, fields right, time)."""
        feedback = self.session.feedback if self.session else []
        name = self.session.trainee if self.session else ""
        self.done_page.show_summary(name, feedback, self.results.path)
        self.pages.setCurrentIndex(PAGE_DONE)

    # ------------------------------------------------------------------ report, authoring
    def build_report(self):
        """The trainer's report over every saved result; returns ``(report, problems)``."""
        from datetime import UTC, datetime

        from ...training.report import build_report

        results, problems = self.results.read()
        now = self.clock() if self.clock else datetime.now(UTC)
        return build_report(results, generated_at=now), problems

    def open_report(self) -> None:
        """Open the trainer's report window (non-modal)."""
        from .report_dialog import TrainingReportDialog

        report, problems = self.build_report()
        if self.report_dialog is not None:
            self.report_dialog.close()
        self.report_dialog = TrainingReportDialog(report, problems, self)
        self.report_dialog.show()

    def open_author(self) -> None:
        """Open the authoring dialog on the simulator's current state (if it has one)."""

        state = self.state_provider() if self.state_provider else None
        if not state:
            QMessageBox.information(
                self, _("No simulation"), _("Open an instance in the desk's simulator first.")
            )
            return
        self._open_author_on(state)

    def open_author_from_case(self, case_id: int) -> bool:
        """Open the authoring dialog on recorded case ``case_id`` of the desk's database.
        Returns False (with a message) when the case cannot be read."""
        from ...errors import DeskError
        from ..messages import plain_error

        if self.case_provider is None:
            return False
        try:
            state = self.case_provider(case_id)
        except (DeskError, LookupError, ValueError) as exc:
            QMessageBox.warning(self, _("Case not available"), plain_error(exc))
            return False
        self._open_author_on(state)
        return True

    def _ask_author_case(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        case_id, ok = QInputDialog.getInt(self, _("Recorded case"), _("Case number:"), 1, 1)
        if ok:
            self.open_author_from_case(case_id)

    def _open_author_on(self, state) -> None:
        from .author_dialog import TrainingAuthorDialog

        instance, cancel_at, options = state
        self.author_dialog = TrainingAuthorDialog(instance, cancel_at, options, parent=self)
        self.author_dialog.accepted.connect(self.reload_packs)
        self.author_dialog.open()

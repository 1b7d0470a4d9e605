"""The trainer's report window: per trainee, score per rule id and per scenario, time taken;
export as CSV and as a printable PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...training.words import _


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class TrainingReportDialog(QDialog):
    """Shows a :class:`~refund_desk.training.report.TrainingReport`.

    Args:
        report: the report. problems: messages about unreadable result lines (shown, not hidden).
    """

    def __init__(self, report, problems: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(_("TRAINING — Trainer's report — Refund Desk"))
        self.resize(900, 640)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("&Trainee:")))
        self.trainee_combo = QComboBox()
        self.trainee_combo.setObjectName("report_trainee")
        for t in report.trainees:
            self.trainee_combo.addItem(t.trainee)
        top.itemAt(0).widget().setBuddy(self.trainee_combo)
        top.addWidget(self.trainee_combo, 1)
        self.csv_button = QPushButton(_("Export &CSV…"))
        self.csv_button.setObjectName("export_csv")
        self.pdf_button = QPushButton(_("Export &PDF…"))
        self.pdf_button.setObjectName("export_pdf")
        top.addWidget(self.csv_button)
        top.addWidget(self.pdf_button)
        layout.addLayout(top)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("report_summary")
        layout.addWidget(self.summary_label)
        if problems:
            warn = QLabel(
                _("Some saved results could not be read:") + "\n" + "\n".join(problems[:10])
            )
            warn.setObjectName("report_problems")
            warn.setStyleSheet("color: #b71c1c;")
            warn.setWordWrap(True)
            layout.addWidget(warn)
        tabs = QTabWidget()
        self.rules_table = _table(
            [_("Rule id"), _("Title"), _("Right"), _("Graded"), _("Score")], "report_rules"
        )
        self.scenarios_table = _table(
            [_("Scenario"), _("Title"), _("Score"), _("Attempts"), _("Time"), _("Missed fields")],
            "report_scenarios",
        )
        from .rule_chart import TrainingRuleChart

        self.chart = TrainingRuleChart()
        tabs.addTab(self.chart, _("Chart by rule"))
        tabs.addTab(self.rules_table, _("By rule"))
        tabs.addTab(self.scenarios_table, _("By scenario"))
        layout.addWidget(tabs, 1)
        self.trainee_combo.currentIndexChanged.connect(self._show)
        self.csv_button.clicked.connect(self._ask_csv)
        self.pdf_button.clicked.connect(self._ask_pdf)
        self.csv_button.setEnabled(bool(report.trainees))
        self.pdf_button.setEnabled(True)
        self._show()

    def _show(self) -> None:
        from ...training.grading import FIELD_LABELS
        from ...training.words import format_seconds, pgettext, rule_title

        if not self.report.trainees:
            self.summary_label.setText(_("No training results yet."))
            self.rules_table.setRowCount(0)
            self.scenarios_table.setRowCount(0)
            self.chart.set_scores({})
            return
        t = self.report.trainees[max(0, self.trainee_combo.currentIndex())]
        self.summary_label.setText(
            _("{trainee}: {right} of {total} fields right ({percent} %), time taken {time}").format(
                trainee=t.trainee,
                right=t.overall.right,
                total=t.overall.total,
                percent=f"{t.overall.percent:.0f}",
                time=format_seconds(t.seconds),
            )
        )
        self.chart.set_scores(t.by_rule)
        self.rules_table.setRowCount(len(t.by_rule))
        for row, (rid, score) in enumerate(t.by_rule.items()):
            for col, text in enumerate(
                (
                    rid,
                    rule_title(rid),
                    str(score.right),
                    str(score.total),
                    f"{score.percent:.0f} %",
                )
            ):
                self.rules_table.setItem(row, col, QTableWidgetItem(text))
        self.scenarios_table.setRowCount(len(t.by_scenario))
        for row, line in enumerate(t.by_scenario):
            for col, text in enumerate(
                (
                    line.scenario_id,
                    line.title,
                    f"{line.score.right}/{line.score.total} ({line.score.percent:.0f} %)",
                    str(line.attempts),
                    format_seconds(line.seconds),
                    pgettext("list separator", ", ").join(
                        _(FIELD_LABELS[f]) if f in FIELD_LABELS else f for f in line.missed_fields
                    )
                    or "—",
                )
            ):
                self.scenarios_table.setItem(row, col, QTableWidgetItem(text))

    def export_csv(self, path: str | Path) -> Path:
        """Write the report's CSV to ``path`` (see ``training.report.export_csv``)."""
        from ...training.report import export_csv
        from ...training.words import language

        return export_csv(self.report, path, language())

    def export_pdf(self, path: str | Path) -> Path:
        """Write the report's PDF to ``path`` in the interface language (see
        ``report_pdf.write_report_pdf``)."""
        from ...training.words import language
        from .report_pdf import write_report_pdf

        return write_report_pdf(self.report, path, lang=language())

    def _ask(self, title: str, suffix: str, filt: str, action) -> None:
        from ...paths import data_dir
        from ..messages import plain_error

        default = str(data_dir() / f"training-report.{suffix}")
        path, _filter = QFileDialog.getSaveFileName(self, title, default, filt)
        if not path:
            return
        try:
            written = action(path)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, title, plain_error(exc))
            return
        QMessageBox.information(self, title, _("Saved {path}").format(path=written))

    def _ask_csv(self) -> None:
        self._ask(_("Export CSV"), "csv", _("CSV files (*.csv)"), self.export_csv)

    def _ask_pdf(self) -> None:
        self._ask(_("Export PDF"), "pdf", _("PDF files (*.pdf)"), self.export_pdf)

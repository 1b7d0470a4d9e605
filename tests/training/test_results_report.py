"""Saved results and the trainer's report (per trainee, per rule id, per scenario; CSV)."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from refund_desk.training.grading import grade, model_answer
from refund_desk.training.report import CSV_COLUMNS, build_report, export_csv, format_seconds
from refund_desk.training.results import AttemptResult, ResultsLog

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def attempt(starter_quotes, sid, trainee, *, wrong_total=False, seconds=60, at=T0):
    scenario, q = starter_quotes[sid]
    answer = model_answer(q)
    if wrong_total:
        answer = replace(answer, total_refund=answer.total_refund + 1)
    g = grade(q, answer, scenario_id=sid)
    return AttemptResult.from_grade(
        trainee, "starter", scenario.title, g, at, at + timedelta(seconds=seconds)
    )


def test_results_round_trip(tmp_path, starter_quotes):
    log = ResultsLog(tmp_path / "results.jsonl")
    assert log.read() == ([], [])
    a = attempt(starter_quotes, "E03-example-1-alipay-voucher", "王芳", seconds=95.5)
    b = attempt(starter_quotes, "H19-example-3-cutoff-utc", "Li Wei", wrong_total=True)
    log.append(a)
    log.append(b)
    results, problems = log.read()
    assert problems == []
    assert results == [a, b]
    assert results[0].seconds == 95.5 and results[0].trainee == "王芳"
    assert results[1].score == results[1].total - 1


def test_a_damaged_line_is_reported_and_the_rest_kept(tmp_path, starter_quotes):
    path = tmp_path / "results.jsonl"
    log = ResultsLog(path)
    log.append(attempt(starter_quotes, "E01-new-public", "A"))
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"format": "refund-desk/training-results", "version": 1, "trainee": \n')
        fh.write(json.dumps({"format": "other"}) + "\n")
    log.append(attempt(starter_quotes, "E02-old-public", "A"))
    results, problems = log.read()
    assert [r.scenario_id for r in results] == ["E01-new-public", "E02-old-public"]
    assert len(problems) == 2
    assert f"{path}, line 2" in problems[0] and f"{path}, line 3" in problems[1]


def test_results_need_a_name_and_aware_times(starter_quotes):
    _, q = starter_quotes["E01-new-public"]
    g = grade(q, model_answer(q))
    with pytest.raises(ValueError):
        AttemptResult.from_grade(" ", "p", "t", g, T0, T0)
    with pytest.raises(ValueError):
        AttemptResult.from_grade("A", "p", "t", g, T0.replace(tzinfo=None), T0)


def test_report_scores_per_rule_and_scenario(starter_quotes):
    results = [
        attempt(starter_quotes, "E03-example-1-alipay-voucher", "Li Wei", seconds=120),
        attempt(
            starter_quotes,
            "H19-example-3-cutoff-utc",
            "Li Wei",
            wrong_total=True,
            seconds=300,
            at=T0 + timedelta(minutes=5),
        ),
        attempt(
            starter_quotes,
            "H19-example-3-cutoff-utc",
            "Li Wei",
            seconds=60,
            at=T0 + timedelta(minutes=15),
        ),
        attempt(starter_quotes, "E02-old-public", "Chen Jing", seconds=30),
    ]
    report = build_report(results, generated_at=T0)
    assert [t.trainee for t in report.trainees] == ["Chen Jing", "Li Wei"]
    li = report.trainee("Li Wei")
    assert li.overall.total == 21 and li.overall.right == 20
    assert li.seconds == 480
    by_id = {line.scenario_id: line for line in li.by_scenario}
    h19 = by_id["H19-example-3-cutoff-utc"]
    assert h19.attempts == 2 and h19.score.right == 13 and h19.score.total == 14
    assert h19.seconds == 360
    assert h19.missed_fields == ()  # the last attempt was all right
    # AMOUNT-BASIS bears on destinations and total_refund: 3 answers × 2 fields, one total wrong.
    assert (li.by_rule["AMOUNT-BASIS"].right, li.by_rule["AMOUNT-BASIS"].total) == (5, 6)
    assert li.by_rule["KIND-ENTERPRISE"].percent == 100.0
    assert li.weakest_rules[0] in {
        "AMOUNT-BASIS",
        "AMOUNT-CONSUMED",
        "AMOUNT-ROUNDING",
        "WARN-ZERO-REFUND",
        "DATA-MISSING",
    }
    assert list(li.by_rule)[0] == "KIND-ENTERPRISE", "rules in RULES.md order"
    chen = report.trainee("Chen Jing")
    assert set(chen.by_rule) >= {"KIND-OLD-PUBLIC", "ADVICE-DISABLE-DEVICES"}


def test_csv_export(tmp_path, starter_quotes):
    results = [
        attempt(
            starter_quotes, "E03-example-1-alipay-voucher", "王芳", wrong_total=True, seconds=125
        ),
    ]
    report = build_report(results, generated_at=T0)
    path = export_csv(report, tmp_path / "report.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "BOM for spreadsheet programs"
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert tuple(rows[0]) == CSV_COLUMNS
    total = rows[0]
    assert total["section"] == "total" and total["trainee"] == "王芳"
    assert (total["right"], total["total"], total["percent"], total["seconds"]) == (
        "6",
        "7",
        "85.7",
        "125",
    )
    scenario_rows = [r for r in rows if r["section"] == "scenario"]
    assert scenario_rows[0]["id"] == "E03-example-1-alipay-voucher"
    assert scenario_rows[0]["missed_fields"] == "total_refund"
    rule_rows = {r["id"]: r for r in rows if r["section"] == "rule"}
    assert rule_rows["AMOUNT-CONSUMED"]["right"] == "1"
    assert rule_rows["AMOUNT-CONSUMED"]["total"] == "2"
    assert rule_rows["ETA-PROCESS"]["percent"] == "100.0"


def test_format_seconds():
    assert format_seconds(42.4) == "42 s"
    assert format_seconds(754.2) == "12 min 34 s"
    assert format_seconds(60) == "1 min 00 s"

"""Training's words in Simplified Chinese and English (issue 13), without a window: the grade's
words, the report's CSV and durations, the training errors. English stays exactly as before;
rule ids never change; a grade or a report can be worded in a language other than the
interface's."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from refund_desk import wording
from refund_desk.policy import Outcome
from refund_desk.training.grading import (
    FIELD_LABELS,
    OUTCOME_LABELS,
    Answer,
    field_label,
    grade,
    outcome_label,
)
from refund_desk.training.report import build_report, csv_header, export_csv, format_seconds
from refund_desk.training.results import AttemptResult, ResultsError, ResultsLog
from refund_desk.training.session import TrainingSession

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def example_1(**changes) -> Answer:
    answer = Answer(
        outcome=Outcome.REFUNDABLE,
        destinations={"alipay": Decimal("764.00")},
        total_refund=Decimal("764.00"),
        processed_by=date(2024, 3, 12),
        warnings=frozenset({"WARN-RELEASE-DELETE"}),
        confirmed_release=True,
    )
    return replace(answer, **changes)


def test_grade_words_in_chinese_and_english(starter_quotes):
    _, q = starter_quotes["E03-example-1-alipay-voucher"]
    wrong = example_1(
        total_refund=Decimal("1000.00"),
        processed_by=None,
        warnings=frozenset(),
        confirmed_release=False,
    )
    zh = grade(q, wrong, lang="zh_CN")
    en = grade(q, wrong, lang="en")
    assert (zh.mark("total_refund").expected, zh.mark("total_refund").given) == (
        "¥764.00",
        "¥1,000.00",
    )
    assert (en.mark("total_refund").expected, en.mark("total_refund").given) == (
        "CNY 764.00",
        "CNY 1,000.00",
    )
    assert (zh.mark("processed_by").expected, zh.mark("processed_by").given) == (
        "2024年3月12日",
        "无日期",
    )
    assert (en.mark("processed_by").expected, en.mark("processed_by").given) == (
        "2024-03-12",
        "no date",
    )
    assert zh.mark("outcome").expected == "可通过工单退款"
    assert en.mark("outcome").expected == "Refundable by ticket"
    assert zh.mark("warnings").given == "无" and en.mark("warnings").given == "none"
    assert zh.mark("warnings").expected == en.mark("warnings").expected == "WARN-RELEASE-DELETE"
    assert zh.mark("confirmation").given == "未记录退款记录"
    # The marks themselves do not depend on the language: same fields right, same rule ids.
    assert [(m.field, m.correct, m.rule_ids) for m in zh.marks] == [
        (m.field, m.correct, m.rule_ids) for m in en.marks
    ]
    assert zh.mark("destinations").expected.startswith("¥764.00 退至")
    assert en.mark("destinations").expected == "CNY 764.00 to Alipay account used for payment"


def test_grade_defaults_to_the_interface_language(starter_quotes):
    _, q = starter_quotes["E01-new-public"]
    blank = Answer(outcome=None)
    assert grade(q, blank).mark("outcome").given == "blank"
    wording.set_language(wording.ZH_CN)
    try:
        assert grade(q, blank).mark("outcome").given == "未填写"
        assert grade(q, blank, lang="en").mark("outcome").given == "blank"
    finally:
        wording.set_language(wording.EN)


def test_every_field_and_outcome_has_chinese_words():
    for name in FIELD_LABELS:
        assert field_label(name, "en") == FIELD_LABELS[name]
        assert field_label(name, "zh_CN") != FIELD_LABELS[name]
    expected = {
        Outcome.REFUNDABLE: "可通过工单退款",
        Outcome.NOT_REFUNDABLE: "不支持退款",
        Outcome.NOTHING_TO_REFUND: "无需退款",
        Outcome.ALREADY_REFUNDED: "已退款",
    }
    for outcome, words in expected.items():
        assert outcome_label(outcome, "zh_CN") == words
    assert outcome_label(Outcome.RELEASED, "zh_CN").startswith("已释放")
    assert set(OUTCOME_LABELS) == set(Outcome)


def test_durations():
    assert format_seconds(754.2, "zh_CN") == "12分34秒"
    assert format_seconds(42.4, "zh_CN") == "42秒"
    assert format_seconds(754.2) == "12 min 34 s"  # English by default, as before


@pytest.fixture()
def report(starter_quotes):
    s, q = starter_quotes["H19-example-3-cutoff-utc"]
    g = grade(q, Answer(outcome=Outcome.REFUNDABLE), scenario_id=s.scenario_id, lang="en")
    result = AttemptResult.from_grade(
        "王芳", "starter", s.title, g, T0, T0 + timedelta(seconds=754)
    )
    return build_report([result], generated_at=T0)


def test_csv_in_chinese(tmp_path, report):
    path = export_csv(report, tmp_path / "zh.csv", "zh_CN")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == csv_header("zh_CN")
    assert rows[0][0] == "学员" and rows[0][-1] == "答错项"
    assert rows[1][:4] == ["王芳", "合计", "", "全部场景"]
    sections = {r[1] for r in rows[1:]}
    assert sections == {"合计", "规则", "场景"}
    scenario = next(r for r in rows if r[1] == "场景")
    assert scenario[2] == "H19-example-3-cutoff-utc"
    assert "退款去向及金额" in scenario[9] and "、" in scenario[9]
    rule_ids = {r[2] for r in rows if r[1] == "规则"}
    assert "ROUTE-LATE" in rule_ids, "rule ids are never translated"


def test_csv_in_english_is_unchanged(tmp_path, report):
    path = export_csv(report, tmp_path / "en.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["section"] == "total" and rows[0]["title"] == "All scenarios"
    scenario = next(r for r in rows if r["section"] == "scenario")
    assert scenario["missed_fields"].split() == [
        "destinations",
        "total_refund",
        "processed_by",
        "warnings",
        "checks",
        "confirmation",
    ]


def test_session_saves_the_title_and_grades_in_its_language(tmp_path, starter_pack):
    s = starter_pack.scenario("E04-alipay-simple")
    log = ResultsLog(tmp_path / "r.jsonl")
    session = TrainingSession("李伟", [s], results=log, clock=lambda: T0, lang="zh_CN")
    session.start(0)
    fb = session.submit(Answer(outcome=Outcome.NOT_REFUNDABLE))
    assert fb.result.scenario_title == "购买十天，支付宝支付"
    assert fb.grade.mark("outcome").given == "不支持退款"
    (saved,), problems = log.read()
    assert problems == [] and saved.scenario_title == "购买十天，支付宝支付"


def test_training_errors_in_chinese(tmp_path):
    wording.set_language(wording.ZH_CN)
    try:
        with pytest.raises(ValueError, match="请先输入学员姓名"):
            TrainingSession(" ", [], results=ResultsLog(tmp_path / "r.jsonl"))
        bad = tmp_path / "r.jsonl"
        bad.write_text('{"format": "x"}\n', encoding="utf-8")
        _, problems = ResultsLog(bad).read()
        assert problems and "第 1 行：无法读取的结果" in problems[0]
        folder = tmp_path / "dir.jsonl"
        folder.mkdir()
        with pytest.raises(ResultsError, match="无法读取"):
            ResultsLog(folder).read()
    finally:
        wording.set_language(wording.EN)

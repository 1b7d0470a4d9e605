"""The rule trace's words outside the policy core (issue 13): English exactly as the core's
own text was, Chinese from the catalog, numbers from the policy definition."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from refund_desk.policy import IOT_PLATFORM_REFUND_V1, RULES, TraceEntry
from refund_desk.policy.rules import placeholders
from refund_desk.wording_phrases import blocking_words, detail_words, time_error_words
from refund_desk.wording_rules import explain, rule_title


def test_titles_in_english_are_the_catalogue_titles_of_rules_md():
    # The catalogue keeps templates; filled with version 1's numbers they are RULES.md's titles.
    numbers = placeholders(IOT_PLATFORM_REFUND_V1)
    for rule_id, info in RULES.items():
        assert rule_title(rule_id, "en") == info.title.format(**numbers)
    assert rule_title("DATE-WINDOW", "en") == "Cancelled within 548 days of payment"


def test_numbers_come_from_the_policy_definition():
    later = replace(
        IOT_PLATFORM_REFUND_V1,
        version=2,
        cutoff_date=date(2020, 1, 31),
        window_days=400,
        window_months=13,
    )
    assert rule_title("DATE-CUTOFF", "en", later) == "Paid after 2020-01-31 (China date)"
    assert rule_title("DATE-WINDOW", "en", later) == "Cancelled within 400 days of payment"
    assert rule_title("DATE-CUTOFF", "zh_CN", later) == "2020年1月31日之后支付（北京时间日期）"
    entry = TraceEntry(
        "BORDERLINE-WINDOW",
        "o1",
        (("days", 400), ("months", 13), ("months_end", date(2024, 9, 9)), ("within_days", True)),
    )
    assert explain(entry, "en", later).startswith(
        "400 days is inside the 400-day window but 13 calendar months ended 2024-09-09"
    )


def test_the_cores_phrases_in_chinese_and_unchanged_in_english():
    reason = "order 300000000000199: missing payment channel, list price; import it before a ticket"
    assert blocking_words(reason, "en") == reason
    assert blocking_words(reason, "zh_CN") == (
        "订单 300000000000199：缺少支付渠道、原价；请在提交工单前导入"
    )
    case = (
        "case #7 (submitted, recorded by Ana on 2024-03-09 10:05 China time, CNY 764.00) is open "
        "for this instance: continue it in Cases; a new case cannot be recorded (HISTORY-OPEN-CASE)"
    )
    assert blocking_words(case, "zh_CN") == (
        "退款记录 #7（已提交，由 Ana 于北京时间 2024年3月9日 10:05 记录，¥764.00）未结："
        "请在“退款记录”中继续处理；不能记录新的退款记录（HISTORY-OPEN-CASE）"
    )
    assert detail_words("payment status Unpaid", "zh_CN") == "支付状态 Unpaid"
    assert detail_words("missing something new", "zh_CN") == "missing something new"
    assert time_error_words("2024-13-40 is not a date.", "zh_CN") == "2024-13-40 不是有效的日期。"
    assert time_error_words("a new message", "zh_CN") == "a new message"


def test_audit_problems_in_chinese():
    from refund_desk.wording_phrases import audit_problem_words

    sentence = "audit entry #12 (case #3): the entry was changed after it was written"
    assert audit_problem_words(sentence, "en") == sentence
    assert audit_problem_words(sentence, "zh_CN") == (
        "审计日志条目 #12（退款记录 #3）：该条目在写入后被修改"
    )
    assert audit_problem_words("audit log: something new", "zh_CN") == "audit log: something new"


def test_quote_errors_in_chinese():
    early = (
        "the cancellation 2023-01-01 10:00 China time is before the instance's first payment "
        "(2024-01-10 10:00)"
    )
    assert time_error_words(early, "en") == early
    assert time_error_words(early, "zh_CN") == (
        "退订时间（北京时间 2023-01-01 10:00）早于该实例的首次支付（2024-01-10 10:00）"
    )

"""The rule catalogue as data (issue 15): every id the core can emit is there with its source and
effective date, and its words carry the numbers of the policy definition a quote was made under."""

from __future__ import annotations

import ast
import re
import string
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from refund_desk.policy import IOT_PLATFORM_REFUND_V1, RULES, quote
from refund_desk.policy import rules as catalogue
from refund_desk.wording_rules import explain, rule_sentence, rule_title

POLICY_DIR = Path(catalogue.__file__).resolve().parent
ID = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+")

#: A version 2 with other numbers than version 1 everywhere a word names one.
V2 = replace(
    IOT_PLATFORM_REFUND_V1,
    version=2,
    effective_from=date(2021, 1, 1),
    cutoff_date=date(2020, 6, 30),
    window_days=400,
    window_months=13,
    process_business_days=3,
    bank_business_days=(4, 6),
)


def _ids_written_in_the_core() -> set[str]:
    """Every string constant shaped like a rule id in the policy core (the catalogue aside)."""
    found: set[str] = set()
    for path in POLICY_DIR.glob("*.py"):
        if path.name == "rules.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if ID.fullmatch(node.value):
                    found.add(node.value)
    return found


def test_every_id_the_core_can_emit_is_in_the_catalogue_with_source_and_date():
    emitted = _ids_written_in_the_core()
    assert len(emitted) >= 28, "the scan finds the ids the engine writes"
    assert emitted - {catalogue.EXCLUDED} <= set(RULES)
    for rule_id in emitted - {catalogue.EXCLUDED}:
        rule = RULES[rule_id]
        assert rule.rule_id == rule_id
        assert rule.kind in catalogue.KINDS
        assert re.fullmatch(r"§[1-7]", rule.source.section), rule_id
        assert rule.source.basis in (
            catalogue.PAGE,
            catalogue.GENERAL_RULES,
            catalogue.DESK_DECISION,
        )
        assert isinstance(rule.effective_from, date)
        assert rule.revision in ("1.0", "1.1")


def test_sources_and_revisions_follow_rules_md():
    for rule in RULES.values():
        if rule.source.basis == catalogue.PAGE:
            assert rule.source.instructions, f"{rule.rule_id}: where on the page?"
        if rule.source.instructions:
            line = int(re.search(r"\(line (\d+)\)", rule.source.instructions)[1])
            page = (POLICY_DIR.parents[1] / "docs" / "refund-instructions.txt").read_text(
                encoding="utf-8"
            )
            assert page.splitlines()[line - 1].strip(), f"{rule.rule_id}: line {line} is empty"
    history = {i for i, r in RULES.items() if r.section == "§7"}
    assert history == {i for i in RULES if i.startswith("HISTORY-")}
    assert {RULES[i].revision for i in history} == {"1.1"}
    assert RULES["HISTORY-OPEN-CASE"].effective_from == IOT_PLATFORM_REFUND_V1.effective_from


def test_templates_name_only_the_definitions_numbers_and_never_v1s():
    for rule in RULES.values():
        for template in filter(None, (rule.title, rule.sentence)):
            names = {n for _, n, _, _ in string.Formatter().parse(template) if n}
            assert names <= set(catalogue.PLACEHOLDERS), rule.rule_id
            for v1_number in ("548", "2019-03-29", "18 ", "2 business", "2–3"):
                assert v1_number not in template, rule.rule_id


def test_titles_carry_a_later_versions_numbers_in_english_and_chinese():
    assert rule_title("DATE-CUTOFF", "en", V2) == "Paid after 2020-06-30 (China date)"
    assert rule_title("DATE-WINDOW", "en", V2) == "Cancelled within 400 days of payment"
    assert rule_title("ETA-PROCESS", "en", V2) == "Processed within 3 business days"
    assert rule_title("ETA-BANK", "en", V2) == (
        "Online banking: credited 4–6 business days after processing"
    )
    assert rule_title("BORDERLINE-CUTOFF", "en", V2) == "Paid on the cut-off day 2020-06-30"
    assert rule_title("BORDERLINE-WINDOW", "en", V2) == "400 days and 13 calendar months disagree"
    zh = {rid: rule_title(rid, "zh_CN", V2) for rid in RULES}
    assert "2020年6月30日" in zh["DATE-CUTOFF"] and "2020年6月30日" in zh["BORDERLINE-CUTOFF"]
    assert "400" in zh["DATE-WINDOW"] and "3" in zh["ETA-PROCESS"]
    assert "4" in zh["ETA-BANK"] and "6" in zh["ETA-BANK"]
    assert "400" in zh["BORDERLINE-WINDOW"] and "13" in zh["BORDERLINE-WINDOW"]
    for words in zh.values():
        assert "548" not in words and "2019年3月29日" not in words and "18" not in words


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_quote_under_a_later_version_explains_itself_with_its_numbers(build, lang):
    on_cutoff = build.order("O1", paid="2020-06-30 10:00", end="2021-06-30 10:00")
    # 398 days after payment: inside 400 days, but 13 calendar months ended 2022-02-10.
    in_between = build.order(
        "O2", paid="2021-01-10 10:00", end="2023-01-10 10:00", channel="BankTransfer"
    )
    q = quote(build.enterprise(on_cutoff, in_between), build.cn("2022-02-12 09:00"), policy=V2)
    assert {"BORDERLINE-CUTOFF", "BORDERLINE-WINDOW", "ETA-BANK"} <= set(q.all_ids)
    text = "\n".join(explain(e, lang, V2) for e in q.trace)
    text += "\n".join(rule_title(r, lang, V2) + rule_sentence(r, lang, V2) for r in q.all_ids)
    for v1 in ("548", "2019-03-29", "2019年3月29日", "18 calendar", "18个"):
        assert v1 not in text
    assert "400" in text and "13" in text
    if lang == "en":
        assert "within the 400-day window" in text
        assert "398 days is inside the 400-day window but 13 calendar months ended" in text
        assert "3 business days after the cancellation date" in text
        assert "credit it 4–6 business days after processing" in text
        assert "400 days and 13 calendar months disagree" in text


def test_sentences_of_the_catalogue_are_the_explanations_of_fact_free_rules():
    for rule_id, rule in RULES.items():
        if rule.sentence is not None:
            assert rule_sentence(rule_id, "en") == rule.sentence
            assert rule_sentence(rule_id, "zh_CN") != rule.sentence, "translated"
        else:
            assert rule_sentence(rule_id, "en") == rule_title(rule_id, "en")

"""Tickets in Simplified Chinese (issue 13): RULES.md §6 example 1 word for word against a
fixture written by hand from GLOSSARY.md; either language whatever the window's; the default by
the instance's site; a recorded case re-drafted in Chinese from what it stored."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from refund_desk import wording
from refund_desk.demo_data import write_reference_exports
from refund_desk.policy import CHINA_TZ, quote_to_dict
from refund_desk.services.acknowledgement import confirmation_words
from refund_desk.services.case_tickets import case_ticket, ticket_context, ticket_language_for
from refund_desk.services.cases import ReleaseConfirmation, asked_in, record_case
from refund_desk.services.quoting import quote_instance
from refund_desk.services.tickets import TicketContext, render_ticket
from refund_desk.store import open_store
from refund_desk.store.importer import import_paths
from refund_desk.wording_rules import english_explain

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ticket-example-1.zh_CN.txt"
EX1 = "iot-cn-7pp2mhxqz01"
CANCEL = datetime(2024, 3, 9, 9, 0, tzinfo=CHINA_TZ)
CONFIRMED = datetime(2024, 3, 9, 10, 5, tzinfo=CHINA_TZ)
RECORDED = datetime(2024, 3, 9, 10, 6, tzinfo=CHINA_TZ)


@pytest.fixture
def store(tmp_path):
    write_reference_exports(tmp_path / "bss")
    store = open_store(tmp_path / "desk.db")
    assert not import_paths(store, [tmp_path / "bss"], actor="t").rejected
    yield store
    store.close()


def _confirmation() -> ReleaseConfirmation:
    return ReleaseConfirmation(
        EX1,
        True,
        EX1,
        key="3f2a9c1e",
        confirmed_at=CONFIRMED,
        customer_asked=("ASSUMED-NOT-INVOICED",),
    )


def _example_1(store):
    q = quote_instance(store, EX1, CANCEL)
    context = TicketContext(
        operator="李娜",
        recorded_at=RECORDED,
        confirmation=_confirmation().sentence("李娜"),
        case_id=7,
        customer_asked=("ASSUMED-NOT-INVOICED",),
    )
    return q, context


def test_example_1_in_chinese_word_for_word(store):
    q, context = _example_1(store)
    text = render_ticket(quote_to_dict(q, explain=english_explain), context, "zh_CN")
    assert text == FIXTURE.read_text(encoding="utf-8")


def test_the_chinese_ticket_whatever_the_window_language_and_back(store):
    q, context = _example_1(store)
    data = quote_to_dict(q)
    wording.set_language("zh_CN")
    english_from_chinese_window = render_ticket(data, context, "en")
    wording.set_language("en")
    assert render_ticket(data, context) == english_from_chinese_window
    assert render_ticket(data, context, "zh_CN") == FIXTURE.read_text(encoding="utf-8")
    assert "Total refund: CNY 764.00" in english_from_chinese_window
    assert "退款" not in english_from_chinese_window


def test_a_ticket_defaults_to_chinese_for_the_china_site():
    assert ticket_language_for("cn-shanghai") == "zh_CN"
    assert ticket_language_for("CN-Beijing") == "zh_CN"
    assert ticket_language_for("ap-southeast-1") == "en"
    assert ticket_language_for(None) == "en"
    assert ticket_language_for("cn-shanghai", "en") == "en"
    assert ticket_language_for("ap-southeast-1", "zh_CN") == "zh_CN"


def test_a_recorded_case_in_chinese_from_what_it_stored(store):
    q = quote_instance(store, EX1, CANCEL)
    result = record_case(store, q, _confirmation(), operator="李娜", now=RECORDED)
    case = store.get_case(result.case_id)
    assert case_ticket(store, case, "en") == case.ticket_text
    # The stored case renders its own English ticket again from its dict and context: the
    # Chinese one is drafted from exactly the same facts.
    context = ticket_context(
        store,
        case.account_id,
        operator=case.actor,
        recorded_at=RECORDED,
        confirmation=case.confirmation_text,
        customer_asked=asked_in(case.confirmation_text),
        options=case.options,
    )
    assert render_ticket(case.quote, context, "en") == case.ticket_text
    chinese = case_ticket(store, case, "zh_CN")
    assert "退款合计：¥764.00" in chinese
    assert "由 李娜 于 2024年3月9日 10:05 北京时间 确认 [确认编号 3f2a9c1e]" in chinese
    assert "Refund" not in chinese


def test_a_stored_case_without_facts_keeps_its_english_why(store):
    """A case stored before facts were kept (trace of rule, order_id, why) still renders; the
    Chinese ticket falls back to the stored sentence rather than guess."""
    q, context = _example_1(store)
    data = quote_to_dict(q, explain=english_explain)
    for item in data["trace"]:
        item.pop("facts")
    english = render_ticket(data, context)
    assert english == render_ticket(quote_to_dict(q, explain=english_explain), context)
    chinese = render_ticket(data, context, "zh_CN")
    assert "    When the refund is granted the instance is released immediately" in chinese


def test_a_replacement_case_acknowledgement_in_chinese():
    sentence = _confirmation().sentence("Ana") + " Replaces case #3."
    words = confirmation_words(sentence, "zh_CN")
    assert words.endswith("[已询问客户：ASSUMED-NOT-INVOICED]。 替代退款记录 #3。")
    assert confirmation_words("The customer agreed.", "zh_CN") == "The customer agreed."

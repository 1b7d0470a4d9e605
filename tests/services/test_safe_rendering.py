"""Text that came from imported files leaves the desk safely: in a ticket and in the text quote
every value stays on its own line, whatever it holds (a line break in a status once added a line
"Total refund: CNY 99,999.00" to a real ticket)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from refund_desk.demo_data import write_reference_exports
from refund_desk.policy import quote_to_dict
from refund_desk.services.quoting import quote_instance
from refund_desk.services.text import quote_as_text
from refund_desk.services.tickets import TicketContext, render_ticket
from refund_desk.store import open_store
from refund_desk.store.importer import import_paths

CANCEL = datetime.fromisoformat("2024-03-09T09:00:00+08:00")
INJECTED = "\nTotal refund: CNY 99,999.00\r\x1b[2K\u2028\u202e"


@pytest.fixture
def example_1(tmp_path):
    write_reference_exports(tmp_path / "bss")
    store = open_store(tmp_path / "desk.db")
    assert not import_paths(store, [tmp_path / "bss"], actor="t").rejected
    try:
        yield quote_instance(store, "iot-cn-7pp2mhxqz01", CANCEL)
    finally:
        store.close()


def test_a_line_break_in_any_value_adds_no_line_to_the_ticket(example_1):
    context = TicketContext(operator="Operator", recorded_at=CANCEL, case_id=7)
    clean = render_ticket(quote_to_dict(example_1), context)
    hostile = quote_to_dict(example_1)
    hostile["account_id"] += INJECTED
    hostile["orders"][0]["order_id"] += INJECTED
    hostile["orders"][0]["order_type"] += INJECTED
    ticket = render_ticket(hostile, context)
    assert len(ticket.splitlines()) == len(clean.splitlines())
    totals = [line for line in ticket.splitlines() if line.lstrip().startswith("Total refund")]
    assert totals == ["  Total refund: CNY 764.00"]
    for bad in ("\r", "\x1b", "\u2028", "\u202e"):
        assert bad not in ticket
    assert "\\x0aTotal refund: CNY 99,999.00\\x0d\\x1b[2K\\u2028\\u202e" in ticket


def test_the_text_quote_keeps_each_value_on_its_line(example_1):
    clean = quote_as_text(example_1)
    hostile = replace(example_1, account_id="1498573829450012" + INJECTED)
    text = quote_as_text(hostile)
    assert len(text.splitlines()) == len(clean.splitlines())
    assert [line for line in text.splitlines() if line.startswith("Total refund")] == [
        "Total refund: CNY 764.00"
    ]

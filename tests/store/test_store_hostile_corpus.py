"""The hostile-input corpus through the command line (``refund-desk import`` via ``cli.main``).

The corpus: the hand-made files of ``tests/store/hostile/`` (at least one per kind the issue
lists, each with its expected outcome below) plus mutants generated from the project's own BSS
fixtures and the CSV example (truncation, byte flips, deleted and duplicated keys, type swaps,
huge and odd numbers, odd unicode, BOM, CRLF; ``helpers.mutants``, fixed seed).

Every file, imported alone into a copy of a database holding the reference exports, is either
- **rejected cleanly**: exit 1, exactly one ``REJECTED`` line naming the file, one line, no
  traceback or internal error, the database byte-identical (SQL dump and file bytes); or
- **accepted**: exit 0 and every instance still quotes (a quote, or one line saying why not)
  and renders as a ticket whose every line came from one line of the ticket text.
The test prints the corpus size and the outcome counts (``pytest -s``).
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from refund_desk.cli import main
from refund_desk.demo_data import write_reference_exports
from refund_desk.errors import DeskError
from refund_desk.policy import QuoteError, quote_to_dict
from refund_desk.services.quoting import quote_instance
from refund_desk.services.text import quote_as_text
from refund_desk.services.tickets import TicketContext, render_ticket
from refund_desk.store import open_store
from tests.helpers.imports import db_state
from tests.helpers.mutants import csv_mutants, json_mutants

pytestmark = pytest.mark.sqlite_only  # copies of an SQLite file compared byte for byte

HOSTILE = Path(__file__).with_name("hostile")
FIXTURES = Path(__file__).with_name("fixtures") / "bss"
EXAMPLE = Path(__file__).parents[2] / "resources" / "examples" / "orders-example.csv"
CANCEL_AT = datetime.fromisoformat("2025-03-01T12:00:00+08:00")
SEED = 20241203

# hand-made file → (expected outcome, field named or None, words in the message)
EXPECTED = {
    "time-year-0001.json": ("rejected", "UsageStartTime", "out of range"),
    "time-year-9999.json": ("rejected", "UsageEndTime", "out of range"),
    "json-nested-100000-deep.json": ("rejected", None, "nested too deeply"),
    "amount-int-5000-digits.json": ("rejected", "PaymentAmount", "too large"),
    "bill-sub-orders-sum-overflows.json": ("rejected", "PaymentAmount", "add up to more"),
    "bill-pages-p1-of-2.json": ("accepted", None, ""),
    # page 2 on top of the stored page-1 record of the reference bill (1,000 + 200): 1,680 is
    # more than the order's 1,464.00 list price
    "bill-pages-p2-of-2.json": ("rejected", "PaymentAmount", "exceed the list price"),
    "status-with-a-line-break.json": ("rejected", "PaymentStatus", "line break"),
    "id-formula-hyperlink.json": ("rejected", "OrderId", "not a valid id"),
    "instance-id-formula.json": ("rejected", "InstanceIDs", "not a valid instance id"),
    "amount-over-max.json": ("rejected", "PretaxGrossAmount", "too large"),
    "amount-plus-over-max.json": ("rejected", "PretaxGrossAmount", "no sign"),
    "amount-exponent-text.json": ("rejected", "PretaxGrossAmount", "no exponent"),
    "amount-exponent-number.json": ("rejected", "PaymentAmount", "no exponent"),
    "amount-underscore.json": ("rejected", "PretaxGrossAmount", "not an amount"),
    "amount-thousands-separator.json": ("rejected", "PretaxGrossAmount", "separator"),
    "amount-fullwidth-digits.json": ("rejected", "PretaxGrossAmount", "not an amount"),
    "amount-negative-zero.json": ("rejected", "PretaxGrossAmount", "no sign"),
    "amount-nan.json": ("rejected", "PaymentAmount", "not a finite amount"),
    "amount-huge-float.json": ("rejected", "PaymentAmount", "no exponent"),
    "cash-over-list-price.csv": ("rejected", "cash", "exceed the list price"),
    "bill-cash-over-item-list-price.json": ("rejected", "PaymentAmount", "exceeds the list"),
    "usage-end-before-stored-start.csv": ("rejected", "usage_end", "before it starts"),
    "order-twice-different-values.json": ("rejected", "OrderId", "listed twice"),
    "order-twice-same-values.json": ("accepted", None, ""),
    "enum-lower-case.json": ("accepted", None, "another letter case: 4"),
    "enum-unknown-status.json": ("rejected", "PaymentStatus", "not one of Paid, Unpaid"),
    "enum-unknown-order-type.json": ("rejected", "OrderType", "not one of New, Renew"),
    "region-with-escape-sequence.json": ("rejected", "Region", "control character"),
    "account-name-bidi-override.csv": ("rejected", "account_name", "text-direction"),
    "account-name-300-characters.csv": ("rejected", "account_name", "too long"),
    "account-name-formula.csv": ("accepted", None, ""),
    "api-error-response.json": ("rejected", None, "API error response"),
    "not-utf8-gb18030.csv": ("rejected", None, "not UTF-8"),
    "bom-and-crlf.csv": ("accepted", None, ""),
    "crlf.json": ("accepted", None, ""),
    "nul-byte-in-csv.csv": ("rejected", "account_name", "control character"),
    "two-channels-for-one-order.json": ("rejected", "TransactionChannel", "two channels"),
    "transaction-lower-case.json": ("accepted", None, "another letter case: 3"),
    "empty.json": ("rejected", None, "not JSON"),
    "csv-header-only.csv": ("accepted", None, ""),
    "csv-unterminated-quote.csv": ("rejected", None, ""),
    "ids-with-spaces.json": ("rejected", "OrderId", "not a valid id"),
    "instance-ids-json-list-nested.json": ("rejected", "InstanceIds", "not a list"),
}


def _mutants() -> list[tuple[str, bytes]]:
    rng = random.Random(SEED)
    found = []
    for path in sorted(FIXTURES.rglob("*.json")):
        found.extend(json_mutants(path.name, path.read_bytes(), rng))
    found.extend(csv_mutants(EXAMPLE.name, EXAMPLE.read_bytes(), rng))
    return found


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus-db")
    exports = folder / "reference"
    write_reference_exports(exports)
    db = folder / "template.db"
    assert main(["import", "--db", str(db), str(exports)]) == 0
    return db


def _import(capsys, db: Path, path: Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["import", "--db", str(db), str(path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _judge(capsys, template: Path, work: Path, path: Path) -> tuple[str, str]:
    """Import ``path`` into a fresh copy of the template; check the outcome is clean and return
    ``("rejected" | "accepted", the rejection line or the summary)``."""
    db = work / "desk.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.copy(template, db)
    before = db_state(db)
    code, out, err = _import(capsys, db, path)
    assert err == "", err
    assert "Traceback" not in out and "could not be read (" not in out, out
    if code == 1:
        lines = [line for line in out.splitlines() if line.startswith("  REJECTED ")]
        assert len(lines) == 1 and str(path) in lines[0], out
        assert "files rejected: 1" in out
        assert db_state(db) == before, f"{path.name}: rejected but the database changed"
        return "rejected", lines[0]
    assert code == 0, out
    _still_quotes(db)
    return "accepted", out


def _still_quotes(db: Path) -> None:
    store = open_store(db, create=False)
    try:
        with store.engine.connect() as conn:
            instances = [r[0] for r in conn.exec_driver_sql("SELECT instance_id FROM instances")]
        for instance_id in instances:
            try:
                q = quote_instance(store, instance_id, CANCEL_AT)
            except (DeskError, QuoteError) as exc:
                assert "\n" not in str(exc)
                continue
            text = quote_as_text(q)
            ticket = render_ticket(
                quote_to_dict(q), TicketContext(operator="tester", recorded_at=CANCEL_AT)
            )
            for rendered in (text, ticket):
                assert "\r" not in rendered and "\x1b" not in rendered and "\u202e" not in rendered
    finally:
        store.close()


def test_hand_made_hostile_files_have_their_expected_outcome(capsys, template, tmp_path):
    files = sorted(p for p in HOSTILE.iterdir() if p.suffix in (".json", ".csv"))
    assert {p.name for p in files} == set(EXPECTED)
    for path in files:
        outcome, message = _judge(capsys, template, tmp_path, path)
        expected, field, words = EXPECTED[path.name]
        assert outcome == expected, f"{path.name}: {message}"
        if field is not None:
            assert f"field {field}:" in message, f"{path.name}: {message}"
        assert words in message, f"{path.name}: {message}"


def test_generated_mutants_are_rejected_cleanly_or_still_quote(capsys, template, tmp_path):
    mutants = _mutants()
    folder = tmp_path / "mutants"
    folder.mkdir()
    outcomes: Counter[str] = Counter()
    by_kind: Counter[tuple[str, str]] = Counter()
    for index, (name, data) in enumerate(mutants):
        kind = name.split("~", 1)[1].split("-", 1)[0].split("@", 1)[0].rstrip("0123456789")
        suffix = ".csv" if name.endswith(".csv") or ".csv~" in name else ".json"
        path = folder / f"m{index:04d}{suffix}"
        path.write_bytes(data)
        outcome, _ = _judge(capsys, template, tmp_path, path)
        outcomes[outcome] += 1
        by_kind[(kind, outcome)] += 1
    with capsys.disabled():
        hand = len(EXPECTED)
        print(
            f"\nhostile corpus: {hand} hand-made files + {len(mutants)} generated mutants = "
            f"{hand + len(mutants)}; mutants {dict(outcomes)}; by kind "
            + ", ".join(f"{k}/{o}: {n}" for (k, o), n in sorted(by_kind.items()))
        )
    assert len(mutants) >= 250
    assert outcomes["rejected"] > 0 and outcomes["accepted"] > 0

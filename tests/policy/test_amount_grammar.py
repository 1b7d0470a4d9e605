"""The one amount grammar (``policy.money.parse_fen``/``parse_amount``): every path that reads
money — BSS exports, CSV cells, training packs, a trainee's answer — accepts exactly

    ( "0" | nonzero-digit digit* ) [ "." digit [ digit ] ]   with a value of at most 1e12 CNY

(ASCII only; spaces and tabs around a text ignored). The oracle below is written from that
sentence, independently of the parser's regular expression."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from refund_desk.policy.money import MAX_AMOUNT, MoneyError, parse_amount, parse_fen

DIGITS = "0123456789"


def oracle(text: str) -> int | None:
    """Fen for a text in the documented grammar, else None."""
    body = text.strip(" \t")
    if not body or any(c not in DIGITS + "." for c in body) or body.count(".") > 1:
        return None
    whole, dot, fraction = body.partition(".")
    if not whole or (dot and not 1 <= len(fraction) <= 2):
        return None
    if len(whole) > 1 and whole[0] == "0":
        return None
    value = Decimal(body)
    if value > MAX_AMOUNT:
        return None
    return int(value * 100)


def judged(value: object) -> int | None:
    try:
        return parse_fen(value)
    except MoneyError:
        return None


# Texts near the grammar: digits, points, signs, exponents, separators, spaces, other digits.
near = st.text(alphabet=DIGITS + ".+-eE_, \t" + "０１٣²", max_size=18)
shaped = st.builds(
    lambda sign, whole, dot, fraction, pad: f"{pad}{sign}{whole}{dot}{fraction}{pad}",
    st.sampled_from(["", "", "", "+", "-"]),
    st.text(alphabet=DIGITS, min_size=0, max_size=15),
    st.sampled_from(["", ".", "."]),
    st.text(alphabet=DIGITS, min_size=0, max_size=3),
    st.sampled_from(["", "", " ", "\t"]),
)


@settings(max_examples=3000)
@given(text=st.one_of(near, shaped))
@example("1000000000000.00")
@example("1000000000000.01")
@example("+1000000000000.01")
@example("1.23457E+11")
@example("1e3")
@example("1_000")
@example("0.5")
@example("00.5")
@example("9" * 4400)
def test_texts_are_accepted_exactly_when_they_follow_the_grammar(text):
    assert judged(text) == oracle(text)


@given(amount=st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2))
def test_every_amount_written_plainly_reads_back_exactly(amount):
    text = f"{amount:.2f}"
    assert parse_fen(text) == int(amount * 100)
    assert parse_amount(text) == amount and str(parse_amount(text)) == text


@given(number=st.floats(allow_nan=True, allow_infinity=True))
def test_a_float_is_judged_by_its_shortest_repr(number):
    """What a JSON number looked like, had it been decoded to a float: ``repr`` is the text."""
    assert judged(number) == oracle(repr(number))


@given(number=st.integers(min_value=-(10**20), max_value=10**20))
def test_an_int_is_judged_by_its_digits(number):
    assert judged(number) == oracle(str(number))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1e3", "no exponent"),
        ("1,000", "separator"),
        ("+5", "no sign"),
        ("-5.00", "negative"),
        ("1.005", "finer than the fen"),
        ("1000000000000.01", "too large"),
        ("NaN", "not a finite amount"),
        (10**5000, "too large"),
        ("１２", "not an amount"),
    ],
    ids=[
        "exponent",
        "separator",
        "plus",
        "negative",
        "sub-fen",
        "over-max",
        "nan",
        "huge-int",
        "fullwidth",
    ],
)
def test_the_message_says_what_is_wrong(value, words):
    with pytest.raises(MoneyError, match=words):
        parse_fen(value)


def test_a_decimal_that_is_not_finite_or_a_value_that_is_no_amount_is_refused():
    from decimal import Decimal

    from refund_desk.policy.money import MoneyError, parse_amount

    for value in (Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")):
        with pytest.raises(MoneyError, match="not a finite amount"):
            parse_amount(value)
    with pytest.raises(MoneyError, match="not an amount"):
        parse_amount([1464])
    assert parse_amount(Decimal("1464.00")) == Decimal("1464.00")

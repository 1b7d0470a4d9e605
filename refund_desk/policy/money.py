"""Exact money in CNY: ``Decimal`` yuan with fen precision, integer fen for storage.

Money is never a float anywhere in the desk. The store keeps integer fen (see PLATFORM notes:
``Numeric`` on SQLite loses precision); the policy computes in ``Decimal`` yuan.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# Desk decision: no IoT Platform order comes near a trillion yuan; anything larger is a broken
# export (and would overflow the store's 64-bit fen columns long before Decimal minds).
MAX_AMOUNT = Decimal("1000000000000.00")
MAX_FEN = 100_000_000_000_000  # MAX_AMOUNT in fen

# The one grammar every amount the desk reads must follow (exports, CSV, training packs,
# answers typed by a trainee): a plain decimal number of yuan —
#
#     amount = ( "0" | nonzero-digit digit* ) [ "." digit [ digit ] ]      value <= MAX_AMOUNT
#
# ASCII digits only; no sign, no exponent, no thousands separator, no "_", no leading zero
# (except the single 0 before a point), no "." without a digit on both sides. Spaces and tabs
# around a text value are ignored. A JSON number is read through its literal text (or, from
# Python, a float through its shortest repr), so ``1e3`` is refused whichever way it arrives.
AMOUNT_RE = re.compile(r"(0|[1-9][0-9]{0,12})(?:\.([0-9]{1,2}))?")
AMOUNT_FORMAT = "digits with at most two decimals, e.g. 1464.00"
_SHAPE_RE = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]+))?")  # for saying what is wrong


class MoneyError(ValueError):
    """An amount that is not exact, finite money (raised by :func:`parse_amount`)."""


def _amount_text(value: object) -> str:
    if isinstance(value, bool) or value is None:
        raise MoneyError(f"not an amount: {value!r}")
    if isinstance(value, str):
        return value.strip(" \t")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise MoneyError(f"not a finite amount: {value!r}")
        if value > MAX_AMOUNT:
            raise MoneyError(f"amount too large (over {MAX_AMOUNT:,} CNY): {value!r}")
        return repr(value)
    if isinstance(value, int):
        if value > MAX_FEN or value < -MAX_FEN:  # also spares str() of a 5,000-digit int
            raise MoneyError(f"amount too large (over {MAX_AMOUNT:,} CNY)")
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError(f"not a finite amount: {value!r}")
        return str(value)
    raise MoneyError(f"not an amount: {value!r}")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def parse_fen(value: object) -> int:
    """Read an amount in the desk's one amount grammar (:data:`AMOUNT_RE`) as integer fen.

    Args:
        value: a ``str`` (``"1464.00"``, ``"0.5"``), an ``int``, a ``float`` (its shortest repr)
            or a ``Decimal`` (its ``str``), in CNY (or the order's currency).
    Returns:
        The amount in fen (``"1464.5"`` → ``146450``), ``0 <= fen <= MAX_FEN``.
    Raises:
        MoneyError: anything outside the grammar — a sign, an exponent (``1e3``,
            ``1.23457E+11``), a separator (``1,000``, ``1_000``), a leading ``+`` or zero,
            non-ASCII digits, more than two decimals (finer than the fen), not finite, or more
            than :data:`MAX_AMOUNT`. The message says which.
    """
    text = _amount_text(value)
    match = AMOUNT_RE.fullmatch(text)
    if match is not None:
        fraction = match[2]
        if fraction is None:
            fen = int(match[1]) * 100
        else:
            fen = int(match[1]) * 100 + int(fraction) * (10 if len(fraction) == 1 else 1)
        if fen > MAX_FEN:
            raise MoneyError(f"amount too large (over {MAX_AMOUNT:,} CNY): {_shown(value)}")
        return fen
    raise MoneyError(_what_is_wrong(text, value))


def _what_is_wrong(text: str, value: object) -> str:
    shown = _shown(value)
    if text.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        return f"not a finite amount: {shown}"
    shape = _SHAPE_RE.fullmatch(text) if text.isascii() else None
    if shape is None:
        return f"not an amount ({AMOUNT_FORMAT}; no exponent, sign or separator): {shown}"
    sign, digits, fraction = shape.groups()
    if sign == "-" and int(digits + (fraction or "")) != 0:
        return f"negative amount: {shown}"
    if fraction is not None and len(fraction) > 2:
        return f"more than two decimals (finer than the fen): {shown}"
    if len(digits) > 13 or (len(digits) == 13 and digits > "1000000000000"):
        return f"amount too large (over {MAX_AMOUNT:,} CNY): {shown}"
    return f"not an amount ({AMOUNT_FORMAT}; no sign and no leading zero): {shown}"


def parse_amount(value: object) -> Decimal:
    """Parse an amount (export, CSV cell, training pack, a trainee's answer) in the desk's one
    grammar (see :func:`parse_fen`).

    Args:
        value: ``str``, ``int``, ``float`` (its shortest repr) or ``Decimal``, in CNY.
    Returns:
        The amount in CNY as ``Decimal`` with two places (``"12.5"`` → ``Decimal("12.50")``).
    Raises:
        MoneyError: the value is not a plain, non-negative amount of at most two decimals and at
            most :data:`MAX_AMOUNT` (message says what is wrong).
    """
    return Decimal(parse_fen(value)).scaleb(-2)


def to_fen(amount: Decimal) -> int:
    """CNY ``Decimal`` (fen precision) → integer fen. Raises ``ValueError`` if finer than a fen."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"amount finer than the fen: {amount}")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    """Integer fen → CNY ``Decimal`` with two places."""
    return (Decimal(fen) / 100).quantize(FEN)


def round_down_fen(amount: Decimal) -> Decimal:
    """Round down to the fen (``AMOUNT-ROUNDING``: refunds)."""
    return amount.quantize(FEN, rounding=ROUND_FLOOR)


def round_up_fen(amount: Decimal) -> Decimal:
    """Round up to the fen (``AMOUNT-ROUNDING``: consumed amounts shown)."""
    return amount.quantize(FEN, rounding=ROUND_CEILING)


def format_cny(amount: Decimal) -> str:
    """``Decimal('2350')`` → ``'2,350.00'`` (thousands separator, two decimals)."""
    return f"{amount.quantize(FEN):,.2f}"

"""Exact money in CNY: ``Decimal`` yuan with fen precision, integer fen for storage.

Money is never a float anywhere in the desk. The store keeps integer fen (see PLATFORM notes:
``Numeric`` on SQLite loses precision); the policy computes in ``Decimal`` yuan.
"""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# Desk decision: no IoT Platform order comes near a trillion yuan; anything larger is a broken
# export (and would overflow the store's 64-bit fen columns long before Decimal minds).
MAX_AMOUNT = Decimal("1000000000000.00")


class MoneyError(ValueError):
    """An amount that is not exact, finite money (raised by :func:`parse_amount`)."""


def parse_amount(value: object) -> Decimal:
    """Parse an amount as the billing exports give it (string ``"1000.00"`` or JSON number).

    Args:
        value: a ``str``, ``int``, ``float`` (JSON numbers arrive as float) or ``Decimal``, in CNY.
    Returns:
        The amount in CNY as ``Decimal`` quantized to the fen. A float is read through its shortest
        repr (``1464.0`` → ``1464.00``), never through its binary value.
    Raises:
        MoneyError: not a plain ASCII number, not finite, negative, over :data:`MAX_AMOUNT`, or
            finer than the fen (``1.005``).
    """
    if isinstance(value, bool) or value is None:
        raise MoneyError(f"not an amount: {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise MoneyError(f"not a finite amount: {value!r}")
        text = repr(value)
    elif isinstance(value, int | Decimal):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise MoneyError(f"not an amount: {value!r}")
    if not text.isascii():
        # Decimal() would read full-width digits ("１２"); an export never has them.
        raise MoneyError(f"not an amount: {value!r}")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise MoneyError(f"not an amount: {value!r}") from None
    if not amount.is_finite():
        raise MoneyError(f"not a finite amount: {value!r}")
    if amount < 0:
        raise MoneyError(f"negative amount: {value!r}")
    if amount > MAX_AMOUNT:
        raise MoneyError(f"amount too large (over {MAX_AMOUNT:,} CNY): {value!r}")
    quantized = amount.quantize(FEN)
    if quantized != amount:
        raise MoneyError(f"amount finer than the fen: {value!r}")
    return quantized


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

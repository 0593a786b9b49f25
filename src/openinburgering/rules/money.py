"""Money: Decimal euros with 2 places, rounded half-up to cents (rules catalogue, "Date conventions")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(amount: Decimal | int) -> Decimal:
    """Return ``amount`` as euros with exactly 2 places, rounded half-up (``12.345`` becomes ``12.35``)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)

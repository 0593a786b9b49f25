"""BSN validation: nine digits that pass the elfproef (the weighted sum 9..2, -1 is divisible by 11)."""

from __future__ import annotations


def is_valid_bsn(value: str) -> bool:
    if len(value) != 9 or not value.isdigit() or value == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(digit) * weight for digit, weight in zip(value, weights, strict=True))
    return total % 11 == 0


def normalise_bsn(value: str) -> str:
    """Strips spaces and dots people type; pads an 8-digit BSN with the leading zero it lost in a spreadsheet."""
    cleaned = value.replace(" ", "").replace(".", "").strip()
    if len(cleaned) == 8 and cleaned.isdigit():
        cleaned = "0" + cleaned
    return cleaned

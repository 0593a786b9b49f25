"""How a letter tells the person to pay: the IBAN (checked with its ISO 13616 checksum), a betalingskenmerk with a
check digit derived from the fine, and money written for a letter (issue #11 item 7).

Pure functions without Django, so the letter settings service, the templates and the tests share them.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
"""A non-breaking space: "€ 250,00" must never break over two lines."""

_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_IBAN_LENGTHS = {"NL": 18, "BE": 16, "DE": 22, "LU": 20, "FR": 27}
"""Known lengths of the countries a gemeente's bank account is likely in; other countries: the shape only."""


def normalize_iban(value: str) -> str:
    """The IBAN without spaces, in capitals: " nl91 abna 0417 1643 00 " becomes "NL91ABNA0417164300"."""
    return re.sub(r"\s+", "", value or "").upper()


def iban_problem(value: str) -> str | None:
    """Why ``value`` is not a valid IBAN (in Dutch, for the form), or None when it is valid.

    ISO 13616: country code, two check digits, then the account (BBAN). Valid when the number formed by moving
    the first four characters to the end and writing each letter as 10..35 is 1 modulo 97.
    """
    iban = normalize_iban(value)
    if not _IBAN_SHAPE.match(iban):
        return (
            "Dit is geen IBAN. Een IBAN begint met twee letters en twee cijfers, bijvoorbeeld NL91 ABNA 0417 1643 00."
        )
    expected = _IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return f"Een IBAN uit {iban[:2]} heeft {expected} tekens. U vulde er {len(iban)} in."
    digits = "".join(str(int(char, 36)) for char in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        return "Dit IBAN klopt niet: het controlegetal past niet bij het nummer. Controleer het nummer."
    return None


def format_iban(value: str) -> str:
    """The IBAN in groups of four, as printed on a letter: "NL91 ABNA 0417 1643 00"."""
    iban = normalize_iban(value)
    return " ".join(iban[index : index + 4] for index in range(0, len(iban), 4))


def betalingskenmerk(*, gemeente_code: str, fine_id: int) -> str:
    """A 16-digit payment reference for a fine, with two check digits, in groups of four.

    The 4 digits of the gemeente's CBS code (GM0392 gives 0392), the fine's id in 10 digits, then two check
    digits so that the whole number is 1 modulo 97 (the ISO 7064 MOD 97-10 check of the IBAN). The same fine
    always gets the same reference; a typo in one or two digits is caught when the payment comes in.
    """
    if not re.fullmatch(r"GM[0-9]{4}", gemeente_code) or not 0 < fine_id < 10**10:
        raise ValueError("A betalingskenmerk needs a CBS code GMxxxx and a fine id of at most 10 digits")
    base = f"{gemeente_code[2:]}{fine_id:010d}"
    check = 98 - (int(base) * 100) % 97
    reference = f"{base}{check:02d}"
    return " ".join(reference[index : index + 4] for index in range(0, 16, 4))


def is_valid_betalingskenmerk(value: str) -> bool:
    """True when ``value`` (spaces allowed) is 16 digits that pass the check of :func:`betalingskenmerk`."""
    digits = re.sub(r"\s+", "", value or "")
    return len(digits) == 16 and digits.isdigit() and int(digits) % 97 == 1


def euro(amount: Decimal | int | str) -> str:
    """Money as a letter writes it: "€ 1.250,00", with non-breaking spaces so it never breaks over a line."""
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}€{NBSP}{'.'.join(groups)},{cents}"

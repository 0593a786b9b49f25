"""IBAN and BIC checks with schwifty (checksum, length and the country's own format) and Dutch messages."""

from __future__ import annotations

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from openinburgering.core.errors import ApplicationError


class InvalidIban(ApplicationError):
    pass


def _message(error: SchwiftyException) -> str:
    name = type(error).__name__
    if name == "InvalidChecksumDigits":
        return "Dit IBAN klopt niet: de controlecijfers passen niet bij het nummer. Controleer het IBAN."
    if name == "InvalidLength":
        return "Dit IBAN heeft niet het goede aantal tekens voor dit land."
    if name == "InvalidCountryCode":
        return "Dit IBAN begint niet met een bekende landcode (bijvoorbeeld NL)."
    return "Dit IBAN past niet bij de opbouw van een rekeningnummer in dit land."


def clean_iban(value: str) -> str:
    """The compact IBAN (no spaces, capitals), or InvalidIban with a Dutch message. Only IBANs in the SEPA zone:
    the payment is a SEPA Credit Transfer."""
    text = "".join(str(value or "").split()).upper()
    if not text:
        raise InvalidIban("Vul het IBAN in.")
    try:
        iban = IBAN(text)
    except SchwiftyException as error:
        raise InvalidIban(_message(error)) from None
    if not iban.in_sepa_zone:
        raise InvalidIban("Naar dit land kan de gemeente niet betalen met een SEPA-overboeking.")
    return str(iban.compact)


def is_valid_iban(value: str) -> bool:
    try:
        clean_iban(value)
    except InvalidIban:
        return False
    return True


def bic_for(iban: str, bic: str = "") -> str:
    """The BIC as given (checked), or the one schwifty knows for the IBAN's bank, or empty."""
    text = "".join(str(bic or "").split()).upper()
    if text:
        try:
            return str(BIC(text).compact)
        except SchwiftyException:
            raise InvalidIban("Deze BIC klopt niet. Laat het veld leeg als u de BIC niet weet.") from None
    try:
        found = IBAN(iban).bic
    except SchwiftyException:
        return ""
    return str(found.compact) if found is not None else ""

"""Demo letter settings for Haarlem and Zandvoort (issue #11 item 7): fictional but realistic contact details,
bezwaar address and a valid (made-up) IBAN, so every demo letter shows how to reach the team and pay."""

from __future__ import annotations

from openinburgering.accounts.models import Gemeente
from openinburgering.letters.models import LetterSettings

from .personas import HAARLEM, ZANDVOORT

DEMO_LETTER_SETTINGS: dict[str, dict[str, str]] = {
    HAARLEM: {
        "team_name": "Team Inburgering",
        "phone": "14 023",
        "email": "inburgering@haarlem.example",
        "contact_hours": "Op werkdagen van 9.00 tot 17.00 uur",
        "postal_address": "Postbus 511\n2003 PB Haarlem",
        "visiting_address": "Zijlvest 39\n2011 VB Haarlem",
        "bezwaar_address": (
            "College van burgemeester en wethouders van Haarlem\nt.a.v. Team Bezwaar en Beroep\nPostbus 511\n"
            "2003 PB Haarlem"
        ),
        "iban": "NL66BNGH0123456789",
        "iban_name": "Gemeente Haarlem",
    },
    ZANDVOORT: {
        "team_name": "Team Inburgering Zandvoort",
        "phone": "14 023",
        "email": "inburgering@zandvoort.example",
        "contact_hours": "Maandag tot en met donderdag van 9.00 tot 16.00 uur",
        "postal_address": "Postbus 2\n2040 AA Zandvoort",
        "visiting_address": "Swaluestraat 2\n2042 KA Zandvoort",
        "bezwaar_address": (
            "College van burgemeester en wethouders van Zandvoort\nt.a.v. Bezwaarschriftencommissie\nPostbus 2\n"
            "2040 AA Zandvoort"
        ),
        "iban": "NL18BNGH0987654321",
        "iban_name": "Gemeente Zandvoort",
    },
}


def ensure_demo_letter_settings() -> int:
    """Create the demo settings of a gemeente that has none (a beheerder's own edits are kept). Idempotent."""
    created = 0
    for gemeente in Gemeente.objects.filter(code__in=DEMO_LETTER_SETTINGS):
        _settings, was_created = LetterSettings.objects.get_or_create(
            gemeente=gemeente, defaults=DEMO_LETTER_SETTINGS[gemeente.code]
        )
        created += was_created
    return created

"""The shared parts of parsing a message (``signals.messages``): the codes and value lists DUO and COA use, the
errors, the problem list with a Dutch reason per field, and the parsers of one field (date, choice, text, BSN,
V-nummer, gemeentecode, registration time)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, timedelta
from typing import Any

from openinburgering.core.bsn import is_valid_bsn

EXTERNAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
EVENT_CODE = re.compile(r"^[0-9A-Z]{1,6}$")
GEMEENTECODE = re.compile(r"^[0-9]{4}$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
SCORE = re.compile(r"^\d{1,3},\d{2}$")

PLICHT_CODES = frozenset({"SS101", "SS128", "SS139"})
MOVE_IN_CODES = frozenset({"SS120", "SS121"})
MOVE_OUT_CODES = frozenset({"SS122"})
TERMIJN_CODES = frozenset({"SS102"})
LBT_CODES = frozenset({"SS131"})
DOELGROEP_CODES = frozenset({"SS124", "SS125"})
VRIJSTELLING_CODES = frozenset({"SS107", "SS109"})
ONTHEFFING_CODES = frozenset({"SS108", "SS119"})
PLICHT_ENDED_CODES = frozenset({"SS106", "SS110", "SS111"})
HANDLED_CODES = (
    PLICHT_CODES
    | MOVE_IN_CODES
    | MOVE_OUT_CODES
    | TERMIJN_CODES
    | LBT_CODES
    | DOELGROEP_CODES
    | VRIJSTELLING_CODES
    | ONTHEFFING_CODES
    | PLICHT_ENDED_CODES
)

EVENT_LABELS = {
    "SS101": "Persoon is inburgeringsplichtig",
    "SS128": "Inburgeringsplichtig, AOW-leeftijd binnen 6 maanden",
    "SS139": "Inburgeringsplichtig, termijn van 10 weken voor de leerroute gestart",
    "SS120": "Gevestigd in de gemeente zonder PIP",
    "SS121": "Gevestigd in de gemeente met PIP van de vorige gemeente",
    "SS122": "Vertrokken naar een andere gemeente",
    "SS102": "Inburgeringstermijn gestart",
    "SS131": "Uitslag leerbaarheidstoets bekend",
    "SS124": "Doelgroep gewijzigd naar gezinsmigrant en overige migrant",
    "SS125": "Doelgroep gewijzigd naar asielstatushouder",
    "SS107": "Gehele vrijstelling toegekend",
    "SS109": "Tijdelijke vrijstelling toegekend",
    "SS108": "Gehele ontheffing toegekend",
    "SS119": "Gedeeltelijke ontheffing toegekend",
    "SS106": "Einde inburgeringsplicht: diploma behaald",
    "SS110": "Inburgeringsplicht ingetrokken",
    "SS111": "Persoon is overleden",
    "koppeling": "COA-koppeling",
}

DOELGROEP_INDELINGEN = ("Asielstatushouder", "Gezinsmigrant en overige migrant")
GEDETAILLEERDE_DOELGROEPEN = (
    "Asielstatushouder",
    "Geestelijk bedienaar",
    "Gezinshereniger",
    "Gezinshereniger met Asielstatushouder",
    "Gezinsvormer",
    "Gezinsvormer met Asielstatushouder",
    "Overig",
)
REDENEN_GEEN_PLICHT = (
    "Volledige ontheffing",
    "Volledige vrijstelling",
    "Inburgeringsplicht voldaan",
    "Verblijfsdoel gewijzigd",
    "Vertrek uit Nederland langer dan een jaar",
    "Overlijden",
    "Overig",
    "Tijdelijke vrijstelling",
)
LBT_RESULTATEN = ("B1-route haalbaar", "B1-route niet haalbaar", "Onbekend")
OORDELEN = ("Toekenning", "Afwijzing")
VRIJSTELLING_REDENEN = ("AVI", "DIP", "DOC", "GED", "INB", "INS", "OPL")
ONTHEFFING_GRONDEN = ("BIO", "MED")
LEERROUTES = ("B", "O", "Z")
SEXES = {"M": "M", "V": "V", "O": "O", "man": "M", "vrouw": "V", "onbekend": "O"}


class InvalidEnvelopeError(Exception):
    """The message cannot even be identified (no usable berichtId): it is reported, never stored."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MessageRejectedError(Exception):
    """The message is identified but its content is wrong; the reason lists every problem, in Dutch."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def canonical_hash(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Problems:
    """Collects the problems of one message, then raises them together."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)

    def raise_if_any(self) -> None:
        if self.items:
            raise MessageRejectedError(" ".join(self.items))


def external_id_of(raw: Any) -> str:
    """The berichtId, or InvalidEnvelopeError: without it a message cannot be stored or recognised again."""
    if not isinstance(raw, dict):
        raise InvalidEnvelopeError("Dit bericht is geen JSON-object.")
    value = raw.get("berichtId")
    if not isinstance(value, str) or not value.strip():
        raise InvalidEnvelopeError("Het bericht heeft geen berichtId.")
    if not EXTERNAL_ID.match(value.strip()):
        raise InvalidEnvelopeError("Het berichtId is ongeldig. Gebruik maximaal 64 letters, cijfers of - . _ :")
    return value.strip()


def _block(raw: dict[str, Any], key: str, problems: Problems, *, required: bool) -> dict[str, Any] | None:
    value = raw.get(key)
    if value is None:
        if required:
            problems.add(f"Het onderdeel '{key}' ontbreekt.")
        return None
    if not isinstance(value, dict):
        problems.add(f"Het onderdeel '{key}' moet een object zijn.")
        return None
    return value


def _date(
    block: dict[str, Any] | None,
    key: str,
    label: str,
    problems: Problems,
    *,
    today: date,
    required: bool = False,
    allow_future: bool = False,
) -> date | None:
    value = None if block is None else block.get(key)
    if value is None or value == "":
        if required:
            problems.add(f"{label} ontbreekt.")
        return None
    if not isinstance(value, str) or not ISO_DATE.match(value):
        problems.add(f"{label} is geen datum in de vorm JJJJ-MM-DD.")
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        problems.add(f"{label} bestaat niet ({value}).")
        return None
    if parsed.year < 1900:
        problems.add(f"{label} ligt te ver terug ({value}).")
        return None
    if not allow_future and parsed > today:
        problems.add(f"{label} ligt in de toekomst ({value}).")
        return None
    return parsed


def _choice(
    block: dict[str, Any] | None,
    key: str,
    label: str,
    allowed: tuple[str, ...],
    problems: Problems,
    *,
    required: bool = False,
) -> str | None:
    value = None if block is None else block.get(key)
    if value is None or value == "":
        if required:
            problems.add(f"{label} ontbreekt.")
        return None
    if value not in allowed:
        problems.add(f"{label} heeft een onbekende waarde ({str(value)[:40]}).")
        return None
    return str(value)


def _text(
    block: dict[str, Any] | None, key: str, label: str, problems: Problems, *, max_length: int, required: bool = False
) -> str:
    value = None if block is None else block.get(key)
    if value is None or value == "":
        if required:
            problems.add(f"{label} ontbreekt.")
        return ""
    if not isinstance(value, str):
        problems.add(f"{label} moet tekst zijn.")
        return ""
    value = value.strip()
    if len(value) > max_length:
        problems.add(f"{label} is te lang (maximaal {max_length} tekens).")
        return ""
    return value


def _bsn(value: Any, problems: Problems) -> str:
    if value is None or value == "":
        problems.add("Het BSN ontbreekt.")
        return ""
    bsn = str(value).strip()
    if not is_valid_bsn(bsn):
        problems.add("Het BSN is ongeldig. Een BSN heeft 9 cijfers en moet voldoen aan de elfproef.")
        return ""
    return bsn


def _v_number(value: Any, problems: Problems) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        problems.add("Het V-nummer is ongeldig.")
        return ""
    number = int(value)
    if not 0 < number <= 9_999_999_999:
        problems.add("Het V-nummer is ongeldig.")
        return ""
    return f"{number:010d}"


def _gemeentecode(value: Any, label: str, problems: Problems, *, required: bool) -> str:
    if value is None or value == "":
        if required:
            problems.add(f"{label} ontbreekt.")
        return ""
    code = str(value).strip().upper().removeprefix("GM")
    if not GEMEENTECODE.match(code):
        problems.add(f"{label} is ongeldig. Gebruik 4 cijfers, bijvoorbeeld 0392.")
        return ""
    return code


def _registered_at(value: Any, problems: Problems, *, now: datetime) -> datetime | None:
    if value is None or value == "":
        problems.add("De registratieDatumTijd ontbreekt.")
        return None
    if not isinstance(value, str):
        problems.add("De registratieDatumTijd is geen datum en tijd.")
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        problems.add(f"De registratieDatumTijd bestaat niet ({value[:40]}).")
        return None
    if parsed.tzinfo is None:
        problems.add("De registratieDatumTijd mist een tijdzone (bijvoorbeeld +01:00).")
        return None
    if parsed > now + timedelta(minutes=5):
        problems.add("De registratieDatumTijd ligt in de toekomst.")
        return None
    if parsed.year < 2000:
        problems.add("De registratieDatumTijd ligt te ver terug.")
        return None
    return parsed

"""Parsing and validating incoming messages, one at a time, with a Dutch reason for every problem.

A DUO event here is DUO's notificatie envelope (``berichtId``, ``gebeurtenisId``, ``registratieDatumTijd``,
``bsn``, ``vNummer``) plus the gemeente DUO relates the person to (``gemeentecode``, 4 digits as in DUO's PIP
API) and the data block of the DUO API that the event code points at, with DUO's field names:

- ``inburgeringsplicht`` (Inburgeringsplicht API): ``indicatorInburgeringsplicht``, ``begindatum``,
  ``einddatum``, ``datumKennisgevingInburgeringsplicht``, ``redenGeenInburgeringsplicht``
- ``doelgroep`` (Inburgeringsplicht API): ``indeling``, ``begindatum``, ``gedetailleerdeDoelgroep``
- ``inburgeringstermijn`` (Inburgeringstermijn API): ``startdatum`` (inclusive), ``einddatum`` (exclusive)
- ``leerbaarheidstoets`` (Leerbaarheidstoets API ``Resultaat``): ``resultaat``, ``behaaldeScore``,
  ``benodigdeScore`` (decimal comma, "28,00"), ``datumAfname``
- ``vrijstelling`` / ``ontheffing`` (Vrijstelling / Ontheffing API): ``GeheleVrijstelling``,
  ``TijdelijkeVrijstelling``, ``GeheleOntheffing``, ``GedeeltelijkeOntheffing`` with ``oordeel``, ``reden`` or
  ``grond``, ``datumOordeel``
- ``vestiging`` (SS120/SS121: ``datumVestiging``, ``vorigeGemeentecode``; SS121 also ``pip`` as in DUO's PIP
  API: ``dagtekeningPip``, ``leerroute``) and ``vertrek`` (SS122: ``datumVertrek``, ``nieuweGemeentecode``)
- ``persoon``: the person as DUO gives it (``voornamen``, ``voorvoegsel``, ``geslachtsnaam``,
  ``geboortedatum``, ``geslacht``); needed only when a message opens a new file.

A correction carries ``correctieVan`` and a retraction ``intrekkingVan``: the ``berichtId`` of the earlier
message. A retraction needs no data block.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
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


@dataclass(frozen=True)
class PersonData:
    given_names: str
    surname_prefix: str
    surname: str
    birth_on: date
    sex: str

    def as_person_fields(self, *, bsn: str, v_number: str) -> dict[str, Any]:
        return {
            "bsn": bsn,
            "v_number": v_number,
            "given_names": self.given_names,
            "surname_prefix": self.surname_prefix,
            "surname": self.surname,
            "birth_on": self.birth_on,
            "sex": self.sex,
        }


def _person(raw: dict[str, Any], problems: Problems, *, today: date, required: bool) -> PersonData | None:
    block = _block(raw, "persoon", problems, required=required)
    if block is None:
        return None
    given = _text(block, "voornamen", "De voornamen", problems, max_length=200, required=True)
    prefix = _text(block, "voorvoegsel", "Het voorvoegsel", problems, max_length=20)
    surname = _text(block, "geslachtsnaam", "De geslachtsnaam", problems, max_length=200, required=True)
    birth_on = _date(block, "geboortedatum", "De geboortedatum", problems, today=today, required=True)
    sex_raw = block.get("geslacht") or "O"
    sex = SEXES.get(str(sex_raw))
    if sex is None:
        problems.add("Het geslacht heeft een onbekende waarde. Gebruik M, V of O.")
    if birth_on is None or sex is None or not given or not surname:
        return None
    return PersonData(given_names=given, surname_prefix=prefix, surname=surname, birth_on=birth_on, sex=sex)


@dataclass(frozen=True)
class DuoEvent:
    """One validated DUO event. ``blocks`` keeps the validated, typed data per API block."""

    external_id: str
    code: str
    registered_at: datetime | None
    bsn: str
    v_number: str
    gemeentecode: str
    correction_of: str
    retraction_of: str
    person: PersonData | None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def is_retraction(self) -> bool:
        return bool(self.retraction_of)


def _reference(raw: dict[str, Any], problems: Problems) -> tuple[str, str]:
    correction_of = raw.get("correctieVan") or ""
    retraction_of = raw.get("intrekkingVan") or ""
    for value, label in ((correction_of, "correctieVan"), (retraction_of, "intrekkingVan")):
        if value and (not isinstance(value, str) or not EXTERNAL_ID.match(value)):
            problems.add(f"{label} is geen geldig berichtId.")
    if correction_of and retraction_of:
        problems.add("Een bericht kan niet tegelijk een correctie en een intrekking zijn.")
    if raw.get("berichtId") in (correction_of, retraction_of):
        problems.add("Een bericht kan niet naar zichzelf verwijzen.")
    return str(correction_of), str(retraction_of)


def parse_duo_event(raw: Any, *, today: date, now: datetime) -> DuoEvent:
    """Validate one raw DUO event. Raises InvalidEnvelopeError or MessageRejectedError with a Dutch reason."""
    external_id = external_id_of(raw)
    problems = Problems()
    correction_of, retraction_of = _reference(raw, problems)
    code_raw = raw.get("gebeurtenisId")
    code = ""
    if code_raw in (None, "") and not retraction_of:
        problems.add("De gebeurteniscode (gebeurtenisId) ontbreekt.")
    elif code_raw not in (None, ""):
        if not isinstance(code_raw, str) or not EVENT_CODE.match(code_raw):
            problems.add("De gebeurteniscode is ongeldig. Een code is bijvoorbeeld SS101.")
        elif code_raw not in HANDLED_CODES:
            problems.add(f"De gebeurteniscode {code_raw} is onbekend of wordt (nog) niet verwerkt.")
        else:
            code = code_raw
    registered_at = _registered_at(raw.get("registratieDatumTijd"), problems, now=now)
    bsn = _bsn(raw.get("bsn"), problems)
    v_number = _v_number(raw.get("vNummer"), problems)
    if retraction_of:
        problems.raise_if_any()
        return DuoEvent(
            external_id=external_id,
            code=code,
            registered_at=registered_at,
            bsn=bsn,
            v_number=v_number,
            gemeentecode="",
            correction_of="",
            retraction_of=retraction_of,
            person=None,
        )
    gemeentecode = _gemeentecode(raw.get("gemeentecode"), "De gemeentecode", problems, required=True)
    person = _person(raw, problems, today=today, required=False)
    data: dict[str, Any] = {}
    if code in PLICHT_CODES or code in PLICHT_ENDED_CODES:
        block = _block(raw, "inburgeringsplicht", problems, required=code in PLICHT_CODES)
        if block is not None:
            indicator = block.get("indicatorInburgeringsplicht")
            if not isinstance(indicator, bool):
                problems.add("indicatorInburgeringsplicht ontbreekt of is niet true/false.")
            data["plicht"] = {
                "plichtig": indicator if isinstance(indicator, bool) else None,
                "begindatum": _date(block, "begindatum", "De begindatum van de plicht", problems, today=today),
                "einddatum": _date(
                    block, "einddatum", "De einddatum van de plicht", problems, today=today, allow_future=True
                ),
                "kennisgeving_on": _date(
                    block, "datumKennisgevingInburgeringsplicht", "De datum van de kennisgeving", problems, today=today
                ),
                "reden_geen_plicht": _choice(
                    block, "redenGeenInburgeringsplicht", "De reden geen plicht", REDENEN_GEEN_PLICHT, problems
                ),
            }
    if code in PLICHT_CODES or code in DOELGROEP_CODES or code in MOVE_IN_CODES:
        block = _block(raw, "doelgroep", problems, required=code in DOELGROEP_CODES)
        if block is not None:
            indeling = _choice(block, "indeling", "De doelgroepindeling", DOELGROEP_INDELINGEN, problems, required=True)
            detail = _choice(
                block, "gedetailleerdeDoelgroep", "De gedetailleerde doelgroep", GEDETAILLEERDE_DOELGROEPEN, problems
            )
            begindatum = _date(block, "begindatum", "De begindatum van de doelgroep", problems, today=today)
            if code == "SS124" and indeling == "Asielstatushouder":
                problems.add(
                    "SS124 meldt een wijziging naar gezinsmigrant en overige migrant, maar de indeling is "
                    "asielstatushouder."
                )
            if code == "SS125" and indeling == "Gezinsmigrant en overige migrant":
                problems.add("SS125 meldt een wijziging naar asielstatushouder, maar de indeling is gezinsmigrant.")
            data["doelgroep"] = {"indeling": indeling, "gedetailleerd": detail, "begindatum": begindatum}
    if code in MOVE_IN_CODES:
        block = _block(raw, "vestiging", problems, required=True)
        data["vestiging"] = {
            "datum": _date(block, "datumVestiging", "De datum van vestiging", problems, today=today, required=True),
            "vorige_gemeentecode": _gemeentecode(
                None if block is None else block.get("vorigeGemeentecode"),
                "De vorige gemeentecode",
                problems,
                required=False,
            ),
        }
        if code == "SS121":
            pip = _block(raw, "pip", problems, required=True)
            data["pip"] = {
                "dagtekening": _date(
                    pip, "dagtekeningPip", "De dagtekening van het PIP", problems, today=today, required=True
                ),
                "leerroute": _choice(pip, "leerroute", "De leerroute", LEERROUTES, problems, required=True),
            }
    if code in MOVE_OUT_CODES:
        block = _block(raw, "vertrek", problems, required=True)
        data["vertrek"] = {
            "datum": _date(block, "datumVertrek", "De datum van vertrek", problems, today=today, required=True),
            "nieuwe_gemeentecode": _gemeentecode(
                None if block is None else block.get("nieuweGemeentecode"),
                "De nieuwe gemeentecode",
                problems,
                required=True,
            ),
        }
    if code in TERMIJN_CODES:
        block = _block(raw, "inburgeringstermijn", problems, required=True)
        start = _date(block, "startdatum", "De startdatum van de termijn", problems, today=today, required=True)
        end = _date(
            block, "einddatum", "De einddatum van de termijn", problems, today=today, required=True, allow_future=True
        )
        if start and end and end <= start:
            problems.add("De einddatum van de termijn ligt niet na de startdatum.")
        data["termijn"] = {"startdatum": start, "einddatum": end}
    if code in LBT_CODES:
        block = _block(raw, "leerbaarheidstoets", problems, required=True)
        result = _choice(block, "resultaat", "Het resultaat", LBT_RESULTATEN, problems, required=True)
        scores: dict[str, Decimal | None] = {}
        for key, label in (("behaaldeScore", "De behaalde score"), ("benodigdeScore", "De benodigde score")):
            value = None if block is None else block.get(key)
            if not isinstance(value, str) or not SCORE.match(value):
                problems.add(f"{label} ontbreekt of heeft niet de vorm 28,00.")
                scores[key] = None
            else:
                scores[key] = Decimal(value.replace(",", "."))
                if scores[key] > 40:  # type: ignore[operator]  # set just above
                    problems.add(f"{label} is hoger dan 40.")
        data["lbt"] = {
            "resultaat": result,
            "behaalde_score": scores["behaaldeScore"],
            "benodigde_score": scores["benodigdeScore"],
            "datum_afname": _date(block, "datumAfname", "De datum van afname", problems, today=today, required=True),
        }
    if code in VRIJSTELLING_CODES:
        block = _block(raw, "vrijstelling", problems, required=True)
        key = "GeheleVrijstelling" if code == "SS107" else "TijdelijkeVrijstelling"
        inner = _block(block or {}, key, problems, required=True)
        data["vrijstelling"] = {
            "soort": key,
            "oordeel": _choice(inner, "oordeel", "Het oordeel", OORDELEN, problems, required=True),
            "reden": _choice(
                inner, "reden", "De reden van de vrijstelling", VRIJSTELLING_REDENEN, problems, required=True
            ),
            "datum_oordeel": _date(inner, "datumOordeel", "De datum van het oordeel", problems, today=today),
            "startdatum": _date(
                inner, "startdatum", "De startdatum van de vrijstelling", problems, today=today, allow_future=True
            ),
            "einddatum": _date(
                inner, "einddatum", "De einddatum van de vrijstelling", problems, today=today, allow_future=True
            ),
        }
    if code in ONTHEFFING_CODES:
        block = _block(raw, "ontheffing", problems, required=True)
        key = "GeheleOntheffing" if code == "SS108" else "GedeeltelijkeOntheffing"
        inner = _block(block or {}, key, problems, required=True)
        data["ontheffing"] = {
            "soort": key,
            "oordeel": _choice(inner, "oordeel", "Het oordeel", OORDELEN, problems, required=True),
            "grond": _choice(inner, "grond", "De grond van de ontheffing", ONTHEFFING_GRONDEN, problems, required=True),
            "datum_oordeel": _date(
                inner, "datumOordeel", "De datum van het oordeel", problems, today=today, required=True
            ),
            "examenonderdeel": _text(inner, "examenonderdeel", "Het examenonderdeel", problems, max_length=3),
        }
    if person is not None:
        early = sorted(
            {
                block_name
                for block_name, values in data.items()
                for key, value in values.items()
                if isinstance(value, date) and value < person.birth_on and key != "einddatum"
            }
        )
        if early:
            problems.add(f"Een datum ligt voor de geboortedatum (onderdeel {', '.join(early)}).")
    problems.raise_if_any()
    return DuoEvent(
        external_id=external_id,
        code=code,
        registered_at=registered_at,
        bsn=bsn,
        v_number=v_number,
        gemeentecode=gemeentecode,
        correction_of=correction_of,
        retraction_of="",
        person=person,
        data=data,
    )


# ---------------------------------------------------------------------------------------------------------------
# COA koppeling


@dataclass(frozen=True)
class CoaKoppeling:
    external_id: str
    registered_at: datetime | None
    bsn: str
    v_number: str
    gemeentecode: str
    koppeling_on: date | None
    correction_of: str
    retraction_of: str
    person: PersonData | None
    residence_from_on: date | None
    in_azc: bool
    azc_location: str
    handover: dict[str, Any]
    health: dict[str, Any] | None
    health_consent: bool


HANDOVER_TEXT_FIELDS = {
    "samenvatting": ("De samenvatting", 4000),
    "opleiding": ("De opleiding", 1000),
    "werkervaring": ("De werkervaring", 1000),
    "gezinssamenstelling": ("De gezinssamenstelling", 1000),
    "aandachtspunten": ("De aandachtspunten", 2000),
    "tolkTaal": ("De taal van de tolk", 100),
}


def parse_coa_koppeling(raw: Any, *, today: date, now: datetime) -> CoaKoppeling:
    """Validate one COA koppeling. Health signals are read only when ``gezondheid.toestemming.vastgelegd`` is
    true; otherwise they are dropped by the service (never stored)."""
    external_id = external_id_of(raw)
    problems = Problems()
    correction_of, retraction_of = _reference(raw, problems)
    registered_at = _registered_at(raw.get("registratieDatumTijd"), problems, now=now)
    person_block = raw.get("persoon") if isinstance(raw.get("persoon"), dict) else {}
    bsn = _bsn(person_block.get("bsn", raw.get("bsn")), problems)
    v_number = _v_number(person_block.get("vNummer", raw.get("vNummer")), problems)
    if retraction_of:
        problems.raise_if_any()
        return CoaKoppeling(
            external_id=external_id,
            registered_at=registered_at,
            bsn=bsn,
            v_number=v_number,
            gemeentecode="",
            koppeling_on=None,
            correction_of="",
            retraction_of=retraction_of,
            person=None,
            residence_from_on=None,
            in_azc=False,
            azc_location="",
            handover={},
            health=None,
            health_consent=False,
        )
    soort = raw.get("soort", "koppeling")
    if soort != "koppeling":
        problems.add("De soort COA-bericht is onbekend. Alleen 'koppeling' wordt verwerkt.")
    gemeentecode = _gemeentecode(raw.get("gemeentecode"), "De gemeentecode (taakstelling)", problems, required=True)
    koppeling_on = _date(raw, "datumKoppeling", "De datum van de koppeling", problems, today=today, required=True)
    person = _person(raw, problems, today=today, required=True)
    verblijf = _block(raw, "verblijf", problems, required=True)
    residence_from_on = _date(
        verblijf, "begindatum", "De begindatum van de verblijfsvergunning", problems, today=today, required=True
    )
    azc = _block(raw, "azc", problems, required=True) or {}
    in_azc = azc.get("verblijftInAzc")
    if not isinstance(in_azc, bool):
        problems.add("verblijftInAzc ontbreekt of is niet true/false.")
    azc_location = _text(azc, "locatie", "De AZC-locatie", problems, max_length=200)
    handover_block = _block(raw, "warmeOverdracht", problems, required=False) or {}
    handover: dict[str, Any] = {}
    for key, (label, max_length) in HANDOVER_TEXT_FIELDS.items():
        value = _text(handover_block, key, label, problems, max_length=max_length)
        if value:
            handover[key] = value
    talen = handover_block.get("talen", [])
    if not isinstance(talen, list) or not all(isinstance(t, str) and 0 < len(t) <= 50 for t in talen):
        problems.add("De talen moeten een lijst met namen van talen zijn.")
    elif talen:
        handover["talen"] = talen[:10]
    tolk = handover_block.get("tolkNodig", False)
    if not isinstance(tolk, bool):
        problems.add("tolkNodig moet true of false zijn.")
    else:
        handover["tolkNodig"] = tolk
        if tolk and not handover.get("tolkTaal"):
            problems.add("Er is een tolk nodig, maar de taal van de tolk ontbreekt.")
    health_block = raw.get("gezondheid")
    health: dict[str, Any] | None = None
    consent = False
    if health_block is not None:
        if not isinstance(health_block, dict):
            problems.add("Het onderdeel 'gezondheid' moet een object zijn.")
        else:
            raw_consent = health_block.get("toestemming")
            toestemming: dict[str, Any] = raw_consent if isinstance(raw_consent, dict) else {}
            consent = toestemming.get("vastgelegd") is True
            if consent:
                consent_on = _date(
                    toestemming, "datum", "De datum van de toestemming", problems, today=today, required=True
                )
                signals = _text(
                    health_block, "signalen", "De gezondheidssignalen", problems, max_length=4000, required=True
                )
                health = {
                    "signalen": signals,
                    "toestemming_datum": consent_on.isoformat() if consent_on else None,
                    "toestemming_doel": _text(
                        toestemming, "doel", "Het doel van de toestemming", problems, max_length=300
                    ),
                }
    if person is not None:
        checks: tuple[tuple[date | None, str], ...] = (
            (koppeling_on, "De datum van de koppeling"),
            (residence_from_on, "De begindatum van de verblijfsvergunning"),
        )
        for checked_on, label in checks:
            if checked_on is not None and checked_on < person.birth_on:
                problems.add(f"{label} ligt voor de geboortedatum.")
    problems.raise_if_any()
    return CoaKoppeling(
        external_id=external_id,
        registered_at=registered_at,
        bsn=bsn,
        v_number=v_number,
        gemeentecode=gemeentecode,
        koppeling_on=koppeling_on,
        correction_of=correction_of,
        retraction_of="",
        person=person,
        residence_from_on=residence_from_on,
        in_azc=bool(in_azc),
        azc_location=azc_location,
        handover=handover,
        health=health,
        health_consent=consent,
    )


def without_health_data(raw: dict[str, Any], *, keep: bool) -> dict[str, Any]:
    """The payload as it may be stored: COA health signals only with recorded consent (else dropped)."""
    if keep or "gezondheid" not in raw:
        return raw
    return {key: value for key, value in raw.items() if key != "gezondheid"}

"""A DUO event: the envelope, the person and the data block the event code points at (``parse_duo_event``), with a
Dutch reason for every problem. The shapes are documented in ``signals.messages``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .fields import (
    DOELGROEP_CODES,
    DOELGROEP_INDELINGEN,
    EVENT_CODE,
    EXTERNAL_ID,
    GEDETAILLEERDE_DOELGROEPEN,
    HANDLED_CODES,
    LBT_CODES,
    LBT_RESULTATEN,
    LEERROUTES,
    MOVE_IN_CODES,
    MOVE_OUT_CODES,
    ONTHEFFING_CODES,
    ONTHEFFING_GRONDEN,
    OORDELEN,
    PLICHT_CODES,
    PLICHT_ENDED_CODES,
    REDENEN_GEEN_PLICHT,
    SCORE,
    SEXES,
    TERMIJN_CODES,
    VRIJSTELLING_CODES,
    VRIJSTELLING_REDENEN,
    Problems,
    _block,
    _bsn,
    _choice,
    _date,
    _gemeentecode,
    _registered_at,
    _text,
    _v_number,
    external_id_of,
)


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

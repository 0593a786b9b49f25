"""The ~30 demo households of `seed_demo`: Haarlem (GM0392) and Zandvoort (GM0473), every file status, every
doelgroep, families with partners and children, assigned and unassigned files.

Dates are relative to the day the seed runs (`days_ago`), so the worklists always show overdue deadlines,
deadlines in the coming week and later ones. Persons are public BRP test persons (`brp=`, from
`data/brp_test_persons.json`) or synthetic (names from `names.py`, ages relative to today, BSNs from the demo
range 999_100_000..).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from openinburgering.clients.choices import Doelgroep, FileStatus, Residence, ResidencePurpose
from openinburgering.households.models import EducationKind, Relation

from . import names
from .personas import HAARLEM, ZANDVOORT
from .stages import Stage

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class PersonSpec:
    brp: str = ""  # BSN of a public BRP test person, or "" for a synthetic person
    given_names: str = ""
    surname: str = ""
    surname_prefix: str = ""
    age: float = 0.0  # synthetic persons: age in years today
    sex: str = "O"
    origin: names.Origin | None = None
    languages: str = ""  # overrides the origin's languages (BRP persons have no origin)
    interpreter_language: str = ""


@dataclass(frozen=True)
class MemberSpec:
    relation: str
    person: PersonSpec
    education_kind: str = ""
    education_name: str = ""


@dataclass(frozen=True)
class FollowUp:
    """A vervolgcontact after the plicht: situation, organisation, hours, contact and next contact (days)."""

    situation: str
    organisation: str
    hours_per_week: str
    contact_days_ago: int
    next_contact_in_days: int | None
    note: str


@dataclass(frozen=True)
class HouseholdSpec:
    gemeente: str
    head: PersonSpec
    status: str
    doelgroep: str
    residence: str
    kennisgeving_days_ago: int
    assigned_to: str | None  # username of the klantregisseur, None = not assigned yet
    purpose: str = ""
    members: tuple[MemberSpec, ...] = ()
    notes: tuple[str, ...] = ()
    pip_days_ago: int | None = None  # override when the PIP was set (default: 45 days after kennisgeving)
    pip_set: bool = True  # for status "pip": is the PIP already vastgesteld?
    closed_days_ago: int = 30  # when a final status (voldaan, vrijgesteld, verhuisd, beëindigd) was reached
    registered: bool = True  # False: housed under the taakstelling but not yet in the BRP (PIP deadline waits)
    extra: dict[str, Any] = field(default_factory=dict)
    stage: str = ""  # a demo.stages.Stage: oproepen, intake, toets, PIP rows added after the status path


def brp(bsn: str, languages: str, interpreter_language: str = "") -> PersonSpec:
    return PersonSpec(brp=bsn, languages=languages, interpreter_language=interpreter_language)


def syn(given: str, surname: str, age: float, sex: str, origin: names.Origin, interpreter: bool = False) -> PersonSpec:
    return PersonSpec(
        given_names=given, surname=surname, age=age, sex=sex, origin=origin,
        interpreter_language=origin.interpreter_language if interpreter else "",
    )  # fmt: skip


def partner(person: PersonSpec) -> MemberSpec:
    return MemberSpec(Relation.PARTNER, person)


def child(person: PersonSpec, kind: str = "", school: str = "") -> MemberSpec:
    return MemberSpec(Relation.KIND, person, kind, school)


SY, ER, AF, TR, UA, SO, YE, IR, SD, MA = (
    names.SYRIA, names.ERITREA, names.AFGHANISTAN, names.TURKEY, names.UKRAINE, names.SOMALIA, names.YEMEN,
    names.IRAN, names.SUDAN, names.MOROCCO,
)  # fmt: skip
# The household of the end-to-end browser journey (tests/e2e): freshly linked by the COA to Haarlem, still in
# the AZC, no oproep yet. Khaled (head, the file), Hala (partner) and Lana (child, 4) Mansour.
JOURNEY_HOUSEHOLD_SURNAME = "Mansour"
JOURNEY_HEAD_GIVEN_NAMES = "Khaled"
JOURNEY_GEMEENTE = HAARLEM

D, S, R, P, E = Doelgroep, FileStatus, Residence, ResidencePurpose, EducationKind  # short names for the table

HOUSEHOLDS: tuple[HouseholdSpec, ...] = (
    # --- Haarlem ------------------------------------------------------------------------------------------
    HouseholdSpec(
        HAARLEM, brp("999999862", "Arabisch", "Arabisch"), S.IN_TRAJECT, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=400,
        assigned_to="kim",
        members=(partner(brp("999999874", "Arabisch", "Arabisch")),
                 child(brp("999999886", "Arabisch, Nederlands"), E.NIEUWKOMERSKLAS, "ISK Haarlem")),
        notes=("Brede intake met het hele gezin gedaan, met tolk Arabisch.",
               "Saadallah volgt de B1-route bij het Taalhuis. Maryana start na de zomer."),
        extra={"correction": "Correctie: Maryana start in januari met de B1-route, niet na de zomer."},
    ),
    HouseholdSpec(
        HAARLEM, brp("999970318", "Arabisch", "Arabisch"), S.INTAKE, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=66,
        assigned_to="kim",
        members=(child(brp("999970306", "Arabisch, Nederlands"), E.NIEUWKOMERSKLAS, "ISK Haarlem"),
                 child(brp("999970343", "Arabisch, Nederlands"), E.NIEUWKOMERSKLAS, "ISK Haarlem")),
        notes=("Oproep voor de brede intake verstuurd. Het PIP moet deze week klaar zijn.",),
    ),
    HouseholdSpec(
        HAARLEM, brp("999970811", "Arabisch, Tamazight"), S.PIP, D.GEZINSMIGRANT, R.REGULIER,
        purpose=P.GEZINSVORMING, kennisgeving_days_ago=120, assigned_to="youssef",
        members=(partner(brp("999970823", "Nederlands, Arabisch")),
                 child(brp("999970835", "Nederlands, Arabisch"), E.VOORTGEZET, "Mendelcollege")),
        notes=("PIP vastgesteld: B1-route, 20 uur per week. Partner is Nederlandse en helpt thuis met oefenen.",),
    ),
    HouseholdSpec(
        HAARLEM, brp("999970859", "Engels, Krio"), S.AANGEMELD, D.ASIELSTATUSHOUDER, R.ASIEL, kennisgeving_days_ago=80,
        assigned_to="kim",
        members=(partner(brp("999970847", "Engels, Krio")),
                 child(brp("999970860", "Engels, Nederlands"), E.BASISSCHOOL, "Basisschool De Regenboog")),
        notes=("Gezin is net gehuisvest. Intake nog niet gepland: termijn PIP is verlopen, met voorrang oppakken.",),
    ),
    HouseholdSpec(
        HAARLEM, brp("999997245", "Arabisch"), S.VOLDAAN, D.ASIELSTATUSHOUDER, R.ASIEL, kennisgeving_days_ago=1300,
        assigned_to="kim",
        closed_days_ago=60, notes=("DUO meldt: inburgeringsplicht voldaan. Nazorg: werk in de bouw.",),
        extra={"follow_up": FollowUp("werk", "Bouwbedrijf Kennemerland", "32", 45, 45, "Vast contract na proeftijd.")},
    ),
    HouseholdSpec(
        HAARLEM, brp("999997233", "Arabisch, Engels"), S.AANGEMELD, D.OVERIG, R.REGULIER, purpose=P.OVERIG,
        kennisgeving_days_ago=10, assigned_to=None,
    ),
    HouseholdSpec(
        HAARLEM, brp("999997397", "Amhaars, Tigrinya", "Amhaars"), S.IN_TRAJECT, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=600, pip_days_ago=545, assigned_to="youssef",
        notes=("Let op: de termijn om van leerroute te wisselen loopt deze week af.",
               "Voortgangsgesprek: Z-route lijkt beter te passen. Besluit voor het einde van de week."),
    ),
    HouseholdSpec(
        HAARLEM, brp("999997385", "Arabisch, Frans"), S.VRIJGESTELD_ONTHEVEN, D.GEZINSMIGRANT, R.REGULIER,
        purpose=P.GEZINSHERENIGING, kennisgeving_days_ago=400, assigned_to="youssef", closed_days_ago=200,
        notes=("DUO heeft vrijstelling verleend (diploma in het Nederlands behaald).",),
    ),
    HouseholdSpec(
        HAARLEM, brp("999997166", "Turks"), S.VERHUISD, D.GEZINSMIGRANT, R.REGULIER, purpose=P.GEZINSVORMING,
        kennisgeving_days_ago=500, assigned_to="kim", closed_days_ago=90,
        notes=("Verhuisd naar Amsterdam. Dossier overgedragen aan de nieuwe gemeente.",),
    ),
    HouseholdSpec(
        HAARLEM, brp("999992399", "Farsi", "Farsi"), S.BEEINDIGD, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=300,
        assigned_to="youssef", closed_days_ago=45,
        notes=("Inburgeringsplicht vervallen: Nederlandse nationaliteit verkregen.",),
    ),
    HouseholdSpec(
        HAARLEM, brp("999990603", "Turks"), S.IN_TRAJECT, D.GEZINSMIGRANT, R.REGULIER,
        purpose=P.GEZINSHERENIGING, kennisgeving_days_ago=700, assigned_to="kim",
        notes=("Volgt de onderwijsroute niet; B1-route met extra ondersteuning lezen.",),
    ),
    HouseholdSpec(
        HAARLEM, syn("Ahmad", "Haddad", 38, "M", SY, interpreter=True), S.PIP, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=75,
        assigned_to="kim", pip_set=False, pip_days_ago=2,  # status PIP a week ago, after intake and route
        members=(partner(syn("Rasha", "Haddad", 34, "V", SY, interpreter=True)),
                 child(syn("Nour", "Haddad", 3, "V", SY), E.VVE, "Peuterspeelzaal Het Zonnetje (VVE)"),
                 child(syn("Omar", "Haddad", 8, "M", SY), E.BASISSCHOOL, "OBS Het Palet"),
                 child(syn("Yasmin", "Haddad", 14, "V", SY), E.NIEUWKOMERSKLAS, "ISK Haarlem")),
        notes=("Intake afgerond. PIP nog niet vastgesteld: de termijn is verlopen.",
               "Kinderopvang voor Nour geregeld zodat Rasha naar de taalles kan."),
    ),
    HouseholdSpec(
        HAARLEM, syn("Yonas", "Tesfamariam", 27, "M", ER, interpreter=True), S.INTAKE, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=40, assigned_to="kim", notes=("Intake gepland met tolk Tigrinya.",),
    ),
    HouseholdSpec(
        HAARLEM, syn("Farid", "Ahmadi", 41, "M", AF, interpreter=True), S.AANGEMELD, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=20, assigned_to="youssef", registered=False,
        members=(partner(syn("Mariam", "Ahmadi", 36, "V", AF, interpreter=True)),
                 child(syn("Zainab", "Ahmadi", 6, "V", AF), E.BASISSCHOOL, "Basisschool De Regenboog"),
                 child(syn("Mustafa", "Ahmadi", 11, "M", AF), E.NIEUWKOMERSKLAS, "ISK Haarlem")),
        notes=("Woning via de taakstelling toegewezen; inschrijving in de BRP volgt. PIP-termijn start daarna.",),
    ),
    HouseholdSpec(
        HAARLEM, syn("Olena", "Kovalenko", 33, "V", UA), S.INTAKE, D.GEZINSMIGRANT, R.REGULIER,
        purpose=P.GEZINSVORMING, kennisgeving_days_ago=50, assigned_to="youssef",
        members=(child(syn("Sofiia", "Kovalenko", 9, "V", UA), E.BASISSCHOOL, "De Spiegel"),),
    ),
    HouseholdSpec(
        HAARLEM, syn("Hodan", "Warsame", 35, "V", SO, interpreter=True), S.IN_TRAJECT, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=900, assigned_to="kim",
        members=(child(syn("Liban", "Abdullahi", 10, "M", SO), E.BASISSCHOOL, "OBS Het Palet"),
                 child(syn("Ifrah", "Abdullahi", 13, "V", SO), E.VOORTGEZET, "Sterren College")),
        notes=("Z-route: 800 uur taal, participatie bij de Voedselbank.",),
        extra={"leerroute": "z"},
    ),
    HouseholdSpec(
        HAARLEM, syn("Elif", "Demir", 31, "V", TR), S.VOLDAAN, D.GEZINSMIGRANT, R.REGULIER,
        purpose=P.GEZINSVORMING, kennisgeving_days_ago=1100, assigned_to="youssef", closed_days_ago=20,
        notes=("Alle examens gehaald. Werkt nu als doktersassistent.",),
        extra={"follow_up": FollowUp("werk", "Huisartsenpraktijk Schalkwijk", "24", 10, 80,
                                     "Werkt als doktersassistent. Wil de mbo-opleiding erbij doen.")},
    ),
    HouseholdSpec(
        HAARLEM, syn("Abdullah", "Al-Hamdani", 29, "M", YE, interpreter=True), S.AANGEMELD, D.ASIELSTATUSHOUDER,
        R.ASIEL,
        kennisgeving_days_ago=5, assigned_to=None,
    ),
    HouseholdSpec(
        HAARLEM, syn("Shirin", "Rezaei", 62, "V", IR, interpreter=True), S.VRIJGESTELD_ONTHEVEN, D.ASIELSTATUSHOUDER,
        R.ASIEL,
        kennisgeving_days_ago=200, assigned_to="kim", closed_days_ago=60,
        notes=("Ontheffing na leerbaarheidstoets en medisch advies.",),
        extra={"follow_up": FollowUp("participatie", "Buurthuis De Til (vrijwilligerswerk)", "6", 30, 7,
                                     "Helpt twee ochtenden bij de koffie-ochtend.")},
    ),
    HouseholdSpec(
        HAARLEM, syn("Osman", "Babiker", 45, "M", SD, interpreter=True), S.IN_TRAJECT, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=200, assigned_to="kim",
        members=(partner(syn("Sara", "Elamin", 40, "V", SD, interpreter=True)),),
        notes=("Duaal traject: taal en werk bij de groenvoorziening.",),
        extra={"reassign_to": "youssef"},
    ),
    # --- Zandvoort ----------------------------------------------------------------------------------------
    HouseholdSpec(
        ZANDVOORT, brp("999997427", "Somalisch, Amhaars", "Somalisch"), S.INTAKE, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=76, assigned_to="zeynep",
        notes=("Intake twee keer verzet door ziekte. PIP-termijn is verlopen.",),
    ),
    HouseholdSpec(
        ZANDVOORT, brp("999994062", "Farsi"), S.IN_TRAJECT, D.ASIELSTATUSHOUDER, R.ASIEL, kennisgeving_days_ago=450,
        assigned_to="youssef", notes=("Onderwijsroute: schakeljaar bij Inholland.",),
        extra={"leerroute": "onderwijs"},
    ),
    HouseholdSpec(
        ZANDVOORT, syn("Omar", "Khalil", 36, "M", SY, interpreter=True), S.AANGEMELD, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=63, assigned_to="zeynep",
        members=(partner(syn("Lina", "Khalil", 32, "V", SY, interpreter=True)),
                 child(syn("Hiba", "Khalil", 3, "V", SY), E.VVE, "Peuterspeelzaal De Duinpieper (VVE)")),
        notes=("PIP moet binnen een week vastgesteld worden.",),
    ),
    HouseholdSpec(
        ZANDVOORT, syn("Selam", "Haile", 30, "V", ER, interpreter=True), S.PIP, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=100,
        assigned_to="zeynep",
        members=(child(syn("Winta", "Haile", 5, "V", ER), E.BASISSCHOOL, "Oranje Nassauschool"),),
    ),
    HouseholdSpec(
        ZANDVOORT, syn("Zahra", "Karimi", 34, "V", AF), S.VOLDAAN, D.ASIELSTATUSHOUDER, R.REGULIER,
        purpose=P.GEZIN_BIJ_ASIELSTATUSHOUDER, kennisgeving_days_ago=1200, assigned_to="youssef",
        closed_days_ago=100,
    ),
    HouseholdSpec(
        ZANDVOORT, syn("Burak", "Şahin", 28, "M", TR), S.VERHUISD, D.GEZINSMIGRANT, R.REGULIER,
        purpose=P.GEZINSVORMING, kennisgeving_days_ago=300, assigned_to="zeynep", closed_days_ago=30,
    ),
    HouseholdSpec(
        ZANDVOORT, syn("Andrii", "Shevchenko", 39, "M", UA), S.BEEINDIGD, D.OVERIG, R.REGULIER, purpose=P.OVERIG,
        kennisgeving_days_ago=150, assigned_to="zeynep", closed_days_ago=15,
        notes=("Verblijfsvergunning ingetrokken; dossier beëindigd.",),
    ),
    HouseholdSpec(
        ZANDVOORT, syn("Naima", "El Idrissi", 44, "V", MA), S.VRIJGESTELD_ONTHEVEN, D.GEZINSMIGRANT, R.REGULIER,
        purpose=P.GEZINSVORMING, kennisgeving_days_ago=250, assigned_to="youssef", closed_days_ago=120,
    ),
    HouseholdSpec(
        ZANDVOORT, syn("Tesfay", "Gebremedhin", 24, "M", ER, interpreter=True), S.AANGEMELD, D.ASIELSTATUSHOUDER,
        R.ASIEL,
        kennisgeving_days_ago=15, assigned_to=None,
    ),
    HouseholdSpec(
        ZANDVOORT, syn("Nour", "Al-Ahmad", 37, "V", SY, interpreter=True), S.IN_TRAJECT, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=560, assigned_to="zeynep",
        members=(child(syn("Anas", "Al-Ahmad", 12, "M", SY), E.NIEUWKOMERSKLAS, "ISK Haarlem"),
                 child(syn("Reem", "Al-Ahmad", 16, "V", SY), E.VOORTGEZET, "Wim Gertenbach College")),
        notes=("Participatie: vrijwilliger bij de strandpost. Goede voortgang.",),
    ),
    # --- The stages after the aanmelding (demo.stages): appended, so the BSNs above stay the same --------------
    HouseholdSpec(
        JOURNEY_GEMEENTE, syn(JOURNEY_HEAD_GIVEN_NAMES, JOURNEY_HOUSEHOLD_SURNAME, 35, "M", SY, interpreter=True),
        S.AANGEMELD, D.ASIELSTATUSHOUDER, R.ASIEL, kennisgeving_days_ago=4, assigned_to="kim", registered=False,
        members=(partner(syn("Hala", JOURNEY_HOUSEHOLD_SURNAME, 31, "V", SY, interpreter=True)),
                 child(syn("Lana", JOURNEY_HOUSEHOLD_SURNAME, 4, "V", SY), E.VVE, "VVE in het azc")),
        notes=("COA-koppeling aan Haarlem ontvangen. Het gezin woont nog in het azc. Vroege start mogelijk.",),
        stage=Stage.JOURNEY,
    ),
    HouseholdSpec(
        HAARLEM, syn("Mehari", "Tekle", 30, "M", ER, interpreter=True), S.INTAKE, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=18, assigned_to="kim", notes=("Oproep voor de brede intake verstuurd.",),
        stage=Stage.CALL_PENDING,
    ),
    HouseholdSpec(
        HAARLEM, syn("Hamid", "Noori", 33, "M", AF, interpreter=True), S.INTAKE, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=30, assigned_to="kim",
        notes=("Niet verschenen op de eerste oproep. Schriftelijke waarschuwing en nieuwe oproep sturen.",),
        stage=Stage.NO_SHOW,
    ),
    HouseholdSpec(
        HAARLEM, syn("Abdi", "Farah", 29, "M", SO, interpreter=True), S.INTAKE, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=35, assigned_to="kim",
        members=(partner(syn("Amina", "Farah", 27, "V", SO, interpreter=True)),),
        stage=Stage.INTAKE_IN_PROGRESS,
    ),
    HouseholdSpec(
        HAARLEM, syn("Kaveh", "Moradi", 40, "M", IR), S.INTAKE, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=45, assigned_to="kim", stage=Stage.LBT_AND_ROUTE,
    ),
    HouseholdSpec(
        HAARLEM, syn("Samer", "Darwish", 36, "M", SY, interpreter=True), S.PIP, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=55, assigned_to="kim", pip_set=False,
        notes=("PIP-concept ter goedkeuring aangeboden aan Tamara.",),
        stage=Stage.PIP_TER_GOEDKEURING,
    ),
    HouseholdSpec(
        HAARLEM, syn("Biniam", "Ghebre", 32, "M", ER, interpreter=True), S.IN_TRAJECT, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=110, pip_days_ago=40, assigned_to="kim",
        stage=Stage.PIP_VASTGESTELD,
    ),
    HouseholdSpec(
        HAARLEM, syn("Fadi", "Nasser", 27, "M", SY, interpreter=True), S.IN_TRAJECT, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=90, pip_days_ago=20, assigned_to="kim", registered=False,
        notes=("Vroege start: PIP vastgesteld terwijl hij nog in het azc woont.",),
        stage=Stage.VROEGE_START_PIP,
    ),
    HouseholdSpec(
        ZANDVOORT, syn("Dawit", "Kidane", 26, "M", ER, interpreter=True), S.INTAKE, D.ASIELSTATUSHOUDER, R.ASIEL,
        kennisgeving_days_ago=12, assigned_to="zeynep", registered=False,
        notes=("COA-koppeling: woont nog in het azc. Oproep voor de brede intake verstuurd.",),
        stage=Stage.CALL_PENDING,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class BrpPerson:
    bsn: str
    given_names: str
    surname_prefix: str
    surname: str
    birth_on: date
    sex: str
    nationality_code: str
    country_code: str


def _brp_date(value: str) -> date:
    """BRP dates are yyyymmdd with 00 for an unknown month or day; the register needs a full date, so an unknown
    month becomes July and an unknown day the 1st (documented in data/SOURCES.md)."""
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:8])
    if month == 0:
        month, day = 7, 1
    return date(year, month, day or 1)


@cache
def brp_persons() -> dict[str, BrpPerson]:
    raw = json.loads((DATA_DIR / "brp_test_persons.json").read_text(encoding="utf-8"))
    return {
        p["burgerservicenummer"]: BrpPerson(
            bsn=p["burgerservicenummer"],
            given_names=p["voornamen"],
            surname_prefix=p["voorvoegsel"],
            surname=p["geslachtsnaam"],
            birth_on=_brp_date(p["geboortedatum"]),
            sex=p["geslacht"] or "O",
            nationality_code=p["nationaliteit"],
            country_code=p["geboorteland"],
        )
        for p in raw["personen"]
    }

"""The leefgebieden of the brede intake as a registry: label, B1 help text with guiding questions, and the
structured detail fields of each leefgebied (stored in ``LeefgebiedAssessment.details``).

W 14 lid 3 and B 5.2 name what the brede intake covers: education and work experience in the country of origin,
personal circumstances including physical and mental health, VVE for the children, the taalniveau, the chances
of work and the zelfredzaamheid. "Financiën" and "randvoorwaarden" are not statutory elements; gemeenten ask
them because they decide whether a route can work (wi2021.md §2).

``clean_details`` is the one validation of the details, used by the service for pages and API alike: unknown
keys are refused, every value is checked against its field, and the gezondheid step keeps health data only with
the person's consent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from .choices import Leefgebied

Kind = Literal["text", "textarea", "choice", "multichoice", "bool", "int", "date"]

YES_NO = (("ja", "Ja"), ("nee", "Nee"))
YES_NO_UNKNOWN = (("ja", "Ja"), ("nee", "Nee"), ("weet_niet", "Weet ik niet"))

SCORE_LEVELS: tuple[tuple[int, str], ...] = (
    (1, "1 - Acute problematiek: er is nu direct hulp nodig."),
    (2, "2 - Niet zelfredzaam: de persoon redt het niet zonder veel hulp."),
    (3, "3 - Beperkt zelfredzaam: de persoon redt het met hulp."),
    (4, "4 - Voldoende zelfredzaam: de persoon redt het meestal zelf."),
    (5, "5 - Volledig zelfredzaam: de persoon redt het helemaal zelf."),
)
SCORE_HELP = (
    "Hoe zelfredzaam is de persoon op dit leefgebied? 1 betekent acute problematiek: er is nu direct hulp nodig. "
    "5 betekent volledig zelfredzaam."
)


@dataclass(frozen=True)
class DetailField:
    """One structured question of a leefgebied."""

    key: str
    kind: Kind
    label: str
    choices: tuple[tuple[str, str], ...] = ()
    help_text: str = ""
    min_value: int | None = None
    max_value: int | None = None
    max_length: int = 2000


@dataclass(frozen=True)
class LeefgebiedSpec:
    code: Leefgebied
    label: str
    help_text: str
    questions: tuple[str, ...]
    fields: tuple[DetailField, ...]
    # Per child of the household (kinderen): these fields are asked once per current child.
    child_fields: tuple[DetailField, ...] = field(default=())

    @property
    def field_map(self) -> dict[str, DetailField]:
        return {f.key: f for f in self.fields}


EDUCATION_LEVELS = (
    ("geen", "Geen onderwijs"),
    ("basis", "Basisonderwijs"),
    ("voortgezet", "Voortgezet onderwijs"),
    ("beroeps", "Beroepsonderwijs (zoals mbo)"),
    ("hoger", "Hoger onderwijs (zoals hbo of universiteit)"),
)
LITERACY = (
    ("gealfabetiseerd_latijn", "Kan lezen en schrijven in het Latijnse schrift"),
    ("gealfabetiseerd_ander", "Kan lezen en schrijven, maar in een ander schrift"),
    ("beperkt", "Kan een beetje lezen en schrijven"),
    ("analfabeet", "Kan niet lezen en schrijven (alfabetisering nodig)"),
)
DUTCH_LEVELS = (
    ("geen", "Nog geen Nederlands"),
    ("a0", "Lager dan A1"),
    ("a1", "A1"),
    ("a2", "A2"),
    ("b1", "B1"),
    ("hoger", "Hoger dan B1"),
)
IDW_STATUS = (
    ("geen_diploma", "Geen diploma"),
    ("niet_aangevraagd", "Nog niet aangevraagd"),
    ("aangevraagd", "Aangevraagd bij IDW"),
    ("ontvangen", "Diplomawaardering ontvangen"),
    ("niet_mogelijk", "Waardering niet mogelijk (geen papieren)"),
)
HOUSING = (
    ("azc", "Nog in het azc"),
    ("eigen_woning", "Eigen (huur)woning"),
    ("tijdelijk", "Tijdelijke woonruimte"),
    ("inwonend", "Woont in bij familie of vrienden"),
    ("anders", "Anders"),
)
INCOME = (
    ("bijstand", "Bijstand (Participatiewet)"),
    ("werk", "Inkomen uit werk"),
    ("partner", "Inkomen van de partner"),
    ("geen", "Geen inkomen"),
    ("anders", "Anders"),
)

SCREENING = (
    ("screen_sleep", "Slaapt de persoon vaak slecht?"),
    ("screen_worry", "Piekert de persoon veel, of voelt de persoon zich vaak somber?"),
    ("screen_fear", "Is de persoon vaak bang, of komen nare herinneringen steeds terug?"),
    ("screen_focus", "Kan de persoon zich moeilijk concentreren, ook in de les of op het werk?"),
)
SCREENING_KEYS = tuple(key for key, _ in SCREENING)
HEALTH_CONSENT_KEY = "health_consent"

REGISTRY: dict[str, LeefgebiedSpec] = {
    spec.code.value: spec
    for spec in (
        LeefgebiedSpec(
            code=Leefgebied.HUISVESTING,
            label="Huisvesting",
            help_text="Waar woont de persoon en gaat dat goed?",
            questions=(
                "Waar woont u nu?",
                "Is de woning groot genoeg voor uw gezin?",
                "Zijn er problemen met de woning of met de buren?",
            ),
            fields=(
                DetailField("housing", "choice", "Woonsituatie", HOUSING),
                DetailField("housing_problems", "textarea", "Problemen met de woning"),
            ),
        ),
        LeefgebiedSpec(
            code=Leefgebied.WERK_INKOMEN,
            label="Werk en inkomen",
            help_text="Welk werk deed de persoon in het land van herkomst, en wat wil de persoon hier?",
            questions=(
                "Welk werk deed u in uw land van herkomst? Hoeveel jaar?",
                "Wat is uw beroep?",
                "Werkt u nu? Wat voor werk wilt u in Nederland doen?",
            ),
            fields=(
                DetailField("profession", "text", "Beroep in het land van herkomst", max_length=200),
                DetailField("work_history", "textarea", "Werkervaring in het land van herkomst"),
                DetailField("work_years", "int", "Aantal jaren werkervaring", min_value=0, max_value=70),
                DetailField("working_now", "choice", "Werkt de persoon nu in Nederland?", YES_NO),
                DetailField("income", "choice", "Inkomen nu", INCOME),
                DetailField("work_wishes", "textarea", "Wensen voor werk in Nederland"),
            ),
        ),
        LeefgebiedSpec(
            code=Leefgebied.TAAL_INBURGERING,
            label="Taal en inburgering",
            help_text=(
                "Welke talen spreekt de persoon, kan de persoon lezen en schrijven, en hoe goed is het Nederlands?"
            ),
            questions=(
                "Welke talen spreekt u? Welke taal spreekt u het best?",
                "Kunt u lezen en schrijven? In welk schrift?",
                "Hoe goed spreekt u al Nederlands? Volgt u al les?",
            ),
            fields=(
                DetailField("languages", "text", "Talen die de persoon spreekt", max_length=200),
                DetailField("literacy", "choice", "Lezen en schrijven (alfabetisering)", LITERACY),
                DetailField("dutch_level", "choice", "Niveau Nederlands nu", DUTCH_LEVELS),
                DetailField("dutch_lessons", "textarea", "Lessen Nederlands tot nu toe"),
            ),
        ),
        LeefgebiedSpec(
            code=Leefgebied.ONDERWIJS,
            label="Opleiding en diploma's",
            help_text=(
                "Welke opleiding had de persoon in het land van herkomst, en wil de persoon hier studeren? "
                "Vraag dit ook aan mensen ouder dan 30."
            ),
            questions=(
                "Hoeveel jaar bent u naar school geweest?",
                "Wat is uw hoogste opleiding? Heeft u een diploma?",
                "Is uw diploma gewaardeerd door IDW (DUO)?",
                "Wilt u in Nederland een opleiding volgen? Welke?",
            ),
            fields=(
                DetailField("school_years", "int", "Aantal jaren onderwijs", min_value=0, max_value=40),
                DetailField("highest_level", "choice", "Hoogste opleiding", EDUCATION_LEVELS),
                DetailField("diploma", "choice", "Diploma behaald?", YES_NO),
                DetailField("diploma_name", "text", "Naam van het diploma", max_length=200),
                DetailField("idw_status", "choice", "Diplomawaardering (IDW)", IDW_STATUS),
                DetailField(
                    "study_wish",
                    "choice",
                    "Wil de persoon in Nederland een opleiding volgen?",
                    YES_NO_UNKNOWN,
                    help_text="Ook bij mensen ouder dan 30 jaar vragen.",
                ),
                DetailField("study_wish_text", "textarea", "Welke opleiding?"),
            ),
        ),
        LeefgebiedSpec(
            code=Leefgebied.SOCIAAL_NETWERK,
            label="Sociaal netwerk",
            help_text="Wie kent de persoon hier, en bij wie kan de persoon terecht voor hulp?",
            questions=(
                "Heeft u familie of vrienden in Nederland?",
                "Bij wie kunt u terecht als u hulp nodig heeft?",
                "Doet u mee aan activiteiten, vrijwilligerswerk of een club?",
            ),
            fields=(
                DetailField("network", "textarea", "Familie, vrienden en contacten"),
                DetailField("activities", "textarea", "Activiteiten en vrijwilligerswerk"),
            ),
        ),
        LeefgebiedSpec(
            code=Leefgebied.GEZONDHEID,
            label="Gezondheid",
            help_text=(
                "Vraag eerst toestemming om iets over de gezondheid vast te leggen. Zonder toestemming legt u "
                "hier niets over de gezondheid vast. Stel daarna de korte vragen over psychische klachten. Is er "
                "een signaal? Regel dan een warme overdracht naar zorg, alleen als de persoon dat wil."
            ),
            questions=(
                "Mag ik iets over uw gezondheid opschrijven?",
                "Heeft u lichamelijke klachten of een beperking?",
                "Hoe gaat het met u? Slaapt u goed? Piekert u veel?",
            ),
            fields=(
                DetailField(
                    HEALTH_CONSENT_KEY,
                    "choice",
                    "Toestemming om gezondheid vast te leggen",
                    YES_NO,
                    help_text="Zonder 'Ja' kunt u hieronder niets invullen.",
                ),
                DetailField("physical", "textarea", "Lichamelijke klachten of beperkingen"),
                *(DetailField(key, "choice", label, YES_NO) for key, label in SCREENING),
                DetailField(
                    "handover_consent",
                    "choice",
                    "Wil de persoon een warme overdracht naar zorg?",
                    YES_NO,
                    help_text="Nodig als één van de vragen hierboven 'Ja' is.",
                ),
                DetailField("handover_to", "text", "Overdracht aan (organisatie of hulpverlener)", max_length=200),
                DetailField("handover_on", "date", "Datum van de overdracht"),
            ),
        ),
        LeefgebiedSpec(
            code=Leefgebied.FINANCIEN,
            label="Geld en financiën",
            help_text="Kan de persoon rondkomen, en zijn er schulden?",
            questions=(
                "Kunt u rondkomen van uw inkomen?",
                "Heeft u schulden? Ook in uw land van herkomst?",
                "Krijgt u hulp bij geldzaken?",
            ),
            fields=(
                DetailField("debts", "choice", "Schulden?", YES_NO_UNKNOWN),
                DetailField("money_help", "textarea", "Hulp bij geldzaken"),
            ),
        ),
        LeefgebiedSpec(
            code=Leefgebied.KINDEREN,
            label="Kinderen",
            help_text="Gaan de kinderen naar voorschoolse educatie (VVE), school of kinderopvang?",
            questions=(
                "Hoeveel kinderen heeft u? Wonen ze bij u?",
                "Gaan de jonge kinderen naar VVE of kinderopvang?",
                "Naar welke school gaan de kinderen?",
            ),
            fields=(DetailField("children_notes", "textarea", "Opmerkingen over de kinderen"),),
            child_fields=(
                DetailField("vve", "choice", "VVE (voorschoolse educatie)", (*YES_NO, ("nvt", "Niet van toepassing"))),
                DetailField("school", "text", "School", max_length=200),
                DetailField("kinderopvang", "choice", "Kinderopvang", (*YES_NO, ("nvt", "Niet van toepassing"))),
            ),
        ),
        LeefgebiedSpec(
            code=Leefgebied.RANDVOORWAARDEN,
            label="Kinderopvang en reiskosten",
            help_text="Wat is nodig zodat de persoon naar les of werk kan gaan?",
            questions=(
                "Heeft u kinderopvang nodig om naar les te gaan?",
                "Kunt u de reis naar de les betalen?",
            ),
            fields=(
                DetailField("childcare_needed", "choice", "Kinderopvang nodig", YES_NO),
                DetailField("travel_costs_needed", "choice", "Vergoeding reiskosten nodig", YES_NO),
                DetailField("conditions_notes", "textarea", "Andere randvoorwaarden"),
            ),
        ),
    )
}

ORDER: tuple[str, ...] = tuple(REGISTRY)


def spec_for(code: str) -> LeefgebiedSpec | None:
    return REGISTRY.get(code)


def next_code(code: str) -> str | None:
    index = ORDER.index(code)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def _clean_value(spec_field: DetailField, value: Any) -> tuple[Any, str | None]:
    """The cleaned value, or an error in Dutch. Empty values are stored as absent (None)."""
    if value is None or value == "" or value == []:
        return None, None
    kind = spec_field.kind
    if kind in ("text", "textarea"):
        if not isinstance(value, str):
            return None, "Vul hier tekst in."
        text = value.strip()
        if len(text) > spec_field.max_length:
            return None, f"Gebruik maximaal {spec_field.max_length} tekens."
        return text or None, None
    if kind == "choice":
        if value not in {code for code, _ in spec_field.choices}:
            return None, "Kies een van de mogelijkheden."
        return value, None
    if kind == "multichoice":
        codes = {code for code, _ in spec_field.choices}
        if not isinstance(value, list) or any(item not in codes for item in value):
            return None, "Kies een of meer van de mogelijkheden."
        return list(value), None
    if kind == "bool":
        if not isinstance(value, bool):
            return None, "Vul ja of nee in."
        return value, None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, "Vul een heel getal in."
        if spec_field.min_value is not None and value < spec_field.min_value:
            return None, f"Dit getal is te klein (minstens {spec_field.min_value})."
        if spec_field.max_value is not None and value > spec_field.max_value:
            return None, f"Dit getal is te groot (hoogstens {spec_field.max_value})."
        return value, None
    # date: a date object (forms) or an ISO string (API)
    if isinstance(value, date):
        return value.isoformat(), None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat(), None
        except ValueError:
            pass
    return None, "Dit is geen geldige datum. Schrijf de datum als JJJJ-MM-DD."


def clean_details(
    code: str, details: Mapping[str, Any], *, child_ids: Iterable[int] = ()
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Validate the details of one leefgebied. Returns (cleaned, errors); error keys are ``details.<key>`` (and
    ``details.children.<person id>.<key>`` for a child). Unknown keys and unknown children are refused."""
    spec = REGISTRY[code]
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    if not isinstance(details, Mapping):
        return {}, {"details": ["Verwacht een object met velden."]}
    allowed_children = {str(pk) for pk in child_ids}
    for key, value in details.items():
        if key == "children" and spec.child_fields:
            if not isinstance(value, Mapping):
                errors.setdefault("details.children", []).append("Verwacht per kind een object met velden.")
                continue
            children: dict[str, Any] = {}
            child_spec = {f.key: f for f in spec.child_fields}
            for child_id, answers in value.items():
                prefix = f"details.children.{child_id}"
                if str(child_id) not in allowed_children:
                    errors.setdefault(prefix, []).append("Dit kind hoort niet (meer) bij het huishouden.")
                    continue
                if not isinstance(answers, Mapping):
                    errors.setdefault(prefix, []).append("Verwacht een object met velden.")
                    continue
                child_clean: dict[str, Any] = {}
                for sub_key, sub_value in answers.items():
                    sub_field = child_spec.get(sub_key)
                    if sub_field is None:
                        errors.setdefault(f"{prefix}.{sub_key}", []).append("Dit veld bestaat niet.")
                        continue
                    result, error = _clean_value(sub_field, sub_value)
                    if error:
                        errors.setdefault(f"{prefix}.{sub_key}", []).append(error)
                    elif result is not None:
                        child_clean[sub_key] = result
                if child_clean:
                    children[str(child_id)] = child_clean
            if children:
                cleaned["children"] = children
            continue
        spec_field = spec.field_map.get(key)
        if spec_field is None:
            errors.setdefault(f"details.{key}", []).append("Dit veld bestaat niet bij dit leefgebied.")
            continue
        result, error = _clean_value(spec_field, value)
        if error:
            errors.setdefault(f"details.{key}", []).append(error)
        elif result is not None:
            cleaned[key] = result
    if code == Leefgebied.GEZONDHEID and not errors:
        errors.update(_health_errors(cleaned))
    return cleaned, errors


def health_signal(details: Mapping[str, Any]) -> bool:
    """A signal of psychische klachten: one of the screening questions answered 'ja'."""
    return any(details.get(key) == "ja" for key in SCREENING_KEYS)


def _health_errors(cleaned: Mapping[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if cleaned.get(HEALTH_CONSENT_KEY) != "ja":
        others = [key for key in cleaned if key != HEALTH_CONSENT_KEY]
        if others:
            errors["details.health_consent"] = [
                "Zonder toestemming van de persoon legt u niets over de gezondheid vast. Kies 'Ja' bij "
                "toestemming, of maak de andere velden leeg."
            ]
        return errors
    if health_signal(cleaned):
        consent = cleaned.get("handover_consent")
        if consent is None:
            errors["details.handover_consent"] = [
                "Er is een signaal van psychische klachten. Vul in of de persoon een warme overdracht naar zorg wil."
            ]
        elif consent == "ja":
            if not cleaned.get("handover_to"):
                errors["details.handover_to"] = ["Vul in aan wie u de persoon overdraagt."]
            if not cleaned.get("handover_on"):
                errors["details.handover_on"] = ["Vul in wanneer de overdracht is."]
    elif any(cleaned.get(key) for key in ("handover_consent", "handover_to", "handover_on")):
        errors["details.handover_consent"] = [
            "Een warme overdracht hoort bij een signaal. Beantwoord eerst de vragen over psychische klachten."
        ]
    return errors


def scoring_allowed(code: str, details: Mapping[str, Any]) -> bool:
    """Gezondheid: a score is health data too, so it needs the person's consent."""
    return code != Leefgebied.GEZONDHEID or details.get(HEALTH_CONSENT_KEY) == "ja"


def is_done(code: str, score: int | None, details: Mapping[str, Any]) -> bool:
    """A leefgebied is done when it has a score; gezondheid also when the person refused consent (then
    nothing about health may be recorded, so there is nothing to score)."""
    if score is not None:
        return True
    return code == Leefgebied.GEZONDHEID and details.get(HEALTH_CONSENT_KEY) == "nee"

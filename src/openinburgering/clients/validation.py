"""Business validation shared by the forms and the API, with Dutch messages at B1 level."""

from __future__ import annotations

from datetime import date

from openinburgering.core.bsn import is_valid_bsn, normalise_bsn
from openinburgering.core.errors import ApplicationError

from .models import ClientFile, Country, Nationality, Person

MIN_BIRTH_ON = date(1900, 1, 1)


class FieldErrors:
    """Collects errors per field, then raises them all at once (the user sees every problem in one go)."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ApplicationError("Controleer de gegevens. Niet alles is goed ingevuld.", field_errors=self.errors)


def clean_bsn(value: str, errors: FieldErrors) -> str:
    bsn = normalise_bsn(value or "")
    if bsn and not is_valid_bsn(bsn):
        errors.add("bsn", "Dit BSN klopt niet. Een BSN heeft 9 cijfers en moet voldoen aan de elfproef.")
    return bsn


def check_person(
    *, gemeente_id: int, data: dict[str, object], today: date, person: Person | None = None
) -> dict[str, object]:
    """Validates person fields (only those in `data`) and returns them cleaned. Raises ApplicationError."""
    errors = FieldErrors()
    cleaned = dict(data)
    if "bsn" in data:
        cleaned["bsn"] = clean_bsn(str(data["bsn"] or ""), errors)
        bsn = cleaned["bsn"]
        if bsn:
            others = Person.objects.filter(gemeente_id=gemeente_id, bsn=bsn)
            if person is not None:
                others = others.exclude(pk=person.pk)
            if others.exists():
                errors.add("bsn", "Er is al een persoon met dit BSN in deze gemeente. Zoek de persoon op.")
    if "v_number" in data:
        v_number = str(data["v_number"] or "").replace(" ", "")
        if v_number and (len(v_number) != 10 or not v_number.isdigit()):
            errors.add("v_number", "Een V-nummer heeft 10 cijfers.")
        cleaned["v_number"] = v_number
    for field, label in (("given_names", "de voornamen"), ("surname", "de achternaam")):
        if field in data and not str(data[field] or "").strip():
            errors.add(field, f"Vul {label} in.")
    birth_on = data.get("birth_on")
    if "birth_on" in data:
        if not isinstance(birth_on, date):
            errors.add("birth_on", "Vul een geldige geboortedatum in.")
        elif birth_on > today:
            errors.add("birth_on", "De geboortedatum kan niet in de toekomst liggen.")
        elif birth_on < MIN_BIRTH_ON:
            errors.add("birth_on", "De geboortedatum ligt te ver terug. Controleer het jaar.")
    for code_field in ("nationality_id", "birth_country_id"):
        if code_field in data and not data[code_field]:
            cleaned[code_field] = None  # a blank code is no code, never "" (a foreign key to nothing)
    if data.get("nationality_id") and not Nationality.objects.filter(pk=data["nationality_id"]).exists():
        errors.add("nationality", "Deze nationaliteitscode bestaat niet (BRP-tabel 32).")
    if data.get("birth_country_id") and not Country.objects.filter(pk=data["birth_country_id"]).exists():
        errors.add("birth_country", "Deze landcode bestaat niet (BRP-tabel 34).")
    if data.get("interpreter_needed") and not str(data.get("interpreter_language") or "").strip():
        errors.add("interpreter_language", "Vul in welke taal de tolk moet spreken.")
    errors.raise_if_any()
    return cleaned


FILE_DATE_FIELDS = {
    "residence_from_on": "De startdatum van de verblijfsvergunning",
    "kennisgeving_on": "De datum van de kennisgeving",
    "coa_koppeling_on": "De datum van de COA-koppeling",
    "registered_on": "De datum van inschrijving in de BRP",
    "housed_on": "De datum van huisvesting",
    "pip_dagtekening_on": "De dagtekening van het PIP",
}


def check_file_dates(*, data: dict[str, object], birth_on: date | None, today: date) -> None:
    errors = FieldErrors()
    for field, label in FILE_DATE_FIELDS.items():
        value = data.get(field)
        if value is None:
            continue
        if not isinstance(value, date):
            errors.add(field, f"{label} is geen geldige datum.")
        elif value > today:
            errors.add(field, f"{label} kan niet in de toekomst liggen.")
        elif birth_on is not None and value < birth_on:
            errors.add(field, f"{label} kan niet voor de geboortedatum liggen.")
    residence, purpose = data.get("residence"), data.get("residence_purpose")
    if purpose and residence and residence != "regulier":
        errors.add("residence_purpose", "Een verblijfsdoel hoort alleen bij een reguliere verblijfsvergunning.")
    errors.raise_if_any()


def has_open_file(person: Person) -> bool:
    return ClientFile.objects.filter(person=person).exclude(status__in=("verhuisd", "beeindigd")).exists()

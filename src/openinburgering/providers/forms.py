"""Forms of the providers pages. They parse input; the services validate (Dutch errors go back on these fields
with clients.forms.add_application_errors), so every error shows at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

from .choices import (
    MILESTONE_COMPONENTS,
    Component,
    ExamLevel,
    MapTheme,
    MilestoneKind,
    PriceModel,
    ProviderKind,
    ReportingFrequency,
)
from .models import EXAM_PART_CHOICES, Contract
from .services import MAX_CSV_BYTES, SCOPE_GEMEENTE, SCOPE_REGIO

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
AREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 3}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
DATE = {**TEXT, "type": "date"}
DECIMAL = {**TEXT, "inputmode": "decimal"}
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
MAX_CSV_MB = MAX_CSV_BYTES // (1024 * 1024)
SCOPES = [(SCOPE_GEMEENTE, "Alleen onze gemeente"), (SCOPE_REGIO, "Gedeeld in de arbeidsmarktregio")]


def _service_required(field: forms.Field) -> forms.Field:
    field.required_by_service = True  # type: ignore[attr-defined]  # read by partials/field.html
    return field


def _date(label: StrOrPromise, *, required_by_service: bool = True, help_text: str = "") -> forms.DateField:
    field = forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        error_messages={"invalid": "Vul een geldige datum in, bijvoorbeeld 2026-03-31."},
    )
    if required_by_service:
        _service_required(field)
    return field


def _text(
    label: str, *, max_length: int = 200, area: bool = False, required_by_service: bool = False, help_text: str = ""
) -> forms.CharField:
    field = forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs=AREA) if area else forms.TextInput(attrs=TEXT),
        error_messages={"max_length": f"Gebruik hoogstens {max_length} tekens."},
    )
    if required_by_service:
        _service_required(field)
    return field


def _decimal_text(label: str, *, required_by_service: bool = True, help_text: str = "") -> forms.CharField:
    """Hours and amounts as text, so 2,5 and 2.5 both work; the service parses and checks them."""
    field = forms.CharField(
        label=label, required=False, max_length=20, help_text=help_text, widget=forms.TextInput(attrs=DECIMAL)
    )
    if required_by_service:
        _service_required(field)
    return field


def _choice(label: str, choices: Any) -> forms.ChoiceField:
    return _service_required(  # type: ignore[return-value]  # same field, marked
        forms.ChoiceField(
            label=label, required=False, choices=[("", "Kies"), *choices], widget=forms.Select(attrs=SELECT)
        )
    )


class ProviderForm(forms.Form):
    name = _text("Naam", required_by_service=True)
    kinds = _service_required(
        forms.MultipleChoiceField(
            label="Soort aanbieder",
            required=False,
            choices=ProviderKind.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text="Kies alles wat past.",
        )
    )
    keurmerk = forms.BooleanField(
        label="Heeft het keurmerk van Blik op Werk",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )
    keurmerk_expires_on = _date(
        "Keurmerk geldig tot en met",
        required_by_service=False,
        help_text="Verplicht als de aanbieder het keurmerk heeft.",
    )
    kvk_number = _text("KvK-nummer", max_length=20, help_text="8 cijfers.")
    contact_name = _text("Contactpersoon")
    contact_email = _text("E-mail contactpersoon", max_length=254)
    contact_phone = _text("Telefoon contactpersoon", max_length=30)
    scope = _service_required(
        forms.ChoiceField(
            label="Voor wie", required=False, choices=SCOPES, widget=forms.RadioSelect, initial=SCOPE_GEMEENTE
        )
    )


class ContractForm(forms.Form):
    name = _text("Naam of kenmerk", required_by_service=True)
    scope = _service_required(
        forms.ChoiceField(
            label="Voor wie", required=False, choices=SCOPES, widget=forms.RadioSelect, initial=SCOPE_GEMEENTE
        )
    )
    starts_on = _date("Begindatum")
    ends_on = _date("Einddatum")
    price_model = _choice("Prijsmodel", PriceModel.choices)
    price_per_route = _decimal_text("Prijs per route (euro)", required_by_service=False)
    price_per_hour = _decimal_text("Prijs per uur (euro)", required_by_service=False)
    price_per_result = _decimal_text("Prijs per resultaat (euro)", required_by_service=False)
    capacity = _service_required(
        forms.IntegerField(
            label="Aantal plaatsen",
            required=False,
            min_value=1,
            max_value=100_000,
            widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
            error_messages={"invalid": "Vul een heel getal in.", "min_value": "Vul minstens 1 plaats in."},
        )
    )
    components = _service_required(
        forms.MultipleChoiceField(
            label="Onderdelen die het contract dekt",
            required=False,
            choices=Component.choices,
            widget=forms.CheckboxSelectMultiple,
        )
    )
    reporting_frequency = _choice("Afgesproken rapportage", ReportingFrequency.choices)


def contract_choice_label(contract: Contract) -> str:
    taken = getattr(contract, "taken", 0)
    return (
        f"{contract.provider.name} — {contract.name} ({contract.starts_on:%d-%m-%Y} tot en met "
        f"{contract.ends_on:%d-%m-%Y}, {contract.capacity - taken} van {contract.capacity} plaatsen vrij)"
    )


class EnrolmentForm(forms.Form):
    component = _choice("Onderdeel", Component.choices)
    contract = _service_required(
        forms.ChoiceField(label="Aanbieder en contract", required=False, widget=forms.Select(attrs=SELECT))
    )
    starts_on = _date("Startdatum")
    ends_on = _date("Einddatum")
    hours_per_week = _decimal_text("Geplande uren per week", help_text="Bijvoorbeeld 8 of 2,5.")

    def __init__(self, *args: Any, contracts: list[Contract], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Kies een contract")] + [(str(c.pk), contract_choice_label(c)) for c in contracts]
        self.fields["contract"].choices = choices  # type: ignore[attr-defined]  # a ChoiceField


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label="Wat gebeurt er", choices=[], widget=forms.Select(attrs=SELECT))
    reason = _text("Reden", max_length=2000, area=True, help_text="Verplicht bij stoppen.")

    def __init__(self, *args: Any, allowed: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = allowed  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["to_status"].error_messages = {
            "required": "Kies wat er gebeurt.",
            "invalid_choice": "Kies wat er gebeurt.",
        }


class DeclineForm(forms.Form):
    reason = _text("Reden van weigeren", max_length=2000, area=True, required_by_service=True)


class WeeklyReportForm(forms.Form):
    week = _text(
        "Week", max_length=8, required_by_service=True, help_text="Bijvoorbeeld 2026-W47 (jaar en weeknummer)."
    )
    hours_offered = _decimal_text("Uren aangeboden")
    hours_attended = _decimal_text("Uren aanwezig")
    hours_absent_authorised = _decimal_text("Uren afwezig met geldige reden")
    hours_absent_unauthorised = _decimal_text("Uren afwezig zonder geldige reden")
    absence_reason = _text(
        "Reden van afwezigheid", max_length=500, help_text="Verplicht bij afwezigheid zonder geldige reden."
    )
    note = _text("Korte notitie over de voortgang", max_length=2000, area=True)


class ExamResultForm(forms.Form):
    part = _choice("Onderdeel", EXAM_PART_CHOICES)
    level = forms.ChoiceField(
        label="Niveau", help_text="Niet bij KNM: KNM heeft geen niveau.", required=False,
        choices=[("", "Geen (KNM)"), *ExamLevel.choices], widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    exam_on = _date("Datum examen")
    passed = _service_required(
        forms.TypedChoiceField(
            label="Gehaald",
            required=False,
            choices=[("ja", "Ja"), ("nee", "Nee")],
            coerce=lambda value: value == "ja",
            empty_value=None,
            widget=forms.RadioSelect,
        )
    )


class MilestoneForm(forms.Form):
    kind = _choice("Wat meldt u?", MilestoneKind.choices)
    theme = forms.ChoiceField(
        label="MAP-thema", help_text="Alleen bij 'MAP-thema afgerond'.", required=False,
        choices=[("", "Kies"), *MapTheme.choices], widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    happened_on = _date("Wanneer gebeurde het?", help_text="Bij een voortgangsverslag: de datum van het verslag.")
    note = forms.CharField(
        label="Toelichting of verslag", help_text="Nodig bij een voortgangsverslag. Geen medische gegevens.",
        required=False, max_length=2_000,
        widget=forms.Textarea(attrs={"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}),
    )  # fmt: skip

    def __init__(self, *args: Any, component: str = "", **kwargs: Any) -> None:
        """Only what can be reported for this placement's component (the service checks it again)."""
        super().__init__(*args, **kwargs)
        if component:
            kind: Any = self.fields["kind"]
            kind.choices = [("", "Kies"), *[(v, label) for v, label in MilestoneKind.choices
                                             if component in MILESTONE_COMPONENTS[v]]]  # fmt: skip
            if component != Component.MAP:
                del self.fields["theme"]


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV-bestand",
        help_text=f"Kolommen met ; of , ertussen, in UTF-8, met kopregel. Hoogstens {MAX_CSV_MB} MB.",
        error_messages={"required": "Kies een bestand.", "empty": "Het bestand is leeg."},
        widget=forms.ClearableFileInput(
            attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "accept": ".csv,text/csv"}
        ),
    )

"""Forms of the vervolg page. They parse input; ``followup.services`` decides, and its Dutch errors are put back
on these fields with ``clients.forms.add_application_errors``."""

from __future__ import annotations

from django import forms

from openinburgering.core.widgets import RadioButtons

from .choices import Situation

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
DATE = {**TEXT, "type": "date"}
AREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 3}
DATE_ERRORS = {"invalid": "Vul een bestaande datum in, bijvoorbeeld 15-03-2027."}


def _by_service(field: forms.Field) -> forms.Field:
    field.required_by_service = True  # type: ignore[attr-defined]  # read by partials/field.html
    return field


class FollowUpForm(forms.Form):
    situation = _by_service(
        forms.ChoiceField(
            label="Waar staat de persoon nu?", choices=Situation.choices, required=False,
            widget=RadioButtons(),
        )
    )  # fmt: skip
    organisation = forms.CharField(
        label="Bij welke werkgever, school of organisatie?",
        help_text="Alleen de naam. Nodig bij werk, opleiding of participatie.",
        required=False, max_length=200, widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    hours_per_week = forms.DecimalField(
        label="Uren per week", help_text="Bijvoorbeeld 24 of 12,5.", required=False,
        min_value=0, max_value=60, decimal_places=1, localize=True,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "decimal"}),
        error_messages={"invalid": "Vul een aantal uren in, bijvoorbeeld 24 of 12,5."},
    )  # fmt: skip
    started_on = forms.DateField(
        label="Gestart op", required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), error_messages=DATE_ERRORS,
    )  # fmt: skip
    contact_on = _by_service(
        forms.DateField(
            label="Datum van het contact", required=False,
            widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), error_messages=DATE_ERRORS,
        )
    )  # fmt: skip
    next_contact_on = forms.DateField(
        label="Volgend contact",
        help_text="Het dossier komt op deze dag op uw caseload. Leeg laten als er geen contact meer nodig is.",
        required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), error_messages=DATE_ERRORS,
    )  # fmt: skip
    note = forms.CharField(
        label="Toelichting", help_text="Kort. Geen medische gegevens.", required=False, max_length=2_000,
        widget=forms.Textarea(attrs=AREA),
    )  # fmt: skip


class EndForm(forms.Form):
    reason = _by_service(
        forms.CharField(
            label="Waarom is het vervolg klaar?",
            help_text="Bijvoorbeeld: werkt al een jaar bij dezelfde werkgever, heeft geen hulp meer nodig.",
            required=False, max_length=1_000, widget=forms.Textarea(attrs=AREA),
        )
    )  # fmt: skip

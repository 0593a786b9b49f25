"""Forms of the voortgang pages. They parse input; the services decide (rules.afschalen, rules.route_switch) and
their Dutch errors are put back on these fields with ``clients.forms.add_application_errors``."""

from __future__ import annotations

from django import forms

from openinburgering.core.widgets import RadioButtons
from openinburgering.intakes.choices import Leerroute
from openinburgering.plans.services import SWITCH_EXCEPTION_LABELS

AREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
NUMBER = {"class": "utrecht-textbox utrecht-textbox--html-input", "inputmode": "numeric"}
YES_NO = [("ja", "Ja"), ("nee", "Nee")]


def _by_service(field: forms.Field) -> forms.Field:
    field.required_by_service = True  # type: ignore[attr-defined]  # read by partials/field.html
    return field


class JudgementForm(forms.Form):
    sufficient_effort = _by_service(
        forms.ChoiceField(
            label="Heeft de persoon zich genoeg ingespannen tijdens de lessen?",
            choices=YES_NO,
            required=False,
            widget=RadioButtons(),
        )
    )
    b1_reachable_in_termijn = _by_service(
        forms.ChoiceField(
            label="Kan de persoon B1 halen binnen de termijn?",
            choices=YES_NO,
            required=False,
            widget=RadioButtons(),
        )
    )
    reasoning = _by_service(
        forms.CharField(
            label="Onderbouwing",
            help_text="Bijvoorbeeld wat de taalaanbieder zegt en wat u in de voortgangsgesprekken zag.",
            required=False,
            max_length=10_000,
            widget=forms.Textarea(attrs=AREA),
        )
    )


class RouteSwitchForm(forms.Form):
    to_route = _by_service(
        forms.ChoiceField(
            label="Nieuwe leerroute",
            choices=[("", "Kies een leerroute"), *Leerroute.choices],
            required=False,
            widget=forms.Select(attrs=SELECT),
        )
    )
    exception = forms.ChoiceField(
        label="Uitzondering",
        help_text="Alleen nodig na de eerste 18 maanden van de termijn.",
        choices=list(SWITCH_EXCEPTION_LABELS.items()),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    change_reason = _by_service(
        forms.CharField(
            label="Reden van de wijziging",
            required=False,
            max_length=10_000,
            widget=forms.Textarea(attrs=AREA),
        )
    )


class SettingsForm(forms.Form):
    attendance_threshold_percent = _by_service(
        forms.CharField(
            label="Drempel aanwezigheid (procent)",
            help_text="Onder dit percentage ziet de klantregisseur een signaal. Een heel getal van 1 tot en met 100.",
            required=False,
            max_length=3,
            widget=forms.TextInput(attrs=NUMBER),
        )
    )

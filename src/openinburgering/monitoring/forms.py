"""Forms of the monitoring pages: the filter (GET) and the lesbezoek and survey forms (POST). The services
validate; their Dutch errors go back onto these fields."""

from __future__ import annotations

from typing import Any

from django import forms

from openinburgering.providers.forms import AREA, DATE, DATE_FORMATS, SELECT, TEXT
from openinburgering.providers.models import Contract, Provider

from .selectors import Filters

NUMBER = {**TEXT, "inputmode": "numeric"}


def _date(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        error_messages={"invalid": "Vul een geldige datum in, bijvoorbeeld 2026-03-31."},
    )


def _choices(items: list[Any], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((str(item.pk), str(item)) for item in items)]


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class FilterForm(forms.Form):
    van = _date("Periode vanaf")
    tot = _date("Periode tot en met")
    aanbieder = forms.ChoiceField(label="Aanbieder", required=False, widget=forms.Select(attrs=SELECT))
    contract = forms.ChoiceField(label="Contract", required=False, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args: Any, providers: list[Provider], contracts: list[Contract], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "aanbieder", _choices(providers, "Alle aanbieders"))
        _set_choices(self, "contract", _choices(contracts, "Alle contracten"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("van") and data.get("tot") and data["tot"] < data["van"]:
            self.add_error("tot", "De einddatum ligt voor de begindatum.")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            date_from=data.get("van"),
            date_to=data.get("tot"),
            provider_id=int(data["aanbieder"]) if data.get("aanbieder") else None,
            contract_id=int(data["contract"]) if data.get("contract") else None,
        )


class LessonVisitForm(forms.Form):
    provider_id = forms.ChoiceField(label="Aanbieder", widget=forms.Select(attrs=SELECT))
    contract_id = forms.ChoiceField(label="Contract", required=False, widget=forms.Select(attrs=SELECT))
    visited_on = _date("Datum bezoek", required=True)
    visitor = forms.CharField(label="Bezoeker", max_length=200, widget=forms.TextInput(attrs=TEXT))
    findings = forms.CharField(label="Bevindingen", max_length=5000, widget=forms.Textarea(attrs=AREA))
    score = forms.TypedChoiceField(
        label="Oordeel",
        coerce=int,
        choices=[("", "Kies een oordeel"), *((str(n), f"{n} van 5") for n in range(1, 6))],
        widget=forms.Select(attrs=SELECT),
        help_text="1 is slecht, 5 is heel goed.",
    )

    def __init__(self, *args: Any, providers: list[Provider], contracts: list[Contract], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "provider_id", _choices(providers, "Kies een aanbieder"))
        _set_choices(self, "contract_id", _choices(contracts, "Geen bepaald contract"))


class SurveyForm(forms.Form):
    provider_id = forms.ChoiceField(label="Aanbieder", widget=forms.Select(attrs=SELECT))
    period_start_on = _date("Periode vanaf", required=True)
    period_end_on = _date("Periode tot en met", required=True)
    respondents = forms.IntegerField(label="Aantal deelnemers dat antwoordde", min_value=1,
                                     widget=forms.TextInput(attrs=NUMBER))  # fmt: skip
    average_score = forms.CharField(
        label="Gemiddeld cijfer (1 tot en met 10)", required=False, widget=forms.TextInput(attrs=TEXT),
        help_text="Vul een cijfer in, een percentage tevreden, of allebei.",
    )  # fmt: skip
    percent_satisfied = forms.IntegerField(label="Percentage tevreden", required=False, min_value=0, max_value=100,
                                           widget=forms.TextInput(attrs=NUMBER))  # fmt: skip

    def __init__(self, *args: Any, providers: list[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "provider_id", _choices(providers, "Kies een aanbieder"))

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


MONTH = {**TEXT, "inputmode": "numeric", "autocomplete": "off"}


def _month(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m"],
        help_text="Jaar en maand, bijvoorbeeld 2026-03.",
        widget=forms.DateInput(attrs=MONTH, format="%Y-%m"),
        error_messages={"invalid": "Vul een maand in als jaar-maand, bijvoorbeeld 2026-03."},
    )


class FigureFilterForm(forms.Form):
    """Period (whole months), doelgroep and team of the gemeente dashboard."""

    van = _month("Periode vanaf (maand)")
    tot = _month("Periode tot en met (maand)")
    doelgroep = forms.ChoiceField(label="Doelgroep", required=False, widget=forms.Select(attrs=SELECT))
    team = forms.ChoiceField(label="Team", required=False, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args: Any, teams: list[Any], default: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .figures import DOELGROEPEN

        self.default = default
        _set_choices(self, "doelgroep", [("", "Alle doelgroepen"), *((code or "geen", label) for code, label in
                                                                        DOELGROEPEN)])  # fmt: skip
        _set_choices(self, "team", [("", "Alle teams"), ("0", "Zonder team"), *((str(t.pk), t.name) for t in teams)])
        self.fields["van"].widget.attrs["placeholder"] = default.month_from.strftime("%Y-%m")
        self.fields["tot"].widget.attrs["placeholder"] = default.month_to.strftime("%Y-%m")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("van") or self.default.month_from
        end = data.get("tot") or self.default.month_to
        if end < start:
            self.add_error("tot", "De laatste maand ligt voor de eerste maand.")
        elif (end.year - start.year) * 12 + end.month - start.month >= 60:
            self.add_error("tot", "Kies een periode van hoogstens 5 jaar.")
        return data

    def filters(self) -> Any:
        from .figures import Filters

        data = self.cleaned_data
        doelgroep = data.get("doelgroep") or None
        return Filters(
            month_from=(data.get("van") or self.default.month_from).replace(day=1),
            month_to=(data.get("tot") or self.default.month_to).replace(day=1),
            doelgroep="" if doelgroep == "geen" else doelgroep,
            team=int(data["team"]) if data.get("team") else None,
        )

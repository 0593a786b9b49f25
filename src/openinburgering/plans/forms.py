"""Forms of the PIP pages. They parse input; the services decide (rules, four eyes) and their Dutch errors are
put back on these fields with ``clients.forms.add_application_errors``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

from openinburgering.intakes.choices import Leefgebied, Leerroute

from .choices import BezwaarStatus, ClientAgreement, Responsible
from .models import PipLevel, PipVersion
from .services import SWITCH_EXCEPTION_LABELS

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
AREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 3}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
DATE = {**TEXT, "type": "date"}
NUMBER = {**TEXT, "inputmode": "numeric"}
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
BAD_DATE = "Vul een geldige datum in, bijvoorbeeld 15-06-2027."


def _date_field(label: StrOrPromise, *, required: bool = False, help_text: StrOrPromise = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, help_text=help_text,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        error_messages={"invalid": BAD_DATE, "required": "Vul de datum in."},
    )  # fmt: skip


def _text(label: StrOrPromise, *, area: bool = False, help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=10_000, help_text=help_text,
        widget=forms.Textarea(attrs=AREA) if area else forms.TextInput(attrs=TEXT),
    )  # fmt: skip


class DraftForm(forms.Form):
    """The fields of a concept. Required checks are in the service, so every error shows at once."""

    leerroute = forms.ChoiceField(
        label=_("Leerroute"), required=False, choices=[("", "Kies een leerroute"), *Leerroute.choices],
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    level = forms.ChoiceField(
        label=_("Taalniveau"), required=False, choices=PipLevel.choices, widget=forms.Select(attrs=SELECT),
        help_text=_("Standaard is B1 in de B1-route en de onderwijsroute, en geen niveau in de Z-route."),
    )  # fmt: skip
    estimated_b1_intensity = forms.IntegerField(
        label=_("Geschatte intensiteit van de B1-route (uren)"), required=False, min_value=1, max_value=9999,
        help_text=_("Alleen voor asielstatushouders in de B1-route."), widget=forms.TextInput(attrs=NUMBER),
    )  # fmt: skip
    lesson_hours_per_week = forms.IntegerField(
        label=_("Lesuren per week"), required=False, min_value=0, max_value=60, widget=forms.TextInput(attrs=NUMBER)
    )
    pvt_intensity = _text(_("Participatieverklaringstraject (PVT): intensiteit"))
    map_intensity = _text(
        _("Module arbeidsmarkt en participatie (MAP): intensiteit"),
        help_text=_("Niet in de onderwijsroute (artikel 8 lid 3 Wet inburgering 2021)."),
    )
    begeleiding = _text(_("Ondersteuning en maatschappelijke begeleiding"), area=True)
    receives_bijstand = forms.BooleanField(label=_("De persoon krijgt bijstand"), required=False)
    bijstand_start_on = _date_field(_("Recht op bijstand vanaf"))
    vve = _text(_("Voor- en vroegschoolse educatie (VVE)"), area=True)
    kinderopvang = _text(_("Kinderopvang"), area=True)
    reiskosten = _text(_("Reiskosten"), area=True)
    lestijden = _text(_("Lestijden"), area=True)
    duaal = _text(_("Taal samen met werk of participatie (duaal)"), area=True)
    summary = _text(
        _("Samenvatting in eenvoudige taal"), area=True,
        help_text=_("Nodig voor het aanbieden. De persoon krijgt dit mee als 'Uw plan in het kort'."),
    )  # fmt: skip
    change_reason = _text(_("Reden van de wijziging"), area=True, help_text=_("Nodig vanaf versie 2."))
    route_switch_exception = forms.ChoiceField(
        label=_("Uitzondering voor het wisselen van leerroute"), required=False,
        choices=list(SWITCH_EXCEPTION_LABELS.items()), widget=forms.Select(attrs=SELECT),
        help_text=_("Alleen nodig als de leerroute na de eerste 18 maanden van de termijn verandert."),
    )  # fmt: skip

    # The order of the page (plans/edit.html), which the error summary follows.
    field_order = (
        "leerroute", "level", "estimated_b1_intensity", "lesson_hours_per_week", "route_switch_exception",
        "change_reason", "pvt_intensity", "map_intensity", "begeleiding", "receives_bijstand", "bijstand_start_on",
        "vve", "kinderopvang", "reiskosten", "lestijden", "duaal", "summary",
    )  # fmt: skip

    def __init__(self, *args: Any, version: PipVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leerroute"].required_by_service = True  # type: ignore[attr-defined]  # read by field.html
        if version.number == 1:
            del self.fields["change_reason"]
            del self.fields["route_switch_exception"]
        else:
            self.fields["change_reason"].required_by_service = True  # type: ignore[attr-defined]  # as above

    @staticmethod
    def initial_for(version: PipVersion) -> dict[str, Any]:
        return {name: getattr(version, name) for name in DraftForm.base_fields}

    def draft_data(self, talk_dates: list[date]) -> dict[str, Any]:
        """The concept's fields for ``plans.services.update_draft``: as many talks as dates given."""
        return {**self.cleaned_data, "progress_talks_count": len(talk_dates), "progress_talk_dates": talk_dates}


class TalkDateForm(forms.Form):
    """One planned voortgangsgesprek (B 5.3 lid 4): a real date, entered with the browser's date picker."""

    on = _date_field(_("Voortgangsgesprek"))

    def __init__(self, *args: Any, number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = f"Voortgangsgesprek {number}"


class BaseTalkDateFormSet(BaseFormSet):  # type: ignore[type-arg]  # Django's formset is not generic at runtime
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "number": (index or 0) + 1}


TalkDateFormSet = formset_factory(TalkDateForm, formset=BaseTalkDateFormSet, extra=2, max_num=24, absolute_max=24)


def talk_dates(formset: Any) -> list[date]:
    """The dates filled in on a valid talk formset (empty rows are left out)."""
    return [form.cleaned_data["on"] for form in formset.forms if form.is_valid() and form.cleaned_data.get("on")]


def talk_formset(version: PipVersion) -> Any:
    """The voortgangsgesprekken of a concept as date rows, with two empty rows to add more."""
    return TalkDateFormSet(prefix="talks", initial=[{"on": day} for day in version.progress_talk_days])


class AgreementForm(forms.Form):
    leefgebied = forms.ChoiceField(
        label=_("Leefgebied"), required=False, choices=[("", "Kies"), *Leefgebied.choices],
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    goal = forms.CharField(label=_("Doel"), required=False, max_length=10_000, widget=forms.Textarea(attrs=AREA))
    action = forms.CharField(
        label=_("Wat gebeurt er"), required=False, max_length=10_000, widget=forms.Textarea(attrs=AREA)
    )
    responsible = forms.ChoiceField(
        label=_("Wie doet het"), required=False, choices=[("", "Kies"), *Responsible.choices],
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    due_on = _date_field(_("Wanneer klaar"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("leefgebied", "goal", "responsible"):  # needed for a row to be kept: no "(niet verplicht)"
            self.fields[name].required_by_service = True  # type: ignore[attr-defined]  # read by field.html

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) for name in ("leefgebied", "goal", "action", "responsible", "due_on"))


class BaseAgreementFormSet(BaseFormSet):  # type: ignore[type-arg]  # Django's formset is not generic at runtime
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Afspraak verwijderen"
        # The error summary names the row: "Afspraak 2, Doel: ..." (partials/form_errors.html).
        form.error_group = f"Afspraak {(index or 0) + 1}"  # type: ignore[attr-defined]  # read by the summary tag


AgreementFormSet = formset_factory(
    AgreementForm, formset=BaseAgreementFormSet, extra=1, can_delete=True, max_num=60, absolute_max=60
)


def agreement_rows(formset: Any) -> tuple[list[dict[str, Any]], list[forms.Form]]:
    """The rows to keep (not marked for removal and not blank), and the form each row came from, so a service
    error on row ``i`` can go back to its own fields."""
    rows, sources = [], []
    for form in formset.forms:
        if not form.is_valid() or form.cleaned_data.get("DELETE") or form.is_blank():
            continue
        rows.append({name: form.cleaned_data.get(name) for name in ("leefgebied", "goal", "action", "responsible",
                                                                    "due_on")})  # fmt: skip
        sources.append(form)
    return rows, sources


class RejectForm(forms.Form):
    comment = forms.CharField(
        label=_("Wat moet er veranderen?"), max_length=10_000, widget=forms.Textarea(attrs=AREA),
        error_messages={"required": "Schrijf op wat er moet veranderen."},
    )  # fmt: skip


class ClientResponseForm(forms.Form):
    agreement = forms.ChoiceField(
        label=_("Is de persoon het eens met het plan?"),
        choices=[choice for choice in ClientAgreement.choices if choice[0]],
        widget=forms.RadioSelect,  # no class: Django would put it on the wrapper too (24 px box, overlap)
        error_messages={"required": "Kies of de persoon het eens is."},
    )
    response_on = _date_field(_("Datum van de reactie"), required=True)
    comments = _text(_("Opmerkingen van de persoon"), area=True)


class BezwaarForm(forms.Form):
    received_on = _date_field(_("Bezwaar ontvangen op"), required=True)
    grounds = forms.CharField(
        label=_("Gronden van het bezwaar"), max_length=10_000, widget=forms.Textarea(attrs=AREA),
        error_messages={"required": "Schrijf de gronden van het bezwaar op."},
    )  # fmt: skip


class BezwaarStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=BezwaarStatus.choices, widget=forms.Select(attrs=SELECT))
    decided_on = _date_field(_("Beslist op"))


class ProgressTalkForm(forms.Form):
    held_on = _date_field(_("Gehouden op"), required=True)
    summary = forms.CharField(
        label=_("Verslag"), max_length=10_000, widget=forms.Textarea(attrs=AREA),
        error_messages={"required": "Schrijf een kort verslag van het gesprek."},
    )  # fmt: skip

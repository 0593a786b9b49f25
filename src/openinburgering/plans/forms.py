"""Forms of the PIP pages. They parse input; the services decide (rules, four eyes) and their Dutch errors are
put back on these fields with ``clients.forms.add_application_errors``."""

from __future__ import annotations

from datetime import date, datetime
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


def _date_field(label: StrOrPromise, *, required: bool = False, help_text: StrOrPromise = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, help_text=help_text,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        error_messages={"invalid": "Vul een geldige datum in, bijvoorbeeld 2026-03-31.",
                        "required": "Vul de datum in."},
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
    progress_talks_count = forms.IntegerField(
        label=_("Aantal voortgangsgesprekken"), min_value=0, max_value=24, initial=0,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages={"required": "Vul het aantal gesprekken in (0 mag)."},
    )  # fmt: skip
    progress_talk_dates = forms.CharField(
        label=_("Geplande datums van de voortgangsgesprekken"), required=False,
        help_text=_("Eén datum per regel, bijvoorbeeld 2026-03-31. Evenveel datums als gesprekken."),
        widget=forms.Textarea(attrs={**AREA, "rows": 4}),
    )  # fmt: skip
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
        names = [name for name in DraftForm.base_fields if name != "progress_talk_dates"]
        initial = {name: getattr(version, name) for name in names}
        initial["progress_talk_dates"] = "\n".join(version.progress_talk_dates)
        return initial

    def clean_progress_talk_dates(self) -> list[date]:
        out: list[date] = []
        for line in str(self.cleaned_data.get("progress_talk_dates") or "").split():
            parsed = None
            for fmt in DATE_FORMATS:
                try:
                    parsed = datetime.strptime(line.strip(), fmt).date()  # noqa: DTZ007 -- a calendar date, no time
                    break
                except ValueError:
                    continue
            if parsed is None:
                raise forms.ValidationError(f"'{line}' is geen geldige datum. Gebruik bijvoorbeeld 2026-03-31.")
            out.append(parsed)
        return out

    def draft_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


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

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) for name in ("leefgebied", "goal", "action", "responsible", "due_on"))


class BaseAgreementFormSet(BaseFormSet):  # type: ignore[type-arg]  # Django's formset is not generic at runtime
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Afspraak verwijderen"


AgreementFormSet = formset_factory(
    AgreementForm, formset=BaseAgreementFormSet, extra=2, can_delete=True, max_num=60, absolute_max=60
)


def agreement_rows(formset: Any) -> list[dict[str, Any]]:
    """The rows to keep: not marked for removal and not blank."""
    rows = []
    for form in formset.forms:
        if not form.is_valid() or form.cleaned_data.get("DELETE") or form.is_blank():
            continue
        rows.append({name: form.cleaned_data.get(name) for name in ("leefgebied", "goal", "action", "responsible",
                                                                    "due_on")})  # fmt: skip
    return rows


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

"""Forms of the handhaving pages. They parse input; the services decide (rules, four eyes, Keren) and their Dutch
errors are put back on these fields with ``clients.forms.add_application_errors``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openinburgering.core.widgets import RadioButtons

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

from .models import (
    AchievementKind,
    CulpabilityChoice,
    DecisionOutcome,
    ExamPartChoice,
    FineGround,
    LevelChoice,
    TermijnKindChoice,
)

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
AREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
DATE = {**TEXT, "type": "date"}
CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
DATE_ERRORS = {"invalid": "Vul een geldige datum in, bijvoorbeeld 2026-03-31.", "required": "Vul de datum in."}


def _date(label: StrOrPromise, *, help_text: StrOrPromise = "") -> forms.DateField:
    field = forms.DateField(
        label=label, required=False, input_formats=DATE_FORMATS, help_text=help_text,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), error_messages=DATE_ERRORS,
    )  # fmt: skip
    field.required_by_service = True  # type: ignore[attr-defined]  # read by partials/field.html
    return field


def _area(label: StrOrPromise, *, help_text: StrOrPromise = "", by_service: bool = True) -> forms.CharField:
    field = forms.CharField(
        label=label, required=False, max_length=10_000, help_text=help_text, widget=forms.Textarea(attrs=AREA)
    )
    field.required_by_service = by_service  # type: ignore[attr-defined]  # read by partials/field.html
    return field


def _choice(
    label: StrOrPromise, choices: list[Any], *, help_text: StrOrPromise = "", radio: bool = False
) -> forms.ChoiceField:
    widget: forms.Widget = RadioButtons() if radio else forms.Select(attrs=SELECT)
    field = forms.ChoiceField(label=label, required=False, choices=choices, help_text=help_text, widget=widget)
    field.required_by_service = True  # type: ignore[attr-defined]  # read by partials/field.html
    return field


class ProposalForm(forms.Form):
    ground = _choice(_("Waaraan werkt de persoon niet mee? (artikel 23 lid 1)"), FineGround.choices, radio=True)
    established_on = _date(_("Vastgesteld op"), help_text=_("De dag waarop u vaststelde dat de persoon niet meewerkt."))
    facts = _area(_("Feiten"), help_text=_("Wat is er gebeurd, en wanneer? Noem afspraken, brieven en gesprekken."))
    reasoning = _area(_("Motivering"), help_text=_("Waarom is een boete nodig? Wat heeft u eerst geprobeerd?"))
    culpability = _choice(
        _("Verwijtbaarheid (artikel 7.1 lid 4 Besluit)"), CulpabilityChoice.choices, radio=True,
        help_text=_("De persoon moet zelf aantonen dat het minder verwijtbaar is."),
    )  # fmt: skip
    termijn_kind = _choice(_("In welke termijn valt de boete?"), TermijnKindChoice.choices)
    bijstand_reduced = forms.BooleanField(
        label=_("De bijstand is al verlaagd voor hetzelfde gedrag (artikel 27: dan geen boete)"), required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )  # fmt: skip
    persistent_onwil = forms.BooleanField(
        label=_("Persistente onwil is aangetoond (alleen bij asielstatushouders, arrest Keren)"), required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )  # fmt: skip
    keren_reasoning = _area(
        _("Onderbouwing persistente onwil en evenredigheid"), by_service=False,
        help_text=_("Verplicht bij asielstatushouders: waaruit blijkt dat de persoon steeds niet wil meedoen, en "
                    "waarom is de boete evenredig?"),
    )  # fmt: skip

    def __init__(self, *args: Any, asielstatushouder: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["termijn_kind"].initial = TermijnKindChoice.REGULAR
        if not asielstatushouder:
            del self.fields["persistent_onwil"]
            del self.fields["keren_reasoning"]
        else:
            self.fields["keren_reasoning"].required_by_service = True  # type: ignore[attr-defined]  # read by field.html


class DecisionForm(forms.Form):
    outcome = _choice(_("Uw besluit"), DecisionOutcome.choices, radio=True)
    reason = _area(
        _("Reden of toelichting"), by_service=False,
        help_text=_("Verplicht als u afziet van een boete. Bij een boete komt dit in de brief."),
    )  # fmt: skip


class BezwaarForm(forms.Form):
    received_on = _date(_("Bezwaar ontvangen op"))
    grounds = _area(_("Gronden van het bezwaar"), help_text=_("Waarom is de persoon het niet eens met de boete?"))


class AchievementForm(forms.Form):
    kind = _choice(_("Wat is behaald?"), [("", "Kies wat is behaald"), *AchievementKind.choices])
    exam_part = forms.ChoiceField(
        label=_("Examenonderdeel"), required=False, choices=[("", "Geen examen"), *ExamPartChoice.choices],
        widget=forms.Select(attrs=SELECT), help_text=_("Alleen bij een examenonderdeel."),
    )  # fmt: skip
    level = forms.ChoiceField(
        label=_("Niveau"), required=False, choices=[("", "Geen niveau (KNM)"), *LevelChoice.choices],
        widget=forms.Select(attrs=SELECT), help_text=_("Alleen bij een taalexamen."),
    )  # fmt: skip
    hours = forms.DecimalField(
        label=_("Uren"), required=False, max_digits=7, decimal_places=1, min_value=0,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "decimal"}), help_text=_("Alleen bij uren in de Z-route."),
        error_messages={"invalid": "Vul een aantal uren in, bijvoorbeeld 12 of 12.5."},
    )  # fmt: skip
    achieved_on = _date(_("Datum"))
    note = _area(_("Toelichting"), by_service=False)


class ExtensionForm(forms.Form):
    """GET form: prepare an extension request (nothing is saved)."""

    requested_on = forms.DateField(
        label=_("Datum van de aanvraag"), required=False, input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), error_messages=DATE_ERRORS,
    )  # fmt: skip
    lesson_hours = forms.IntegerField(
        label=_("Gevolgde lesuren (taal en KNM)"), required=False, min_value=0, max_value=10_000,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
        help_text=_("Voor gezinsmigranten en overige migranten: minstens 450 uur."),
        error_messages={"invalid": "Vul een heel aantal uren in."},
    )  # fmt: skip
    all_lessons_attended = forms.BooleanField(
        label=_("Alle lessen gevolgd (asielstatushouders)"), required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )  # fmt: skip


class ExamConfirmForm(forms.Form):
    """Confirm a passed exam a provider reported (#11): where the klantregisseur saw the DUO result."""

    evidence = forms.CharField(
        label=_("Waar zag u de uitslag?"), required=False, max_length=500,
        help_text=_("Bijvoorbeeld: uitslag gezien in Mijn Inburgering, of een DUO-bericht."),
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    evidence.required_by_service = True  # type: ignore[attr-defined]  # read by partials/field.html

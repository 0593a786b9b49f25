"""Forms of the ontzorgen pages. They parse input; the services decide and their Dutch errors are put back on
these fields with ``clients.forms.add_application_errors``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from openinburgering.core.widgets import RadioButtons

from .models import MAX_DAY_OF_MONTH, MachtigingKind, ObligationKind, SettlementMethod

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
AREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 3}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
DATE = {**TEXT, "type": "date"}
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
DATE_ERRORS = {"invalid": "Vul een geldige datum in, bijvoorbeeld 2026-12-01."}


def _by_service(field: forms.Field, required: bool = True) -> forms.Field:
    field.required_by_service = required  # type: ignore[attr-defined]  # read by partials/field.html
    return field


def _date(label: StrOrPromise, *, help_text: StrOrPromise = "", required: bool = True) -> forms.Field:
    return _by_service(
        forms.DateField(
            label=label,
            required=False,
            input_formats=DATE_FORMATS,
            help_text=help_text,
            widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            error_messages=DATE_ERRORS,
        ),
        required,
    )


def _text(label: StrOrPromise, *, help_text: StrOrPromise = "", required: bool = True, max_length: int = 100,
          attrs: dict[str, Any] | None = None) -> forms.Field:  # fmt: skip
    return _by_service(
        forms.CharField(
            label=label,
            required=False,
            max_length=max_length,
            help_text=help_text,
            widget=forms.TextInput(attrs={**TEXT, **(attrs or {})}),
        ),
        required,
    )


def _area(label: StrOrPromise, *, help_text: StrOrPromise = "", required: bool = True) -> forms.Field:
    return _by_service(
        forms.CharField(
            label=label, required=False, max_length=2_000, help_text=help_text, widget=forms.Textarea(attrs=AREA)
        ),
        required,
    )


class OntzorgenForm(forms.Form):
    receives_bijstand = forms.BooleanField(
        label="De persoon krijgt bijstand", required=False,
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )  # fmt: skip
    bijstand_start_on = _date(
        "Recht op bijstand vanaf", help_text="Ontzorgen duurt 6 maanden vanaf deze dag (Participatiewet art. 56a)."
    )
    bijstand_end_on = _date("Bijstand gestopt op", help_text="Alleen invullen als de bijstand stopt.", required=False)
    items = _by_service(
        forms.MultipleChoiceField(
            label="Welke vaste lasten betaalt de gemeente?",
            required=False,
            choices=ObligationKind.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text="De wet noemt huur, energie, water en zorgverzekering. Kiest u iets anders, dan is dat maatwerk.",
        )
    )
    maatwerk_reason = _area("Reden voor maatwerk", help_text="Alleen nodig als u andere vaste lasten kiest.",
                            required=False)  # fmt: skip


class ExtensionForm(forms.Form):
    extended_until_on = _date("Ontzorgen loopt door tot en met")
    decided_on = _date("Datum van het besluit")
    reason = _area("Reden (Participatiewet art. 57)")


class MachtigingForm(forms.Form):
    kind = _by_service(
        forms.ChoiceField(
            label="Wat heeft de persoon gedaan?", required=False, choices=MachtigingKind.choices, widget=RadioButtons()
        )
    )
    given_on = _date("Datum")
    document_reference = _text("Kenmerk van het document", required=False)
    consequence_note = _area(
        "Gevolg bij weigeren of intrekken",
        help_text="Een maatregel (Participatiewet art. 18) besluit de bijstand. Schrijf op wat is doorgegeven.",
        required=False,
    )


class ObligationForm(forms.Form):
    kind = _by_service(
        forms.ChoiceField(
            label="Soort vaste last", required=False, choices=ObligationKind.choices, widget=forms.Select(attrs=SELECT)
        )
    )
    creditor_name = _text("Naam van de schuldeiser", help_text="Bijvoorbeeld de verhuurder of de zorgverzekeraar.",
                          max_length=70)  # fmt: skip
    iban = _text("IBAN van de schuldeiser", help_text="Bijvoorbeeld NL91 ABNA 0417 1643 00.", required=False,
                 max_length=42, attrs={"autocomplete": "off", "spellcheck": "false"})  # fmt: skip
    bic = _text("BIC", help_text="Alleen nodig bij een buitenlandse bank.", required=False, max_length=11)
    creditor_reference = _text("Kenmerk dat de schuldeiser vraagt", required=False)
    polisnummer = _text("Polisnummer", help_text="Verplicht bij een zorgverzekering.", required=False, max_length=40)
    description = _text("Omschrijving", required=False)
    amount_cents = _text("Bedrag per maand in euro", help_text="Bijvoorbeeld 650,00.", max_length=20,
                         attrs={"inputmode": "decimal"})  # fmt: skip
    day_of_month = _by_service(
        forms.TypedChoiceField(
            label="Betaaldag",
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "Kies een dag"), *[(day, str(day)) for day in range(1, MAX_DAY_OF_MONTH + 1)]],
            widget=forms.Select(attrs=SELECT),
        )
    )
    start_on = _date("Vanaf")
    end_on = _date("Tot en met", required=False)


class ObligationChangeForm(ObligationForm):
    changed_from = _date("Nieuw bedrag geldt vanaf", help_text="Alleen nodig als het bedrag verandert.", required=False)


class RunForm(forms.Form):
    month = _text("Maand", help_text="Bijvoorbeeld 2026-12.", max_length=7, attrs={"type": "month"})


class SettingsForm(forms.Form):
    debtor_name = _text("Naam van de rekeninghouder", max_length=70)
    debtor_iban = _text("IBAN van de gemeente", max_length=42)
    debtor_bic = _text("BIC", required=False, max_length=11)


class ReclaimSettlementForm(forms.Form):
    """Settling a reclaim (#13 leftover a). ``lines`` are the bank lines a refund may have arrived on."""

    method = _by_service(
        forms.ChoiceField(
            label="Hoe kwam het geld terug?", required=False, choices=SettlementMethod.choices, widget=RadioButtons()
        )
    )
    statement_line = _by_service(
        forms.ChoiceField(
            label="Regel van het bankafschrift",
            required=False,
            help_text="Alleen bij een terugbetaling: de bijschrijving van de schuldeiser op de ontzorgen-rekening.",
            widget=forms.Select(attrs=SELECT),
        ),
        False,
    )
    amount_cents = _text("Bedrag in euro", help_text="Bijvoorbeeld 650,00.", max_length=20,
                         attrs={"inputmode": "decimal"})  # fmt: skip
    settled_on = _date(
        "Datum", help_text="Bij een terugbetaling mag u dit leeg laten: dan geldt de boekdatum van de bank.",
        required=False,
    )  # fmt: skip
    note = _area("Toelichting", help_text="Verplicht bij een verrekening: schrijf op hoe het is verrekend.",
                 required=False)  # fmt: skip

    def __init__(self, *args: Any, lines: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["statement_line"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Kies een regel (alleen bij terugbetaling)"), *(lines or [])]

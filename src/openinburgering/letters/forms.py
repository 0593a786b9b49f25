"""The functioneel beheerder's form for what every letter prints. The service checks every field (Dutch errors),
so the form only carries the values and the labels."""

from __future__ import annotations

from django import forms

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
AREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 3}


def _text(label: str, help_text: str, max_length: int, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, required=False, max_length=max_length,
        widget=forms.TextInput(attrs={**TEXT, **attrs}),
    )  # fmt: skip


def _area(label: str, help_text: str, max_length: int) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, required=False, max_length=max_length, widget=forms.Textarea(attrs=AREA)
    )


class LetterSettingsForm(forms.Form):
    team_name = _text("Naam van het team", "Bijvoorbeeld: Team Inburgering. Leeg: Team Inburgering.", 100)
    phone = _text("Telefoonnummer", "Bijvoorbeeld 14 023 of 023 511 51 15.", 30, autocomplete="off", type="tel")
    email = _text("E-mailadres", "Bijvoorbeeld inburgering@haarlem.nl.", 200, type="email", autocomplete="off")
    contact_hours = _text("Wanneer bereikbaar", "Bijvoorbeeld: maandag tot en met vrijdag van 9.00 tot 17.00 uur.", 200)
    postal_address = _area(
        "Postadres", "Waar mensen een brief naartoe sturen. Bijvoorbeeld: Postbus 511, 2003 PB Haarlem.", 300
    )
    visiting_address = _area("Bezoekadres", "Waar mensen langs kunnen komen.", 300)
    bezwaar_address = _area(
        "Adres voor bezwaar", "Waar mensen hun bezwaar naartoe sturen. Dit staat op elk besluit (beschikking).", 400
    )
    iban = _text("IBAN voor boetes", "Het rekeningnummer waarop mensen een boete betalen. Wij controleren het nummer.",
                 42, autocomplete="off", spellcheck="false")  # fmt: skip
    iban_name = _text("Ten name van", "Bijvoorbeeld: Gemeente Haarlem. Leeg: de naam van de gemeente.", 100)

from __future__ import annotations

from typing import Any

from django import forms

from .choices import MessageStatus, Source

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Alle"), *MessageStatus.choices])
    source = forms.ChoiceField(label="Bron", required=False, choices=[("", "Alle"), *Source.choices])


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Soort bestand",
        choices=[("duo", "Gebeurtenissen van DUO"), ("coa", "Koppelingen van COA")],
        widget=forms.RadioSelect,
        initial="duo",
    )
    file = forms.FileField(
        label="Bestand (JSON)",
        help_text="Een JSON-bestand met één bericht of een lijst met berichten. Maximaal 2 MB.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Het bestand is groter dan 2 MB. Splits het in kleinere bestanden.")
        return upload


class PurgeAllForm(forms.Form):
    days = forms.IntegerField(
        label="Ouder dan (dagen)",
        min_value=0,
        max_value=3650,
        initial=0,
        help_text="0 betekent: alle berichten in quarantaine nu wissen.",
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="Wat heeft u gedaan?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld: verblijfsgegevens gecontroleerd bij de IND en aangepast.",
    )

"""Forms of the legal hold page (issue #12 item 5). The services check the reason; the forms only parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}


class SetHoldForm(forms.Form):
    client_file = forms.IntegerField(
        label=_("Dossiernummer"),
        min_value=1,
        help_text=_("Het nummer van het dossier, zoals in de adresbalk: /dossiers/1234/."),
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Vul het dossiernummer in."),
            "invalid": _("Een dossiernummer bestaat alleen uit cijfers."),
            "min_value": _("Een dossiernummer bestaat alleen uit cijfers."),
        },
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=500,
        help_text=_("Bijvoorbeeld: beroep bij de rechtbank loopt. Noem geen naam of BSN."),
        widget=forms.TextInput(attrs=TEXT),
        error_messages={
            "required": _("Vul de reden in."),
            "max_length": _("De reden is te lang: gebruik hoogstens 500 tekens."),
        },
    )


class ReleaseHoldForm(forms.Form):
    hold = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Kies de legal hold die u wilt opheffen."),
            "invalid": _("Kies de legal hold die u wilt opheffen."),
        },
    )
    reason = forms.CharField(
        label=_("Waarom mag het dossier weer volgens de bewaartermijn worden vernietigd?"),
        max_length=500,
        widget=forms.TextInput(attrs=TEXT),
        error_messages={
            "required": _("Vul de reden in."),
            "max_length": _("De reden is te lang: gebruik hoogstens 500 tekens."),
        },
    )

"""Portal forms: Dutch msgids, shown in the client's language; errors in that language too."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .languages import PORTAL_LANGUAGES
from .models import UploadKind
from .services import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Taal"), choices=PORTAL_LANGUAGES)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Uw bericht"), widget=forms.Textarea(attrs={"rows": 5}), max_length=MESSAGE_MAX_LENGTH, required=False
    )


class RescheduleForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom kunt u niet?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=REASON_MAX_LENGTH,
        required=False,
    )  # fmt: skip


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Wat voor document is het?"),
        choices=[(UploadKind.DIPLOMA.value, _("Diploma")), (UploadKind.MEDICAL.value, _("Medische verklaring"))],
        widget=forms.RadioSelect,
        required=False,
    )
    file = forms.FileField(label=_("Bestand (PDF, JPG of PNG)"), required=False)


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="Antwoord aan de inburgeraar", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        self.fields["body"].required_by_service = True  # type: ignore[attr-defined]  # read by partials/field.html


class PortalSettingsForm(forms.Form):
    plan_on = forms.BooleanField(label="Mijn plan", required=False)
    appointments_on = forms.BooleanField(label="Afspraken en taken", required=False)
    documents_on = forms.BooleanField(label="Documenten (brieven en uploads)", required=False)
    messages_on = forms.BooleanField(label="Berichten met de klantregisseur", required=False)
    access_log_on = forms.BooleanField(label="Wie heeft mijn dossier bekeken", required=False)
    show_staff_names = forms.BooleanField(label="Namen van medewerkers tonen bij 'wie heeft bekeken'", required=False)

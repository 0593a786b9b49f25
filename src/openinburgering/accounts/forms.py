"""Forms of the account pages. They only parse input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms

from openinburgering.core.errors import ApplicationError

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"


def add_application_errors(form: forms.Form, error: ApplicationError) -> None:
    """Puts a service's Dutch field errors back on the form (unknown fields become form-wide errors)."""
    if not error.field_errors:
        form.add_error(None, error.message)
    for field, messages in error.field_errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form with one generic Dutch message: it never tells whether the user name exists or the
    account is locked (that would help someone guessing)."""

    error_messages = {
        "invalid_login": (
            "De gebruikersnaam of het wachtwoord klopt niet, of uw account is tijdelijk geblokkeerd. "
            "Na %(max)d foute pogingen blokkeren we het account %(minutes)d minuten."
        ),
        "inactive": "Dit account is niet actief. Neem contact op met de functioneel beheerder van uw gemeente.",
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Gebruikersnaam"
        self.fields["username"].widget.attrs.update({"class": TEXTBOX, "autocomplete": "username"})
        self.fields["username"].error_messages["required"] = "Vul uw gebruikersnaam in."
        self.fields["password"].label = "Wachtwoord"
        self.fields["password"].widget.attrs.update({"class": TEXTBOX, "autocomplete": "current-password"})
        self.fields["password"].error_messages["required"] = "Vul uw wachtwoord in."

    def get_invalid_login_error(self) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"max": settings.LOGIN_MAX_FAILURES, "minutes": settings.LOGIN_LOCKOUT_MINUTES},
        )


class PasswordChangeForm(forms.Form):
    """Parses the password change; `accounts.services.change_password` checks and writes."""

    old_password = forms.CharField(
        label="Huidig wachtwoord",
        strip=False,
        widget=forms.PasswordInput(attrs={"class": TEXTBOX, "autocomplete": "current-password"}),
        error_messages={"required": "Vul uw huidige wachtwoord in."},
    )
    new_password1 = forms.CharField(
        label="Nieuw wachtwoord",
        strip=False,
        help_text="Minstens 12 tekens. Niet alleen cijfers, geen veelgebruikt wachtwoord, niet lijkend op uw naam.",
        widget=forms.PasswordInput(attrs={"class": TEXTBOX, "autocomplete": "new-password"}),
        error_messages={"required": "Vul een nieuw wachtwoord in."},
    )
    new_password2 = forms.CharField(
        label="Nieuw wachtwoord nog een keer",
        strip=False,
        widget=forms.PasswordInput(attrs={"class": TEXTBOX, "autocomplete": "new-password"}),
        error_messages={"required": "Vul het nieuwe wachtwoord nog een keer in."},
    )

"""Forms of the account pages. They only parse input; the services decide and write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.contrib.auth import forms as auth_forms

from openinburgering.core.errors import ApplicationError

from .backends import LOGIN_WAIT_ATTRIBUTE

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
    """Django's login form with one generic Dutch message: it never tells whether the user name exists. When
    the throttle (accounts.throttle) makes this user name wait at this address, it says how long; that wait is the
    same for names that do not exist, so it tells nothing either."""

    error_messages = {
        "invalid_login": "De gebruikersnaam of het wachtwoord klopt niet.",
        "wait": (
            "U heeft te vaak een verkeerde gebruikersnaam of een verkeerd wachtwoord ingevuld. "
            "Wacht %(wait)s en probeer het dan opnieuw."
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
        wait = getattr(self.request, LOGIN_WAIT_ATTRIBUTE, 0)
        if wait:
            return forms.ValidationError(self.error_messages["wait"], code="wait", params={"wait": wait_text(wait)})
        return forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class LoginCodeForm(forms.Form):
    """The second login step: six digits from the app, or a recovery code (accounts.two_factor checks)."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="De 6 cijfers die de app nu laat zien. Geen telefoon bij de hand? Typ dan een van uw herstelcodes.",
        widget=forms.TextInput(
            attrs={"class": TEXTBOX, "autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
        error_messages={"required": "Vul de code in.", "max_length": "Deze code is te lang."},
    )


class LoginSettingsForm(forms.Form):
    """The gemeente's login rules; accounts.services.change_login_settings writes them."""

    requires_two_factor = forms.BooleanField(
        label="Tweestapsverificatie verplicht",
        required=False,
        help_text=(
            "Medewerkers typen na hun wachtwoord ook een code uit een app op hun telefoon. Wie nog geen app "
            "heeft ingesteld, doet dat bij de volgende keer inloggen."
        ),
    )
    allows_local_login = forms.BooleanField(
        label="Inloggen met gebruikersnaam en wachtwoord toestaan",
        required=False,
        help_text=(
            "Zet dit uit als alle medewerkers inloggen via de gemeente (single sign-on). Wie ook voor een andere "
            "gemeente werkt, logt dan ook via de gemeente in."
        ),
    )


def wait_text(seconds: int) -> str:
    """'30 seconden', '1 minuut', '5 minuten' (rounded up to whole minutes from one minute on)."""
    if seconds < 60:
        return "1 seconde" if seconds == 1 else f"{seconds} seconden"
    minutes = -(-seconds // 60)
    return "1 minuut" if minutes == 1 else f"{minutes} minuten"


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
        help_text=(
            "Minstens 12 tekens, waarvan 6 verschillende. Niet alleen cijfers, geen veelgebruikt wachtwoord, "
            "niet uw naam of gebruikersnaam."
        ),
        widget=forms.PasswordInput(attrs={"class": TEXTBOX, "autocomplete": "new-password"}),
        error_messages={"required": "Vul een nieuw wachtwoord in."},
    )
    new_password2 = forms.CharField(
        label="Nieuw wachtwoord nog een keer",
        strip=False,
        widget=forms.PasswordInput(attrs={"class": TEXTBOX, "autocomplete": "new-password"}),
        error_messages={"required": "Vul het nieuwe wachtwoord nog een keer in."},
    )


def _text(
    label: str, *, required: bool = True, max_length: int = 150, autocomplete: str = "off", **extra: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs={"class": TEXTBOX, "autocomplete": autocomplete}),
        error_messages={"required": "Vul dit veld in.", "max_length": "Gebruik maximaal %(limit_value)d tekens."},
        **extra,
    )


def _password(label: str, **extra: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"class": TEXTBOX, "autocomplete": "new-password"}),
        error_messages={"required": "Vul een wachtwoord in."},
        **extra,
    )


PASSWORD_HINT = (
    "Minstens 12 tekens, waarvan 6 verschillende. Niet alleen cijfers, geen veelgebruikt wachtwoord, niet de naam "
    "of gebruikersnaam. "
    "Geef het wachtwoord persoonlijk door."
)


class RoleTeamFields(forms.Form):
    """Role and team choices for the actor's gemeente (parsed only; the service checks them)."""

    role = forms.ChoiceField(
        label="Rol",
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"required": "Kies een rol.", "invalid_choice": "Kies een rol uit de lijst."},
    )
    team = forms.TypedChoiceField(
        label="Team",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": "Kies een team uit de lijst."},
    )

    def __init__(self, *args: Any, roles: Iterable[Any] = (), teams: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            ("", "Kies een rol"),
            *((r.code, r.name) for r in roles),
        ]
        cast(forms.ChoiceField, self.fields["team"]).choices = [("", "Geen team"), *((t.pk, t.name) for t in teams)]


class StaffCreateForm(RoleTeamFields):
    username = _text("Gebruikersnaam", help_text="Hiermee logt de medewerker in, bijvoorbeeld j.jansen.")
    first_name = _text("Voornaam", max_length=150)
    last_name = _text("Achternaam", max_length=150)
    email = _text("E-mailadres", required=False, max_length=254)
    password1 = _password("Eerste wachtwoord", help_text=PASSWORD_HINT)
    password2 = _password("Eerste wachtwoord nog een keer")

    field_order = ["username", "first_name", "last_name", "email", "password1", "password2", "role", "team"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The service checks these, so that every mistake (a taken user name, a weak password, an empty name)
        # is reported in one go; the fields still read as required.
        for name in ("username", "first_name", "last_name", "password1", "password2", "role"):
            field = self.fields[name]
            field.required = False
            field.widget.attrs["aria-required"] = "true"
            field.required_by_service = True  # type: ignore[attr-defined]  # read by partials/field.html


class GrantMembershipForm(RoleTeamFields):
    pass


class SetPasswordForm(forms.Form):
    password1 = _password("Nieuw wachtwoord", help_text=PASSWORD_HINT)
    password2 = _password("Nieuw wachtwoord nog een keer")


class TeamCreateForm(forms.Form):
    name = _text("Naam van het team", max_length=100)


class StaffFilterForm(forms.Form):
    q = _text("Zoek op naam of gebruikersnaam", required=False, max_length=100)
    show = forms.ChoiceField(
        label="Toon",
        required=False,
        choices=[("active", "Actieve medewerkers"), ("inactive", "Zonder actieve rol"), ("all", "Iedereen")],
        widget=forms.Select(attrs={"class": SELECT}),
    )


class AuditFilterForm(forms.Form):
    event_type = forms.ChoiceField(
        label="Soort gebeurtenis",
        required=False,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": "Kies een soort uit de lijst."},
    )
    since = forms.DateField(
        label="Vanaf datum",
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"class": TEXTBOX, "type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Vul een geldige datum in, bijvoorbeeld 31-12-2025."},
    )
    until = forms.DateField(
        label="Tot en met datum",
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"class": TEXTBOX, "type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Vul een geldige datum in, bijvoorbeeld 31-12-2025."},
    )

    def __init__(self, *args: Any, event_choices: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["event_type"]).choices = [("", "Alle gebeurtenissen"), *event_choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "Deze datum ligt vóór de vanaf-datum.")
        return data

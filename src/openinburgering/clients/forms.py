"""Forms of the client pages. They only parse input; validation with meaning lives in validation.py and the
services, whose ApplicationError field errors are put back on the form by `add_application_errors`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django import forms
from django.contrib import messages as django_messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as Text

from openinburgering.accounts.models import Team, User
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.core.widgets import LongSelect, PrerenderedSelect, render_options

from .choices import OPEN_STATUSES, Doelgroep, FileStatus, Residence, ResidencePurpose, Sex
from .deadlines import KIND_GROUP_LABELS

R = TypeVar("R")


class AssignmentChoicesLike(Protocol):
    """What the forms read of ``clients.assignment.AssignmentChoices`` (forms do not import selectors)."""

    @property
    def caseworker_ids(self) -> frozenset[int]: ...
    @property
    def caseworker_options(self) -> SafeString: ...
    @property
    def team_options(self) -> SafeString: ...
    @property
    def filter_ids(self) -> frozenset[str]: ...


DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]
INVALID_DATE = _("Vul een geldige datum in, bijvoorbeeld 31-12-2024.")


class DutchDateInput(forms.DateInput):
    """A native date picker (the browser shows it in the Dutch order); without support it is a text field
    that also takes dd-mm-jjjj."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"class": "utrecht-textbox utrecht-textbox--html-input", **(attrs or {})}, format="%Y-%m-%d"
        )


def date_field(label: Text, *, required: bool = False, help_text: Text = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=DutchDateInput(),
        error_messages={"invalid": INVALID_DATE, "required": _("Vul de datum in.")},
    )


def text_field(
    label: Text, *, required: bool = False, max_length: int = 200, required_message: Text = "", **attrs: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input", **attrs}),
        error_messages={
            "max_length": _("Gebruik maximaal %(limit_value)d tekens."),
            "required": required_message or _("Vul dit veld in."),
        },
    )


def select_field(label: Text, choices: Iterable[tuple[Any, Any]], *, required: bool = False) -> forms.ChoiceField:
    """A select; flat choices render in Python (LongSelect, same HTML: #18, the caseload filters' option templates
    cost more than their rows), grouped choices through Django's templates."""
    choices = list(choices)
    flat = not any(isinstance(label, (list, tuple)) for _value, label in choices)
    widget_class = LongSelect if flat else forms.Select
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=choices,
        widget=widget_class(attrs={"class": "utrecht-select utrecht-select--html-select"}),
        error_messages={"invalid_choice": _("Kies een van de mogelijkheden."), "required": _("Maak een keuze.")},
    )


def code_select(label: Text, choices: Iterable[tuple[str, str]]) -> forms.CharField:
    """A select whose value is checked by the service (so an unknown code gets the service's Dutch message)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=4,
        widget=forms.Select(
            attrs={"class": "utrecht-select utrecht-select--html-select"}, choices=[("", "— Onbekend —"), *choices]
        ),
    )


def add_application_errors(form: forms.Form, error: ApplicationError, *, aliases: dict[str, str] | None = None) -> None:
    """Puts a service's field errors on the matching form fields; the rest (and the message) become
    non-field errors, so the error summary always says what went wrong."""
    aliases = aliases or {}
    placed = False
    for field, messages in error.field_errors.items():
        name = aliases.get(field, field)
        for message in messages:
            if name in form.fields:
                form.add_error(name, message)
                placed = True
            else:
                form.add_error(None, message)
                placed = True
    if not placed:
        form.add_error(None, error.message)


def run_form_service(form: forms.Form, call: Callable[[dict[str, Any]], R]) -> R | None:
    """Validates the form, then runs ``call(form.cleaned_data)`` (a service) in a savepoint. The service's Dutch
    errors go onto the form and nothing it wrote is kept; NotFound stays a 404. Returns the service's result, or
    None when the form has errors."""
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            return call(form.cleaned_data)
    except NotFound:
        raise
    except ApplicationError as error:
        add_application_errors(form, error)
    return None


def submit_form(
    request: HttpRequest, form: forms.Form, call: Callable[[dict[str, Any]], R], *,
    errors: Callable[[Any], HttpResponse], success: str | Callable[[Any], str], to: str | Callable[[Any], str],
) -> HttpResponse:  # fmt: skip
    """The shape of a form post, written once: the form checked and one service run (``run_form_service``); with
    errors the page again with the form (``errors(form)``, which answers 400), otherwise a success message and a
    redirect (``success`` and ``to`` may be computed from the service's result). Call it inside the view's
    transaction, so the page with errors is read in the same transaction as the failed attempt."""
    result = run_form_service(form, call)
    if form.errors:
        return errors(form)
    django_messages.success(request, success if isinstance(success, str) else success(result))
    return HttpResponseRedirect(to if isinstance(to, str) else to(result))


def service_error(call: Callable[[], object]) -> str:
    """A service without a form (send, acknowledge) run in a savepoint: its Dutch error message, or "" when it went
    through (nothing it wrote is kept on an error). NotFound stays a 404."""
    try:
        with transaction.atomic():
            call()
    except NotFound:
        raise
    except ApplicationError as error:
        return error.message
    return ""


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoek op BSN, naam, geboortedatum of V-nummer"),
        help_text=_("Bijvoorbeeld 123456782, Jansen of 01-05-1990."),
        max_length=100,
        required=True,
        widget=forms.TextInput(
            attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "type": "search", "autocomplete": "off"}
        ),
        error_messages={
            "required": _("Typ wat u zoekt: een BSN, naam, geboortedatum of V-nummer."),
            "max_length": _("De zoekvraag is te lang (maximaal 100 tekens)."),
        },
    )


NO_CHOICE = ("", "— Kies —")


class CaseworkerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # django-stubs generic varies by version
    """Shows a caseworker by name, not by username."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def caseworker_field(label: Text, empty_label: Text) -> CaseworkerChoiceField:
    return CaseworkerChoiceField(
        label=label,
        queryset=User.objects.none(),
        required=False,
        empty_label=empty_label,
        widget=LongSelect(attrs={"class": "utrecht-select utrecht-select--html-select"}),  # hundreds of options
        error_messages={"invalid_choice": _("Kies een medewerker uit de lijst.")},
    )


DUE_CHOICES = [
    ("", _("Alle termijnen")),
    ("overdue", _("Te laat")),
    ("week", _("Deze week")),
    ("soon", _("Binnenkort")),
]
KIND_CHOICES = [("", _("Alle stappen")), *KIND_GROUP_LABELS.items()]
LOW_ATTENDANCE = "low_attendance"
SIGNAL_CHOICES = [("", _("Alle dossiers")), (LOW_ATTENDANCE, _("Lage aanwezigheid"))]


class CaseloadFilterForm(forms.Form):
    status = select_field(_("Status"), [("", _("Alle statussen")), *[(s.value, s.label) for s in OPEN_STATUSES]])
    doelgroep = select_field(_("Doelgroep"), [("", _("Alle doelgroepen")), *Doelgroep.choices])
    due = select_field(_("Termijn"), DUE_CHOICES)
    kind = select_field(_("Soort stap"), KIND_CHOICES)
    signal = select_field(_("Signaal"), SIGNAL_CHOICES)
    signal.help_text = _("Lage aanwezigheid: in de laatste 4 weken onder de drempel.")
    sort = forms.CharField(required=False, widget=forms.HiddenInput)


class KnownIdField(forms.TypedChoiceField):
    """A choice of one of a known set of ids (``ids``), checked by a set lookup instead of walking hundreds of
    choices; rendered by a PrerenderedSelect (#18)."""

    ids: frozenset[str] = frozenset()

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.ids


class TeamCaseloadFilterForm(CaseloadFilterForm):
    assigned = KnownIdField(
        label=_("Klantregisseur"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=PrerenderedSelect(attrs={"class": "utrecht-select utrecht-select--html-select"}),  # hundreds of options
        error_messages={"invalid_choice": _("Kies een van de mogelijkheden.")},
    )

    def __init__(self, *args: Any, choices: AssignmentChoicesLike | None = None, **kwargs: Any) -> None:
        """``choices``: the caseworkers with their rendered options (``clients.assignment``)."""
        super().__init__(*args, **kwargs)
        assigned: Any = self.fields["assigned"]
        assigned.ids = choices.filter_ids if choices else frozenset({"", "0"})  # "", "0" and the caseworkers' ids
        assigned.widget.rendered_options = render_options([("", _("Iedereen")), ("0", _("Niet toegewezen"))]) + (
            choices.caseworker_options if choices else ""
        )
        # Keep the order of the fields as the user reads them: who, then status, doelgroep, termijn.
        self.order_fields(["assigned", "status", "doelgroep", "due", "kind", "signal", "sort"])


class ReassignForm(forms.Form):
    selected = forms.TypedMultipleChoiceField(
        label=_("Dossiers"),
        coerce=int,
        error_messages={
            "required": _("Kies een of meer dossiers in de tabel."),
            "invalid_choice": _("Kies dossiers uit de tabel."),
        },
    )
    assigned_to = caseworker_field(_("Nieuwe klantregisseur"), _("— Niemand (niet toegewezen) —"))
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("— Team van de klantregisseur —"),
        widget=LongSelect(attrs={"class": "utrecht-select utrecht-select--html-select"}),
        error_messages={"invalid_choice": _("Kies een team uit de lijst.")},
    )

    def __init__(
        self,
        *args: Any,
        caseworkers: Any = None,
        teams: Any = None,
        file_ids: Iterable[int] = (),
        choices: AssignmentChoicesLike | None = None,
        **kwargs: Any,
    ) -> None:
        """`caseworkers` and `teams`: the querysets that validate a posted choice. `choices`: the same lists with
        their rendered options (``clients.assignment``), for showing the form without loading them again."""
        super().__init__(*args, **kwargs)
        selected: Any = self.fields["selected"]  # a TypedMultipleChoiceField: its choices are the rows shown
        selected.choices = [(pk, str(pk)) for pk in file_ids]
        if caseworkers is not None:
            self.fields["assigned_to"].queryset = caseworkers  # type: ignore[attr-defined]  # ModelChoiceField
        if teams is not None:
            self.fields["team"].queryset = teams  # type: ignore[attr-defined]  # ModelChoiceField
        if choices is not None:
            for name, options in (("assigned_to", choices.caseworker_options), ("team", choices.team_options)):
                field: Any = self.fields[name]
                field.widget = PrerenderedSelect(attrs=field.widget.attrs)
                field.widget.rendered_options = render_options([("", field.empty_label)]) + options


class PersonFieldsMixin(forms.Form):
    """The person's own data, used by the aanmelding and the 'persoonsgegevens wijzigen' page."""

    bsn = text_field(_("BSN"), max_length=11, inputmode="numeric", autocomplete="off")
    bsn.help_text = _("9 cijfers. Niet verplicht als het V-nummer bekend is.")
    v_number = text_field(_("V-nummer"), max_length=12, inputmode="numeric", autocomplete="off")
    v_number.help_text = _("10 cijfers, van de IND of het COA.")
    given_names = text_field(
        _("Voornamen"), required=True, autocomplete="off", required_message=_("Vul de voornamen in.")
    )
    surname_prefix = text_field(_("Voorvoegsel"), max_length=20, autocomplete="off")
    surname = text_field(
        _("Achternaam"), required=True, autocomplete="off", required_message=_("Vul de achternaam in.")
    )
    birth_on = date_field(_("Geboortedatum"), required=True, help_text=_("Bijvoorbeeld 31-12-1990."))
    sex = select_field(_("Geslacht"), Sex.choices, required=True)
    nationality = code_select(_("Nationaliteit"), [])
    birth_country = code_select(_("Geboorteland"), [])
    languages = text_field(_("Talen die de persoon spreekt"))
    languages.help_text = _("Bijvoorbeeld: Arabisch, Engels.")
    interpreter_needed = forms.BooleanField(
        label=_("Tolk nodig bij gesprekken"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )
    interpreter_language = text_field(_("Taal van de tolk"), max_length=100)
    interpreter_language.help_text = _("Alleen invullen als een tolk nodig is.")
    street = text_field(_("Straat"), autocomplete="off")
    house_number = text_field(_("Huisnummer"), max_length=20, autocomplete="off")
    postcode = text_field(_("Postcode"), max_length=7, autocomplete="off")
    city = text_field(_("Plaats"), max_length=100, autocomplete="off")
    phone = text_field(_("Telefoon"), max_length=30, autocomplete="off", inputmode="tel")
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "autocomplete": "off"}),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")},
    )

    PERSON_FIELD_NAMES: tuple[str, ...] = (
        "bsn", "v_number", "given_names", "surname_prefix", "surname", "birth_on", "sex", "nationality",
        "birth_country", "languages", "interpreter_needed", "interpreter_language", "street", "house_number",
        "postcode", "city", "phone", "email",
    )  # fmt: skip

    def set_code_choices(self, nationalities: Iterable[tuple[str, str]], countries: Iterable[tuple[str, str]]) -> None:
        self.fields["nationality"].widget.choices = [("", "— Onbekend —"), *nationalities]
        self.fields["birth_country"].widget.choices = [("", "— Onbekend —"), *countries]

    def person_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.PERSON_FIELD_NAMES if name in self.cleaned_data}
        data["nationality_id"] = data.pop("nationality", "") or None
        data["birth_country_id"] = data.pop("birth_country", "") or None
        for name in ("given_names", "surname_prefix", "surname", "languages", "interpreter_language", "street",
                     "house_number", "city", "phone"):  # fmt: skip
            if isinstance(data.get(name), str):
                data[name] = data[name].strip()
        if isinstance(data.get("postcode"), str):
            data["postcode"] = data["postcode"].replace(" ", "").upper()
        return data


PERSON_ERROR_ALIASES = {"nationality_id": "nationality", "birth_country_id": "birth_country"}


class FileFieldsMixin(forms.Form):
    residence = select_field(_("Verblijf"), [NO_CHOICE, *Residence.choices])
    residence_purpose = select_field(_("Verblijfsdoel (regulier)"), [NO_CHOICE, *ResidencePurpose.choices])
    doelgroep = select_field(_("Doelgroep"), [NO_CHOICE, *Doelgroep.choices])
    residence_from_on = date_field(_("Verblijfsvergunning vanaf"))
    kennisgeving_on = date_field(_("Kennisgeving DUO"), help_text=_("De datum waarop DUO de gemeente informeerde."))
    coa_koppeling_on = date_field(_("COA-koppeling"))
    housed_under_taakstelling = forms.BooleanField(
        label=_("Gehuisvest via de taakstelling"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )
    registered_on = date_field(_("Inschrijving BRP in de gemeente"))
    housed_on = date_field(_("Huisvesting vanaf"))

    FILE_FIELD_NAMES: tuple[str, ...] = (
        "residence", "residence_purpose", "doelgroep", "residence_from_on", "kennisgeving_on", "coa_koppeling_on",
        "housed_under_taakstelling", "registered_on", "housed_on",
    )  # fmt: skip

    def file_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FILE_FIELD_NAMES if name in self.cleaned_data}


class RegisterForm(PersonFieldsMixin, FileFieldsMixin):
    assigned_to = caseworker_field(_("Klantregisseur"), _("— Nog niet toewijzen —"))
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("— Team van de klantregisseur —"),
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
        error_messages={"invalid_choice": _("Kies een team uit de lijst.")},
    )

    def __init__(self, *args: Any, caseworkers: Any = None, teams: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if caseworkers is not None:
            self.fields["assigned_to"].queryset = caseworkers  # type: ignore[attr-defined]  # ModelChoiceField
        if teams is not None:
            self.fields["team"].queryset = teams  # type: ignore[attr-defined]  # ModelChoiceField

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_identifier = bool((cleaned.get("bsn") or "").strip() or (cleaned.get("v_number") or "").strip())
        if not has_identifier and "bsn" not in self.errors and "v_number" not in self.errors:
            self.add_error("bsn", _("Vul een BSN in. Is het BSN nog niet bekend? Vul dan het V-nummer in."))
        return cleaned


class PersonForm(PersonFieldsMixin):
    @classmethod
    def initial_for(cls, person: Any) -> dict[str, Any]:
        initial = {
            name: getattr(person, name)
            for name in cls.PERSON_FIELD_NAMES
            if name not in ("nationality", "birth_country")
        }
        initial["nationality"] = person.nationality_id or ""
        initial["birth_country"] = person.birth_country_id or ""
        return initial


class ClientFileForm(FileFieldsMixin):
    pip_dagtekening_on = date_field(_("Dagtekening eerste PIP"))

    FILE_FIELD_NAMES: tuple[str, ...] = (*FileFieldsMixin.FILE_FIELD_NAMES, "pip_dagtekening_on")

    @classmethod
    def initial_for(cls, client_file: Any) -> dict[str, Any]:
        return {name: getattr(client_file, name) for name in cls.FILE_FIELD_NAMES}


class StatusChangeForm(forms.Form):
    # No `required` attribute: the browser would mark the empty field as invalid before anyone typed.
    use_required_attribute = False

    to_status = forms.CharField(
        label=_("Nieuwe status"),
        max_length=30,
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
        error_messages={"required": _("Kies de nieuwe status.")},
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 3}),
        error_messages={"required": _("Geef een reden voor de wijziging.")},
    )

    def __init__(self, *args: Any, allowed: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(FileStatus.choices)
        self.fields["to_status"].widget.choices = [NO_CHOICE, *[(s, labels[s]) for s in allowed]]


class NoteForm(forms.Form):
    use_required_attribute = False  # see StatusChangeForm

    body = forms.CharField(
        label=_("Nieuwe notitie"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}),
        error_messages={
            "required": _("Schrijf een notitie."),
            "max_length": _("Gebruik maximaal 10.000 tekens."),
        },
    )
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput)


def age_on(birth_on: date, as_of: date) -> int:
    """Age in whole years (for display only; no legal date depends on it)."""
    return as_of.year - birth_on.year - ((as_of.month, as_of.day) < (birth_on.month, birth_on.day))

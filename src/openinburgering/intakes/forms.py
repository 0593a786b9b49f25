"""Forms of the intake pages. They parse input only; the services validate with meaning (Dutch messages) and
``add_application_errors`` puts those back on the fields. The leefgebied form is built from the registry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms

from openinburgering.clients.forms import DATE_INPUT_FORMATS, INVALID_DATE, DutchDateInput
from openinburgering.clients.models import Person

from . import leefgebieden
from .choices import CallOutcome, LbtOntheffing, Leerroute
from .leefgebieden import DetailField

TEXTBOX = {"class": "utrecht-textbox utrecht-textbox--html-input"}
TEXTAREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


def datetime_field(label: str, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=help_text,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={**TEXTBOX, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "Vul een geldige datum en tijd in, bijvoorbeeld 31-12-2026 09:30."},
    )


def text(label: str, *, max_length: int = 200, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=max_length, help_text=help_text,
        widget=forms.TextInput(attrs=TEXTBOX),
        error_messages={"max_length": "Gebruik maximaal %(limit_value)d tekens."},
    )  # fmt: skip


def textarea(label: str, *, help_text: str = "", max_length: int = 10_000) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=max_length, help_text=help_text,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"max_length": "Gebruik maximaal %(limit_value)d tekens."},
    )  # fmt: skip


def radios(label: str, choices: Iterable[tuple[Any, Any]], *, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, choices=list(choices), help_text=help_text,
        widget=forms.RadioSelect,  # no class: Django would put it on the wrapper too (24 px box, overlap)
        error_messages={"invalid_choice": "Kies een van de mogelijkheden."},
    )  # fmt: skip


class ServiceChecked:
    """Fields the service checks (so every error shows at once): no "(niet verplicht)" in the label."""

    @staticmethod
    def mark(form: forms.Form, *names: str) -> None:
        for name in names:
            form.fields[name].required_by_service = True  # type: ignore[attr-defined]  # read by partials/field.html


class CallPlanForm(forms.Form):
    planned_at = datetime_field("Datum en tijd van de afspraak")
    location = text("Plaats", help_text="Bijvoorbeeld: Stadhuis Haarlem, Grote Markt 2, balie Inburgering.")
    interpreter_language = text("Tolk in de taal", max_length=100, help_text="Laat leeg als er geen tolk nodig is.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ServiceChecked.mark(self, "planned_at", "location")


class CallOutcomeForm(forms.Form):
    outcome = radios(
        "Hoe ging de afspraak?",
        [(c.value, c.label) for c in (CallOutcome.APPEARED, CallOutcome.NO_SHOW, CallOutcome.INSUFFICIENT_COOPERATION)],
    )
    note = textarea("Toelichting", help_text="Nodig bij 'Onvoldoende meegewerkt'.", max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ServiceChecked.mark(self, "outcome")


class StartIntakeForm(forms.Form):
    person = forms.TypedChoiceField(
        label="Voor wie?",
        coerce=int,
        required=False,
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
        error_messages={"invalid_choice": "Kies een persoon uit het huishouden."},
    )

    def __init__(self, *args: Any, people: Iterable[tuple[Person, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "— Kies een persoon —")] + [
            (person.pk, f"{person.full_name} ({relation})") for person, relation in people
        ]
        ServiceChecked.mark(self, "person")


def _detail_form_field(spec_field: DetailField) -> forms.Field:
    if spec_field.kind == "textarea":
        return textarea(spec_field.label, help_text=spec_field.help_text, max_length=spec_field.max_length)
    if spec_field.kind == "text":
        return text(spec_field.label, help_text=spec_field.help_text, max_length=spec_field.max_length)
    if spec_field.kind == "choice":
        return radios(spec_field.label, spec_field.choices, help_text=spec_field.help_text)
    if spec_field.kind == "multichoice":
        return forms.MultipleChoiceField(
            label=spec_field.label, required=False, choices=spec_field.choices, help_text=spec_field.help_text,
            widget=forms.CheckboxSelectMultiple,
        )  # fmt: skip
    if spec_field.kind == "bool":
        return forms.BooleanField(label=spec_field.label, required=False, help_text=spec_field.help_text)
    if spec_field.kind == "int":
        return forms.IntegerField(
            label=spec_field.label, required=False, help_text=spec_field.help_text,
            widget=forms.NumberInput(attrs={**TEXTBOX, "inputmode": "numeric"}),
            error_messages={"invalid": "Vul een heel getal in."},
        )  # fmt: skip
    return forms.DateField(
        label=spec_field.label, required=False, help_text=spec_field.help_text, input_formats=DATE_INPUT_FORMATS,
        widget=DutchDateInput(), error_messages={"invalid": INVALID_DATE},
    )  # fmt: skip


class LeefgebiedForm(forms.Form):
    """One step of the brede intake: score, finding, wishes and the leefgebied's own fields (``d_<key>``; per
    child ``c_<person id>_<key>``)."""

    score = radios(
        "Zelfredzaamheid (1 tot en met 5)", [(str(n), label) for n, label in leefgebieden.SCORE_LEVELS],
        help_text=leefgebieden.SCORE_HELP,
    )  # fmt: skip
    finding = textarea("Wat ziet u? (bevindingen)")
    wishes = textarea("Wensen en doelen van de persoon")

    def __init__(self, *args: Any, code: str, children: Iterable[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = leefgebieden.REGISTRY[code]
        self.children = list(children)
        self.detail_names: list[str] = []
        self.child_groups: list[tuple[Person, list[str]]] = []
        for spec_field in self.spec.fields:
            name = f"d_{spec_field.key}"
            self.fields[name] = _detail_form_field(spec_field)
            self.detail_names.append(name)
        for child in self.children:
            names = []
            for spec_field in self.spec.child_fields:
                name = f"c_{child.pk}_{spec_field.key}"
                field = _detail_form_field(spec_field)
                field.label = f"{spec_field.label} ({child.given_names})"
                self.fields[name] = field
                names.append(name)
            self.child_groups.append((child, names))

    @staticmethod
    def initial_for(assessment: Any) -> dict[str, Any]:
        if assessment is None:
            return {}
        initial: dict[str, Any] = {
            "score": str(assessment.score) if assessment.score else "",
            "finding": assessment.finding,
            "wishes": assessment.wishes,
        }
        for key, value in (assessment.details or {}).items():
            if key == "children" and isinstance(value, dict):
                for child_id, answers in value.items():
                    for sub_key, sub_value in answers.items():
                        initial[f"c_{child_id}_{sub_key}"] = sub_value
            else:
                initial[f"d_{key}"] = value
        return initial

    def score_value(self) -> int | None:
        raw = self.cleaned_data.get("score")
        return int(raw) if raw else None

    def details(self) -> dict[str, Any]:
        details: dict[str, Any] = {}
        for spec_field in self.spec.fields:
            value = self.cleaned_data.get(f"d_{spec_field.key}")
            if value not in (None, "", []):
                details[spec_field.key] = value.isoformat() if isinstance(value, date) else value
        children: dict[str, Any] = {}
        for child in self.children:
            answers = {}
            for spec_field in self.spec.child_fields:
                value = self.cleaned_data.get(f"c_{child.pk}_{spec_field.key}")
                if value not in (None, "", []):
                    answers[spec_field.key] = value
            if answers:
                children[str(child.pk)] = answers
        if children:
            details["children"] = children
        return details

    def error_aliases(self) -> dict[str, str]:
        aliases = {f"details.{spec_field.key}": f"d_{spec_field.key}" for spec_field in self.spec.fields}
        for child in self.children:
            for spec_field in self.spec.child_fields:
                aliases[f"details.children.{child.pk}.{spec_field.key}"] = f"c_{child.pk}_{spec_field.key}"
        return aliases


class CompleteIntakeForm(forms.Form):
    in_absence = forms.BooleanField(
        label="Afronden zonder de persoon (na drie oproepen, W 14 lid 2)", required=False,
        help_text=(
            "Alleen als de persoon na drie oproepen niet kwam of niet meewerkte. "
            "Dan mag de intake onvolledig zijn."
        ),
    )  # fmt: skip
    absence_reason = textarea("Waarom zonder de persoon?", max_length=5000)


class LbtPlanForm(forms.Form):
    planned_at = datetime_field("Datum en tijd van de toets")
    location = text("Plaats", help_text="Waar is de toets? Met een gecertificeerde toetsbegeleider.")
    send_letter = forms.BooleanField(label="Maak een uitnodigingsbrief (pdf)", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ServiceChecked.mark(self, "planned_at", "location")


class LbtResultForm(forms.Form):
    taken_on = forms.DateField(
        label="Datum van de toets", required=False, input_formats=DATE_INPUT_FORMATS, widget=DutchDateInput(),
        error_messages={"invalid": INVALID_DATE},
    )  # fmt: skip
    score = forms.IntegerField(
        label="Score (van 40)", required=False, help_text="Een getal van 0 tot en met 40.",
        widget=forms.NumberInput(attrs={**TEXTBOX, "inputmode": "numeric"}),
        error_messages={"invalid": "Vul een heel getal in."},
    )  # fmt: skip
    ontheffing = radios(
        "Ontheffing van de toets (W 14 lid 6)",
        [(c.value, c.label) for c in LbtOntheffing],
        help_text="Bij ontheffing vult u geen datum en score in.",
    )


class RouteForm(forms.Form):
    chosen_route = radios("Gekozen leerroute", [(r.value, r.label) for r in Leerroute])
    deviation_reason = textarea(
        "Waarom een andere route dan het advies?", help_text="Nodig als u een andere route kiest dan het advies.",
        max_length=5000,
    )  # fmt: skip
    onderwijsroute_considered = textarea(
        "Afweging onderwijsroute",
        help_text="Altijd nodig: schrijf op hoe u de onderwijsroute heeft afgewogen (Raad van State, 24-12-2024).",
        max_length=5000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ServiceChecked.mark(self, "chosen_route", "onderwijsroute_considered")

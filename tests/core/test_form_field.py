"""``{% form_field %}`` (core.templatetags.form_field) gives the HTML of partials/field.html, character for character
(#18): every kind of field the include knows (text, select, checkbox, radio and checkbox groups, hidden), empty,
filled and with errors, optional and required, with and without a hint, and the caseload pages' own forms."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django import forms
from django.template import Context, Template

from openinburgering.clients.forms import CaseloadFilterForm, ReassignForm, TeamCaseloadFilterForm
from openinburgering.core.templatetags.form_field import field_html

INCLUDE = Template('{% include "partials/field.html" with field=field %}')
TAG = Template("{% load form_field %}{% form_field field %}")


class EveryKindForm(forms.Form):
    name = forms.CharField(label="Naam <en> 'voornaam' & \"meer\"", help_text="Zoals in de <BRP>.", max_length=5)
    note = forms.CharField(label="Notitie", required=False)
    by_service = forms.CharField(label="Door de dienst", required=False)
    pick = forms.ChoiceField(label="Kies", choices=[("", "—"), ("a", "A & B"), ("b", "<b>")], required=False)
    agree = forms.BooleanField(label="Akkoord", help_text="Verplicht vinkje.")
    maybe = forms.BooleanField(label="Misschien", required=False)
    route = forms.ChoiceField(label="Route", choices=[("b1", "B1"), ("z", "Z")], widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(
        label="Dagen",
        choices=[("ma", "maandag"), ("di", "dinsdag")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Welke dagen?",
    )
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by_service"].required_by_service = True

    def clean_note(self):
        note = self.cleaned_data["note"]
        if note == "fout":
            raise forms.ValidationError(["Eerste <fout>.", "Tweede fout & meer."])
        return note


def both_ways(field: forms.BoundField) -> tuple[str, str]:
    return INCLUDE.render(Context({"field": field})), TAG.render(Context({"field": field}))


def assert_same(form: forms.Form) -> None:
    for field in form:
        included, tagged = both_ways(field)
        assert tagged == included, field.name
        assert field_html(field) == included, field.name


FILLED = {
    "name": "Anna",
    "note": "iets",
    "by_service": "x",
    "pick": "a",
    "agree": "on",
    "maybe": "on",
    "route": "z",
    "days": ["ma", "di"],
    "secret": "s",
}
WRONG = {"name": "veel te lang", "note": "fout", "pick": "c", "route": "q", "days": ["zo"], "secret": "<s>"}


@pytest.mark.parametrize("data", [None, {}, FILLED, WRONG], ids=["unbound", "empty", "filled", "errors"])
def test_every_kind_of_field_renders_as_the_include_does(data):
    form = EveryKindForm(data)
    if data is not None:
        form.is_valid()
    assert_same(form)


def test_the_comparison_sees_errors_hints_and_aria():
    form = EveryKindForm(WRONG)
    form.is_valid()
    html = "".join(field_html(field) for field in form)
    for piece in (
        'id="id_note_error"',
        'aria-invalid="true"',
        'aria-describedby="id_days_helptext id_days_error"',
        "utrecht-form-field--invalid",
        "Eerste &lt;fout&gt;.",
        "Naam &lt;en&gt; &#x27;voornaam&#x27; &amp; &quot;meer&quot;",
        'id="id_name_helptext">Zoals in de &lt;BRP&gt;.</div>',
        '<span class="app-optional">(niet verplicht)</span>',
        "<fieldset",
    ):
        assert piece in html, piece


CHOICES = SimpleNamespace(
    caseworker_ids=frozenset({7}),
    filter_ids=frozenset({"", "0", "7"}),
    caseworker_options='<option value="7">Kim &amp; co</option>',
    team_options='<option value="3">Team Noord</option>',
)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"status": "intake", "doelgroep": "gezinsmigrant", "due": "overdue", "sort": "name"},
        {"status": "nee", "due": "x"},
    ],
    ids=["empty", "filled", "errors"],
)
def test_the_caseload_filter_forms_render_as_the_include_does(data):
    for form in (CaseloadFilterForm(data), TeamCaseloadFilterForm({**data, "assigned": "8"}, choices=CHOICES)):
        form.is_valid()
        assert_same(form)
    team = TeamCaseloadFilterForm({**data, "assigned": "7"}, choices=CHOICES)
    team.is_valid()
    assert "selected" in field_html(team["assigned"])


@pytest.mark.parametrize("data", [None, {"selected": ["1"], "assigned_to": "x", "team": "y"}], ids=["empty", "errors"])
def test_the_reassign_form_renders_as_the_include_does(data):
    form = ReassignForm(data, file_ids=[1, 2], choices=CHOICES)
    if data is not None:
        assert not form.is_valid()
    assert_same(form)

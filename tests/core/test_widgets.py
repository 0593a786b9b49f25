"""LongSelect and PrerenderedSelect render the same HTML as Django's Select (compared as parsed HTML), only faster."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test.html import parse_html
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from openinburgering.accounts.models import User
from openinburgering.clients.forms import CaseworkerChoiceField
from openinburgering.core.widgets import LongSelect, PrerenderedSelect, RadioButtons, render_options

ATTRS = {"class": "utrecht-select utrecht-select--html-select"}
CHOICES = [("", "Iedereen"), ("0", "Niet toegewezen"), ("7", "Kim <de Vries> & co"), ("12", "Tamara")]


def both(field: Any, value: Any, attrs: dict[str, str] | None = None) -> tuple[Any, Any]:
    django_widget = forms.Select(attrs=ATTRS, choices=field.choices)
    ours = LongSelect(attrs=ATTRS, choices=field.choices)
    return (
        parse_html(django_widget.render("assigned", value, attrs=attrs)),
        parse_html(ours.render("assigned", value, attrs=attrs)),
    )


@pytest.mark.parametrize("value", [None, "", "0", "7", 12, "onbekend"])
def test_same_html_as_django_for_plain_choices(value: Any) -> None:
    field = forms.ChoiceField(choices=CHOICES)
    expected, got = both(field, value, attrs={"id": "id_assigned", "aria-describedby": "hint", "required": True})
    assert got == expected


@pytest.mark.django_db
def test_same_html_as_django_for_a_model_choice_field(staff: dict[str, User]) -> None:
    field = CaseworkerChoiceField(
        queryset=User.objects.filter(username__in=["kim", "tamara"]), empty_label="— Niemand —"
    )
    for value in (None, staff["kim"].pk, str(staff["tamara"].pk)):
        expected, got = both(field, value, attrs={"id": "id_assigned_to"})
        assert got == expected
    assert "selected" in LongSelect(choices=field.choices).render("x", staff["kim"].pk)


@pytest.mark.parametrize("value", [None, "", "0", "7", 12, "onbekend", ["7"]])
def test_prerendered_select_renders_what_django_renders(value: Any) -> None:
    attrs = {"id": "id_assigned", "aria-describedby": "hint"}
    ours = PrerenderedSelect(attrs=ATTRS)
    ours.rendered_options = render_options(CHOICES)
    expected = parse_html(forms.Select(attrs=ATTRS, choices=CHOICES).render("assigned", value, attrs=attrs))
    assert parse_html(ours.render("assigned", value, attrs=attrs)) == expected


def test_prerendered_select_marks_only_the_first_matching_option() -> None:
    ours = PrerenderedSelect()
    ours.rendered_options = render_options([("7", "Kim"), ("70", "Zeventig"), ("7", "Kim bis")])
    assert ours.render("x", "7") == (
        '<select name="x"><option value="7" selected>Kim</option><option value="70">Zeventig</option>'
        '<option value="7">Kim bis</option></select>'
    )


def test_labels_are_escaped() -> None:
    html = LongSelect(choices=CHOICES).render("assigned", "7")
    assert '<option value="7" selected>Kim &lt;de Vries&gt; &amp; co</option>' in html


def test_radio_buttons_put_the_class_on_the_inputs_only() -> None:
    """Django's RadioSelect(attrs={"class": ...}) also styles the wrapper <div> as one 24 px radio button."""
    html = RadioButtons(choices=[("ja", "Ja"), ("nee", "Nee")]).render("answer", "ja", attrs={"id": "id_answer"})
    root = parse_html(html)
    assert (root.name, root.attributes) == ("div", [("id", "id_answer")])  # the wrapper: no class
    assert html.count('class="utrecht-radio-button utrecht-radio-button--html-input"') == 2
    assert 'value="ja" id="id_answer_0" checked class="utrecht-radio-button utrecht-radio-button--html-input"' in html


def test_long_select_keeps_its_options_and_marks_each_requests_own_choice() -> None:
    """The options are kept per process (#18); each render marks its own value, and other choices get their own."""
    widget = LongSelect(attrs=ATTRS, choices=CHOICES)
    for value in ("7", "0", None, "onbekend", "12"):
        assert parse_html(widget.render("a", value)) == parse_html(
            forms.Select(attrs=ATTRS, choices=CHOICES).render("a", value)
        )
    other = [("", "Iedereen"), ("7", "Iemand anders")]
    assert "Iemand anders" in LongSelect(choices=other).render("a", "7")
    assert "Kim &lt;de Vries&gt; &amp; co" in LongSelect(choices=CHOICES).render("a", "7")


def test_long_select_translates_lazy_labels_per_language() -> None:
    choices = [("", gettext_lazy("Alle termijnen")), ("x", gettext_lazy("Iedereen"))]
    for language in ("nl", "en", "nl"):
        with translation.override(language):
            expected = forms.Select(choices=choices).render("a", "x")
            assert parse_html(LongSelect(choices=choices).render("a", "x")) == parse_html(expected)


def test_long_select_tells_safe_labels_from_text() -> None:
    """A safe label is not escaped again, a text label with the same characters is (as Django's Select does)."""
    safe = LongSelect(choices=[("a", mark_safe("<b>x</b>"))]).render("s", None)
    text = LongSelect(choices=[("a", "<b>x</b>")]).render("s", None)
    assert "<b>x</b>" in safe
    assert "&lt;b&gt;x&lt;/b&gt;" in text

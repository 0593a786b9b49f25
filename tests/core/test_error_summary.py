"""The shared error summary (partials/form_errors.html, #11): it counts errors, not fields with errors, and links
each to its field; an error of the whole form goes to the form's first field."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string

from tests.plans.test_edit_form import summary


class _Form(forms.Form):
    name = forms.CharField(label="Naam")
    born_on = forms.DateField(label="Geboortedatum")

    def clean(self) -> dict[str, object]:
        self.add_error("name", "Gebruik geen cijfers.")
        raise forms.ValidationError("Deze persoon bestaat al.")


def test_every_error_is_counted_and_linked_to_its_field() -> None:
    form = _Form({"name": "", "born_on": "gisteren"})
    assert not form.is_valid()
    title, items = summary(render_to_string("partials/form_errors.html", {"form": form}))
    assert title == "Er zijn 4 fouten. Verbeter die en probeer het opnieuw."
    assert items == [
        ("Deze persoon bestaat al.", "#id_name"),
        ("Naam: Dit veld is vereist.", "#id_name"),
        ("Naam: Gebruik geen cijfers.", "#id_name"),
        ("Geboortedatum: Voer een geldige datum in.", "#id_born_on"),
    ]


def test_no_summary_without_errors() -> None:
    form = _Form({"name": "Amal", "born_on": "2000-01-01"})
    form.is_valid()
    form.errors.clear()
    assert render_to_string("partials/form_errors.html", {"form": form}).strip() == ""

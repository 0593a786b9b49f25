"""Radio groups must not carry a widget class: Django puts widget attrs on the group's wrapper <div> too, and
utrecht-radio-button then gives that wrapper the 24 px box of one radio button, so the options overflow onto the
next field and cannot be clicked (found by the browser journey in tests/e2e/test_intake_to_pip_journey.py)."""

from __future__ import annotations

import re

import pytest
from django import forms

from openinburgering.intakes.forms import CallOutcomeForm, LbtResultForm, LeefgebiedForm, RouteForm
from openinburgering.plans.forms import ClientResponseForm


@pytest.mark.parametrize(
    ("form", "name"),
    [
        (CallOutcomeForm(), "outcome"),
        (LbtResultForm(), "ontheffing"),
        (RouteForm(), "chosen_route"),
        (LeefgebiedForm(code="gezondheid"), "score"),
        (ClientResponseForm(prefix="response"), "agreement"),
    ],
)
def test_radio_group_wrapper_has_no_radio_button_class(form: forms.Form, name: str) -> None:
    html = str(form[name])
    wrapper = re.match(r"<div[^>]*>", html)
    assert wrapper is not None, html
    assert "utrecht-radio-button" not in wrapper.group(0)
    assert html.count('type="radio"') >= 2

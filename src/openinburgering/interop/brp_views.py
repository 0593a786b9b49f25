"""The aanmelding's "ophalen uit de BRP" (POST /koppelingen/brp/aanmelden/): looks the BSN up (the one call to
another system inside a page request, because the user asked for it) and shows the aanmelding form filled with what
the BRP returned, saying which fields came from the BRP. Works without JavaScript: a plain form post."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability, RoleCode
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients import selectors as client_selectors
from openinburgering.clients.forms import RegisterForm
from openinburgering.core.errors import ApplicationError

from . import brp


class BrpLookupForm(forms.Form):
    brp_bsn = forms.CharField(
        label="BSN",
        max_length=11,
        error_messages={"required": "Vul het BSN in om de gegevens uit de BRP op te halen."},
        widget=forms.TextInput(
            attrs={
                "class": "utrecht-textbox utrecht-textbox--html-input",
                "inputmode": "numeric",
                "autocomplete": "off",
            }
        ),
    )


def register_form(actor: Actor, initial: dict[str, object]) -> RegisterForm:
    """The aanmelding form as clients.views builds it, with the BRP's values as initial values."""
    values: dict[str, object] = {"sex": "O"}
    if actor.role_code == RoleCode.KLANTREGISSEUR:
        values["assigned_to"] = actor.user.pk
    values.update(initial)
    form = RegisterForm(
        None,
        initial=values,
        caseworkers=client_selectors.caseworkers_for(actor),
        teams=client_selectors.teams_for(actor),
    )
    form.set_code_choices(client_selectors.nationality_choices(), client_selectors.country_choices())
    return form


@staff_view
@require_http_methods(["POST"])
def brp_lookup(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    lookup_form = BrpLookupForm(request.POST)
    person: brp.BrpPerson | None = None
    error = ""
    if lookup_form.is_valid():
        try:
            person = brp.lookup_person(actor=actor, bsn=lookup_form.cleaned_data["brp_bsn"])
        except ApplicationError as exc:
            error = exc.message
        else:
            if person is None:
                error = "De BRP kent geen persoon met dit BSN. Controleer het nummer, of vul de gegevens zelf in."
    initial = person.form_initial() if person else {}
    form = register_form(actor, initial)
    filled = [form.fields[name].label for name in initial if name in form.fields]
    context = {
        "form": form,
        "lookup_form": lookup_form,
        "brp_person": person,
        "brp_filled": filled,
        "brp_error": error,
    }
    status = 400 if error or not lookup_form.is_valid() else 200
    return render(request, "clients/register.html", context, status=status)

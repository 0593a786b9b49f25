"""Koppelingen instellen (/koppelingen/, functioneel beheerder): per system the endpoint, credentials and options,
with "Verbinding testen". Views parse, call one service, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from zgw_consumers.constants import AuthTypes

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.forms import run_form_service
from openinburgering.core.errors import NotFound

from . import config
from .models import GemeenteConnection, System

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input", "autocomplete": "off", "spellcheck": "false"}
AUTH_LABELS = {
    AuthTypes.no_auth: "Geen (alleen voor een testomgeving)",
    AuthTypes.api_key: "API-sleutel in een header",
    AuthTypes.zgw: "ZGW: client-id en geheim (JWT)",
}


class ConnectionForm(forms.Form):
    api_root = forms.CharField(
        label="Adres van de API",
        max_length=255,
        widget=forms.URLInput(attrs=TEXT),
        help_text="Bijvoorbeeld https://zaken.gemeente.nl/zaken/api/v1/",
    )
    auth_type = forms.ChoiceField(
        label="Inloggen bij dit systeem",
        choices=[(k.value, v) for k, v in AUTH_LABELS.items()],
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
    )
    client_id = forms.CharField(
        label="Client-id",
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs=TEXT),
        help_text="Alleen bij ZGW.",
    )
    header_key = forms.CharField(
        label="Naam van de header",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs=TEXT),
        help_text="Alleen bij een API-sleutel.",
    )
    secret = forms.CharField(
        label="Geheim of API-sleutel",
        required=False,
        max_length=255,
        widget=forms.PasswordInput(attrs={**TEXT, "autocomplete": "new-password"}),
        help_text="Wordt niet getoond. Leeg laten: het opgeslagen geheim blijft.",
    )
    timeout = forms.IntegerField(
        label="Wachttijd in seconden",
        min_value=1,
        max_value=60,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    is_active = forms.BooleanField(
        label="Koppeling gebruiken",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )

    client_certificate = forms.ChoiceField(
        label="Eigen certificaat (PKIoverheid)",
        required=False,
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
        help_text="Voor mutual TLS, bijvoorbeeld bij DUO. De certificaten staan in het beheer (certificaten).",
    )
    server_certificate = forms.ChoiceField(
        label="Certificaat van het andere systeem",
        required=False,
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
        help_text="Leeg: de gewone controle van het servercertificaat.",
    )

    def __init__(self, *args: Any, system: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from simple_certmanager.models import Certificate

        certificates = [("", "Geen"), *((str(c.pk), str(c.label)) for c in Certificate.objects.order_by("label"))]
        for name in ("client_certificate", "server_certificate"):
            choice = self.fields[name]
            assert isinstance(choice, forms.ChoiceField)
            choice.choices = certificates
        for field in config.option_fields(system):
            widget: forms.Widget
            if field.kind == "secret":
                widget = forms.PasswordInput(attrs={**TEXT, "autocomplete": "new-password"})
            elif field.kind == "url":
                widget = forms.URLInput(attrs=TEXT)
            else:
                widget = forms.TextInput(attrs=TEXT)
            self.fields[field.name] = forms.CharField(
                label=field.label, help_text=field.help_text, required=False, max_length=500, widget=widget
            )


def _system(system: str) -> System:
    if system not in System.values:
        raise NotFound()
    return System(system)


@staff_view
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.MANAGE_INTEGRATIONS)
    connections = {c.system: c for c in GemeenteConnection.objects.filter(gemeente=actor.gemeente)}
    rows = [{"system": system, "connection": connections.get(system.value)} for system in System]
    return render(request, "interop/connections.html", {"rows": rows})


@staff_view
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, system: str) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.MANAGE_INTEGRATIONS)
    chosen = _system(system)
    connection = config.connection_of(actor, chosen)
    form = ConnectionForm(
        request.POST if request.method == "POST" else None,
        system=chosen,
        initial=config.form_initial(connection, chosen),
    )
    if request.method == "POST":
        run_form_service(form, lambda data: config.save_connection(actor=actor, system=chosen, data=data))
        if not form.errors:
            messages.success(request, f"De koppeling '{chosen.label}' is opgeslagen.")
            return HttpResponseRedirect(reverse("interop:connection", kwargs={"system": chosen.value}))
    context = {"form": form, "system": chosen, "connection": connection, "has_errors": bool(form.errors)}
    return render(request, "interop/connection.html", context, status=400 if form.errors else 200)


@staff_view
@require_http_methods(["POST"])
def test(request: HttpRequest, system: str) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.MANAGE_INTEGRATIONS)
    chosen = _system(system)
    with transaction.atomic():
        result = config.check_connection(actor=actor, system=chosen)
    (messages.success if result.ok else messages.error)(request, result.message)
    return HttpResponseRedirect(reverse("interop:connection", kwargs={"system": chosen.value}))

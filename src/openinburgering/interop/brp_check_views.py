"""Koppelingen views: confirming a move the periodic BRP check found, as a button on the signal's page
(``signals:resolve``) and in the API (``POST /api/v1/brp-controle/verhuizingen/{id}/bevestigen``); the work is
``brp_check.confirm_move``. And the API read of a person's digital addresses in Open Klant, and taking one over
into the file (#17 item 5)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.api.permissions import actor_of
from openinburgering.api.schema import problems
from openinburgering.clients.access import access_client_file
from openinburgering.core.errors import ApplicationError, NotFound

from . import brp_check, klantinteracties


@staff_view
@require_http_methods(["POST"])
def confirm_move(request: HttpRequest, file_signal_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        brp_check.confirm_move(actor=actor, file_signal_id=file_signal_id, via="ui")
    except ApplicationError as error:
        if error.status_code == 404:
            raise
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("signals:resolve", kwargs={"file_signal_id": file_signal_id}))
    messages.success(request, "De verhuizing is bevestigd. Het dossier staat op 'Verhuisd'.")
    return HttpResponseRedirect(reverse("signals:file-signals"))


ConfirmedMove = inline_serializer(
    name="ConfirmedMove",
    fields={
        "file_signal_id": serializers.IntegerField(),
        "client_file_id": serializers.IntegerField(),
        "status": serializers.CharField(help_text="The file's status after the confirmation: verhuisd."),
        "resolved_at": serializers.DateTimeField(),
    },
)


class ConfirmMoveView(APIView):
    @extend_schema(
        operation_id="brp_check_confirm_move",
        summary="Confirm a move out of the gemeente that the daily BRP check found: the file goes to verhuisd",
        request=None,
        responses={200: ConfirmedMove, **problems(400, 401, 404)},
        tags=["koppelingen"],
    )
    def post(self, request: Request, file_signal_id: int) -> Response:
        actor = actor_of(request)
        signal = brp_check.confirm_move(actor=actor, file_signal_id=file_signal_id, via="api")
        body: dict[str, Any] = {
            "file_signal_id": signal.pk, "client_file_id": signal.client_file_id, "status": "verhuisd",
            "resolved_at": signal.resolved_at,
        }  # fmt: skip
        return Response(body)


DigitalAddresses = inline_serializer(
    name="DigitaalAdres",
    many=True,
    fields={
        "soort": serializers.CharField(help_text="email, telefoonnummer or overig (Open Klant's soortDigitaalAdres)."),
        "adres": serializers.CharField(),
        "omschrijving": serializers.CharField(),
        "standaard": serializers.BooleanField(),
    },
)


class DigitalAddressesView(APIView):
    @extend_schema(
        operation_id="clients_digital_addresses_list",
        summary="The person's digital addresses in the gemeente's contact registry (Open Klant Klantinteracties)",
        description="Read live from the registry (nothing is stored here); logged as `digital_address_read`. 400 "
        "with a Dutch message when the gemeente has no registry linked or it does not answer.",
        responses={200: DigitalAddresses, **problems(400, 401, 404)},
        tags=["koppelingen"],
    )
    def get(self, request: Request, client_id: int) -> Response:
        actor = actor_of(request)
        with transaction.atomic():
            client_file = access_client_file(actor, client_id, section=Section.BASIS)
            rows = klantinteracties.read_digital_addresses(actor=actor, client_file=client_file, via="api")
        return Response(rows)


class AdoptIn(serializers.Serializer[Any]):
    soort = serializers.ChoiceField(choices=list(klantinteracties.ADOPTABLE), help_text="email or telefoonnummer.")
    adres = serializers.CharField(max_length=200)


AdoptedContact = inline_serializer(
    name="AdoptedContact",
    fields={"email": serializers.CharField(), "phone": serializers.CharField()},
)


class AdoptDigitalAddressView(APIView):
    @extend_schema(
        operation_id="clients_digital_addresses_adopt",
        summary="Take an e-mail address or phone number the contact registry has for the person over into the file",
        description="Reads the registry live (logged as `digital_address_read`); only an address it has now is taken "
        "over, through the same checks as editing the person (logged as `person_updated`). Needs write access to the "
        "file's basis section (404 otherwise). 400 with a Dutch message when the registry is not linked, does not "
        "answer, does not have the address, or the file's checks refuse it.",
        request=AdoptIn,
        responses={200: AdoptedContact, **problems(400, 401, 404, 413, 415)},
        tags=["koppelingen"],
    )
    def post(self, request: Request, client_id: int) -> Response:
        actor = actor_of(request)
        serializer = AdoptIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not actor.can(Capability.CHANGE_CLIENT_FILES):
            raise NotFound()
        with transaction.atomic():
            client_file = access_client_file(actor, client_id, section=Section.BASIS, for_write=True)
            try:
                klantinteracties.adopt_digital_address(
                    actor=actor, client_file=client_file, soort=data["soort"], adres=data["adres"], via="api"
                )
            except NotFound:
                raise
            except ApplicationError as error:
                failure = error
            else:
                person = client_file.person
                return Response({"email": person.email, "phone": person.phone})
        raise failure  # after the transaction committed the audited read

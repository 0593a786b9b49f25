"""/api/v1/clients/<id>/consents: the file's consent register (AVG art. 9 lid 2 sub a; #12 item 1).

Only roles whose work includes the gezondheid section reach it (``clients.access.access_consents``); everyone else
gets 404, anonymous 401. Recording and withdrawing go through ``clients.consent`` (audited there); reading the
register is audited as ``consents_viewed``."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.sections import Section
from openinburgering.clients.access import access_consent, access_consents
from openinburgering.clients.consent import consents_of, record_consent, withdraw_consent
from openinburgering.clients.services import record_file_read

from ..schema import problems
from ..serializers.consents import ConsentCreateSerializer, ConsentSerializer, ConsentWithdrawSerializer
from .base import CLIENT_ID, ApiView

TAG = "consents"
CONSENT_ID = OpenApiParameter("consent_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Consent id.")


class ConsentsView(ApiView):
    @extend_schema(
        operation_id="clients_consents_list", tags=[TAG], summary="The consent register of the file, newest first",
        description="Every consent of the file's person and household members, with its withdrawal. For roles with "
        "the gezondheid section (klantregisseur, teamleider); others get 404. Logged as `consents_viewed`.",
        parameters=[CLIENT_ID], responses={200: ConsentSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_consents(self.actor, client_id)
            record_file_read(
                actor=self.actor, client_file=client_file, event_type="consents_viewed", via="api",
                sections=[Section.GEZONDHEID],
            )  # fmt: skip
            consents = consents_of(client_file)
        for consent in consents:
            consent.client_file = client_file  # the accessed file, with its person loaded
        return Response(ConsentSerializer(consents, many=True).data)

    @extend_schema(
        operation_id="clients_consents_create", tags=[TAG], summary="Record a person's consent",
        description="For the file's own person (no `person`) or a household member. One standing consent per person "
        "and purpose (409 for a second); not in the future. Health data of that person is shown from now on. "
        "Logged as `consent_recorded`.",
        parameters=[CLIENT_ID], request=ConsentCreateSerializer,
        responses={201: ConsentSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(ConsentCreateSerializer)
        with transaction.atomic():
            client_file = access_consents(self.actor, client_id, for_write=True)
            consent = record_consent(
                actor=self.actor, client_file=client_file, purpose=data["purpose"], given_on=data["given_on"],
                how=data["how"], person=data["person"], via="api",
            )  # fmt: skip
        consent.client_file = client_file
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawView(ApiView):
    @extend_schema(
        operation_id="clients_consents_withdraw", tags=[TAG], summary="Withdraw a consent",
        description="On behalf of the person; effective at once: their health data is hidden from that moment, on "
        "every page and in every API answer. Not in the future nor before the consent. Once (409 after that). "
        "Logged as `consent_revoked`.",
        parameters=[CLIENT_ID, CONSENT_ID], request=ConsentWithdrawSerializer,
        responses={200: ConsentSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, consent_id: int) -> Response:
        data = self.body(ConsentWithdrawSerializer)
        with transaction.atomic():
            client_file = access_consents(self.actor, client_id, for_write=True)
            consent = access_consent(client_file, consent_id)
            withdraw_consent(actor=self.actor, consent=consent, withdrawn_on=data["withdrawn_on"], via="api")
            consent = access_consent(client_file, consent_id)
        return Response(ConsentSerializer(consent).data)

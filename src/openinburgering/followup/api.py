"""Vervolg na de inburgering in the API: the follow-up contacts of a client file, a new contact and ending the
follow-up. Client paths go through access_client_file (404 for another gemeente or a role without access);
every read and change is audited in its transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.sections import Section
from openinburgering.api.schema import problems
from openinburgering.api.views.base import CLIENT_ID, ApiView
from openinburgering.clients.access import access_client_file
from openinburgering.clients.models import ClientFile

from . import selectors, services
from .choices import FOLLOW_UP_STATUSES, Situation
from .models import FollowUpRecord

TAGS = ["vervolg"]


class FollowUpRecordSerializer(serializers.ModelSerializer[FollowUpRecord]):
    recorded_by = serializers.CharField(source="recorded_by.display_name")

    class Meta:
        model = FollowUpRecord
        fields = [
            "id", "situation", "organisation", "hours_per_week", "started_on", "contact_on", "next_contact_on",
            "note", "recorded_at", "recorded_by",
        ]  # fmt: skip


class FollowUpSerializer(serializers.Serializer[Any]):
    status = serializers.CharField(help_text="The file's status (voldaan, vrijgesteld_ontheven, beeindigd, ...).")
    open = serializers.BooleanField(help_text="Whether follow-up can be recorded (voldaan or vrijgesteld/ontheven).")
    next_step_kind = serializers.CharField(help_text="followup_plan, followup_contact or another step kind; '' none.")
    next_step_on = serializers.DateField(allow_null=True)
    current = FollowUpRecordSerializer(allow_null=True, help_text="The newest contact: where the person is now.")
    records = FollowUpRecordSerializer(many=True, help_text="Every contact, newest first (insert-only).")


class FollowUpCreateSerializer(serializers.Serializer[Any]):
    situation = serializers.ChoiceField(choices=Situation.choices)
    organisation = serializers.CharField(required=False, allow_blank=True, max_length=200)
    hours_per_week = serializers.DecimalField(
        required=False, allow_null=True, max_digits=3, decimal_places=1, min_value=0, max_value=60
    )
    started_on = serializers.DateField(required=False, allow_null=True)
    contact_on = serializers.DateField()
    next_contact_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2_000)


class FollowUpEndSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=1_000)


class FollowUpEndedSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    reason = serializers.CharField()


def _body(client_file: ClientFile) -> dict[str, Any]:
    records = selectors.records_of(client_file)
    return {
        "status": client_file.status,
        "open": client_file.status in FOLLOW_UP_STATUSES,
        "next_step_kind": client_file.next_deadline_kind,
        "next_step_on": client_file.next_deadline_on,
        "current": records[0] if records else None,
        "records": records,
    }


class FollowUpView(ApiView):
    @extend_schema(
        operation_id="clients_follow_up_retrieve", tags=TAGS,
        summary="Vervolg after the inburgering: where the person is now and every follow-up contact",
        description="Logged as `followup_read`.",
        parameters=[CLIENT_ID], responses={200: FollowUpSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BEGELEIDING)
            services.record_read(actor=self.actor, client_file=client_file, event_type="followup_read", via="api")
            return Response(FollowUpSerializer(_body(client_file)).data)

    @extend_schema(
        operation_id="clients_follow_up_create", tags=TAGS,
        summary="Record a follow-up contact (situation: werk, opleiding, participatie, ...; next contact)",
        description=(
            "Only when the plicht is voldaan or for a vrijstelling/ontheffing (400 otherwise). Insert-only; the "
            "file's next step becomes the planned contact. Logged as `followup_recorded`."
        ),
        parameters=[CLIENT_ID], request=FollowUpCreateSerializer,
        responses={201: FollowUpRecordSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(FollowUpCreateSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.BEGELEIDING)
            record = services.record_follow_up(actor=self.actor, client_file=client_file, data=data, via="api")
        return Response(FollowUpRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class FollowUpEndView(ApiView):
    @extend_schema(
        operation_id="clients_follow_up_end_create", tags=TAGS,
        summary="End the follow-up: the file gets status beeindigd with the reason",
        description="Logged as `client_status_changed` (the status history keeps the reason).",
        parameters=[CLIENT_ID], request=FollowUpEndSerializer,
        responses={200: FollowUpEndedSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(FollowUpEndSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.BEGELEIDING)
            change = services.end_follow_up(actor=self.actor, client_file=client_file, reason=data["reason"], via="api")
        return Response(FollowUpEndedSerializer({"status": change.to_status, "reason": change.reason}).data)

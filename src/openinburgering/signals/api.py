"""The signals API: DUO events and COA koppelingen in, the gemeente's signal inbox out.

``POST /api/v1/signals/duo-events`` and ``POST /api/v1/signals/coa-koppelingen`` take one message or a JSON
array of messages and answer 200 with a result per message (applied / duplicate / quarantined / rejected, with
the Dutch reason); a body that is not a message or a list of messages is a 400 Problem Details. This is the
second way in for the file-based DUO adapter (``contrib.duo``); the live DUO connection is ``interop.duo_notificaties``.

Every endpoint is scoped to the token's gemeente: other gemeenten' messages and roles without the capability
answer 404, and every read of a message's content is audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from openinburgering.api.pagination import PageNumberPagination
from openinburgering.api.permissions import actor_of
from openinburgering.api.schema import problems
from openinburgering.contrib.duo import EventSourceError, InlineEventSource
from openinburgering.core.errors import ApplicationError

from . import selectors, services
from .access import access_signal
from .choices import MessageStatus, ResultCode, Source
from .models import FileSignal, SignalMessage


class MessageResultSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField(help_text="Position of the message in the request (0-based).")
    external_id = serializers.CharField(help_text="The message's berichtId; empty when it had none.")
    result = serializers.ChoiceField(choices=ResultCode.choices)
    reason = serializers.CharField(help_text="What happened, in Dutch (B1).")
    signal_id = serializers.IntegerField(allow_null=True, help_text="The stored message, if any.")
    client_file_id = serializers.IntegerField(allow_null=True, help_text="The linked client file, if any.")


class ImportReportSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Number of messages per result.")
    results = MessageResultSerializer(many=True)


class SignalMessageSerializer(serializers.ModelSerializer[SignalMessage]):
    is_retracted = serializers.BooleanField(read_only=True, default=False)
    is_corrected = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = SignalMessage
        fields: tuple[str, ...] = (
            "id", "source", "message_type", "external_id", "status", "reason", "received_at", "registered_at",
            "client_file", "correction_of", "retraction_of", "purged_at", "is_retracted", "is_corrected",
        )  # fmt: skip
        read_only_fields: tuple[str, ...] = fields


class FileSignalSerializer(serializers.ModelSerializer[FileSignal]):
    class Meta:
        model = FileSignal
        fields = ("id", "kind", "summary", "data", "created_at", "resolved_at", "resolution")
        read_only_fields = fields
        extra_kwargs = {
            "data": {
                "help_text": "Details of the signal. For `health_signal`: {} unless the caller's role may read the "
                "gezondheid section of the file and the person's consent stands in the file's consent register "
                "(AVG art. 9)."
            }
        }

    def to_representation(self, instance: FileSignal) -> dict[str, Any]:
        body: dict[str, Any] = super().to_representation(instance)
        body["data"] = selectors.shown_file_signal_data(instance, health=self.context.get("health", False))
        return body


class SignalMessageDetailSerializer(SignalMessageSerializer):
    payload = serializers.SerializerMethodField(
        help_text="The message as received ({} once purged/rejected). The COA block `gezondheid` is left out unless "
        "the caller's role may read the gezondheid section of the linked file and the person's consent stands in its "
        "consent register; then `health_hidden` is true."
    )
    health_hidden = serializers.SerializerMethodField(
        help_text="True when the stored message holds health signals that are left out of `payload`."
    )
    payload_sha256 = serializers.CharField(read_only=True)
    result = serializers.JSONField(read_only=True, help_text="What the message changed (for retractions).")
    file_signals = FileSignalSerializer(many=True, read_only=True)

    class Meta(SignalMessageSerializer.Meta):
        fields = (
            *SignalMessageSerializer.Meta.fields, "payload", "health_hidden", "payload_sha256", "result",
            "file_signals",
        )  # fmt: skip
        read_only_fields = fields

    def get_payload(self, message: SignalMessage) -> dict[str, Any]:
        return selectors.shown_payload(message, health=self.context.get("health", False))

    def get_health_hidden(self, message: SignalMessage) -> bool:
        return not self.context.get("health", False) and selectors.HEALTH_KEY in (message.payload or {})


_MESSAGES_BODY = OpenApiTypes.OBJECT


def _events_of(data: Any) -> list[Any]:
    try:
        return list(InlineEventSource(data).events())
    except EventSourceError as exc:
        raise ApplicationError(exc.message, field_errors={"body": [exc.message]}) from None


class DuoEventsView(APIView):
    @extend_schema(
        operation_id="signals_duo_events_create",
        summary="Receive DUO events (one or a list)",
        description=(
            "File-based DUO input (gemeenten without the M2M connection): each event is DUO's notificatie "
            "(`berichtId`, `gebeurtenisId` such as SS101, "
            "`registratieDatumTijd`, `bsn`, `vNummer`) plus `gemeentecode` and the data block of the DUO API the "
            "code points at (see docs/signals.md). Idempotent per `berichtId`. A correction carries `correctieVan`, "
            "a retraction `intrekkingVan`. Results per message; bad messages are rejected, good ones kept."
        ),
        request=_MESSAGES_BODY,
        responses={200: ImportReportSerializer, **problems(400, 401, 404, 413, 415)},
        tags=["signals"],
    )
    def post(self, request: Request) -> Response:
        events = _events_of(request.data)
        report = services.import_duo_events(actor=actor_of(request), events=events, via="api")
        return Response(ImportReportSerializer(report).data)


class CoaKoppelingenView(APIView):
    @extend_schema(
        operation_id="signals_coa_koppelingen_create",
        summary="Receive COA koppelingen (one or a list)",
        description=(
            "A person still in an AZC, linked to the gemeente by the taakstelling, with the warme overdracht "
            "(`warmeOverdracht`). Health signals (`gezondheid`) are stored only when `gezondheid.toestemming."
            "vastgelegd` is true; otherwise they are dropped and the result says so."
        ),
        request=_MESSAGES_BODY,
        responses={200: ImportReportSerializer, **problems(400, 401, 404, 413, 415)},
        tags=["signals"],
    )
    def post(self, request: Request) -> Response:
        koppelingen = _events_of(request.data)
        report = services.import_coa_koppelingen(actor=actor_of(request), koppelingen=koppelingen, via="api")
        return Response(ImportReportSerializer(report).data)


class SignalListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="signals_list",
        summary="The gemeente's signal inbox",
        parameters=[
            OpenApiParameter("status", str, enum=[c.value for c in MessageStatus], required=False),
            OpenApiParameter("source", str, enum=[c.value for c in Source], required=False),
            OpenApiParameter("page", int, required=False),
            OpenApiParameter("page_size", int, required=False),
        ],
        responses={
            200: inline_serializer(
                "PaginatedSignalMessageList",
                fields={
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": SignalMessageSerializer(many=True),
                },
            ),
            **problems(400, 401, 404),
        },
        tags=["signals"],
    )
    def get(self, request: Request) -> Response:
        status = request.query_params.get("status", "")
        source = request.query_params.get("source", "")
        errors: dict[str, list[str]] = {}
        if status and status not in MessageStatus.values:
            errors["status"] = ["Kies een van: " + ", ".join(MessageStatus.values) + "."]
        if source and source not in Source.values:
            errors["source"] = ["Kies een van: " + ", ".join(Source.values) + "."]
        if errors:
            raise ApplicationError("Controleer de filters.", field_errors=errors)
        actor = actor_of(request)
        with transaction.atomic():
            queryset = selectors.signal_inbox(actor=actor, status=status, source=source)
            paginator = self.pagination_class()
            page = paginator.paginate_queryset(queryset, request, view=self)
            services.record_inbox_read(actor=actor, count=len(page or []), via="api")
            return paginator.get_paginated_response(SignalMessageSerializer(page, many=True).data)


class SignalDetailView(APIView):
    @extend_schema(
        operation_id="signals_retrieve",
        summary="One received message with its content and the signals it raised",
        responses={200: SignalMessageDetailSerializer, **problems(401, 404)},
        tags=["signals"],
    )
    def get(self, request: Request, signal_id: int) -> Response:
        actor = actor_of(request)
        with transaction.atomic():
            message = access_signal(actor, signal_id)
            services.record_signal_read(actor=actor, message=message, via="api")
            context = {"health": selectors.health_shown(actor, message)}
            return Response(SignalMessageDetailSerializer(message, context=context).data)

"""Letters of a client file: the list (without content) and each letter as the PDF that was sent."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.sections import Section
from openinburgering.api.pagination import PageNumberPagination
from openinburgering.audit.services import record_event
from openinburgering.clients.access import access_client_file
from openinburgering.clients.services import PURPOSE_CASEWORK
from openinburgering.letters.access import access_letter
from openinburgering.letters.models import Letter
from openinburgering.letters.selectors import letters_of
from openinburgering.letters.services import record_letter_read
from openinburgering.letters.views import pdf_response

from ..schema import problems
from .base import CLIENT_ID, ApiView

LETTER_ID = OpenApiParameter("letter_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Letter id.")


class LetterSerializer(serializers.ModelSerializer[Letter]):
    created_by = serializers.CharField(source="created_by.display_name", read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="Bytes.")  # explicit: no DB-dependent range
    pdf_url = serializers.SerializerMethodField(help_text="Where to get the PDF (application/pdf).")
    sent_on = serializers.SerializerMethodField(
        help_text="The recorded send date (terms such as bezwaar run from it); null while not yet sent."
    )
    channel = serializers.SerializerMethodField(
        help_text="How it was sent: post (print batch), portaal (Mijn Inburgering + e-mail), digitaal; null while "
        "not yet sent."
    )

    class Meta:
        model = Letter
        fields: tuple[str, ...] = (
            "id", "kind", "title", "recipient_name", "language_note", "sha256", "size", "subject_type",
            "subject_id", "created_at", "created_by", "pdf_url", "sent_on", "channel",
        )  # fmt: skip

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_sent_on(self, letter: Letter) -> date | None:
        dispatch = getattr(letter, "dispatch", None)
        return dispatch.sent_on if dispatch is not None else None

    @extend_schema_field({"type": "string", "enum": ["post", "portaal", "digitaal"], "nullable": True})
    def get_channel(self, letter: Letter) -> str | None:
        dispatch = getattr(letter, "dispatch", None)
        return dispatch.channel if dispatch is not None else None

    def get_pdf_url(self, letter: Letter) -> str:
        return f"/api/v1/clients/{letter.client_file_id}/letters/{letter.pk}"


class LettersView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="clients_letters_list",
        tags=["letters"],
        summary="Letters sent for a client file, newest first (metadata only)",
        description="Logged as `letters_listed`. Each letter's PDF is at `pdf_url`.",
        parameters=[CLIENT_ID],
        responses={200: LetterSerializer(many=True), **problems(401, 404)},
    )
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.DOCUMENTEN)
            record_event(
                actor=self.actor, event_type="letters_listed", purpose=PURPOSE_CASEWORK, client_file=client_file,
                via="api",
            )  # fmt: skip
            return self.paged(letters_of(client_file), LetterSerializer)


class LetterPdfView(ApiView):
    @extend_schema(
        operation_id="clients_letters_retrieve",
        tags=["letters"],
        summary="One letter as the PDF that was sent",
        description="Answers `application/pdf`. Logged as `letter_read`.",
        parameters=[CLIENT_ID, LETTER_ID],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **problems(401, 404)},
    )
    def get(self, request: Request, client_id: int, letter_id: int) -> Any:
        with transaction.atomic():
            letter = access_letter(self.actor, client_id, letter_id)
            record_letter_read(actor=self.actor, letter=letter, via="api")
        response: HttpResponse = pdf_response(letter.content, letter.filename)
        return response

"""Letters that are sent, in the API (#17 item 6; the same as the /brieven/ worklist): the letters of the gemeente
not yet recorded as sent, recording one as sent (portaal or digitaal), and print batches for the post (each letter in
the batch is recorded as sent by post on the batch's day) with their ZIP for the print-and-mail service.

Every path goes through the letter's client file (``access_letter``) or the actor's gemeente; every read and change
is audited in its transaction by the service it calls (``letters_unsent_listed``, ``letter_dispatch_recorded``,
``letter_print_batch_created``, ``letter_print_batch_downloaded``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.roles import Capability
from openinburgering.api.pagination import PageNumberPagination
from openinburgering.api.schema import problems
from openinburgering.api.views.base import CLIENT_ID, ApiView
from openinburgering.core.errors import NotFound

from . import selectors, services
from .access import access_letter
from .models import Channel, Letter, LetterDispatch, LetterKind, PrintBatch
from .views import zip_response

TAGS = ["letters"]
LETTER_ID = OpenApiParameter("letter_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Letter id.")
BATCH_ID = OpenApiParameter("batch_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Print batch id.")


class UnsentLetterSerializer(serializers.ModelSerializer[Letter]):
    client_file_id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=LetterKind.choices, read_only=True)
    pdf_url = serializers.SerializerMethodField(help_text="Where to get the PDF (application/pdf).")

    class Meta:
        model = Letter
        fields: tuple[str, ...] = ("id", "client_file_id", "kind", "title", "recipient_name", "created_at", "pdf_url")

    def get_pdf_url(self, letter: Letter) -> str:
        return f"/api/v1/clients/{letter.client_file_id}/letters/{letter.pk}"


class DispatchInSerializer(serializers.Serializer[Any]):
    channel = serializers.ChoiceField(
        choices=[Channel.PORTAAL.value, Channel.DIGITAAL.value],
        help_text="portaal: in Mijn Inburgering, the person gets an e-mail that a letter waits (needs an e-mail "
        "address); digitaal: to the gemeente's digital-post channel (needs that connection; a SIMULATED contract: "
        "no national open Berichtenbox API exists for gemeenten, the message format is this application's own, see "
        "docs/interop.md). By post goes in a print batch (`POST /api/v1/letters/print-batches`).",
    )
    sent_on = serializers.DateField(help_text="The send date; terms that run from sending (bezwaar) start from it.")


class DispatchSerializer(serializers.ModelSerializer[LetterDispatch]):
    letter_id = serializers.IntegerField(read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True)
    batch_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = LetterDispatch
        fields: tuple[str, ...] = ("letter_id", "channel", "sent_on", "batch_id", "recorded_at")


class PrintBatchInSerializer(serializers.Serializer[Any]):
    letters = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2_147_483_647), min_length=1, max_length=200,
        help_text="Ids of letters of the gemeente not yet sent.",
    )  # fmt: skip
    sent_on = serializers.DateField(help_text="The day the batch goes to the post: the send date of each letter.")


class PrintBatchSerializer(serializers.ModelSerializer[PrintBatch]):
    letters = serializers.SerializerMethodField(help_text="Ids of the letters in the batch.")
    download_url = serializers.SerializerMethodField(help_text="The ZIP for the print-and-mail service.")

    class Meta:
        model = PrintBatch
        fields: tuple[str, ...] = ("id", "sent_on", "created_at", "letters", "download_url")

    def get_letters(self, batch: PrintBatch) -> list[int]:
        return sorted(dispatch.letter_id for dispatch in batch.dispatches.all())

    def get_download_url(self, batch: PrintBatch) -> str:
        return f"/api/v1/letters/print-batches/{batch.pk}"


class UnsentLettersView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="letters_unsent_list", tags=TAGS,
        summary="Letters of the gemeente not yet recorded as sent, oldest first (the /brieven/ worklist)",
        description=(
            "Only for a role that reads the documents of files (an empty list otherwise); a role limited to "
            "assigned files sees only those. Metadata only, the PDF is at `pdf_url`. Logged as "
            "`letters_unsent_listed`."
        ),
        responses={200: UnsentLetterSerializer(many=True), **problems(401)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        with transaction.atomic():
            services.record_unsent_listed(actor=self.actor, via="api")
            return self.paged(selectors.unsent_letters(actor=self.actor, limit=None), UnsentLetterSerializer)


class LetterDispatchView(ApiView):
    @extend_schema(
        operation_id="clients_letters_dispatch_create", tags=TAGS,
        summary="Record that a letter was sent (portaal or digitaal), once",
        description=(
            "The send date is the bekendmaking: a bezwaar term runs from it. Portaal queues the e-mail that a "
            "letter waits in Mijn Inburgering, digitaal queues the letter for the gemeente's digital-post channel, "
            "and every channel registers a contact moment in the gemeente's contact registry when it has one "
            "(outbox, same transaction). 409 when the letter was already sent. Needs the right to change the "
            "file's documents (404 otherwise). Logged as `letter_dispatch_recorded`."
        ),
        parameters=[CLIENT_ID, LETTER_ID], request=DispatchInSerializer,
        responses={201: DispatchSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, letter_id: int) -> Response:
        data = self.body(DispatchInSerializer)
        with transaction.atomic():
            letter = access_letter(self.actor, client_id, letter_id)
            dispatch = services.record_sent(
                actor=self.actor, letter=letter, channel=data["channel"], sent_on=data["sent_on"], via="api"
            )
            return Response(DispatchSerializer(dispatch).data, status=status.HTTP_201_CREATED)


class PrintBatchesView(ApiView):
    @extend_schema(
        operation_id="letters_print_batches_create", tags=TAGS,
        summary="Put letters not yet sent in a print batch: each is recorded as sent by post on `sent_on`",
        description=(
            "All or nothing: 404 when a letter is not the gemeente's (or not reachable for the actor), 409 when one "
            "was already sent. Registers a contact moment per letter in the contact registry when the gemeente has "
            "one. Needs the right to change files (404 otherwise). Logged as `letter_print_batch_created`."
        ),
        request=PrintBatchInSerializer,
        responses={201: PrintBatchSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        if not self.actor.can(Capability.CHANGE_CLIENT_FILES):
            raise NotFound()
        data = self.body(PrintBatchInSerializer)
        with transaction.atomic():
            batch = services.create_print_batch(
                actor=self.actor, letter_ids=data["letters"], sent_on=data["sent_on"], via="api"
            )
            return Response(PrintBatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class PrintBatchView(ApiView):
    @extend_schema(
        operation_id="letters_print_batches_retrieve", tags=TAGS,
        summary="A print batch as the ZIP for the print-and-mail service (PDFs and adressen.csv)",
        description="Answers `application/zip`. Logged per letter as `letter_print_batch_downloaded`.",
        parameters=[BATCH_ID],
        responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, batch_id: int) -> Any:
        if not self.actor.can(Capability.CHANGE_CLIENT_FILES):
            raise NotFound()
        batch = PrintBatch.objects.filter(pk=batch_id, gemeente_id=self.actor.gemeente_id).first()
        if batch is None:
            raise NotFound()
        with transaction.atomic():
            content = services.print_batch_export(actor=self.actor, batch=batch, via="api")
        return zip_response(content, f"printbatch-{batch.pk}.zip")

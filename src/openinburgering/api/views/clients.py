from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.api.pagination import PageNumberPagination
from openinburgering.casefile.timeline import timeline_for
from openinburgering.clients.access import access_client_file, access_client_file_audit, access_note
from openinburgering.clients.selectors import file_readers, notes_of, status_history
from openinburgering.clients.services import (
    add_note,
    change_status,
    reassign_client_file,
    record_file_read,
    register_client,
    update_client_file,
    update_person,
)
from openinburgering.core.errors import NotFound

from ..errors import renamed_fields
from ..schema import problems
from ..serializers.audit import AuditEventSerializer
from ..serializers.clients import (
    AssignmentSerializer,
    ClientFileCreateSerializer,
    ClientFileSerializer,
    ClientFileUpdateSerializer,
    NoteCreateSerializer,
    NoteSerializer,
    StatusChangeCreateSerializer,
    StatusChangeSerializer,
    TimelineEntrySerializer,
)
from .base import CLIENT_ID, PERSON_ERROR_NAMES, ApiView


class ClientFileCreateView(ApiView):
    @extend_schema(
        operation_id="clients_create",
        tags=["clients"],
        summary="Register a client (aanmelding)",
        description=(
            "Opens a client file for a new person, or for a known person (same BSN) without an open file. "
            "There is deliberately no GET here: staff find people through `persons/search` and their worklists."
        ),
        request=ClientFileCreateSerializer,
        responses={201: ClientFileSerializer, **problems(400, 401, 403, 409, 413, 415)},
    )
    def post(self, request: Request) -> Response:
        data = self.body(ClientFileCreateSerializer)
        self.require(Capability.CHANGE_CLIENT_FILES)
        person_data = data.pop("person")
        assigned_to, team = data.pop("assigned_to", None), data.pop("team", None)
        with renamed_fields(PERSON_ERROR_NAMES):
            client_file = register_client(
                actor=self.actor, person_data=person_data, file_data=data, assigned_to=assigned_to, team=team,
                via="api",
            )  # fmt: skip
        body = ClientFileSerializer(client_file, context=self.context()).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": f"{request.path}/{client_file.pk}"})


class ClientFileView(ApiView):
    @extend_schema(
        operation_id="clients_retrieve",
        tags=["clients"],
        summary="Read a client file with the person",
        description="Logged as `client_file_read`.",
        parameters=[CLIENT_ID],
        responses={200: ClientFileSerializer, **problems(401, 404)},
    )
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BASIS)
            record_file_read(actor=self.actor, client_file=client_file, event_type="client_file_read", via="api")
        return Response(ClientFileSerializer(client_file, context=self.context()).data)

    @extend_schema(
        operation_id="clients_partial_update",
        tags=["clients"],
        summary="Change person or file data",
        description=(
            "Send only the fields that change; person fields go under `person`. Status, assignment, notes and "
            "household have their own endpoints. Logged as `person_updated` and/or `client_file_updated`."
        ),
        parameters=[CLIENT_ID],
        request=ClientFileUpdateSerializer,
        responses={200: ClientFileSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )
    def patch(self, request: Request, client_id: int) -> Response:
        data = self.body(ClientFileUpdateSerializer, partial=True)
        person_data = data.pop("person", None)
        # Two services (person, file) in one transaction: one PATCH changes both or neither.
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.BASIS)
            if person_data:
                with renamed_fields(PERSON_ERROR_NAMES):
                    client_file.person = update_person(
                        actor=self.actor, client_file=client_file, data=person_data, via="api"
                    )
            if data:
                client_file = update_client_file(actor=self.actor, client_file=client_file, data=data, via="api")
        return Response(ClientFileSerializer(client_file, context=self.context()).data)


class StatusChangesView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="clients_status_changes_list",
        tags=["status changes"],
        summary="Status history of a client file, newest first",
        description="Logged as `status_history_read`.",
        parameters=[CLIENT_ID],
        responses={200: StatusChangeSerializer(many=True), **problems(401, 404)},
    )
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BASIS)
            record_file_read(actor=self.actor, client_file=client_file, event_type="status_history_read", via="api")
            return self.paged(status_history(client_file), StatusChangeSerializer)

    @extend_schema(
        operation_id="clients_status_changes_create",
        tags=["status changes"],
        summary="Change the status of a client file",
        description=(
            "Only the transitions in `allowed_next_statuses` of the file; a reason is required. Voldaan is not "
            "set here: `POST /clients/{id}/voldaan/record` checks it with the rules (or DUO reports it)."
        ),
        parameters=[CLIENT_ID],
        request=StatusChangeCreateSerializer,
        responses={201: StatusChangeSerializer, **problems(400, 401, 404, 413, 415)},
    )
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(StatusChangeCreateSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.BASIS)
            change = change_status(actor=self.actor, client_file=client_file, via="api", **data)
        return Response(StatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class TimelineView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="clients_timeline_list",
        tags=["clients"],
        summary="Timeline of a client file: every step with who and when, newest first",
        description=(
            "Built from the records themselves (`casefile.timeline`): status changes, notes, changed data and "
            "household members, oproepen and their outcome, brede intake and its leefgebieden, "
            "leerbaarheidstoets, leerroute, PIP versions (concept, submission, approval, client response), "
            "bezwaar, voortgangsgesprekken, letters, signals (with the capability to see them), plaatsingen, "
            "provider milestones, exams, achievements, boetes and the vervolg. The same entries as the file page. "
            "Logged as `timeline_read`."
        ),
        parameters=[CLIENT_ID],
        responses={200: TimelineEntrySerializer(many=True), **problems(401, 404)},
    )
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BASIS)
            record_file_read(actor=self.actor, client_file=client_file, event_type="timeline_read", via="api")
            return self.paged(timeline_for(actor=self.actor, client_file=client_file), TimelineEntrySerializer)


class NotesView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="clients_notes_list",
        tags=["notes"],
        summary="Notes of a client file, newest first",
        description="Notes are append-only; a correction is a new note whose `corrects` points at the old one. "
        "Logged as `notes_read`.",
        parameters=[CLIENT_ID],
        responses={200: NoteSerializer(many=True), **problems(401, 404)},
    )
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.NOTITIES)
            record_file_read(actor=self.actor, client_file=client_file, event_type="notes_read", via="api")
            return self.paged(notes_of(client_file), NoteSerializer)

    @extend_schema(
        operation_id="clients_notes_create",
        tags=["notes"],
        summary="Add a note (or a correction of an earlier note)",
        parameters=[CLIENT_ID],
        request=NoteCreateSerializer,
        responses={201: NoteSerializer, **problems(400, 401, 404, 413, 415)},
    )
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(NoteCreateSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.NOTITIES)
            corrects = None
            if data.get("corrects") is not None:
                try:
                    corrects = access_note(self.actor, client_file, data["corrects"])
                except NotFound:
                    raise ValidationError({"corrects": ["Deze notitie bestaat niet in dit dossier."]}) from None
            note = add_note(actor=self.actor, client_file=client_file, body=data["body"], corrects=corrects, via="api")
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class AssignmentView(ApiView):
    @extend_schema(
        operation_id="clients_assignment_create",
        tags=["clients"],
        summary="Reassign a client file to another worker or team (teamleider)",
        description=(
            "Needs the capability to reassign (teamleider); without it the file answers 404, like any file "
            "outside the token's reach. Logged as `client_file_reassigned` when something changed."
        ),
        parameters=[CLIENT_ID],
        request=AssignmentSerializer,
        responses={200: ClientFileSerializer, **problems(400, 401, 404, 413, 415)},
    )
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(AssignmentSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.BASIS)
            team = data.get("team", client_file.team)
            client_file = reassign_client_file(
                actor=self.actor, client_file=client_file, assigned_to=data["assigned_to"], team=team, via="api"
            )
            client_file = access_client_file(self.actor, client_file.pk, section=Section.BASIS)
        return Response(ClientFileSerializer(client_file, context=self.context()).data)


class FileAuditView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="clients_audit_list",
        tags=["audit"],
        summary="Who read or changed this client file (wie heeft dit dossier ingezien)",
        description=(
            "For roles that may review a file's audit trail (teamleider, functioneel beheerder). Shows which "
            "fields changed, not their values. Logged as `file_audit_viewed`."
        ),
        parameters=[CLIENT_ID],
        responses={200: AuditEventSerializer(many=True), **problems(401, 404)},
    )
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file_audit(self.actor, client_id)
            record_file_read(actor=self.actor, client_file=client_file, event_type="file_audit_viewed", via="api")
            return self.paged(file_readers(actor=self.actor, client_file=client_file), AuditEventSerializer)

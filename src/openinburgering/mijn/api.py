"""The portal's data in the API (#15 item 11), for a gemeente's own app: /api/v1/mijn/…, always the logged-in client's
own file. Authentication is the portal's DigiD session (the same cookie as the pages; unsafe methods need the CSRF
token); staff tokens and staff sessions have no client file and get 401. Another client's letter or upload is 404,
exactly like a missing one. Every read is audited in its transaction (via="api"), like the pages."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import authentication, exceptions, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.api.schema import problems
from openinburgering.api.views.base import ApiView
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound
from openinburgering.netwerk.selectors import contact_card_for
from openinburgering.plans.services import termijn_of

from . import selectors, services
from .access import PortalClient, own_letter, own_upload, portal_client_of
from .disclosure import access_log
from .labels import LEERROUTE_LABELS
from .models import ClientTask, PortalMessage, PortalUpload
from .views import upload_response

TAGS = ["mijn"]
UPLOAD_MEDIA_TYPES = ("application/pdf", "image/png", "image/jpeg")  # services.MAGIC
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Id within the client's own file.")


class PortalSessionAuthentication(authentication.SessionAuthentication):
    """The portal's DigiD session: a user with a PortalAccount and a client file. Anything else is anonymous."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        try:
            client = portal_client_of(request._request)
        except NotFound:
            return None
        request._request.portal = client  # type: ignore[attr-defined]  # the client travels on the request
        return result

    def authenticate_header(self, request: Request) -> str:
        return 'Session realm="Mijn Inburgering (DigiD)"'


class PortalSessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # untyped library hook
    target_class = "openinburgering.mijn.api.PortalSessionAuthentication"
    name = "portalSession"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": (
                "The session of a client logged in with DigiD at /mijn/inloggen/. Only the client's own file; "
                "POST needs the CSRF token (header X-CSRFToken)."
            ),
        }


class IsPortalClient(permissions.BasePermission):
    message = "Log in met DigiD in Mijn Inburgering."

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(getattr(request._request, "portal", None), PortalClient)


class PortalApiView(ApiView):
    authentication_classes = [PortalSessionAuthentication]
    permission_classes = [IsPortalClient]
    part: str | None = None

    @property
    def client(self) -> PortalClient:
        client: PortalClient = self.request._request.portal  # type: ignore[attr-defined]  # set by the authentication
        return client

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.part is not None and not self.client.part_on(self.part):
            raise exceptions.NotFound()  # the gemeente switched this part off: as if it did not exist

    def read(self, event_type: str, **kwargs: Any) -> None:
        services.record_client_read(self.client, event_type, via="api", **kwargs)


# --- Serializers ------------------------------------------------------------------------------------------------


class PortalPartsSerializer(serializers.Serializer[Any]):
    plan = serializers.BooleanField()
    appointments = serializers.BooleanField()
    documents = serializers.BooleanField()
    messages = serializers.BooleanField()
    access_log = serializers.BooleanField()


class PortalMeSerializer(serializers.Serializer[Any]):
    given_names = serializers.CharField()
    surname = serializers.CharField()
    gemeente = serializers.CharField(help_text="The gemeente that handles the file.")
    language = serializers.CharField(help_text="The language the client chose (nl, en, ar, ti, uk, tr, fa).")
    file_status = serializers.CharField()
    parts = PortalPartsSerializer(help_text="Which parts of the portal the gemeente has switched on.")


class PortalAgreementSerializer(serializers.Serializer[Any]):
    leefgebied = serializers.CharField()
    goal = serializers.CharField()
    action = serializers.CharField()
    responsible = serializers.CharField(help_text="klant (the client), klantregisseur, aanbieder, begeleider, partner.")
    due_on = serializers.DateField(allow_null=True)


class PortalPlanSerializer(serializers.Serializer[Any]):
    has_plan = serializers.BooleanField(help_text="False while no PIP is vastgesteld.")
    leerroute = serializers.CharField(help_text="b1, onderwijs or z; '' without a plan.")
    leerroute_label = serializers.CharField(help_text="The route in the client's language.")
    level = serializers.CharField()
    pvt_intensity = serializers.CharField()
    map_intensity = serializers.CharField()
    summary = serializers.CharField(help_text="The plan's summary as the gemeente wrote it (Dutch).")
    ontzorgen_items = serializers.ListField(child=serializers.CharField())
    termijn_end_on = serializers.DateField(
        allow_null=True, help_text="From the rules module, with the extension DUO reported (termijn_extension_months)."
    )
    termijn_extension_months = serializers.IntegerField(
        help_text="Months DUO extended the termijn by (W 12), counted in termijn_end_on; 0 without an extension."
    )
    route_switch_on = serializers.DateField(allow_null=True, help_text="Last day to switch route (rules module).")
    agreements = PortalAgreementSerializer(many=True, help_text="Agreements of the plan (health agreements left out).")


class PortalAppointmentSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="oproep or voortgang.")
    id = serializers.IntegerField()
    day = serializers.DateField()
    starts_at = serializers.DateTimeField(allow_null=True)
    location = serializers.CharField()
    interpreter_language = serializers.CharField()
    is_past = serializers.BooleanField()
    reschedule_open = serializers.BooleanField(help_text="The client asked to move it and it is not handled yet.")
    ics_url = serializers.CharField()


class PortalTaskSerializer(serializers.ModelSerializer[ClientTask]):
    class Meta:
        model = ClientTask
        fields = ("id", "kind", "status", "due_on", "created_at", "done_at")


class PortalAppointmentsSerializer(serializers.Serializer[Any]):
    appointments = PortalAppointmentSerializer(many=True)
    tasks = PortalTaskSerializer(many=True)


class PortalLetterSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="Dutch: letters are legal texts and stay Dutch.")
    created_at = serializers.DateTimeField()
    pdf_url = serializers.CharField()


class PortalUploadSerializer(serializers.ModelSerializer[PortalUpload]):
    seen = serializers.SerializerMethodField(help_text="Whether the klantregisseur has opened it.")

    class Meta:
        model = PortalUpload
        fields = ("id", "kind", "content_type", "size", "uploaded_at", "seen")

    def get_seen(self, upload: PortalUpload) -> bool:
        return upload.seen_at is not None


class PortalDocumentsSerializer(serializers.Serializer[Any]):
    letters = PortalLetterSerializer(many=True)
    uploads = PortalUploadSerializer(many=True)


class PortalMessageSerializer(serializers.ModelSerializer[PortalMessage]):
    class Meta:
        model = PortalMessage
        fields = ("id", "direction", "body", "sent_at", "read_at")


class PortalMessageCreateSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(max_length=services.MESSAGE_MAX_LENGTH)


class PortalAccessRowSerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField()
    role = serializers.CharField(help_text="In the client's language.")
    staff_name = serializers.CharField(help_text="'' unless the gemeente shows staff names.")
    is_change = serializers.BooleanField()
    sections = serializers.ListField(child=serializers.CharField())
    purpose = serializers.CharField()
    count = serializers.IntegerField()
    last_on = serializers.DateField()


class PortalAccessMonthSerializer(serializers.Serializer[Any]):
    month = serializers.DateField(help_text="The first day of the month.")
    rows = PortalAccessRowSerializer(many=True)


class PortalLessonsSerializer(serializers.Serializer[Any]):
    component = serializers.CharField(
        help_text="b1_lessen, onderwijsroute, z_route_cursus, participatie, pvt, map, duaal."
    )
    provider = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    planned_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, help_text="Hours a week in the plan.")
    offered = serializers.DecimalField(max_digits=9, decimal_places=1, help_text="Hours offered, as reported.")
    attended = serializers.DecimalField(max_digits=9, decimal_places=1, help_text="Hours attended, as reported.")
    finished = serializers.BooleanField()


class PortalExamSerializer(serializers.Serializer[Any]):
    part = serializers.CharField(help_text="lezen, luisteren, schrijven, spreken or knm.")
    level = serializers.CharField(help_text="A2, B1, ...; '' for KNM.")
    exam_on = serializers.DateField()
    passed = serializers.BooleanField()


class PortalContactSerializer(serializers.Serializer[Any]):
    role = serializers.CharField(help_text="Dutch, as on the contact card.")
    about = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    reach = serializers.CharField()


class PortalProgressSerializer(serializers.Serializer[Any]):
    lessons = PortalLessonsSerializer(many=True)
    exams = PortalExamSerializer(many=True, help_text="Results the gemeente has seen at DUO.")
    pvt_done_on = serializers.DateField(allow_null=True)
    map_done_on = serializers.DateField(allow_null=True)
    map_themes_done = serializers.IntegerField(help_text="Of the eight MAP themes.")
    map_ready_on = serializers.DateField(allow_null=True)
    contacts = PortalContactSerializer(many=True, help_text="Who helps the client with what.")


# --- Views ------------------------------------------------------------------------------------------------------


class MeView(PortalApiView):
    @extend_schema(
        operation_id="mijn_me_retrieve", tags=TAGS, summary="The logged-in client: name, gemeente, language, parts",
        description="Logged as `portal_data_read`.", responses={200: PortalMeSerializer, **problems(401)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        client = self.client
        with transaction.atomic():
            self.read("portal_data_read", subject=client.account)
        person = client.client_file.person
        parts = {part: client.part_on(part) for part in ("plan", "appointments", "documents", "messages", "access_log")}
        body = {
            "given_names": person.given_names, "surname": person.surname, "gemeente": client.client_file.gemeente.name,
            "language": client.account.language, "file_status": client.client_file.status, "parts": parts,
        }  # fmt: skip
        return Response(PortalMeSerializer(body).data)


class PlanView(PortalApiView):
    part = "plan"

    @extend_schema(
        operation_id="mijn_plan_retrieve", tags=TAGS, summary="The client's plan (the vastgestelde PIP) and termijn",
        description="Logged as `portal_plan_viewed`.", responses={200: PortalPlanSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        client_file = self.client.client_file
        with transaction.atomic():
            self.read("portal_plan_viewed")
            version = selectors.current_pip(client_file)
            termijn = termijn_of(client_file)
            agreements = (
                [row for row in version.agreements.order_by("position", "id") if row.leefgebied != "gezondheid"]
                if version
                else []
            )
        body = {
            "has_plan": version is not None,
            "leerroute": version.leerroute if version else "",
            "leerroute_label": str(LEERROUTE_LABELS.get(version.leerroute, version.leerroute)) if version else "",
            "level": version.level if version else "",
            "pvt_intensity": version.pvt_intensity if version else "",
            "map_intensity": version.map_intensity if version else "",
            "summary": version.summary if version else "",
            "ontzorgen_items": list(version.ontzorgen_items) if version else [],
            "termijn_end_on": termijn.termijn_end_on if termijn else None,
            "termijn_extension_months": termijn.extension_months if termijn else 0,
            "route_switch_on": termijn.route_switch_until_on if termijn else None,
            "agreements": agreements,
        }
        return Response(PortalPlanSerializer(body).data)


class ProgressView(PortalApiView):
    part = "plan"

    @extend_schema(
        operation_id="mijn_progress_retrieve", tags=TAGS,
        summary="My progress: hours against the plan, exams seen at DUO, PVT and MAP, who helps me",
        description="Logged as `portal_progress_viewed`.",
        responses={200: PortalProgressSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        client_file = self.client.client_file
        with transaction.atomic():
            self.read("portal_progress_viewed")
            progress = selectors.progress_of(client_file, as_of=today())
            contacts = contact_card_for(client_file)
        body = {**progress.__dict__, "contacts": contacts}
        return Response(PortalProgressSerializer(body).data)


class AppointmentsView(PortalApiView):
    part = "appointments"

    @extend_schema(
        operation_id="mijn_appointments_retrieve", tags=TAGS, summary="The client's appointments and tasks",
        description="Logged as `portal_appointments_viewed`. Each appointment's calendar file is at `ics_url`.",
        responses={200: PortalAppointmentsSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        client_file = self.client.client_file
        with transaction.atomic():
            self.read("portal_appointments_viewed")
            rows = selectors.appointments_of(client_file, as_of=today())
            tasks = list(selectors.tasks_of(client_file))
        appointments = [
            {**row.__dict__, "ics_url": f"/mijn/afspraken/{row.kind}/{row.id}.ics"} for row in rows
        ]  # fmt: skip
        return Response(PortalAppointmentsSerializer({"appointments": appointments, "tasks": tasks}).data)


class DocumentsView(PortalApiView):
    part = "documents"

    @extend_schema(
        operation_id="mijn_documents_retrieve", tags=TAGS, summary="The client's letters and uploaded documents",
        description="Logged as `portal_documents_viewed`. Uploading is done on the page /mijn/documenten/.",
        responses={200: PortalDocumentsSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        client_file = self.client.client_file
        with transaction.atomic():
            self.read("portal_documents_viewed")
            letters = [
                {"id": letter.pk, "title": letter.title, "created_at": letter.created_at,
                 "pdf_url": f"/api/v1/mijn/letters/{letter.pk}"}
                for letter in selectors.letters_of(client_file)
            ]  # fmt: skip
            uploads = list(selectors.uploads_of(client_file))
        return Response(PortalDocumentsSerializer({"letters": letters, "uploads": uploads}).data)


class LetterView(PortalApiView):
    part = "documents"

    @extend_schema(
        operation_id="mijn_letters_retrieve", tags=TAGS, summary="One of the client's letters as PDF",
        description="Answers `application/pdf`; another client's letter is 404. Logged as `portal_letter_downloaded`.",
        parameters=[ID], responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
                                    **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, id: int) -> Any:
        with transaction.atomic():
            try:
                letter = own_letter(self.client, id)
            except NotFound:
                raise exceptions.NotFound() from None
            self.read("portal_letter_downloaded", subject=letter)
        response = HttpResponse(bytes(letter.content), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
        return response


class UploadView(PortalApiView):
    part = "documents"

    @extend_schema(
        operation_id="mijn_uploads_retrieve", tags=TAGS, summary="A document the client uploaded, as stored",
        description=(
            "The stored bytes: PDF, PNG or JPEG (the type was sniffed from the content on upload). Another client's "
            "upload is 404. Logged as `portal_upload_downloaded`."
        ),
        parameters=[ID],
        responses={
            **{(200, media): OpenApiResponse(OpenApiTypes.BINARY) for media in UPLOAD_MEDIA_TYPES},
            **problems(401, 404),
        },
    )  # fmt: skip
    def get(self, request: Request, id: int) -> Any:
        with transaction.atomic():
            try:
                upload = own_upload(self.client.client_file, id)
            except NotFound:
                raise exceptions.NotFound() from None
            self.read("portal_upload_downloaded", subject=upload)
        return upload_response(upload)


class MessagesView(PortalApiView):
    part = "messages"

    @extend_schema(
        operation_id="mijn_messages_list", tags=TAGS, summary="Messages between the client and the klantregisseur",
        description=(
            "Oldest first. Reading them sets the read receipt of the gemeente's messages. Logged as "
            "`portal_messages_viewed`."
        ),
        responses={200: PortalMessageSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        with transaction.atomic():
            self.read("portal_messages_viewed")
            rows = list(selectors.messages_of(self.client.client_file))
            services.mark_read_by_client(client=self.client)
        return Response(PortalMessageSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="mijn_messages_create", tags=TAGS, summary="Send a message to the klantregisseur",
        description="The content stays in the portal. Logged as `portal_message_submitted`.",
        request=PortalMessageCreateSerializer,
        responses={201: PortalMessageSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        serializer = PortalMessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.send_message(client=self.client, body=serializer.validated_data["body"])
        return Response(PortalMessageSerializer(message).data, status=status.HTTP_201_CREATED)


class AccessLogView(PortalApiView):
    part = "access_log"

    @extend_schema(
        operation_id="mijn_access_log_list", tags=TAGS, summary="Who looked at my file: per month, organisation, role",
        description=(
            "From the audit trail: who (organisation and role, names only if the gemeente shows them) read or "
            "changed which part and why, newest month first. Logged as `portal_access_log_viewed`."
        ),
        responses={200: PortalAccessMonthSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        with transaction.atomic():
            self.read("portal_access_log_viewed")
            months = access_log(self.client)
        return Response(PortalAccessMonthSerializer(months, many=True).data)

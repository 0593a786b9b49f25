"""The PIP in the API: versions (draft, edit, submit, approve, reject, the person's response), bezwaren,
voortgangsgesprekken and the teamleider's queue. Every path goes through access_client_file (404 for another
gemeente or a role without access); every read and change is audited in its transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.api.pagination import PageNumberPagination
from openinburgering.api.schema import problems
from openinburgering.api.views.base import CLIENT_ID, ApiView
from openinburgering.audit.services import record_event
from openinburgering.clients.access import access_client_file
from openinburgering.core.errors import NotFound
from openinburgering.intakes.choices import Leefgebied, Leerroute

from . import selectors, services
from .access import access_bezwaar, access_progress_talk, access_version, require_approver
from .choices import BezwaarStatus, ClientAgreement, Responsible
from .models import Bezwaar, PipAgreement, PipEvent, PipLevel, PipVersion, ProgressTalk

VERSION_ID = OpenApiParameter("version_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="PIP version id.")
TALK_ID = OpenApiParameter("talk_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Voortgangsgesprek id.")
TAGS = ["pip"]


# ---------------------------------------------------------------------------------------------------------------
# Serializers


class AgreementSerializer(serializers.ModelSerializer[PipAgreement]):
    leefgebied = serializers.ChoiceField(choices=Leefgebied.choices)
    responsible = serializers.ChoiceField(choices=Responsible.choices)
    action = serializers.CharField(max_length=10_000, allow_blank=True)
    goal = serializers.CharField(max_length=10_000)
    due_on = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = PipAgreement
        fields: tuple[str, ...] = ("leefgebied", "goal", "action", "responsible", "due_on")


class PipEventSerializer(serializers.ModelSerializer[PipEvent]):
    actor = serializers.CharField(source="actor.display_name", read_only=True)

    class Meta:
        model = PipEvent
        fields: tuple[str, ...] = ("kind", "comment", "occurred_at", "actor")


class PipVersionSerializer(serializers.ModelSerializer[PipVersion]):
    drafted_by = serializers.CharField(source="drafted_by.display_name", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.display_name", read_only=True, default=None)
    approved_by = serializers.CharField(source="approved_by.display_name", read_only=True, default=None)
    beschikking_letter_id = serializers.IntegerField(read_only=True, allow_null=True)
    # Explicit integer fields: the schema then does not depend on the database's integer ranges.
    number = serializers.IntegerField(read_only=True)
    estimated_b1_intensity = serializers.IntegerField(read_only=True, allow_null=True)
    lesson_hours_per_week = serializers.IntegerField(read_only=True, allow_null=True)
    progress_talks_count = serializers.IntegerField(read_only=True)
    beschikking_url = serializers.SerializerMethodField(help_text="The beschikking PDF (letters API), when set.")

    class Meta:
        model = PipVersion
        fields: tuple[str, ...] = (
            "id", "number", "status", *services.DRAFT_FIELDS, "ontzorgen_applies", "ontzorgen_start_on",
            "ontzorgen_end_on", "ontzorgen_items", "drafted_at", "drafted_by", "submitted_at", "submitted_by",
            "approved_at", "approved_by", "dagtekening_on", "termijn_start_on", "termijn_end_on",
            "client_agreement", "client_comments", "client_response_on", "beschikking_letter_id",
            "beschikking_url",
        )  # fmt: skip
        read_only_fields = fields

    def get_beschikking_url(self, version: PipVersion) -> str | None:
        if version.beschikking_letter_id is None:
            return None
        return f"/api/v1/clients/{version.client_file_id}/letters/{version.beschikking_letter_id}"


class PipVersionDetailSerializer(PipVersionSerializer):
    agreements = serializers.SerializerMethodField(
        help_text="The agreements per leefgebied. Agreements on `gezondheid` (health data, AVG art. 9) are left out "
        "unless the caller's role may read the gezondheid section and the person's consent stands; then "
        "`health_agreements_hidden` is true. A PATCH with `agreements` keeps those hidden agreements."
    )
    health_agreements_hidden = serializers.SerializerMethodField(
        help_text="True when agreements on gezondheid exist but are left out of `agreements` (no consent)."
    )
    events = PipEventSerializer(many=True, read_only=True)

    class Meta(PipVersionSerializer.Meta):
        fields = (*PipVersionSerializer.Meta.fields, "agreements", "health_agreements_hidden", "events")
        read_only_fields = fields

    def _shown(self, version: PipVersion) -> list[PipAgreement]:
        rows = list(version.agreements.all())
        if self.context.get("show_health", False):
            return rows
        return [row for row in rows if row.leefgebied != Leefgebied.GEZONDHEID]

    @extend_schema_field(AgreementSerializer(many=True))
    def get_agreements(self, version: PipVersion) -> list[dict[str, Any]]:
        return list(AgreementSerializer(self._shown(version), many=True).data)

    def get_health_agreements_hidden(self, version: PipVersion) -> bool:
        return len(self._shown(version)) != len(version.agreements.all())


class PipDraftUpdateSerializer(serializers.Serializer[Any]):
    """Send only what changes. ``agreements``, when sent, replaces every agreement of the concept."""

    leerroute = serializers.ChoiceField(choices=Leerroute.choices, required=False)
    level = serializers.ChoiceField(choices=PipLevel.choices, required=False, allow_blank=True)
    estimated_b1_intensity = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=9999)
    lesson_hours_per_week = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=60)
    pvt_intensity = serializers.CharField(required=False, allow_blank=True, max_length=300)
    map_intensity = serializers.CharField(required=False, allow_blank=True, max_length=300)
    begeleiding = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    receives_bijstand = serializers.BooleanField(required=False)
    bijstand_start_on = serializers.DateField(required=False, allow_null=True)
    vve = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    kinderopvang = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    reiskosten = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    lestijden = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    duaal = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    progress_talks_count = serializers.IntegerField(required=False, min_value=0, max_value=24)
    progress_talk_dates = serializers.ListField(child=serializers.DateField(), required=False, max_length=24)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    route_switch_exception = serializers.ChoiceField(
        choices=list(services.SWITCH_EXCEPTION_LABELS), required=False, allow_blank=True
    )
    change_reason = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    agreements = AgreementSerializer(many=True, required=False)


class RejectSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(max_length=10_000)


class ClientResponseSerializer(serializers.Serializer[Any]):
    agreement = serializers.ChoiceField(choices=[c for c in ClientAgreement.values if c])
    comments = serializers.CharField(required=False, allow_blank=True, max_length=10_000, default="")
    response_on = serializers.DateField()


class BezwaarSerializer(serializers.ModelSerializer[Bezwaar]):
    registered_by = serializers.CharField(source="registered_by.display_name", read_only=True)

    class Meta:
        model = Bezwaar
        fields: tuple[str, ...] = (
            "id", "version", "received_on", "term_ends_on", "on_time", "grounds", "status", "decided_on",
            "registered_at", "registered_by",
        )  # fmt: skip
        read_only_fields = fields


class BezwaarCreateSerializer(serializers.Serializer[Any]):
    received_on = serializers.DateField()
    grounds = serializers.CharField(max_length=10_000)


class ProgressTalkSerializer(serializers.ModelSerializer[ProgressTalk]):
    version_number = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = ProgressTalk
        fields: tuple[str, ...] = ("id", "version", "version_number", "planned_on", "held_on", "summary")
        read_only_fields = fields


class ProgressTalkHeldSerializer(serializers.Serializer[Any]):
    patch_is_partial = False  # PATCH records the talk as held: both fields are needed (api.schema.AutoSchema)

    held_on = serializers.DateField()
    summary = serializers.CharField(max_length=10_000)


class ApprovalQueueSerializer(PipVersionSerializer):
    client_id = serializers.IntegerField(source="client_file_id", read_only=True)
    person_name = serializers.CharField(source="client_file.person.full_name", read_only=True)
    pip_due_on = serializers.DateField(
        read_only=True, allow_null=True,
        help_text="The file's PIP deadline (B 5.3, from the rules, as stored on the file); null when the file's "
        "next step is another one or the first PIP is already vastgesteld (a later version).",
    )  # fmt: skip

    class Meta(PipVersionSerializer.Meta):
        fields = ("id", "client_id", "person_name", "number", "status", "leerroute", "submitted_at",
                  "submitted_by", "drafted_by", "pip_due_on")  # fmt: skip
        read_only_fields = fields


class ApprovalQueueQuerySerializer(serializers.Serializer[Any]):
    ordering = serializers.ChoiceField(
        choices=[(key, key) for key in selectors.APPROVAL_ORDERINGS], default="deadline",
        help_text="`deadline`: earliest PIP deadline first (none last); `submitted`: oldest offer first; a leading "
        "`-` turns it around. The same keys as `?sort=` on the page.",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Views


def _detail(client_file: Any, version_id: int, actor: Actor) -> dict[str, Any]:
    version = selectors.version_with_history(client_file, version_id)
    if version is None:  # pragma: no cover - the caller reached the version through access_version
        raise NotFound()
    context = {"show_health": services.health_open(actor, client_file)}
    return dict(PipVersionDetailSerializer(version, context=context).data)


class PipVersionsView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="clients_pip_versions_list", tags=TAGS, summary="PIP versions of a client file, newest first",
        description="Logged as `pip_read`.", parameters=[CLIENT_ID],
        responses={200: PipVersionSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.PIP)
            services.record_pip_read(actor=self.actor, client_file=client_file, event_type="pip_read", via="api")
            return self.paged(selectors.versions_of(client_file), PipVersionSerializer)

    @extend_schema(
        operation_id="clients_pip_versions_create", tags=TAGS,
        summary="Start a new PIP concept (version 1 from the intake, or a copy of the current version)",
        description="At most one open version per file (409). Logged as `pip_drafted`.", parameters=[CLIENT_ID],
        request=None, responses={201: PipVersionDetailSerializer, **problems(401, 404, 409)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.PIP)
            version = services.create_draft(actor=self.actor, client_file=client_file, via="api")
            body = _detail(client_file, version.pk, self.actor)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": f"{request.path}/{version.pk}"})


class PipVersionView(ApiView):
    @extend_schema(
        operation_id="clients_pip_versions_retrieve", tags=TAGS,
        summary="One PIP version with its agreements and history", description="Logged as `pip_read`.",
        parameters=[CLIENT_ID, VERSION_ID], responses={200: PipVersionDetailSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int, version_id: int) -> Response:
        with transaction.atomic():
            client_file, version = access_version(self.actor, client_id, version_id)
            services.record_pip_read(
                actor=self.actor, client_file=client_file, subject=version, event_type="pip_read", via="api"
            )
            return Response(_detail(client_file, version.pk, self.actor))

    @extend_schema(
        operation_id="clients_pip_versions_partial_update", tags=TAGS, summary="Change a PIP concept",
        description=(
            "Only while the status is `concept` (409 otherwise). Checked with the rules (DUO's PIP checks, route "
            "switch window, no MAP in the onderwijsroute); every problem comes back in `invalidParams` in Dutch. "
            "Logged as `pip_updated`."
        ),
        parameters=[CLIENT_ID, VERSION_ID], request=PipDraftUpdateSerializer,
        responses={200: PipVersionDetailSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def patch(self, request: Request, client_id: int, version_id: int) -> Response:
        data = self.body(PipDraftUpdateSerializer, partial=True)
        agreements = data.pop("agreements", None)
        with transaction.atomic():
            client_file, version = access_version(self.actor, client_id, version_id, for_write=True)
            services.update_draft(
                actor=self.actor, client_file=client_file, version=version, data=data,
                agreements=[dict(row) for row in agreements] if agreements is not None else None, via="api",
            )  # fmt: skip
            return Response(_detail(client_file, version.pk, self.actor))


class PipSubmitView(ApiView):
    @extend_schema(
        operation_id="clients_pip_versions_submit", tags=TAGS, summary="Offer a concept to a teamleider",
        description="Needs a summary and a valid plan. Logged as `pip_submitted`.",
        parameters=[CLIENT_ID, VERSION_ID], request=None,
        responses={200: PipVersionDetailSerializer, **problems(400, 401, 404, 409)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, version_id: int) -> Response:
        with transaction.atomic():
            client_file, version = access_version(self.actor, client_id, version_id, for_write=True)
            services.submit(actor=self.actor, client_file=client_file, version=version, via="api")
            return Response(_detail(client_file, version.pk, self.actor))


class PipApproveView(ApiView):
    @extend_schema(
        operation_id="clients_pip_versions_approve", tags=TAGS,
        summary="Approve and vaststellen (four eyes: not by who drafted or submitted it)",
        description=(
            "Sets the dagtekening (today), the termijn (from the first PIP, W 11), replaces the previous version, "
            "plans the voortgangsgesprekken and generates the beschikking (`beschikking_letter_id`). Needs the "
            "approve_pip capability (404 otherwise). Logged as `pip_approved` and the related events."
        ),
        parameters=[CLIENT_ID, VERSION_ID], request=None,
        responses={200: PipVersionDetailSerializer, **problems(400, 401, 404, 409)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, version_id: int) -> Response:
        require_approver(self.actor)
        with transaction.atomic():
            client_file, version = access_version(self.actor, client_id, version_id, for_write=True)
            services.approve(actor=self.actor, client_file=client_file, version=version, via="api")
            return Response(_detail(client_file, version.pk, self.actor))


class PipRejectView(ApiView):
    @extend_schema(
        operation_id="clients_pip_versions_reject", tags=TAGS, summary="Send a version back to concept",
        description="Needs the approve_pip capability and a comment. Logged as `pip_rejected`.",
        parameters=[CLIENT_ID, VERSION_ID], request=RejectSerializer,
        responses={200: PipVersionDetailSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, version_id: int) -> Response:
        require_approver(self.actor)
        data = self.body(RejectSerializer)
        with transaction.atomic():
            client_file, version = access_version(self.actor, client_id, version_id, for_write=True)
            services.reject(
                actor=self.actor, client_file=client_file, version=version, comment=data["comment"], via="api"
            )
            return Response(_detail(client_file, version.pk, self.actor))


class PipClientResponseView(ApiView):
    @extend_schema(
        operation_id="clients_pip_versions_client_response", tags=TAGS,
        summary="Record the person's response to the vastgestelde PIP",
        description="Logged as `pip_client_response_recorded`.", parameters=[CLIENT_ID, VERSION_ID],
        request=ClientResponseSerializer,
        responses={200: PipVersionDetailSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, version_id: int) -> Response:
        data = self.body(ClientResponseSerializer)
        with transaction.atomic():
            client_file, version = access_version(self.actor, client_id, version_id, for_write=True)
            services.record_client_response(
                actor=self.actor, client_file=client_file, version=version, agreement=data["agreement"],
                comments=data["comments"], response_on=data["response_on"], via="api",
            )  # fmt: skip
            return Response(_detail(client_file, version.pk, self.actor))


class BezwarenView(ApiView):
    @extend_schema(
        operation_id="clients_pip_versions_bezwaren_list", tags=TAGS, summary="Bezwaren against a PIP version",
        description="Logged as `bezwaren_read`.", parameters=[CLIENT_ID, VERSION_ID],
        responses={200: BezwaarSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int, version_id: int) -> Response:
        with transaction.atomic():
            client_file, version = access_version(self.actor, client_id, version_id)
            services.record_pip_read(
                actor=self.actor, client_file=client_file, subject=version, event_type="bezwaren_read", via="api"
            )
            return Response(BezwaarSerializer(selectors.bezwaren_of(version), many=True).data)

    @extend_schema(
        operation_id="clients_pip_versions_bezwaren_create", tags=TAGS,
        summary="Register a bezwaar; `term_ends_on` and `on_time` come from the rules (Awb 6:7-6:9)",
        description="Logged as `bezwaar_registered`.", parameters=[CLIENT_ID, VERSION_ID],
        request=BezwaarCreateSerializer, responses={201: BezwaarSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, version_id: int) -> Response:
        data = self.body(BezwaarCreateSerializer)
        with transaction.atomic():
            client_file, version = access_version(self.actor, client_id, version_id, for_write=True)
            bezwaar = services.register_bezwaar(
                actor=self.actor, client_file=client_file, version=version, received_on=data["received_on"],
                grounds=data["grounds"], via="api",
            )  # fmt: skip
        return Response(BezwaarSerializer(bezwaar).data, status=status.HTTP_201_CREATED)


class BezwaarStatusSerializer(serializers.Serializer[Any]):
    patch_is_partial = False  # PATCH sets the new status: it is needed (api.schema.AutoSchema)

    status = serializers.ChoiceField(choices=BezwaarStatus.choices)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)


BEZWAAR_ID = OpenApiParameter("bezwaar_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Bezwaar id.")


class BezwaarView(ApiView):
    @extend_schema(
        operation_id="clients_pip_versions_bezwaren_partial_update", tags=TAGS,
        summary="Change the status of a bezwaar (with the decision date)", description="Logged as `bezwaar_updated`.",
        parameters=[CLIENT_ID, VERSION_ID, BEZWAAR_ID], request=BezwaarStatusSerializer,
        responses={200: BezwaarSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def patch(self, request: Request, client_id: int, version_id: int, bezwaar_id: int) -> Response:
        data = self.body(BezwaarStatusSerializer)
        with transaction.atomic():
            client_file, version = access_version(self.actor, client_id, version_id, for_write=True)
            bezwaar = access_bezwaar(version, bezwaar_id)
            services.update_bezwaar(
                actor=self.actor, client_file=client_file, bezwaar=bezwaar, status=data["status"],
                decided_on=data["decided_on"], via="api",
            )  # fmt: skip
        return Response(BezwaarSerializer(bezwaar).data)


class ProgressTalksView(ApiView):
    @extend_schema(
        operation_id="clients_progress_talks_list", tags=TAGS, summary="Voortgangsgesprekken of a client file",
        description="Logged as `progress_talks_read`.", parameters=[CLIENT_ID],
        responses={200: ProgressTalkSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.PIP)
            services.record_pip_read(
                actor=self.actor, client_file=client_file, event_type="progress_talks_read", via="api"
            )
            return Response(ProgressTalkSerializer(selectors.progress_talks_of(client_file), many=True).data)


class ProgressTalkView(ApiView):
    @extend_schema(
        operation_id="clients_progress_talks_partial_update", tags=TAGS, summary="Record a voortgangsgesprek as held",
        description="Logged as `progress_talk_recorded`.", parameters=[CLIENT_ID, TALK_ID],
        request=ProgressTalkHeldSerializer,
        responses={200: ProgressTalkSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def patch(self, request: Request, client_id: int, talk_id: int) -> Response:
        data = self.body(ProgressTalkHeldSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.PIP)
            talk = access_progress_talk(client_file, talk_id, for_write=True)
            services.record_progress_talk(
                actor=self.actor, client_file=client_file, talk=talk, held_on=data["held_on"],
                summary=data["summary"], via="api",
            )  # fmt: skip
            talk = selectors.progress_talks_of(client_file).get(pk=talk.pk)
        return Response(ProgressTalkSerializer(talk).data)


class PipApprovalsView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="pip_approvals_list", tags=TAGS,
        summary="The teamleider's queue: PIP versions ter goedkeuring in the gemeente, earliest PIP deadline first",
        description="Needs the approve_pip capability (403 otherwise). Logged as `pip_approvals_viewed`.",
        parameters=[ApprovalQueueQuerySerializer],
        responses={200: ApprovalQueueSerializer(many=True), **problems(400, 401, 403)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        self.require(Capability.APPROVE_PIP)
        params = self.query(ApprovalQueueQuerySerializer)
        with transaction.atomic():
            queue = selectors.approval_queue(self.actor, ordering=params["ordering"])
            response = self.paged(queue, ApprovalQueueSerializer)
            record_event(
                actor=self.actor, event_type="pip_approvals_viewed", purpose=services.PURPOSE,
                changes={"result_count": len(response.data.get("results", []))}, via="api",
            )  # fmt: skip
        return response

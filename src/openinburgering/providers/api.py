"""The provider API (/api/v1/provider/...): for a token of an aanbieder membership linked to a provider. It sees
only its own enrolments with the minimum data; accepts or declines them; reports weekly hours (JSON or CSV) and
exam results. Another provider's enrolment, or a token without a provider, answers 404. Every read of enrolled
clients' data and every change is audited in its transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.api.pagination import PageNumberPagination
from openinburgering.api.parsers import RequestTooLarge
from openinburgering.api.schema import problems
from openinburgering.api.views.base import ApiView

from . import selectors, services
from .access import access_provider_actor, access_provider_enrolment
from .choices import ExamLevel, MapTheme, MilestoneKind, ReportSource
from .models import EXAM_PART_CHOICES, Enrolment, ExamResult, ModuleMilestone, WeeklyReport

TAGS = ["provider"]
ENROLMENT_ID = OpenApiParameter("enrolment_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Enrolment id.")


class CsvParser(parsers.BaseParser):
    """A text/csv body as bytes, refused past the upload limit (413)."""

    media_type = "text/csv"

    def parse(  # type: ignore[override]  # the CSV body stays raw bytes; the service parses it
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> bytes:
        limit = services.MAX_CSV_BYTES
        message = f"Het bestand is te groot. Het mag hoogstens {limit // (1024 * 1024)} MB zijn."
        request = (parser_context or {}).get("request")
        if request is not None:
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except (TypeError, ValueError):
                declared = 0
            if declared > limit:
                raise RequestTooLarge(message)
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge(message)
        return bytes(raw)


# ---------------------------------------------------------------------------------------------------------------
# Serializers


class PortalEnrolmentSerializer(serializers.ModelSerializer[Enrolment]):
    """The minimum data a provider may see: no BSN, no intake, no health data, no notes."""

    name = serializers.CharField(source="client_file.person.full_name", read_only=True)
    phone = serializers.CharField(source="client_file.person.phone", read_only=True)
    email = serializers.CharField(source="client_file.person.email", read_only=True)
    route = serializers.CharField(read_only=True, allow_null=True, help_text="Leerroute of the current PIP, or null.")
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, read_only=True)

    class Meta:
        model = Enrolment
        fields: tuple[str, ...] = (
            "id",
            "name",
            "phone",
            "email",
            "component",
            "route",
            "hours_per_week",
            "starts_on",
            "ends_on",
            "status",
            "status_reason",
        )
        read_only_fields = fields


class DeclineSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class WeeklyReportInSerializer(serializers.Serializer[Any]):
    enrolment = serializers.IntegerField(help_text="Enrolment (plaatsing) id.")
    week = serializers.CharField(max_length=8, help_text="ISO week, e.g. 2026-W47.")
    hours_offered = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    hours_attended = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    hours_absent_authorised = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    hours_absent_unauthorised = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    absence_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class WeeklyReportSerializer(serializers.ModelSerializer[WeeklyReport]):
    class Meta:
        model = WeeklyReport
        fields: tuple[str, ...] = (
            "id",
            "enrolment",
            "week",
            "hours_offered",
            "hours_attended",
            "hours_absent_authorised",
            "hours_absent_unauthorised",
            "absence_reason",
            "note",
            "source",
            "reported_at",
        )
        read_only_fields = fields


class WeeklyReportOutSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=["created", "replaced", "unchanged"])
    report = WeeklyReportSerializer()


class ExamResultInSerializer(serializers.Serializer[Any]):
    enrolment = serializers.IntegerField()
    part = serializers.ChoiceField(choices=EXAM_PART_CHOICES)
    level = serializers.ChoiceField(
        choices=ExamLevel.choices, required=False, allow_blank=True, default="",
        help_text="A2 or B1 for a language part; empty for KNM (KNM has no level: a level is refused).",
    )  # fmt: skip
    exam_on = serializers.DateField()
    passed = serializers.BooleanField()


class ExamResultSerializer(serializers.ModelSerializer[ExamResult]):
    class Meta:
        model = ExamResult
        fields: tuple[str, ...] = ("id", "enrolment", "part", "level", "exam_on", "passed", "recorded_at")
        read_only_fields = fields


class MilestoneInSerializer(serializers.Serializer[Any]):
    enrolment = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    theme = serializers.ChoiceField(choices=MapTheme.choices, required=False, allow_blank=True, default="")
    happened_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2_000)


class MilestoneSerializer(serializers.ModelSerializer[ModuleMilestone]):
    class Meta:
        model = ModuleMilestone
        fields: tuple[str, ...] = ("id", "enrolment", "kind", "theme", "happened_on", "note", "recorded_at")
        read_only_fields = fields


class CsvRowErrorSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField()
    message = serializers.CharField()


class CsvResultSerializer(serializers.Serializer[Any]):
    upload_id = serializers.IntegerField(source="upload.pk")
    duplicate = serializers.BooleanField(help_text="True when this exact file was read before: nothing changed.")
    rows_total = serializers.IntegerField(source="upload.rows_total")
    rows_created = serializers.IntegerField(source="upload.rows_created")
    rows_replaced = serializers.IntegerField(source="upload.rows_replaced")
    rows_unchanged = serializers.IntegerField(source="upload.rows_unchanged")
    rows_failed = serializers.IntegerField(source="upload.rows_failed")
    row_errors = CsvRowErrorSerializer(many=True, source="errors", help_text="Bad rows with line and Dutch reason.")


# ---------------------------------------------------------------------------------------------------------------
# Views


class ProviderEnrolmentsView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="provider_enrolments_list",
        tags=TAGS,
        summary="The provider's own enrolled clients",
        description=(
            "Minimum data only: name, phone, e-mail, component, leerroute, planned hours, dates and status. "
            "Logged as `provider_enrolments_read`, one event per client on the page."
        ),
        responses={200: PortalEnrolmentSerializer(many=True), **problems(401, 404)},
    )
    def get(self, request: Request) -> Response:
        with transaction.atomic():
            provider = access_provider_actor(self.actor)
            page = self.paginate_queryset(selectors.portal_enrolments(provider, gemeente_id=self.actor.gemeente_id))
            rows = list(page or [])
            services.record_enrolment_reads(self.actor, rows, event_type="provider_enrolments_read", via="api")
            return self.get_paginated_response(PortalEnrolmentSerializer(rows, many=True).data)


def _one(enrolment: Enrolment) -> dict[str, Any]:
    row = selectors.portal_enrolments(enrolment.provider, gemeente_id=enrolment.client_file.gemeente_id).get(
        pk=enrolment.pk
    )
    return dict(PortalEnrolmentSerializer(row).data)


class ProviderAcceptView(ApiView):
    @extend_schema(
        operation_id="provider_enrolments_accept",
        tags=TAGS,
        summary="Accept a proposed enrolment",
        description="Only from `voorgesteld` (409 otherwise). Logged as `enrolment_status_changed`.",
        parameters=[ENROLMENT_ID],
        request=None,
        responses={200: PortalEnrolmentSerializer, **problems(401, 404, 409)},
    )
    def post(self, request: Request, enrolment_id: int) -> Response:
        with transaction.atomic():
            _, enrolment = access_provider_enrolment(self.actor, enrolment_id, for_write=True)
            services.accept(actor=self.actor, enrolment=enrolment, via="api")
            return Response(_one(enrolment))


class ProviderDeclineView(ApiView):
    @extend_schema(
        operation_id="provider_enrolments_decline",
        tags=TAGS,
        summary="Decline a proposed enrolment, with a reason",
        description="Only from `voorgesteld` (409 otherwise). Logged as `enrolment_status_changed`.",
        parameters=[ENROLMENT_ID],
        request=DeclineSerializer,
        responses={200: PortalEnrolmentSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )
    def post(self, request: Request, enrolment_id: int) -> Response:
        access_provider_actor(self.actor)  # a token without a provider: 404 before the body is read
        data = self.body(DeclineSerializer)
        with transaction.atomic():
            _, enrolment = access_provider_enrolment(self.actor, enrolment_id, for_write=True)
            services.decline(actor=self.actor, enrolment=enrolment, reason=data["reason"], via="api")
            return Response(_one(enrolment))


class ProviderReportsView(ApiView):
    @extend_schema(
        operation_id="provider_reports_create",
        tags=TAGS,
        summary="Report one week of one enrolment",
        description=(
            "One report per enrolment per ISO week. Sending the same values again changes nothing (`unchanged`); "
            "different values replace the report and keep the old values in its history (`replaced`). "
            "Logged as `weekly_report_saved`."
        ),
        request=WeeklyReportInSerializer,
        responses={200: WeeklyReportOutSerializer, 201: WeeklyReportOutSerializer, **problems(400, 401, 404, 413, 415)},
    )
    def post(self, request: Request) -> Response:
        access_provider_actor(self.actor)  # a token without a provider: 404 before the body is read
        data = self.body(WeeklyReportInSerializer)
        with transaction.atomic():
            _, enrolment = access_provider_enrolment(self.actor, data.pop("enrolment"), for_write=True)
            report, outcome = services.save_weekly_report(
                actor=self.actor, enrolment=enrolment, data=data, source=ReportSource.API, via="api"
            )
            body = {"outcome": outcome, "report": WeeklyReportSerializer(report).data}
        return Response(body, status=status.HTTP_201_CREATED if outcome == services.CREATED else status.HTTP_200_OK)


class ProviderExamResultsView(ApiView):
    @extend_schema(
        operation_id="provider_exam_results_create",
        tags=TAGS,
        summary="Record an exam result of one enrolment",
        description="Part (lezen, luisteren, schrijven, spreken, knm), level A2/B1 (none for KNM), date and passed. "
        "Insert-only. "
        "Logged as `exam_result_recorded`.",
        request=ExamResultInSerializer,
        responses={201: ExamResultSerializer, **problems(400, 401, 404, 413, 415)},
    )
    def post(self, request: Request) -> Response:
        access_provider_actor(self.actor)  # a token without a provider: 404 before the body is read
        data = self.body(ExamResultInSerializer)
        with transaction.atomic():
            _, enrolment = access_provider_enrolment(self.actor, data.pop("enrolment"), for_write=True)
            result = services.record_exam_result(actor=self.actor, enrolment=enrolment, data=data, via="api")
            return Response(ExamResultSerializer(result).data, status=status.HTTP_201_CREATED)


class ProviderMilestonesView(ApiView):
    @extend_schema(
        operation_id="provider_milestones_create",
        tags=TAGS,
        summary="Report a module milestone: progress report, PVT signed, MAP theme done, MAP ready for the eindgesprek",
        description=(
            "A progress report (any placement) needs `note`; `pvt_ondertekend` only for a PVT placement; "
            "`map_thema` (with `theme`) and `map_klaar` only for a MAP placement, each once per placement. "
            "Insert-only. Logged as `module_milestone_recorded`."
        ),
        request=MilestoneInSerializer,
        responses={201: MilestoneSerializer, **problems(400, 401, 404, 413, 415)},
    )
    def post(self, request: Request) -> Response:
        access_provider_actor(self.actor)  # a token without a provider: 404 before the body is read
        data = self.body(MilestoneInSerializer)
        with transaction.atomic():
            _, enrolment = access_provider_enrolment(self.actor, data.pop("enrolment"), for_write=True)
            milestone = services.record_milestone(actor=self.actor, enrolment=enrolment, data=data, via="api")
            return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


class ProviderReportsCsvView(ApiView):
    parser_classes = [CsvParser]

    @extend_schema(
        operation_id="provider_reports_csv",
        tags=TAGS,
        summary="Upload weekly reports as CSV (text/csv body)",
        description=(
            "Columns `plaatsing_id;week;uren_aangeboden;uren_aanwezig;afwezig_geoorloofd;afwezig_ongeoorloofd;"
            "reden;notitie` (semicolon or comma, UTF-8, with header). Good rows are kept; bad rows come back in "
            "`errors` with their line and a Dutch reason. The same file twice changes nothing (`duplicate`). "
            "Logged as `provider_csv_uploaded` and `weekly_report_saved` per changed row."
        ),
        request={"text/csv": OpenApiTypes.STR},
        responses={200: CsvResultSerializer, **problems(400, 401, 404, 413, 415)},
    )
    def post(self, request: Request) -> Response:
        raw = request.data
        if not isinstance(raw, bytes):  # pragma: no cover - the parser always gives bytes
            raise exceptions.ParseError("Stuur het bestand als text/csv.")
        with transaction.atomic():
            provider = access_provider_actor(self.actor)
            result = services.import_csv(actor=self.actor, provider=provider, raw=raw, via="api")
            return Response(CsvResultSerializer(result).data)

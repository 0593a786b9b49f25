"""The council report API (#16 item 6): /api/v1/monitoring/raadsrapporten[/{report_id}[/maken|/pdf]]. The same
reports as the pages, for VIEW_MONITORING in the report's gemeente (otherwise 404); aggregates only, small
numbers suppressed. Every read, change and download is audited (via "api")."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.api.schema import problems
from openinburgering.api.views.base import ApiView
from openinburgering.letters.views import pdf_response

from . import council_services as services
from .council import TEXT_MAX_LENGTH, THEME_KEYS
from .council_models import CouncilReport, CouncilReportStatus

TAGS = ["monitoring"]
REPORT_ID = OpenApiParameter("report_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Council report id.")
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class CouncilReportSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    van = serializers.SerializerMethodField(help_text="First month (YYYY-MM).")
    tot = serializers.SerializerMethodField(help_text="Last month (YYYY-MM).")
    status = serializers.ChoiceField(
        choices=CouncilReportStatus.choices,
        help_text="concept: texts editable; queued: the PDF is being made; ready: the PDF is stored and final.",
    )
    figures_on = serializers.DateField(help_text="The day the figures were taken from the aggregate layer.")
    snapshot_version = serializers.IntegerField(help_text="The layout version of the stored figures.")
    sha256 = serializers.CharField(help_text="SHA-256 of the stored PDF; empty before it is made.")
    generated_at = serializers.DateTimeField(allow_null=True)
    pdf_url = serializers.SerializerMethodField(allow_null=True)

    def get_van(self, report: CouncilReport) -> str:
        return report.month_from.strftime("%Y-%m")

    def get_tot(self, report: CouncilReport) -> str:
        return report.month_to.strftime("%Y-%m")

    def get_pdf_url(self, report: CouncilReport) -> str | None:
        if report.status != CouncilReportStatus.READY:
            return None
        return f"/api/v1/monitoring/raadsrapporten/{report.pk}/pdf"


class CouncilRowSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label" (the stubs see Field.label)
    level = serializers.IntegerField(help_text="0: a population or total; 1: a part of it.")
    values = serializers.ListField(
        child=serializers.CharField(),
        help_text="A number, '< 5' (fewer than 5, 0 included), 'x' (withheld so that no small number can be worked "
        "out), a share ('40%') or ''.",
    )


class CouncilTableSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = CouncilRowSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class CouncilThemeSerializer(serializers.Serializer[Any]):
    key = serializers.ChoiceField(choices=list(THEME_KEYS))
    title = serializers.CharField()
    text = serializers.CharField(allow_blank=True, help_text="The text staff wrote for this theme (Dutch).")
    tables = CouncilTableSerializer(many=True)


class CouncilReportSerializer(CouncilReportSummarySerializer):
    period = serializers.CharField(source="snapshot.period")
    themes = serializers.SerializerMethodField()

    @extend_schema_field(CouncilThemeSerializer(many=True))
    def get_themes(self, report: CouncilReport) -> list[dict[str, Any]]:
        return [
            {"key": theme["key"], "title": theme["title"], "text": report.texts.get(theme["key"], ""),
             "tables": theme["tables"]}
            for theme in report.snapshot["themes"]
        ]  # fmt: skip


class CouncilReportCreateSerializer(serializers.Serializer[Any]):
    titel = serializers.CharField(max_length=200, required=False, default="Stand van zaken inburgering")
    van = serializers.RegexField(MONTH, help_text="First month (YYYY-MM).")
    tot = serializers.RegexField(MONTH, help_text="Last month (YYYY-MM).")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("van", "tot"):
            try:
                attrs[name] = date.fromisoformat(attrs[name] + "-01")
            except ValueError:
                raise serializers.ValidationError({name: "Geef een bestaande maand, bijvoorbeeld 2025-01."}) from None
        return attrs


class CouncilTextsSerializer(serializers.Serializer[Any]):
    teksten = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=TEXT_MAX_LENGTH, trim_whitespace=False),
        help_text=f"Theme key -> text; only the themes given change. Keys: {', '.join(THEME_KEYS)}.",
    )


class CouncilReportsView(ApiView):
    @extend_schema(
        operation_id="monitoring_council_reports_list", tags=TAGS,
        summary="Council reports (raadsrapporten) of the gemeente, newest first",
        description="Needs VIEW_MONITORING (else 404). Logged as `council_reports_listed`.",
        responses={200: CouncilReportSummarySerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        with transaction.atomic():
            reports = list(services.reports_of(self.actor))
            services.record_list(actor=self.actor, count=len(reports), via="api")
        return Response(CouncilReportSummarySerializer(reports, many=True).data)

    @extend_schema(
        operation_id="monitoring_council_reports_create", tags=TAGS,
        summary="Start a council report for a period: the figures are taken now, with a draft text per theme",
        description=(
            "The figures come from the aggregate layer with small numbers suppressed as on the regional page. "
            "Logged as `council_report_created`."
        ),
        request=CouncilReportCreateSerializer,
        responses={201: CouncilReportSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        data = self.body(CouncilReportCreateSerializer)
        with transaction.atomic():
            report = services.create_report(actor=self.actor, title=data["titel"], month_from=data["van"],
                                            month_to=data["tot"], via="api")  # fmt: skip
            return Response(CouncilReportSerializer(report).data, status=status.HTTP_201_CREATED)


class CouncilReportView(ApiView):
    @extend_schema(
        operation_id="monitoring_council_reports_retrieve", tags=TAGS,
        summary="One council report: its suppressed figures per theme and the texts",
        description="Logged as `council_report_viewed`.", parameters=[REPORT_ID],
        responses={200: CouncilReportSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, report_id: int) -> Response:
        with transaction.atomic():
            report = services.access_council_report(self.actor, report_id)
            services.record_view(actor=self.actor, report=report, via="api")
            return Response(CouncilReportSerializer(report).data)

    @extend_schema(
        operation_id="monitoring_council_reports_texts", tags=TAGS,
        summary="Change the texts of a concept report",
        description="409 once the PDF is made. Logged as `council_report_changed`.", parameters=[REPORT_ID],
        request=CouncilTextsSerializer,
        responses={200: CouncilReportSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def patch(self, request: Request, report_id: int) -> Response:
        data = self.body(CouncilTextsSerializer)
        with transaction.atomic():
            report = services.access_council_report(self.actor, report_id)
            report = services.update_texts(actor=self.actor, report=report, texts=data["teksten"], via="api")
            return Response(CouncilReportSerializer(report).data)


class CouncilReportGenerateView(ApiView):
    @extend_schema(
        operation_id="monitoring_council_reports_generate", tags=TAGS,
        summary="Make the PDF (a job); for a ready report: make it again from what is stored and compare",
        description=(
            "Answers 202 with the report; the job's outcome shows in `status` and `sha256` (and on the jobs "
            "page). Logged as `council_report_generation_started`."
        ),
        parameters=[REPORT_ID], request=None, responses={202: CouncilReportSerializer, **problems(401, 404)},
    )  # fmt: skip
    def post(self, request: Request, report_id: int) -> Response:
        with transaction.atomic():
            report = services.access_council_report(self.actor, report_id)
            report = services.start_generation(actor=self.actor, report=report, via="api")
            return Response(CouncilReportSerializer(report).data, status=status.HTTP_202_ACCEPTED)


class CouncilReportPdfView(ApiView):
    @extend_schema(
        operation_id="monitoring_council_reports_pdf", tags=TAGS,
        summary="The stored PDF of a ready council report",
        description="Answers `application/pdf`; 404 before it is made. Logged as `council_report_downloaded`.",
        parameters=[REPORT_ID],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, report_id: int) -> Any:
        with transaction.atomic():
            report = services.access_council_report(self.actor, report_id)
            content = services.pdf_of(actor=self.actor, report=report, via="api")
        response: HttpResponse = pdf_response(content, report.filename)
        return response

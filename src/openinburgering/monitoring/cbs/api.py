"""The CBS delivery in the API (#16 item 5): a quarter's deadline, aggregate counts of what is missing and the
stored files (GET /api/v1/monitoring/cbs), starting the job that makes a file (POST /api/v1/monitoring/cbs/files)
and the download of a stored, validated file (GET /api/v1/monitoring/cbs/files/{id}). No names: the list of
clients missing data is on the page only, for staff who open files. DELIVER_STATISTICS (else 404); every read,
request and download audited as on the page."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.roles import Capability
from openinburgering.api.schema import problems
from openinburgering.api.views.base import ApiView
from openinburgering.audit.services import record_event
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound
from openinburgering.rules.retention import cbs_delivery_retention

from . import services
from .selectors import quarter_summary
from .services import PURPOSE, Quarter

TAGS = ["monitoring"]
QUARTER = re.compile(r"^(20\d\d)-K([1-4])$")
DELIVERY_ID = OpenApiParameter("delivery_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="File id.")


def _quarter(value: str | None) -> Quarter:
    latest = Quarter.last_completed(today())
    if not value:
        return latest
    match = QUARTER.match(value)
    if match is None:
        raise serializers.ValidationError({"kwartaal": ["Schrijf het kwartaal als 2026-K3."]})
    quarter = Quarter(int(match.group(1)), int(match.group(2)))
    if quarter > latest or quarter.year < 2022:
        raise serializers.ValidationError({"kwartaal": ["Kies een kwartaal vanaf 2022 dat al voorbij is."]})
    return quarter


class QuarterQuerySerializer(serializers.Serializer[Any]):
    kwartaal = serializers.CharField(required=False, help_text="The quarter as YYYY-K1..K4 (default: the last one "
                                     "that has ended).")  # fmt: skip


class QuarterBodySerializer(serializers.Serializer[Any]):
    kwartaal = serializers.CharField(help_text="The quarter as YYYY-K1..K4; it must have ended.")


class DeliverySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kwartaal = serializers.CharField()
    version = serializers.IntegerField()
    replaces_version = serializers.IntegerField(allow_null=True)
    schema_version = serializers.CharField(help_text="Our own schema (pending CBS's official one).")
    record_count = serializers.IntegerField()
    correction_count = serializers.IntegerField(help_text="Records of earlier quarters delivered again.")
    incomplete_count = serializers.IntegerField(help_text="Records delivered with <onvolledig>.")
    left_out_count = serializers.IntegerField(help_text="Clients left out (no valid BSN or no doelgroep).")
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_download_at = serializers.DateTimeField(allow_null=True)
    destroyed = serializers.BooleanField(
        help_text="The retention job emptied the file (two years after its quarter): the download answers 409."
    )
    kept_until = serializers.DateField(
        help_text="The last day of the file's retention term (rules.retention.cbs_delivery_retention: two years "
        "after the quarter, the gemeente's choice); the retention job empties it after this day."
    )
    download_url = serializers.CharField()


class MissingSerializer(serializers.Serializer[Any]):
    kenmerk = serializers.CharField(help_text="What is missing (Dutch).")
    clients = serializers.IntegerField()


class QuarterSerializer(serializers.Serializer[Any]):
    kwartaal = serializers.CharField()
    period_start_on = serializers.DateField()
    period_end_on = serializers.DateField()
    deliver_by_on = serializers.DateField(help_text="rules.cbs_levering: 4 weeks after the quarter.")
    delivered = serializers.BooleanField(help_text="A file of this quarter has been downloaded.")
    in_scope = serializers.IntegerField(help_text="Clients under the plicht in the quarter.")
    deliverable = serializers.IntegerField()
    incomplete = serializers.IntegerField()
    left_out = serializers.IntegerField()
    missing = MissingSerializer(many=True)
    files = DeliverySerializer(many=True)


class JobSerializer(serializers.Serializer[Any]):
    job_id = serializers.IntegerField()
    status = serializers.CharField()
    kwartaal = serializers.CharField()


def _delivery(delivery: Any) -> dict[str, Any]:
    return {
        "id": delivery.pk, "kwartaal": f"{delivery.year}-K{delivery.quarter}", "version": delivery.version,
        "replaces_version": delivery.version - 1 if delivery.replaces_id else None,
        "schema_version": delivery.schema_version, "record_count": delivery.record_count,
        "correction_count": delivery.correction_count, "incomplete_count": delivery.incomplete_count,
        "left_out_count": delivery.left_out_count, "sha256": delivery.sha256, "created_at": delivery.created_at,
        "last_download_at": delivery.last_download, "destroyed": delivery.destroyed,
        "kept_until": cbs_delivery_retention(year=delivery.year, quarter=delivery.quarter),
        "download_url": reverse("api:monitoring-cbs-file", kwargs={"delivery_id": delivery.pk}),
    }  # fmt: skip


class CbsQuarterView(ApiView):
    @extend_schema(
        operation_id="monitoring_cbs", tags=TAGS,
        summary="CBS file of a quarter: deadline, what is missing (counts only) and the stored files",
        description="Needs DELIVER_STATISTICS (else 404). No names. Logged as `cbs_delivery_viewed`.",
        parameters=[QuarterQuerySerializer], responses={200: QuarterSerializer, **problems(400, 401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        if not self.actor.can(Capability.DELIVER_STATISTICS):
            raise NotFound()
        quarter = _quarter(self.query(QuarterQuerySerializer).get("kwartaal"))
        period = quarter.period
        with transaction.atomic():
            summary = quarter_summary(self.actor.gemeente_id, quarter)
            files = [d for d in services.deliveries_of(self.actor.gemeente_id)
                     if (d.year, d.quarter) == (quarter.year, quarter.quarter)]  # fmt: skip
            record_event(
                actor=self.actor, event_type="cbs_delivery_viewed", purpose=PURPOSE, subject_type="cbs",
                subject_id=quarter.label, via="api", changes={"incomplete": summary.incomplete + summary.left_out,
                                                              "names_shown": 0},
            )  # fmt: skip
        data = {
            "kwartaal": quarter.label, "period_start_on": period.period_start_on,
            "period_end_on": period.period_end_on, "deliver_by_on": period.deliver_by_on,
            "delivered": any(getattr(d, "last_download", None) for d in files), "in_scope": summary.in_scope,
            "deliverable": summary.deliverable, "incomplete": summary.incomplete, "left_out": summary.left_out,
            "missing": [{"kenmerk": label, "clients": count} for label, count in summary.missing.items()],
            "files": [_delivery(d) for d in files],
        }  # fmt: skip
        return Response(QuarterSerializer(data).data)


class CbsFilesView(ApiView):
    @extend_schema(
        operation_id="monitoring_cbs_files_create", tags=TAGS,
        summary="Start the job that makes and validates a quarter's CBS file",
        description=(
            "202 with the job (its progress on the jobs page). A request while a job for the quarter waits or runs "
            "returns that job. A second file for a quarter is a new version; the earlier stays. Needs "
            "DELIVER_STATISTICS (else 404). Logged as `cbs_delivery_requested`."
        ),
        request=QuarterBodySerializer, responses={202: JobSerializer, **problems(400, 401, 404)},
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        if not self.actor.can(Capability.DELIVER_STATISTICS):
            raise NotFound()
        quarter = _quarter(self.body(QuarterBodySerializer)["kwartaal"])
        run = services.request_delivery(actor=self.actor, quarter=quarter, today=today(), via="api")
        return Response({"job_id": run.pk, "status": run.status, "kwartaal": quarter.label}, status=202)


class CbsFileView(ApiView):
    @extend_schema(
        operation_id="monitoring_cbs_file", tags=TAGS,
        summary="Download a stored CBS file (XML, validated against the schema before it was stored)",
        description="Holds BSNs. Needs DELIVER_STATISTICS in the file's gemeente (else 404). Logged as "
        "`cbs_delivery_downloaded`. 409 when the retention job has destroyed the file (two years after its quarter; "
        "`destroyed` in the list): the row and its SHA-256 stay, the content is gone.",
        parameters=[DELIVERY_ID],
        responses={
            (200, "application/xml"): OpenApiResponse(response=OpenApiTypes.BINARY, description="The file."),
            **problems(401, 404, 409),
        },
    )  # fmt: skip
    def get(self, request: Request, delivery_id: int) -> HttpResponse:
        with transaction.atomic():
            delivery = services.access_delivery(self.actor, delivery_id)
            services.record_download(actor=self.actor, delivery=delivery, via="api")
            response = HttpResponse(bytes(delivery.content), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{delivery.filename}"'
        return response

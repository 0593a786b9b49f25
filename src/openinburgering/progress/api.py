"""Voortgang in the API: the figures of one client file (the same as the page), the afschalen judgement and the
gemeente's attendance threshold. Client paths go through access_client_file (404 for another gemeente or a role
without access); every read and change is audited in its transaction. Statutory checks come from the rules."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.api.schema import problems
from openinburgering.api.views.base import CLIENT_ID, ApiView
from openinburgering.clients.access import access_client_file
from openinburgering.core.dates import today

from . import services
from .models import AfschalenJudgement, ProgressSettings

TAGS = ["voortgang"]


# ---------------------------------------------------------------------------------------------------------------
# Serializers


class EnrolmentProgressSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="enrolment.id")
    component = serializers.CharField(source="enrolment.component")
    provider = serializers.CharField(source="enrolment.provider.name")
    status = serializers.CharField(source="enrolment.status")
    starts_on = serializers.DateField(source="enrolment.starts_on")
    ends_on = serializers.DateField(source="enrolment.ends_on")
    hours_per_week = serializers.DecimalField(source="enrolment.hours_per_week", max_digits=4, decimal_places=1)
    weeks_elapsed = serializers.IntegerField()
    planned_hours = serializers.DecimalField(max_digits=9, decimal_places=1)
    hours_offered = serializers.DecimalField(source="offered", max_digits=9, decimal_places=1)
    hours_attended = serializers.DecimalField(source="attended", max_digits=9, decimal_places=1)
    hours_absent_authorised = serializers.DecimalField(source="absent_authorised", max_digits=9, decimal_places=1)
    hours_absent_unauthorised = serializers.DecimalField(source="absent_unauthorised", max_digits=9, decimal_places=1)
    window_hours_offered = serializers.DecimalField(source="window_offered", max_digits=9, decimal_places=1)
    window_hours_attended = serializers.DecimalField(source="window_attended", max_digits=9, decimal_places=1)
    attendance_rate_percent = serializers.DecimalField(
        source="rate_percent", max_digits=5, decimal_places=1, allow_null=True
    )
    signal = serializers.BooleanField()


class AttendanceSerializer(serializers.Serializer[Any]):
    window_starts_on = serializers.DateField()
    window_ends_on = serializers.DateField()
    threshold_percent = serializers.IntegerField()
    hours_offered = serializers.DecimalField(max_digits=9, decimal_places=1)
    hours_attended = serializers.DecimalField(max_digits=9, decimal_places=1)
    rate_percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    signal = serializers.BooleanField()


class PipSummarySerializer(serializers.Serializer[Any]):
    version_id = serializers.IntegerField()
    number = serializers.IntegerField()
    leerroute = serializers.CharField()
    level = serializers.CharField()
    lesson_hours_per_week = serializers.IntegerField(allow_null=True)
    estimated_b1_intensity = serializers.IntegerField(allow_null=True)
    pvt_intensity = serializers.CharField()
    map_intensity = serializers.CharField()
    open_version_id = serializers.IntegerField(allow_null=True)


class ExamPartProgressSerializer(serializers.Serializer[Any]):
    part = serializers.CharField()
    passed = serializers.BooleanField()
    level = serializers.CharField(help_text="Highest level passed (empty for KNM or when not passed).")
    by_provider = serializers.BooleanField(help_text="A provider's report that the gemeente confirmed counts.")
    by_achievement = serializers.BooleanField(help_text="The gemeente recorded the DUO result as an achievement.")
    reported_unconfirmed = serializers.BooleanField(
        help_text="A provider reported it passed and the gemeente has not confirmed it yet: it does not count "
        "toward voldaan (the exam is taken at DUO)."
    )


class CompletionSerializer(serializers.Serializer[Any]):
    pvt_signed_on = serializers.DateField(allow_null=True)
    map_completed_on = serializers.DateField(allow_null=True)
    z_final_interview_on = serializers.DateField(allow_null=True)
    onderwijsroute_completed = serializers.BooleanField()
    z_course_hours = serializers.DecimalField(max_digits=9, decimal_places=1)
    z_participation_hours = serializers.DecimalField(max_digits=9, decimal_places=1)


class TalksSerializer(serializers.Serializer[Any]):
    planned = serializers.IntegerField()
    held = serializers.IntegerField()


class VoldaanProgressSerializer(serializers.Serializer[Any]):
    voldaan = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    missing_labels = serializers.ListField(child=serializers.CharField())


class AfschalenProgressSerializer(serializers.Serializer[Any]):
    allowed = serializers.BooleanField()
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    nt2_course_hours = serializers.DecimalField(max_digits=9, decimal_places=1)
    judgement_recorded = serializers.BooleanField()


class SwitchOptionSerializer(serializers.Serializer[Any]):
    to_route = serializers.CharField()
    allowed = serializers.BooleanField()
    reason = serializers.CharField()


class SwitchWindowSerializer(serializers.Serializer[Any]):
    from_route = serializers.CharField()
    until_on = serializers.DateField()
    open = serializers.BooleanField()
    options = SwitchOptionSerializer(many=True)


class ExtensionProgressSerializer(serializers.Serializer[Any]):
    requested_on = serializers.DateField()
    termijn_end_on = serializers.DateField()
    request_from_on = serializers.DateField()
    window_open = serializers.BooleanField()
    eligible = serializers.BooleanField()
    unmet = serializers.ListField(child=serializers.CharField())


class ProgressReportSerializer(serializers.Serializer[Any]):
    happened_on = serializers.DateField()
    provider = serializers.CharField(source="enrolment.provider.name")
    component = serializers.CharField(source="enrolment.component")
    note = serializers.CharField()


class ModuleProgressSerializer(serializers.Serializer[Any]):
    """What providers reported about PVT and MAP, and their voortgangsverslagen (the gemeente records the
    achievements themselves on the handhaving page)."""

    pvt_signed_reported_on = serializers.DateField(allow_null=True)
    map_themes_done = serializers.ListField(child=serializers.CharField(), help_text="MAP themes, by label.")
    map_themes_total = serializers.IntegerField()
    map_ready_reported_on = serializers.DateField(allow_null=True)
    progress_reports = ProgressReportSerializer(many=True)


class ProgressSerializer(serializers.Serializer[Any]):
    as_of = serializers.DateField()
    enrolments = EnrolmentProgressSerializer(many=True)
    attendance = AttendanceSerializer()
    pip = PipSummarySerializer(allow_null=True, help_text="Null without a vastgesteld PIP.")
    exam_parts = ExamPartProgressSerializer(many=True)
    completion = CompletionSerializer()
    progress_talks = TalksSerializer()
    voldaan = VoldaanProgressSerializer(allow_null=True)
    afschalen = AfschalenProgressSerializer(allow_null=True)
    route_switch = SwitchWindowSerializer(allow_null=True)
    extension = ExtensionProgressSerializer(allow_null=True)
    module = ModuleProgressSerializer()


class JudgementCreateSerializer(serializers.Serializer[Any]):
    sufficient_effort = serializers.BooleanField()
    b1_reachable_in_termijn = serializers.BooleanField()
    reasoning = serializers.CharField(max_length=10_000)


class JudgementSerializer(serializers.ModelSerializer[AfschalenJudgement]):
    recorded_by = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = AfschalenJudgement
        fields: tuple[str, ...] = (
            "id", "sufficient_effort", "b1_reachable_in_termijn", "reasoning", "leerroute", "nt2_course_hours",
            "allowed", "reason", "recorded_at", "recorded_by",
        )  # fmt: skip
        read_only_fields = fields


class ProgressSettingsSerializer(serializers.ModelSerializer[ProgressSettings]):
    attendance_threshold_percent = serializers.IntegerField(min_value=1, max_value=100)

    class Meta:
        model = ProgressSettings
        fields = ("attendance_threshold_percent",)


def progress_body(progress: services.Progress) -> dict[str, Any]:
    version = progress.version
    achieved = progress.achieved
    pvt, map_ready = progress.provider_pvt_signed, progress.map_ready
    return {
        "as_of": progress.as_of,
        "module": {
            "pvt_signed_reported_on": pvt.happened_on if pvt else None,
            "map_themes_done": list(progress.map_themes_done),
            "map_themes_total": progress.map_themes_total,
            "map_ready_reported_on": map_ready.happened_on if map_ready else None,
            "progress_reports": list(progress.progress_reports),
        },
        "enrolments": progress.enrolments,
        "attendance": {
            "window_starts_on": progress.window.starts_on,
            "window_ends_on": progress.window.ends_on,
            "threshold_percent": progress.threshold_percent,
            "hours_offered": progress.window_offered,
            "hours_attended": progress.window_attended,
            "rate_percent": progress.rate_percent,
            "signal": progress.signal,
        },
        "pip": None
        if version is None
        else {
            "version_id": version.pk,
            "number": version.number,
            "leerroute": version.leerroute,
            "level": version.level,
            "lesson_hours_per_week": version.lesson_hours_per_week,
            "estimated_b1_intensity": version.estimated_b1_intensity,
            "pvt_intensity": version.pvt_intensity,
            "map_intensity": version.map_intensity,
            "open_version_id": progress.open_version.pk if progress.open_version else None,
        },
        "exam_parts": [
            {
                "part": row.part.value,
                "passed": row.passed,
                "level": row.level,
                "by_provider": row.by_provider,
                "by_achievement": row.by_achievement,
                "reported_unconfirmed": row.reported_unconfirmed,
            }
            for row in progress.exam_parts
        ],
        "completion": {
            "pvt_signed_on": achieved.pvt_signed_on,
            "map_completed_on": achieved.map_completed_on,
            "z_final_interview_on": achieved.z_final_interview_on,
            "onderwijsroute_completed": achieved.onderwijsroute_completed,
            "z_course_hours": achieved.z_course_hours,
            "z_participation_hours": achieved.z_participation_hours,
        },
        "progress_talks": {"planned": progress.talks_planned, "held": progress.talks_held},
        "voldaan": None
        if progress.voldaan is None
        else {
            "voldaan": progress.voldaan.result.voldaan,
            "missing": [str(code) for code in progress.voldaan.result.missing],
            "missing_labels": list(progress.voldaan.missing_labels),
        },
        "afschalen": None
        if progress.afschalen is None
        else {
            "allowed": progress.afschalen.result.allowed,
            "reason": progress.afschalen.result.reason.value,
            "reason_label": progress.afschalen.label,
            "nt2_course_hours": progress.afschalen.nt2_course_hours,
            "judgement_recorded": progress.afschalen.judgement is not None,
        },
        "route_switch": None
        if progress.switch is None
        else {
            "from_route": progress.switch.from_route,
            "until_on": progress.switch.until_on,
            "open": progress.switch.open,
            "options": [
                {"to_route": o.to_route, "allowed": o.allowed, "reason": o.reason.value}
                for o in progress.switch.options
            ],
        },
        "extension": None
        if progress.extension is None
        else {
            "requested_on": progress.extension.requested_on,
            "termijn_end_on": progress.extension.termijn_end_on,
            "request_from_on": progress.extension.result.request_from_on,
            "window_open": progress.extension.window_open,
            "eligible": progress.extension.result.eligible,
            "unmet": [str(code) for code in progress.extension.result.unmet],
        },
    }


# ---------------------------------------------------------------------------------------------------------------
# Views


class ProgressView(ApiView):
    @extend_schema(
        operation_id="clients_progress_retrieve", tags=TAGS,
        summary="Voortgang of a client file: hours, attendance, exams, voldaan, afschalen, route switch, extension",
        description=(
            "Computed, nothing stored. Attendance over the last 4 complete ISO weeks with a signal under the "
            "gemeente's threshold. Voldaan, afschalen, the route switch window and the extension come from the "
            "rules. Logged as `progress_read`."
        ),
        parameters=[CLIENT_ID], responses={200: ProgressSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.VOORTGANG)
            services.record_read(actor=self.actor, client_file=client_file, event_type="progress_read", via="api")
            progress = services.progress_of(client_file, as_of=today())
            return Response(ProgressSerializer(progress_body(progress)).data)


class JudgementView(ApiView):
    @extend_schema(
        operation_id="clients_progress_judgement_create", tags=TAGS,
        summary="Record the klantregisseur's judgement for afschalen to A2 (effort, B1 reachable)",
        description="Insert-only; the outcome of rules.afschalen is stored with it. Logged as "
        "`afschalen_judgement_recorded`.",
        parameters=[CLIENT_ID], request=JudgementCreateSerializer,
        responses={201: JudgementSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(JudgementCreateSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.VOORTGANG)
            judgement = services.record_afschalen_judgement(
                actor=self.actor, client_file=client_file, data=data, via="api"
            )
        return Response(JudgementSerializer(judgement).data, status=status.HTTP_201_CREATED)


class ProgressSettingsView(ApiView):
    @extend_schema(
        operation_id="progress_settings_retrieve", tags=TAGS,
        summary="The gemeente's attendance threshold (functioneel beheerder)",
        description="Needs the manage_staff capability (403 otherwise).",
        responses={200: ProgressSettingsSerializer, **problems(401, 403)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        self.require(Capability.MANAGE_STAFF)
        return Response(ProgressSettingsSerializer(services.settings_of(self.actor.gemeente)).data)

    @extend_schema(
        operation_id="progress_settings_partial_update", tags=TAGS,
        summary="Change the gemeente's attendance threshold (1-100 %)",
        description="Needs the manage_staff capability (403 otherwise). Logged as `progress_settings_changed`.",
        request=ProgressSettingsSerializer,
        responses={200: ProgressSettingsSerializer, **problems(400, 401, 403, 413, 415)},
    )  # fmt: skip
    def patch(self, request: Request) -> Response:
        self.require(Capability.MANAGE_STAFF)
        data = self.body(ProgressSettingsSerializer, partial=True)
        if "attendance_threshold_percent" not in data:
            current = services.settings_of(self.actor.gemeente)
            return Response(ProgressSettingsSerializer(current).data)
        settings = services.update_settings(actor=self.actor, data=data, via="api")
        return Response(ProgressSettingsSerializer(settings).data)

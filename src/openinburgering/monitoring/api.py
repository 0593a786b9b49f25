"""The monitoring API (/api/v1/monitoring/...): the same aggregated figures as the dashboard, for a token or
session with VIEW_CONTRACT_RESULTS (another role: 404). Every read is audited as `monitoring_dashboard_viewed`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.roles import Capability
from openinburgering.api.schema import problems
from openinburgering.api.views.base import ApiView
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound
from openinburgering.providers.models import EXAM_PART_CHOICES

from . import selectors, services
from .selectors import CohortRow, ContractRow, Filters

TAGS = ["monitoring"]


def _dec() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2)


class FilterSerializer(serializers.Serializer[Any]):
    van = serializers.DateField(required=False, help_text="Period from (YYYY-MM-DD).")
    tot = serializers.DateField(required=False, help_text="Period up to and including (YYYY-MM-DD).")
    aanbieder = serializers.IntegerField(required=False, min_value=1, help_text="Provider id.")
    contract = serializers.IntegerField(required=False, min_value=1, help_text="Contract id.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("van") and attrs.get("tot") and attrs["tot"] < attrs["van"]:
            raise serializers.ValidationError({"tot": "De einddatum ligt voor de begindatum."})
        return attrs


class ExamPartSerializer(serializers.Serializer[Any]):
    part = serializers.ChoiceField(choices=EXAM_PART_CHOICES)
    attempts = serializers.IntegerField()
    passed = serializers.IntegerField()


class ContractFiguresSerializer(serializers.Serializer[Any]):
    contract_id = serializers.IntegerField(source="contract.pk")
    contract = serializers.CharField(source="contract.name")
    provider_id = serializers.IntegerField(source="provider.pk")
    provider = serializers.CharField(source="provider.name")
    scope = serializers.ChoiceField(choices=["gemeente", "regio"], help_text="Region: only this gemeente's clients.")
    price_model = serializers.CharField(source="contract.price_model")
    keurmerk = serializers.CharField()
    capacity = serializers.IntegerField()
    enrolled = serializers.IntegerField()
    active = serializers.IntegerField()
    hours_contracted = _dec()
    hours_offered = _dec()
    hours_attended = _dec()
    absent_authorised = _dec()
    absent_unauthorised = _dec()
    exam_attempts = serializers.IntegerField()
    exams_passed = serializers.IntegerField()
    exam_parts = serializers.SerializerMethodField()
    voldaan = serializers.IntegerField()
    route_switched = serializers.IntegerField()
    stopped = serializers.IntegerField()
    cost_route = _dec()
    cost_hours = _dec()
    cost_results = _dec()
    cost_total = _dec()
    lesson_visits = serializers.IntegerField()
    lesson_visit_score = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    survey_respondents = serializers.IntegerField()
    survey_score = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    survey_percent = serializers.IntegerField(allow_null=True)

    @extend_schema_field(ExamPartSerializer(many=True))
    def get_exam_parts(self, row: ContractRow) -> list[dict[str, Any]]:
        return [
            {"part": code, "attempts": row.attempts_per_part.get(code, 0), "passed": row.passed_per_part.get(code, 0)}
            for code, _ in EXAM_PART_CHOICES
        ]


class CohortSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(help_text="Cohort: the year the client file was opened.")
    started = serializers.IntegerField()
    route_b1 = serializers.IntegerField()
    route_onderwijs = serializers.IntegerField()
    route_z = serializers.IntegerField()
    route_none = serializers.IntegerField(help_text="No vastgesteld PIP yet.")
    work = serializers.IntegerField(help_text="Newest vervolgcontact after the plicht: betaald werk.")
    education = serializers.IntegerField(help_text="Newest vervolgcontact after the plicht: opleiding of studie.")
    participation = serializers.IntegerField(help_text="Newest vervolgcontact after the plicht: participatie.")
    voldaan = serializers.IntegerField()
    in_traject = serializers.IntegerField()
    follow_up_unknown = serializers.IntegerField(help_text="Voldaan without any vervolgcontact yet.")
    pip_counted = serializers.IntegerField(
        help_text="Files whose PIP deadline (B 5.3, from the rules) has passed or that have a PIP."
    )
    pip_on_time = serializers.IntegerField(help_text="Of those, the PIP's dagtekening is on or before the deadline.")
    pip_on_time_percent = serializers.IntegerField(allow_null=True, help_text="Rounded; null when none counted.")
    voldaan_counted = serializers.IntegerField(
        help_text="Files with a termijn (W 11) that are voldaan, or whose termijn ended while under the plicht."
    )
    voldaan_on_time = serializers.IntegerField(help_text="Of those, voldaan on or before the end of the termijn.")
    voldaan_on_time_percent = serializers.IntegerField(allow_null=True, help_text="Rounded; null when none counted.")


def _filters(data: dict[str, Any]) -> Filters:
    return Filters(
        date_from=data.get("van"), date_to=data.get("tot"), provider_id=data.get("aanbieder"),
        contract_id=data.get("contract"),
    )  # fmt: skip


class MonitoringView(ApiView):
    def viewer_filters(self) -> Filters:
        if not self.actor.can(Capability.VIEW_CONTRACT_RESULTS):
            raise NotFound()
        return _filters(self.query(FilterSerializer))


class ContractsView(MonitoringView):
    @extend_schema(
        operation_id="monitoring_contracts",
        tags=TAGS,
        summary="Figures per contract (hours, absence, exams, outflow, cost, quality)",
        description=(
            "Contracts of the gemeente and of its arbeidsmarktregio; client figures count only this gemeente's "
            "clients. Aggregated figures only. Logged as `monitoring_dashboard_viewed`."
        ),
        parameters=[FilterSerializer],
        responses={200: ContractFiguresSerializer(many=True), **problems(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        filters = self.viewer_filters()
        with transaction.atomic():
            rows: list[ContractRow] = selectors.contract_dashboard(self.actor, filters, today=today())
            services.record_view(self.actor, what="contracts", filters=filters, via="api")
        return Response(ContractFiguresSerializer(rows, many=True).data)


class CohortsView(MonitoringView):
    @extend_schema(
        operation_id="monitoring_cohorts",
        tags=TAGS,
        summary="Results per cohort (year the file was opened)",
        description="The 'Aan de slag' style table of the gemeente. Logged as `monitoring_dashboard_viewed`.",
        parameters=[FilterSerializer],
        responses={200: CohortSerializer(many=True), **problems(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        filters = self.viewer_filters()
        with transaction.atomic():
            rows: list[CohortRow] = selectors.cohort_table(self.actor, filters, today=today())
            services.record_view(self.actor, what="cohorts", filters=filters, via="api")
        return Response(CohortSerializer(rows, many=True).data)

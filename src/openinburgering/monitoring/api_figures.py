"""The figures API of #16 (/api/v1/monitoring/gemeente, /regio, /team, /kis): the same aggregated tables as the
pages, never a person. Who may read: as on the pages (docs/monitoring.md); otherwise 404. Every read is audited
as ``monitoring_figures_viewed`` (via "api")."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.roles import Capability
from openinburgering.api.schema import problems
from openinburgering.api.views.base import ApiView
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound

from . import figures, region, team
from .figure_views import record_figures

TAGS = ["monitoring"]


class CellValue(serializers.JSONField):
    """A cell: a number, a decimal as text, a label, or null (no figure)."""


class TableSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField(help_text="How the figure is counted (Dutch).")
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=CellValue()),
        help_text="The first cell labels the row; null means no figure (nothing counted).",
    )


class GemeenteQuerySerializer(serializers.Serializer[Any]):
    van = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", required=False, help_text="First month (YYYY-MM).")
    tot = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", required=False, help_text="Last month (YYYY-MM).")
    doelgroep = serializers.ChoiceField(
        choices=["asielstatushouder", "gezinsmigrant", "overig", "geen"], required=False,
        help_text="Only this doelgroep ('geen': none recorded).",
    )  # fmt: skip
    team = serializers.IntegerField(required=False, min_value=0, help_text="Team id; 0 = files without a team.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        default = figures.Filters.default(today())
        start = date.fromisoformat(attrs["van"] + "-01") if attrs.get("van") else default.month_from
        end = date.fromisoformat(attrs["tot"] + "-01") if attrs.get("tot") else default.month_to
        if end < start:
            raise serializers.ValidationError({"tot": "De laatste maand ligt voor de eerste maand."})
        if (end.year - start.year) * 12 + end.month - start.month >= 60:
            raise serializers.ValidationError({"tot": "Kies een periode van hoogstens 5 jaar."})
        doelgroep = attrs.get("doelgroep")
        attrs["filters"] = figures.Filters(
            month_from=start, month_to=end, doelgroep="" if doelgroep == "geen" else doelgroep, team=attrs.get("team")
        )
        return attrs


class GemeenteFiguresSerializer(serializers.Serializer[Any]):
    van = serializers.CharField(help_text="First month (YYYY-MM).")
    tot = serializers.CharField(help_text="Last month (YYYY-MM).")
    tables = TableSerializer(many=True)


class GemeenteFiguresView(ApiView):
    @extend_schema(
        operation_id="monitoring_gemeente",
        tags=TAGS,
        summary="Gemeente dashboard: every figure as a table with its definition",
        description=(
            "Inflow per month, time to brede intake and to PIP against the 10-week norm, PIP on time, voldaan "
            "within the termijn, vroege start, duaal, randvoorwaarden, ontzorgen, reached, fines, routes by "
            "doelgroep and outcomes after voldaan, from the aggregate layer. Needs VIEW_MONITORING (else 404). "
            "Logged as `monitoring_figures_viewed`."
        ),
        parameters=[GemeenteQuerySerializer],
        responses={200: GemeenteFiguresSerializer, **problems(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        if not self.actor.can(Capability.VIEW_MONITORING):
            raise NotFound()
        filters: figures.Filters = self.query(GemeenteQuerySerializer)["filters"]
        with transaction.atomic():
            tables = figures.gemeente_dashboard(self.actor.gemeente_id, filters)
            record_figures(self.actor, what="gemeente", filters=filters.as_dict(), via="api")
        data = {"van": filters.month_from.strftime("%Y-%m"), "tot": filters.month_to.strftime("%Y-%m"),
                "tables": [_jsonable(t.as_dict()) for t in tables]}  # fmt: skip
        return Response(GemeenteFiguresSerializer(data).data)


def _jsonable(table: dict[str, Any]) -> dict[str, Any]:
    table["rows"] = [[cell if cell is None or isinstance(cell, int | str) else str(cell) for cell in row]
                     for row in table["rows"]]  # fmt: skip
    return table


class YearQuerySerializer(serializers.Serializer[Any]):
    jaar = serializers.IntegerField(required=False, min_value=2021, help_text="Calendar year (default: this year).")

    def validate_jaar(self, value: int) -> int:
        if value > today().year:
            raise serializers.ValidationError("Kies een jaar dat al begonnen is.")
        return value


class RegionRowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label" (the stubs see Field.label)
    level = serializers.IntegerField(help_text="0: a population; 1: a part of the population above it.")
    values = serializers.ListField(
        child=serializers.CharField(),
        help_text="Per gemeente, then the region's total: a number, '< 5' (fewer than 5, 0 included) or 'x' "
        "(5 or more, withheld so that a '< 5' cell cannot be worked out).",
    )


class DefinitionSerializer(serializers.Serializer[Any]):
    figure = serializers.CharField()
    definition = serializers.CharField()


class RegionSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    region = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = RegionRowSerializer(many=True)
    definitions = DefinitionSerializer(many=True)


class RegionView(ApiView):
    @extend_schema(
        operation_id="monitoring_regio",
        tags=TAGS,
        summary="Regional comparison: figures per gemeente of the arbeidsmarktregio, small cells suppressed",
        description=(
            "The same table as the page, with the same suppression. Needs VIEW_REGIONAL_MONITORING (else 404). "
            "Logged as `monitoring_figures_viewed`."
        ),
        parameters=[YearQuerySerializer],
        responses={200: RegionSerializer, **problems(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        if not self.actor.can(Capability.VIEW_REGIONAL_MONITORING):
            raise NotFound()
        year = self.query(YearQuerySerializer).get("jaar") or today().year
        with transaction.atomic():
            table = region.region_table(self.actor.gemeente.region_id, year)
            record_figures(self.actor, what="regio", filters={"jaar": year}, via="api")
        return Response(RegionSerializer(region.as_api(table)).data)


class CaseworkerSerializer(serializers.Serializer[Any]):
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    team = serializers.CharField()
    caseload = serializers.IntegerField(help_text="Assigned files under the plicht.")
    overdue = serializers.IntegerField(help_text="Of those, the next step (from the rules) is before today.")
    this_week = serializers.IntegerField(help_text="Next step today or in the 6 days after.")
    unplanned = serializers.IntegerField(help_text="No next step known.")
    intake_count = serializers.IntegerField(help_text="Brede intakes completed in the last 12 months.")
    intake_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    pip_count = serializers.IntegerField(help_text="First PIPs in the last 12 months.")
    pip_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)


class TeamView(ApiView):
    @extend_schema(
        operation_id="monitoring_team",
        tags=TAGS,
        summary="Per klantregisseur: caseload, overdue steps, steps this week, average time to intake and PIP",
        description=(
            "The teamleider gets every caseworker of the gemeente; a klantregisseur only themselves; other roles "
            "404. Logged as `monitoring_figures_viewed`."
        ),
        responses={200: CaseworkerSerializer(many=True), **problems(401, 404)},
    )
    def get(self, request: Request) -> Response:
        with transaction.atomic():
            rows = team.caseworker_rows(self.actor, today=today())
            record_figures(self.actor, what="team", filters={"caseworkers": len(rows)}, via="api")
        return Response(CaseworkerSerializer(rows, many=True).data)


class KisView(ApiView):
    @extend_schema(
        operation_id="monitoring_kis",
        tags=TAGS,
        summary="KIS-Monitor themes for a calendar year, each figure with its definition",
        description=(
            "Vroege start, randvoorwaarden, taal and participatie combined, begeleiding of gezinsmigranten, "
            "financieel ontzorgen, leerroutes and integration routes after voldaan, from the aggregate layer. "
            "Default year: last year. Needs VIEW_MONITORING (else 404). Logged as `monitoring_figures_viewed`."
        ),
        parameters=[YearQuerySerializer],
        responses={200: TableSerializer, **problems(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        if not self.actor.can(Capability.VIEW_MONITORING):
            raise NotFound()
        year = self.query(YearQuerySerializer).get("jaar") or today().year - 1
        with transaction.atomic():
            table = figures.kis_table(self.actor.gemeente_id, year)
            record_figures(self.actor, what="kis", filters={"jaar": year}, via="api")
        return Response(TableSerializer(_jsonable(table.as_dict())).data)

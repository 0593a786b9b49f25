"""Pages of the figures of #16 (/monitoring/gemeente/, /monitoring/team/, /monitoring/regio/, /monitoring/kis/).

Only aggregated figures from the aggregate layer (``monitoring.facts``); every view and every CSV export is
audited in the request's transaction (``monitoring_figures_viewed`` / ``monitoring_figures_exported``). Who may see
what (docs/monitoring.md): the gemeente dashboard and the KIS page need VIEW_MONITORING (beleidsmedewerker,
teamleider), the team page VIEW_TEAM_CASELOAD (teamleider) or VIEW_OWN_CASELOAD (a klantregisseur: only
themselves), the region VIEW_REGIONAL_MONITORING (regiocoördinator). Otherwise 404."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Team
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.audit.services import record_event
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound

from . import charts, export, figures, region, team
from .charts import Group, bar_chart
from .forms import FigureFilterForm

PURPOSE = "monitoring en sturing"


def record_figures(actor: Actor, *, what: str, filters: dict[str, Any], rows: int | None = None,
                   via: str = "ui") -> None:  # fmt: skip
    """Audits a view (rows None) or a CSV export of aggregated figures; never a client file."""
    record_event(
        actor=actor,
        event_type="monitoring_figures_viewed" if rows is None else "monitoring_figures_exported",
        purpose=PURPOSE,
        subject_type="monitoring",
        subject_id=what,
        via=via,
        changes={"filters": filters} | ({} if rows is None else {"rows": rows, "format": "csv"}),
    )


def chart_for(table: figures.Table) -> SafeString | None:
    """The SVG chart of a table (its ``chart`` spec): the first column labels the groups, the spec's columns
    are the bars. The numbers are in the table beside it."""
    spec = table.chart
    if not spec or not table.rows:
        return None
    series = [charts.FIGURE_SERIES[key] for key in spec["series"]]
    groups = [Group(str(row[0]), [row[c] if isinstance(row[c], int) else None for c in spec["columns"]])
              for row in table.rows]  # fmt: skip
    return bar_chart(
        chart_id=f"chart-{table.key}",
        title=table.title,
        description="De cijfers staan ook in de tabel onder de grafiek.",
        series=series,
        groups=groups,
        scale_max=spec.get("scale_max"),
        unit=spec.get("unit", ""),
    )


def csv_response(table: figures.Table, filename: str) -> HttpResponse:
    rows = [[export.safe_cell(cell) for cell in row] for row in table.rows]
    response = HttpResponse(export.to_csv(table.columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _gemeente_viewer(request: HttpRequest) -> Actor:
    actor = request_actor(request)
    require(actor, Capability.VIEW_MONITORING)
    return actor


def _gemeente_filters(request: HttpRequest, actor: Actor) -> tuple[FigureFilterForm, figures.Filters | None]:
    teams = list(Team.objects.filter(gemeente_id=actor.gemeente_id).order_by("name"))
    form = FigureFilterForm(request.GET or None, teams=teams, default=figures.Filters.default(today()))
    if not request.GET:
        return form, figures.Filters.default(today())
    return form, form.filters() if form.is_valid() else None


@staff_view
@require_GET
def gemeente(request: HttpRequest) -> HttpResponse:
    actor = _gemeente_viewer(request)
    form, filters = _gemeente_filters(request, actor)
    context: dict[str, Any] = {"form": form, "query": request.GET.urlencode(), "tables": None,
                               "team_view": actor.can(Capability.VIEW_TEAM_CASELOAD)}  # fmt: skip
    if filters is None:
        return render(request, "monitoring/gemeente.html", context, status=400)
    with transaction.atomic():
        tables = figures.gemeente_dashboard(actor.gemeente_id, filters)
        record_figures(actor, what="gemeente", filters=filters.as_dict())
    context |= {"tables": [(t, chart_for(t)) for t in tables], "filters": filters,
                "period": f"{figures.month_label(filters.month_from)} tot en met "
                          f"{figures.month_label(filters.month_to)}"}  # fmt: skip
    return render(request, "monitoring/gemeente.html", context)


@staff_view
@require_GET
def gemeente_csv(request: HttpRequest, key: str) -> HttpResponse:
    actor = _gemeente_viewer(request)
    _, filters = _gemeente_filters(request, actor)
    if filters is None:
        raise NotFound()
    with transaction.atomic():
        table = figures.table(figures.gemeente_dashboard(actor.gemeente_id, filters), key)
        if table is None:
            raise NotFound()
        record_figures(actor, what=f"gemeente:{key}", filters=filters.as_dict(), rows=len(table.rows))
    return csv_response(table, f"gemeente-{key}.csv")


# ---------------------------------------------------------------------------------------------------------------
# Region


def _regional_viewer(request: HttpRequest) -> Actor:
    actor = request_actor(request)
    require(actor, Capability.VIEW_REGIONAL_MONITORING)
    return actor


def _year(request: HttpRequest) -> int:
    """?jaar=YYYY, default the current year; anything else is a 404 (a link, not a form field)."""
    raw = request.GET.get("jaar", "")
    if not raw:
        return today().year
    if not raw.isdigit() or not 2021 <= int(raw) <= today().year:
        raise NotFound()
    return int(raw)


def _years() -> list[int]:
    return list(range(today().year, 2020, -1))


@staff_view
@require_GET
def regio(request: HttpRequest) -> HttpResponse:
    actor = _regional_viewer(request)
    year = _year(request)
    with transaction.atomic():
        table = region.region_table(actor.gemeente.region_id, year)
        record_figures(actor, what="regio", filters={"jaar": year})
    context = {"table": table, "year": year, "years": _years(), "small": region.SMALL, "withheld": region.WITHHELD}
    return render(request, "monitoring/regio.html", context)


@staff_view
@require_GET
def regio_csv(request: HttpRequest) -> HttpResponse:
    actor = _regional_viewer(request)
    year = _year(request)
    with transaction.atomic():
        table = region.region_table(actor.gemeente.region_id, year)
        record_figures(actor, what="regio", filters={"jaar": year}, rows=len(table.rows))
    rows = [[export.safe_cell(cell) for cell in row] for row in table.shown_rows()]
    response = HttpResponse(export.to_csv(table.columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="regio-{year}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------------------------
# Caseworkers and team


@staff_view
@require_GET
def team_page(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        rows = team.caseworker_rows(actor, today=today())
        record_figures(actor, what="team", filters={"caseworkers": len(rows)})
    context = {
        "rows": rows,
        "team_view": actor.can(Capability.VIEW_TEAM_CASELOAD),
        "columns": team.TEAM_COLUMNS,
    }
    return render(request, "monitoring/team.html", context)


@staff_view
@require_GET
def team_csv(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        rows = team.caseworker_rows(actor, today=today())
        record_figures(actor, what="team", filters={}, rows=len(rows))
    table = figures.Table("team", "Per klantregisseur", "", team.TEAM_COLUMNS, team.team_table_rows(rows))
    return csv_response(table, "klantregisseurs.csv")


# ---------------------------------------------------------------------------------------------------------------
# KIS-Monitor themes


@staff_view
@require_GET
def kis(request: HttpRequest) -> HttpResponse:
    actor = _gemeente_viewer(request)
    year = _year(request) if request.GET.get("jaar") else today().year - 1
    with transaction.atomic():
        table = figures.kis_table(actor.gemeente_id, year)
        record_figures(actor, what="kis", filters={"jaar": year})
    csv_url = f"{reverse('monitoring:kis-csv')}?jaar={year}"
    return render(request, "monitoring/kis.html", {"table": table, "year": year, "years": _years(), "csv_url": csv_url})


@staff_view
@require_GET
def kis_csv(request: HttpRequest) -> HttpResponse:
    actor = _gemeente_viewer(request)
    year = _year(request) if request.GET.get("jaar") else today().year - 1
    with transaction.atomic():
        table = figures.kis_table(actor.gemeente_id, year)
        record_figures(actor, what="kis", filters={"jaar": year}, rows=len(table.rows))
    return csv_response(table, f"kis-monitor-{year}.csv")

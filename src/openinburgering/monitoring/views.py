"""Pages of the monitoring app (/monitoring/): the contract dashboard with charts, the cohort table, CSV
exports, and the lesbezoek and survey forms. Viewing needs VIEW_CONTRACT_RESULTS (contractmanager,
beleidsmedewerker), entering needs MANAGE_PROVIDERS; otherwise 404. Only aggregated figures are shown; every
view and export is audited in the request's transaction."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.forms import add_application_errors
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.providers.models import EXAM_PART_CHOICES

from . import charts, export, selectors, services
from .charts import Group, bar_chart
from .forms import FilterForm, LessonVisitForm, SurveyForm


def _viewer(request: HttpRequest) -> Actor:
    actor = request_actor(request)
    require(actor, Capability.VIEW_CONTRACT_RESULTS)
    return actor


def _filters(request: HttpRequest, actor: Actor) -> tuple[FilterForm, selectors.Filters | None]:
    providers = selectors.providers_in_scope(actor)
    contracts = list(selectors.contracts_in_scope(actor, selectors.Filters()))
    form = FilterForm(request.GET or None, providers=providers, contracts=contracts)
    if not request.GET:
        return form, selectors.Filters()
    return form, form.filters() if form.is_valid() else None


def _charts(rows: list[selectors.ContractRow], cohorts: list[selectors.CohortRow]) -> dict[str, str]:
    """The dashboard's charts. The two cohort charts are read side by side: they share one scale (#11)."""
    hours = bar_chart(
        chart_id="chart-hours",
        title="Uren per contract: gecontracteerd, aangeboden en aanwezig",
        description="Voor elk contract drie balken. De cijfers staan ook in de tabel onder de grafiek.",
        series=[charts.HOURS_CONTRACTED, charts.HOURS_OFFERED, charts.HOURS_ATTENDED],
        groups=[
            Group(f"{r.provider.name}: {r.contract.name}", [r.hours_contracted, r.hours_offered, r.hours_attended])
            for r in rows
        ],
    )
    started = [Group(str(c.year), [c.started, c.in_traject, c.voldaan]) for c in cohorts]
    after = [Group(str(c.year), [c.work, c.education, c.participation]) for c in cohorts]
    scale = charts.largest(started, after)
    cohort = bar_chart(
        chart_id="chart-cohorts",
        title="Per cohort: gestart, in traject en voldaan",
        description="Voor elk jaar drie balken. De cijfers staan ook in de tabel onder de grafiek.",
        series=[charts.STARTED, charts.IN_TRAJECT, charts.VOLDAAN],
        groups=started,
        scale_max=scale,
    )
    outcomes = bar_chart(
        chart_id="chart-outcomes",
        title="Per cohort na de inburgering: aan het werk, in onderwijs en participatie",
        description="Uit het laatste vervolgcontact. Voor elk jaar drie balken, op dezelfde schaal als de grafiek "
        "erboven. De cijfers staan ook in de tabel.",
        series=[charts.WORK, charts.EDUCATION, charts.PARTICIPATION],
        groups=after,
        scale_max=scale,
    )
    on_time = bar_chart(
        chart_id="chart-on-time",
        title="Per cohort: PIP op tijd en voldaan binnen de termijn (procent)",
        description="Voor elk jaar twee balken, van 0 tot 100 procent. De aantallen staan in de tabel.",
        series=[charts.PIP_ON_TIME, charts.VOLDAAN_ON_TIME],
        groups=[Group(str(c.year), [c.pip_on_time_percent, c.voldaan_on_time_percent]) for c in cohorts],
        scale_max=100,
        unit="%",
    )
    return {"hours": hours, "cohorts": cohort, "outcomes": outcomes, "on_time": on_time}


@staff_view
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = _viewer(request)
    form, filters = _filters(request, actor)
    context: dict[str, Any] = {"form": form, "can_manage": actor.can(Capability.MANAGE_PROVIDERS),
                               "exam_parts": EXAM_PART_CHOICES}  # fmt: skip
    status = 200
    if filters is None:
        status = 400
    else:
        with transaction.atomic():
            rows = selectors.contract_dashboard(actor, filters, today=today())
            cohorts = selectors.cohort_table(actor, filters, today=today())
            services.record_view(actor, what="dashboard", filters=filters)
        context |= {"rows": rows, "cohorts": cohorts, "charts": _charts(rows, cohorts),
                    "query": request.GET.urlencode()}  # fmt: skip
    return render(request, "monitoring/dashboard.html", context, status=status)


def _csv_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view
@require_GET
def export_contracts(request: HttpRequest) -> HttpResponse:
    actor = _viewer(request)
    _, filters = _filters(request, actor)
    if filters is None:
        raise NotFound()
    with transaction.atomic():
        rows = selectors.contract_dashboard(actor, filters, today=today())
        services.record_export(actor, what="contracts", filters=filters, rows=len(rows))
    return _csv_response(export.to_csv(export.CONTRACT_HEADER, export.contract_rows(rows)), "contracten.csv")


@staff_view
@require_GET
def export_cohorts(request: HttpRequest) -> HttpResponse:
    actor = _viewer(request)
    _, filters = _filters(request, actor)
    if filters is None:
        raise NotFound()
    with transaction.atomic():
        rows = selectors.cohort_table(actor, filters, today=today())
        services.record_export(actor, what="cohorts", filters=filters, rows=len(rows))
    return _csv_response(export.to_csv(export.COHORT_HEADER, export.cohort_rows(rows)), "cohorten.csv")


def _manager(request: HttpRequest) -> Actor:
    actor = request_actor(request)
    require(actor, Capability.MANAGE_PROVIDERS)
    return actor


@staff_view
@require_http_methods(["GET", "POST"])
def lesson_visit_create(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    providers = selectors.providers_in_scope(actor)
    contracts = list(selectors.contracts_in_scope(actor, selectors.Filters()))
    form = LessonVisitForm(request.POST or None, providers=providers, contracts=contracts)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.record_lesson_visit(actor=actor, data=form.cleaned_data)
        except ApplicationError as error:
            if isinstance(error, NotFound):
                raise
            add_application_errors(form, error)
        else:
            messages.success(request, "Het lesbezoek is opgeslagen.")
            return HttpResponseRedirect(reverse("monitoring:dashboard"))
    status = 400 if form.errors else 200
    return render(request, "monitoring/lesson_visit_form.html", {"form": form}, status=status)


@staff_view
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    form = SurveyForm(request.POST or None, providers=selectors.providers_in_scope(actor))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.record_survey(actor=actor, data=form.cleaned_data)
        except ApplicationError as error:
            if isinstance(error, NotFound):
                raise
            add_application_errors(form, error)
        else:
            messages.success(request, "Het tevredenheidsonderzoek is opgeslagen.")
            return HttpResponseRedirect(reverse("monitoring:dashboard"))
    status = 400 if form.errors else 200
    return render(request, "monitoring/survey_form.html", {"form": form}, status=status)

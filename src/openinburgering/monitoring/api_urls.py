"""API routes of the monitoring app, included in api/urls.py (names in the api namespace, prefixed monitoring-)."""

from django.urls import URLPattern, path

from . import api, api_figures, council_api
from .cbs import api as cbs_api

urlpatterns: list[URLPattern] = [
    path("monitoring/contracts", api.ContractsView.as_view(), name="monitoring-contracts"),
    path("monitoring/cohorts", api.CohortsView.as_view(), name="monitoring-cohorts"),
    path("monitoring/gemeente", api_figures.GemeenteFiguresView.as_view(), name="monitoring-gemeente"),
    path("monitoring/regio", api_figures.RegionView.as_view(), name="monitoring-regio"),
    path("monitoring/team", api_figures.TeamView.as_view(), name="monitoring-team"),
    path("monitoring/kis", api_figures.KisView.as_view(), name="monitoring-kis"),
    path("monitoring/cbs", cbs_api.CbsQuarterView.as_view(), name="monitoring-cbs"),
    path("monitoring/cbs/files", cbs_api.CbsFilesView.as_view(), name="monitoring-cbs-files"),
    path("monitoring/cbs/files/<int:delivery_id>", cbs_api.CbsFileView.as_view(), name="monitoring-cbs-file"),
    path("monitoring/raadsrapporten", council_api.CouncilReportsView.as_view(), name="monitoring-council-reports"),
    path(
        "monitoring/raadsrapporten/<int:report_id>",
        council_api.CouncilReportView.as_view(),
        name="monitoring-council-report",
    ),
    path(
        "monitoring/raadsrapporten/<int:report_id>/maken",
        council_api.CouncilReportGenerateView.as_view(),
        name="monitoring-council-report-generate",
    ),
    path(
        "monitoring/raadsrapporten/<int:report_id>/pdf",
        council_api.CouncilReportPdfView.as_view(),
        name="monitoring-council-report-pdf",
    ),
]

"""API routes of the monitoring app, included in api/urls.py (names in the api namespace, prefixed monitoring-)."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("monitoring/contracts", api.ContractsView.as_view(), name="monitoring-contracts"),
    path("monitoring/cohorts", api.CohortsView.as_view(), name="monitoring-cohorts"),
]

"""Signals API routes, included at /api/v1/signals/ from openinburgering/urls.py."""

from django.urls import URLPattern, path

from . import api

app_name = "signals-api"
urlpatterns: list[URLPattern] = [
    path("", api.SignalListView.as_view(), name="list"),
    path("duo-events", api.DuoEventsView.as_view(), name="duo-events"),
    path("coa-koppelingen", api.CoaKoppelingenView.as_view(), name="coa-koppelingen"),
    path("<int:signal_id>", api.SignalDetailView.as_view(), name="detail"),
]

"""API routes of the voortgang, included in api/urls.py (names in the api namespace, prefixed with progress)."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("clients/<int:client_id>/progress", api.ProgressView.as_view(), name="progress"),
    path("clients/<int:client_id>/progress/judgement", api.JudgementView.as_view(), name="progress-judgement"),
    path("progress-settings", api.ProgressSettingsView.as_view(), name="progress-settings"),
]

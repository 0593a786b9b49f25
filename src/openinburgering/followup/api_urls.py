"""API routes of the vervolg, included in api/urls.py (names in the api namespace, prefixed with follow-up)."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("clients/<int:client_id>/follow-up", api.FollowUpView.as_view(), name="follow-up"),
    path("clients/<int:client_id>/follow-up/end", api.FollowUpEndView.as_view(), name="follow-up-end"),
]

"""API routes of plans, included in api/urls.py (names in the api namespace)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []

"""The teamleider's queue "PIP's ter goedkeuring", included at /pip/ (namespace plans-team)."""

from django.urls import path

from . import team_views

app_name = "plans-team"
urlpatterns = [
    path("", team_views.approvals, name="approvals"),
]

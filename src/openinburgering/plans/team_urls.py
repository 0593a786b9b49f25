"""The teamleider's queue "PIP's ter goedkeuring", included at /pip/ (namespace plans-team)."""

from django.urls import path

from . import views

app_name = "plans-team"
urlpatterns = [
    path("", views.approvals, name="approvals"),
]

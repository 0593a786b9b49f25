"""Mounted by clients/urls.py under /dossiers/<file_id>/huishouden/ (namespace clients:households)."""

from django.urls import path

from . import views

app_name = "households"
urlpatterns = [
    path("leden/", views.add_member, name="add-member"),
    path("leden/<int:member_id>/beeindigen/", views.end_member, name="end-member"),
]

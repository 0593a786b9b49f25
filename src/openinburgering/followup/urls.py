"""Vervolg pages of one client file, included at /dossiers/<int:file_id>/vervolg/ (views get file_id)."""

from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("", views.index, name="index"),
    path("contact/", views.record, name="record"),
    path("afronden/", views.end, name="end"),
]

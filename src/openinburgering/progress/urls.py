"""Voortgang pages of one client file, included at /dossiers/<int:file_id>/voortgang/ (views get file_id)."""

from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("", views.index, name="index"),
    path("oordeel-afschalen/", views.judgement, name="judgement"),
    path("leerroute-wijzigen/", views.route_switch, name="route-switch"),
]

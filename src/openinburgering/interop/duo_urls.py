"""The API DUO calls (its Notificatie API 1.8.0), included at /duo/v1/: no session, no CSRF; mutual TLS and OINs."""

from django.urls import path

from . import duo_notificaties

app_name = "duo"
urlpatterns = [
    path("notificaties", duo_notificaties.notificaties, name="notificaties"),
]

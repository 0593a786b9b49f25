"""The functioneel beheerder's voortgang settings, included at /instellingen/voortgang/."""

from django.urls import path

from . import views

app_name = "progress-settings"
urlpatterns = [path("", views.settings_page, name="edit")]

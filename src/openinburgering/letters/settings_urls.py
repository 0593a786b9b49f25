"""The functioneel beheerder's letter settings, included at /instellingen/brieven/."""

from django.urls import path

from . import views

app_name = "letter-settings"
urlpatterns = [path("", views.settings_page, name="edit")]

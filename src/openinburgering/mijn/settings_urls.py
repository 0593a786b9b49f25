from django.urls import path

from . import staff_views

app_name = "mijn-settings"

urlpatterns = [path("", staff_views.portal_settings, name="edit")]

"""The functioneel beheerder's legal holds, included at /bewaartermijnen/."""

from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [path("", views.holds_page, name="holds")]

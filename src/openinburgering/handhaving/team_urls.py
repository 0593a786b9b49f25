"""The teamleider's queue "Boetes om te beslissen", included at /boetes/ (namespace handhaving-team)."""

from django.urls import path

from . import views

app_name = "handhaving-team"
urlpatterns = [
    path("", views.queue, name="queue"),
]

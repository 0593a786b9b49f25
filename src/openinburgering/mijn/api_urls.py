"""API routes of the portal (#15 item 11), included in api/urls.py under /api/v1/mijn/ (names prefixed mijn-)."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("mijn/me", api.MeView.as_view(), name="mijn-me"),
    path("mijn/plan", api.PlanView.as_view(), name="mijn-plan"),
    path("mijn/progress", api.ProgressView.as_view(), name="mijn-progress"),
    path("mijn/appointments", api.AppointmentsView.as_view(), name="mijn-appointments"),
    path("mijn/documents", api.DocumentsView.as_view(), name="mijn-documents"),
    path("mijn/letters/<int:id>", api.LetterView.as_view(), name="mijn-letter"),
    path("mijn/uploads/<int:id>", api.UploadView.as_view(), name="mijn-upload"),
    path("mijn/messages", api.MessagesView.as_view(), name="mijn-messages"),
    path("mijn/access-log", api.AccessLogView.as_view(), name="mijn-access-log"),
]

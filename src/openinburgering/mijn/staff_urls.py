from django.urls import path

from . import staff_views

app_name = "mijn-staff"

urlpatterns = [
    path("", staff_views.index, name="index"),
    path("antwoord/", staff_views.answer, name="answer"),
    path("verzoeken/<int:request_id>/afgehandeld/", staff_views.handle_request, name="handle-request"),
    path("uploads/<int:upload_id>/", staff_views.open_upload, name="upload"),
]

"""PIP pages of one client file, included at /dossiers/<int:file_id>/pip/ (views receive file_id)."""

from django.urls import path

from . import preview, views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.create, name="create"),
    path("gesprekken/<int:talk_id>/", views.progress_talk, name="progress-talk"),
    path("<int:version_id>/", views.version_detail, name="version"),
    path("<int:version_id>/wijzigen/", views.edit, name="edit"),
    path("<int:version_id>/aanbieden/", views.submit, name="submit"),
    path("<int:version_id>/goedkeuren/", views.approve, name="approve"),
    path("<int:version_id>/concept-beschikking/", preview.preview, name="preview"),
    path("<int:version_id>/terugsturen/", views.reject, name="reject"),
    path("<int:version_id>/reactie/", views.client_response, name="client-response"),
    path("<int:version_id>/bezwaren/", views.bezwaar_create, name="bezwaar-create"),
    path("<int:version_id>/bezwaren/<int:bezwaar_id>/", views.bezwaar_update, name="bezwaar-update"),
]

"""Handhaving pages of one client file, included at /dossiers/<int:file_id>/handhaving/ (views get file_id)."""

from django.urls import path

from . import views

app_name = "handhaving"
urlpatterns = [
    path("", views.index, name="index"),
    path("behaald/", views.achievement, name="achievement"),
    path("examens/<int:exam_result_id>/bevestigen/", views.confirm_exam, name="confirm-exam"),
    path("voldaan/", views.record_voldaan, name="voldaan"),
    path("boetes/nieuw/", views.propose, name="propose"),
    path("boetes/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("boetes/<int:proposal_id>/beslissen/", views.decide, name="decide"),
    path("boetes/<int:proposal_id>/besluiten/<int:decision_id>/bezwaren/", views.bezwaar_create, name="bezwaar"),
]

"""API routes of handhaving, included in api/urls.py (names in the api namespace, prefixed with fines-/voldaan)."""

from django.urls import URLPattern, path

from . import api

P = "clients/<int:client_id>/fines"

urlpatterns: list[URLPattern] = [
    path(P, api.FinesView.as_view(), name="fines"),
    path(f"{P}/<int:fine_id>/decide", api.FineDecideView.as_view(), name="fines-decide"),
    path(f"{P}/<int:fine_id>/bezwaren", api.FineBezwarenView.as_view(), name="fines-bezwaren"),
    path("clients/<int:client_id>/voldaan", api.VoldaanView.as_view(), name="fines-voldaan"),
    path("clients/<int:client_id>/voldaan/record", api.VoldaanRecordView.as_view(), name="fines-voldaan-record"),
    path(
        "clients/<int:client_id>/voldaan/provider-exams/<int:exam_result_id>/confirm",
        api.ExamConfirmView.as_view(),
        name="fines-voldaan-exam-confirm",
    ),
    path("fine-decisions-queue", api.FineDecisionQueueView.as_view(), name="fines-decisions-queue"),
]

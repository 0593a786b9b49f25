"""API routes of letters that are sent (#17 item 6), included in api/urls.py."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("letters/unsent", api.UnsentLettersView.as_view(), name="letters-unsent"),
    path(
        "clients/<int:client_id>/letters/<int:letter_id>/dispatch",
        api.LetterDispatchView.as_view(),
        name="letter-dispatch",
    ),
    path("letters/print-batches", api.PrintBatchesView.as_view(), name="letters-print-batches"),
    path("letters/print-batches/<int:batch_id>", api.PrintBatchView.as_view(), name="letters-print-batch"),
]

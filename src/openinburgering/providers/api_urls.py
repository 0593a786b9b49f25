"""API routes of the providers app, included in api/urls.py (names in the api namespace, prefixed provider-)."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("provider/enrolments", api.ProviderEnrolmentsView.as_view(), name="provider-enrolments"),
    path("provider/enrolments/<int:enrolment_id>/accept", api.ProviderAcceptView.as_view(), name="provider-accept"),
    path("provider/enrolments/<int:enrolment_id>/decline", api.ProviderDeclineView.as_view(), name="provider-decline"),
    path("provider/reports", api.ProviderReportsView.as_view(), name="provider-reports"),
    path("provider/reports/csv", api.ProviderReportsCsvView.as_view(), name="provider-reports-csv"),
    path("provider/exam-results", api.ProviderExamResultsView.as_view(), name="provider-exam-results"),
    path("provider/milestones", api.ProviderMilestonesView.as_view(), name="provider-milestones"),
]

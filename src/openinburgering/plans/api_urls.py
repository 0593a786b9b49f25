"""API routes of plans, included in api/urls.py (names in the api namespace, prefixed with pip-)."""

from django.urls import URLPattern, path

from . import api, preview

P = "clients/<int:client_id>/pip-versions"

urlpatterns: list[URLPattern] = [
    path(P, api.PipVersionsView.as_view(), name="pip-versions"),
    path(f"{P}/<int:version_id>", api.PipVersionView.as_view(), name="pip-version"),
    path(f"{P}/<int:version_id>/submit", api.PipSubmitView.as_view(), name="pip-version-submit"),
    path(f"{P}/<int:version_id>/approve", api.PipApproveView.as_view(), name="pip-version-approve"),
    path(f"{P}/<int:version_id>/preview", preview.PipPreviewView.as_view(), name="pip-version-preview"),
    path(f"{P}/<int:version_id>/reject", api.PipRejectView.as_view(), name="pip-version-reject"),
    path(f"{P}/<int:version_id>/client-response", api.PipClientResponseView.as_view(), name="pip-client-response"),
    path(f"{P}/<int:version_id>/bezwaren", api.BezwarenView.as_view(), name="pip-bezwaren"),
    path(f"{P}/<int:version_id>/bezwaren/<int:bezwaar_id>", api.BezwaarView.as_view(), name="pip-bezwaar"),
    path("clients/<int:client_id>/progress-talks", api.ProgressTalksView.as_view(), name="pip-progress-talks"),
    path(
        "clients/<int:client_id>/progress-talks/<int:talk_id>",
        api.ProgressTalkView.as_view(),
        name="pip-progress-talk",
    ),
    path("pip-approvals", api.PipApprovalsView.as_view(), name="pip-approvals"),
]

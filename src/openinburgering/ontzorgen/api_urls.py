"""API routes of ontzorgen, included in api/urls.py (names in the api namespace, prefixed with ontzorgen-)."""

from django.urls import URLPattern, path

from . import api, api_reclaims

P = "clients/<int:client_id>/ontzorgen"

urlpatterns: list[URLPattern] = [
    path(P, api.OntzorgenView.as_view(), name="ontzorgen"),
    path(f"{P}/extensions", api.ExtensionsView.as_view(), name="ontzorgen-extensions"),
    path(f"{P}/machtigingen", api.MachtigingenView.as_view(), name="ontzorgen-machtigingen"),
    path(f"{P}/obligations", api.ObligationsView.as_view(), name="ontzorgen-obligations"),
    path(f"{P}/obligations/<int:obligation_id>", api.ObligationDetailView.as_view(), name="ontzorgen-obligation"),
    path(
        f"{P}/obligations/<int:obligation_id>/settlements",
        api_reclaims.ReclaimSettlementsView.as_view(),
        name="ontzorgen-obligation-settlements",
    ),
    path(f"{P}/ledger", api.LedgerView.as_view(), name="ontzorgen-ledger"),
    path("ontzorgen/worklist", api.WorklistView.as_view(), name="ontzorgen-worklist"),
    path("ontzorgen/account", api.AccountView.as_view(), name="ontzorgen-account"),
    path("payment-runs", api.RunsView.as_view(), name="ontzorgen-runs"),
    path("payment-runs/<int:run_id>", api.RunDetailView.as_view(), name="ontzorgen-run"),
    path("payment-runs/<int:run_id>/approve", api.RunApproveView.as_view(), name="ontzorgen-run-approve"),
    path("payment-runs/<int:run_id>/file", api.RunFileView.as_view(), name="ontzorgen-run-file"),
]

"""API routes of the koppelingen, included at /api/v1/ from api/urls.py."""

from django.urls import URLPattern, path

from . import brp_check_views
from .api import NotificationCallbackView

urlpatterns: list[URLPattern] = [
    path(
        "brp-controle/verhuizingen/<int:file_signal_id>/bevestigen",
        brp_check_views.ConfirmMoveView.as_view(),
        name="brp-check-confirm-move",
    ),
    path(
        "clients/<int:client_id>/digitale-adressen",
        brp_check_views.DigitalAddressesView.as_view(),
        name="client-digital-addresses",
    ),
    path(
        "clients/<int:client_id>/digitale-adressen/overnemen",
        brp_check_views.AdoptDigitalAddressView.as_view(),
        name="client-digital-addresses-adopt",
    ),
    path("notificaties/<str:gemeente_code>", NotificationCallbackView.as_view(), name="notificaties-callback"),
]

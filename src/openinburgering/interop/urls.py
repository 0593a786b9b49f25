"""Koppelingen pages of the functioneel beheerder, included at /koppelingen/."""

from django.urls import path

from . import brp_check_views, brp_views, config_views, views

app_name = "interop"
urlpatterns = [
    path("berichten/", views.outbox_page, name="outbox"),
    path("brp/aanmelden/", brp_views.brp_lookup, name="brp-lookup"),
    path("berichten/<int:message_id>/opnieuw/", views.retry, name="outbox-retry"),
    path("brp/verhuizing/<int:file_signal_id>/bevestigen/", brp_check_views.confirm_move, name="brp-confirm-move"),
    path("instellen/", config_views.index, name="connections"),
    path("instellen/<str:system>/", config_views.edit, name="connection"),
    path("instellen/<str:system>/testen/", config_views.test, name="connection-test"),
]

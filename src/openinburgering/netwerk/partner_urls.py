"""The chain partner's inbox, mounted at /verwijzingen/ (role ketenpartner)."""

from django.urls import path

from . import partner_views

app_name = "netwerk-partner"
urlpatterns = [
    path("", partner_views.partner_inbox, name="inbox"),
    path("<int:referral_id>/", partner_views.partner_referral, name="referral"),
    path("<int:referral_id>/ontvangen/", partner_views.partner_acknowledge, name="acknowledge"),
    path("<int:referral_id>/stap/", partner_views.partner_step, name="step"),
]

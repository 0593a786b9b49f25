"""The chain partner's inbox, mounted at /verwijzingen/ (role ketenpartner)."""

from django.urls import path

from . import views

app_name = "netwerk-partner"
urlpatterns = [
    path("", views.partner_inbox, name="inbox"),
    path("<int:referral_id>/", views.partner_referral, name="referral"),
    path("<int:referral_id>/ontvangen/", views.partner_acknowledge, name="acknowledge"),
    path("<int:referral_id>/stap/", views.partner_step, name="step"),
]

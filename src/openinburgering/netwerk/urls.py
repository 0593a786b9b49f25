"""Zorg en netwerk on one client file, included at /dossiers/<int:file_id>/netwerk/ (views get file_id)."""

from django.urls import path

from . import views

app_name = "netwerk"
urlpatterns = [
    path("", views.file_index, name="index"),
    path("verwijzen/", views.referral_new, name="referral-new"),
    path("verwijzingen/<int:referral_id>/", views.referral_detail, name="referral"),
    path("verwijzingen/<int:referral_id>/versturen/", views.referral_send, name="referral-send"),
    path("verwijzingen/<int:referral_id>/intrekken/", views.referral_withdraw, name="referral-withdraw"),
    path("verwijzingen/<int:referral_id>/opvolgen/", views.referral_follow_up, name="referral-follow-up"),
    path("begeleiding/", views.begeleiding_page, name="begeleiding"),
    path("maatjes/", views.buddy_add, name="buddy-add"),
    path("maatjes/<int:match_id>/einde/", views.buddy_end, name="buddy-end"),
    path("contacten/", views.contact_add, name="contact-add"),
    path("begeleider/", views.begeleider_assign, name="begeleider-assign"),
    path("contactkaart.pdf", views.contact_card_pdf, name="contact-card-pdf"),
]

"""API routes of zorg en netwerk, included in api/urls.py (names in the api namespace)."""

from django.urls import URLPattern, path

from . import api

F = "clients/<int:client_id>"
R = F + "/referrals/<int:referral_id>"
urlpatterns: list[URLPattern] = [
    path(f"{F}/referrals", api.ReferralsView.as_view(), name="referrals"),
    path(R, api.ReferralView.as_view(), name="referral"),
    path(f"{R}/send", api.ReferralSendView.as_view(), name="referral-send"),
    path(f"{R}/withdraw-consent", api.ReferralWithdrawView.as_view(), name="referral-withdraw-consent"),
    path(f"{R}/follow-up", api.ReferralFollowUpView.as_view(), name="referral-follow-up"),
    path(f"{F}/contact-card", api.ContactCardView.as_view(), name="contact-card"),
    path(f"{F}/contacts", api.ContactsView.as_view(), name="contacts"),
    path(f"{F}/begeleider", api.BegeleiderView.as_view(), name="begeleider"),
    path(f"{F}/begeleiding", api.BegeleidingView.as_view(), name="begeleiding"),
    path(f"{F}/buddies", api.BuddiesView.as_view(), name="buddies"),
    path(f"{F}/buddies/<int:match_id>/end", api.BuddyEndView.as_view(), name="buddy-end"),
    path("referral-inbox", api.PartnerInboxView.as_view(), name="referral-inbox"),
    path("referral-inbox/<int:referral_id>", api.PartnerReferralView.as_view(), name="referral-inbox-item"),
    path(
        "referral-inbox/<int:referral_id>/acknowledge",
        api.PartnerAcknowledgeView.as_view(),
        name="referral-inbox-acknowledge",
    ),
    path(
        "referral-inbox/<int:referral_id>/transitions",
        api.PartnerTransitionView.as_view(),
        name="referral-inbox-transition",
    ),
    path("begeleiding/caseload", api.BegeleidingCaseloadView.as_view(), name="begeleiding-caseload"),
    path("referrals/follow-up", api.FollowUpQueueView.as_view(), name="referrals-follow-up"),
    path("netwerk/figures", api.FiguresView.as_view(), name="netwerk-figures"),
    path("sociale-kaart/offers", api.OffersView.as_view(), name="sociale-kaart-offers"),
    path("sociale-kaart/offers/<int:offer_id>", api.OfferView.as_view(), name="sociale-kaart-offer"),
]

"""The sociale kaart, mounted at /sociale-kaart/: search for staff, management and CSV for the functioneel
beheerder."""

from django.urls import path

from . import kaart_views

app_name = "sociale-kaart"
urlpatterns = [
    path("", kaart_views.kaart_search, name="search"),
    path("aanbod/nieuw/", kaart_views.kaart_offer, name="offer-new"),
    path("aanbod/<int:offer_id>/", kaart_views.kaart_offer, name="offer"),
    path("inlezen/", kaart_views.kaart_import, name="import"),
    path("sociale-kaart.csv", kaart_views.kaart_export, name="export"),
]

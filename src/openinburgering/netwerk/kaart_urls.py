"""The sociale kaart, mounted at /sociale-kaart/: search for staff, management and CSV for the functioneel
beheerder."""

from django.urls import path

from . import views

app_name = "sociale-kaart"
urlpatterns = [
    path("", views.kaart_search, name="search"),
    path("aanbod/nieuw/", views.kaart_offer, name="offer-new"),
    path("aanbod/<int:offer_id>/", views.kaart_offer, name="offer"),
    path("inlezen/", views.kaart_import, name="import"),
    path("sociale-kaart.csv", views.kaart_export, name="export"),
]

"""The person's contact details in the contact registry, from the file (#17 item 5): /dossiers/<id>/contactgegevens/."""

from django.urls import path

from . import contact_views

app_name = "contactgegevens"
urlpatterns = [
    path("", contact_views.contact_details, name="details"),
    path("overnemen/", contact_views.adopt_contact, name="adopt"),
]

"""/mijn/: the client portal (namespace ``mijn``) and DigiD: the library's mock (``digid`` and its mock IdP
``digid-mock``) when settings.DIGID_MOCK, else the real SAML views of django-digid-eherkenning (docs/portal.md)."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

from . import views

app_patterns = [
    path("", views.start, name="start"),
    path("inloggen/", views.login, name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("taal/", views.set_language, name="language"),
    path("plan/", views.plan, name="plan"),
    path("voortgang/", views.progress, name="progress"),
    path("afspraken/", views.appointments, name="appointments"),
    path("afspraken/<str:kind>/<int:appointment_id>.ics", views.appointment_ics_view, name="appointment-ics"),
    path("afspraken/<str:kind>/<int:appointment_id>/verzetten/", views.reschedule, name="reschedule"),
    path("documenten/", views.documents, name="documents"),
    path("documenten/brieven/<int:letter_id>/", views.letter_download, name="letter"),
    path("documenten/uploads/<int:upload_id>/", views.upload_download, name="upload"),
    path("berichten/", views.messages_page, name="messages"),
    path("inzage/", views.access_log_page, name="access-log"),
    path("inzage/toestemming/<int:consent_id>/intrekken/", views.withdraw_consent, name="withdraw-consent"),
]

urlpatterns: list[URLPattern | URLResolver] = [path("", include((app_patterns, "mijn")))]
if settings.DIGID_MOCK:
    urlpatterns += [
        path("digid/", include("digid_eherkenning.mock.digid_urls")),
        path("digid-idp/", include("digid_eherkenning.mock.idp.digid_urls")),
    ]
else:
    urlpatterns += [path("digid/", include("digid_eherkenning.digid_urls"))]

"""/api/v1/ — search-first: there is deliberately no endpoint that lists every client of a gemeente."""

from django.urls import URLPattern, URLResolver, include, path, re_path

from .views.base import UnknownPathView
from .views.caseload import CaseloadView, VroegeStartView
from .views.clients import (
    AssignmentView,
    ClientFileCreateView,
    ClientFileView,
    FileAuditView,
    NotesView,
    StatusChangesView,
    TimelineView,
)
from .views.consents import ConsentsView, ConsentWithdrawView
from .views.households import HouseholdMemberEndView, HouseholdView
from .views.letters import LetterPdfView, LettersView
from .views.me import MeView
from .views.persons import PersonSearchView
from .views.verwerkingen import ProcessingActivitiesView, VerwerkingenView

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("me", MeView.as_view(), name="me"),
    path("persons/search", PersonSearchView.as_view(), name="person-search"),
    path("caseload", CaseloadView.as_view(), name="caseload"),
    path("caseload/vroege-start", VroegeStartView.as_view(), name="caseload-vroege-start"),
    path("clients", ClientFileCreateView.as_view(), name="clients"),
    path("clients/<int:client_id>", ClientFileView.as_view(), name="client"),
    path("clients/<int:client_id>/status-changes", StatusChangesView.as_view(), name="status-changes"),
    path("clients/<int:client_id>/notes", NotesView.as_view(), name="notes"),
    path("clients/<int:client_id>/timeline", TimelineView.as_view(), name="timeline"),
    path("clients/<int:client_id>/assignment", AssignmentView.as_view(), name="assignment"),
    path("clients/<int:client_id>/household", HouseholdView.as_view(), name="household"),
    path(
        "clients/<int:client_id>/household/<int:member_id>/end",
        HouseholdMemberEndView.as_view(),
        name="household-member-end",
    ),
    path("clients/<int:client_id>/consents", ConsentsView.as_view(), name="consents"),
    path(
        "clients/<int:client_id>/consents/<int:consent_id>/withdraw",
        ConsentWithdrawView.as_view(),
        name="consent-withdraw",
    ),
    path("clients/<int:client_id>/audit", FileAuditView.as_view(), name="audit"),
    path("clients/<int:client_id>/verwerkingen", VerwerkingenView.as_view(), name="verwerkingen"),
    path("processing-activities", ProcessingActivitiesView.as_view(), name="processing-activities"),
    path("clients/<int:client_id>/letters", LettersView.as_view(), name="letters"),
    path("clients/<int:client_id>/letters/<int:letter_id>", LetterPdfView.as_view(), name="letter"),
    path("", include("openinburgering.intakes.api_urls")),
    path("", include("openinburgering.plans.api_urls")),
    path("", include("openinburgering.providers.api_urls")),
    path("", include("openinburgering.handhaving.api_urls")),
    path("", include("openinburgering.progress.api_urls")),
    path("", include("openinburgering.followup.api_urls")),
    path("", include("openinburgering.monitoring.api_urls")),
    path("", include("openinburgering.mijn.api_urls")),
    path("", include("openinburgering.ontzorgen.api_urls")),
    path("", include("openinburgering.netwerk.api_urls")),
    path("", include("openinburgering.ontzorgen.bank_api_urls")),
    path("", include("openinburgering.interop.api_urls")),
    path("", include("openinburgering.letters.api_urls")),
    re_path(r"^.*$", UnknownPathView.as_view(), name="unknown"),
]

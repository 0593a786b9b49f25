"""The start page (a worklist with counts, then the tasks of the role) and the gemeente/role switch."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from openinburgering.accounts import services as account_services
from openinburgering.accounts.actor import SESSION_MEMBERSHIP_KEY
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import actor_of
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError

from .selectors import worklist_for

# The start page's tasks: (capability, url name, title, description). A task whose page does not exist yet
# is left out.
TASKS: tuple[tuple[Capability, str, str, str], ...] = (
    (Capability.SEARCH_PERSONS, "clients:search", "Zoeken", "Zoek op BSN, naam, geboortedatum of V-nummer."),
    (Capability.VIEW_OWN_CASELOAD, "clients:caseload", "Mijn caseload", "Uw dossiers, met de eerstvolgende termijn."),
    (Capability.VIEW_TEAM_CASELOAD, "clients:team-caseload", "Teamcaseload", "Open dossiers van het team; toewijzen."),
    (Capability.VIEW_OWN_CASELOAD, "clients:vroege-start", "Vroege start", "Nog in het azc: intake en PIP."),
    (Capability.APPROVE_PIP, "plans-team:approvals", "PIP's ter goedkeuring", "PIP's die wachten op uw tweede blik."),
    (Capability.DECIDE_FINES, "handhaving-team:queue", "Boetes beslissen", "Voorstellen voor een boete (vier ogen)."),
    (Capability.MANAGE_ONTZORGEN, "ontzorgen-team:worklist", "Ontzorgen", "Start, einde, lasten zonder IBAN."),
    (Capability.APPROVE_PAYMENT_RUNS, "ontzorgen-team:runs", "Betaalruns", "Maken, goedkeuren, SEPA-bestand."),
    (Capability.CHANGE_CLIENT_FILES, "clients:register", "Aanmelden", "Een nieuwe inburgeraar aanmelden."),
    (Capability.VIEW_CONTRACT_RESULTS, "providers:list", "Aanbieders en contracten", "Keurmerk en contracten."),
    (Capability.VIEW_CONTRACT_RESULTS, "monitoring:dashboard", "Resultaten", "Uren, examens, kosten en cohorten."),
    (Capability.DELIVER_STATISTICS, "monitoring:cbs", "CBS-bestand", "Kwartaalbestand maken, controleren, leveren."),
    (Capability.REPORT_PROGRESS, "portal:index", "Mijn cursisten", "Plaatsingen, uren, verzuim en examens melden."),
    (Capability.HANDLE_REFERRALS, "netwerk-partner:inbox", "Verwijzingen", "Verwijzingen aan uw organisatie."),
    (Capability.VIEW_BEGELEIDING_CASELOAD, "netwerk-team:begeleiding", "Mijn begeleiding", "Uw inburgeraars."),
    (Capability.VIEW_SOCIALE_KAART, "sociale-kaart:search", "Sociale kaart", "Aanbod per leefgebied, taal, plaats."),
    (Capability.MANAGE_SOCIALE_KAART, "sociale-kaart:import", "Sociale kaart inlezen", "CSV inlezen en bijwerken."),
    (Capability.MANAGE_STAFF, "accounts:staff-list", "Medewerkers", "Medewerkers, rollen en teams van de gemeente."),
    (Capability.MANAGE_STAFF, "letter-settings:edit", "Gegevens op brieven", "Telefoon, adres, bezwaar en IBAN."),
    (Capability.MANAGE_STAFF, "progress-settings:edit", "Instellingen voortgang", "Drempel voor aanwezigheid."),
    (Capability.VIEW_GEMEENTE_AUDIT, "accounts:audit-log", "Auditlog", "Wie zag of wijzigde welk dossier, en waarom."),
    (Capability.MANAGE_STAFF, "accounts:section-matrix", "Toegang tot dossiers", "Wie ziet welk deel."),
    (Capability.VIEW_GEMEENTE_AUDIT, "accounts:processing-register", "Verwerkingsregister", "Doel en grondslag."),
)  # fmt: skip


def _tasks_for(request: HttpRequest) -> list[dict[str, str]]:
    actor = actor_of(request)
    if actor is None:
        return []
    tasks = []
    for capability, url_name, title, description in TASKS:
        if not actor.can(capability):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        tasks.append({"url": url, "title": title, "description": description})
    return tasks


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    context: dict[str, Any] = {
        "tasks": _tasks_for(request),
        "worklist": worklist_for(actor, as_of=today()) if actor is not None else [],
    }
    return render(request, "home/start.html", context)


@require_POST
@login_required
def switch_membership(request: HttpRequest) -> HttpResponseRedirect:
    """Work for another gemeente or in another role: only one of the user's own active memberships."""
    actor = actor_of(request)
    raw = request.POST.get("membership", "")
    if actor is None or not raw.isdigit():
        raise Http404
    try:
        membership = account_services.switch_membership(actor=actor, membership_id=int(raw))
    except ApplicationError:
        raise Http404 from None
    request.session[SESSION_MEMBERSHIP_KEY] = membership.pk
    return redirect("home")

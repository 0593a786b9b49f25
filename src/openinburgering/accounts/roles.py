"""The roles of the product brief and what each may do, as data.

A role's capabilities are stored in the database (`Role.capabilities`, seeded by a data migration from this
table) so a functioneel beheerder can see them; code asks `actor.can(Capability.X)`, never the role name.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleCode(models.TextChoices):
    KLANTREGISSEUR = "klantregisseur", _("Klantregisseur")
    TEAMLEIDER = "teamleider", _("Teamleider")
    FINANCIEEL_CONSULENT = "financieel_consulent", _("Financieel consulent")
    CONTRACTMANAGER = "contractmanager", _("Contractmanager")
    BELEIDSMEDEWERKER = "beleidsmedewerker", _("Beleidsmedewerker")
    AANBIEDER = "aanbieder", _("Aanbieder (taal of participatie)")
    MAATSCHAPPELIJK_BEGELEIDER = "maatschappelijk_begeleider", _("Maatschappelijk begeleider")
    FUNCTIONEEL_BEHEERDER = "functioneel_beheerder", _("Functioneel beheerder")
    # A chain partner's staff (GGZ, schuldhulp, VluchtelingenWerk ...): only the referrals addressed to their
    # organisation, never a file (#14).
    KETENPARTNER = "ketenpartner", _("Ketenpartner")
    # Works for the arbeidsmarktregio: aggregates of the region's gemeenten, never a person (#16 item 3).
    REGIOCOORDINATOR = "regiocoordinator", _("Regiocoördinator (arbeidsmarktregio)")


class Capability(models.TextChoices):
    SEARCH_PERSONS = "search_persons", _("Personen zoeken")
    VIEW_CLIENT_FILES = "view_client_files", _("Dossiers inzien")
    CHANGE_CLIENT_FILES = "change_client_files", _("Dossiers aanmaken en wijzigen")
    VIEW_OWN_CASELOAD = "view_own_caseload", _("Eigen caseload zien")
    VIEW_TEAM_CASELOAD = "view_team_caseload", _("Caseload van het team zien")
    REASSIGN_CLIENT_FILES = "reassign_client_files", _("Dossiers toewijzen")
    VIEW_FILE_AUDIT = "view_file_audit", _("Zien wie een dossier inzag")
    VIEW_GEMEENTE_AUDIT = "view_gemeente_audit", _("Auditlog van de gemeente inzien")
    MANAGE_STAFF = "manage_staff", _("Medewerkers en rollen beheren")
    VIEW_SIGNALS = "view_signals", _("Signalen van DUO en COA inzien")
    RECEIVE_SIGNALS = "receive_signals", _("Signalen van DUO en COA inlezen")
    PURGE_SIGNALS = "purge_signals", _("Signalen in quarantaine wissen")
    APPROVE_PIP = "approve_pip", _("PIP goedkeuren en vaststellen (vier ogen)")
    MANAGE_PROVIDERS = "manage_providers", _("Aanbieders en contracten beheren")
    VIEW_CONTRACT_RESULTS = "view_contract_results", _("Resultaten van contracten en aanbieders zien")
    REPORT_PROGRESS = "report_progress", _("Uren, verzuim en resultaten melden als aanbieder")
    DECIDE_FINES = "decide_fines", _("Boetes beslissen (vier ogen)")
    MANAGE_LEGAL_HOLDS = "manage_legal_holds", _("Vernietiging van een dossier tegenhouden (legal hold)")
    # Financieel ontzorgen (#13): money is changed only by the financieel consulent and the teamleider.
    MANAGE_ONTZORGEN = "manage_ontzorgen", _("Financieel ontzorgen uitvoeren: verplichtingen, betaalruns, bank")
    APPROVE_PAYMENT_RUNS = "approve_payment_runs", _("Betaalruns goedkeuren (vier ogen)")
    # Zorg en netwerk (#14).
    VIEW_SOCIALE_KAART = "view_sociale_kaart", _("Sociale kaart raadplegen")
    MANAGE_SOCIALE_KAART = "manage_sociale_kaart", _("Sociale kaart beheren")
    HANDLE_REFERRALS = "handle_referrals", _("Verwijzingen ontvangen, accepteren en terugmelden (ketenpartner)")
    VIEW_BEGELEIDING_CASELOAD = "view_begeleiding_caseload", _("Eigen begeleidingscaseload zien")
    # Monitoring (#16): aggregates only.
    VIEW_MONITORING = "view_monitoring", _("Cijfers van de gemeente zien (dashboards, KIS-Monitor)")
    VIEW_REGIONAL_MONITORING = "view_regional_monitoring", _("Cijfers van de arbeidsmarktregio zien")
    DELIVER_STATISTICS = "deliver_statistics", _("Kwartaallevering aan CBS en raadsrapportage maken")
    # Koppelingen (#17) and the client portal (#15) are set up by the functioneel beheerder.
    MANAGE_INTEGRATIONS = "manage_integrations", _("Koppelingen instellen en bewaken (BRP, ZGW, DUO, Open Klant)")
    MANAGE_PORTAL = "manage_portal", _("Het portaal voor inburgeraars instellen")


ROLE_CAPABILITIES: dict[str, list[str]] = {
    RoleCode.KLANTREGISSEUR: [
        Capability.SEARCH_PERSONS,
        Capability.VIEW_CLIENT_FILES,
        Capability.CHANGE_CLIENT_FILES,
        Capability.VIEW_OWN_CASELOAD,
        Capability.VIEW_SIGNALS,
        Capability.RECEIVE_SIGNALS,
        Capability.VIEW_SOCIALE_KAART,
    ],
    RoleCode.TEAMLEIDER: [
        Capability.SEARCH_PERSONS,
        Capability.VIEW_CLIENT_FILES,
        Capability.CHANGE_CLIENT_FILES,
        Capability.VIEW_OWN_CASELOAD,
        Capability.VIEW_TEAM_CASELOAD,
        Capability.REASSIGN_CLIENT_FILES,
        Capability.VIEW_FILE_AUDIT,
        Capability.VIEW_SIGNALS,
        Capability.RECEIVE_SIGNALS,
        Capability.PURGE_SIGNALS,
        Capability.APPROVE_PIP,
        Capability.DECIDE_FINES,
        Capability.MANAGE_ONTZORGEN,
        Capability.APPROVE_PAYMENT_RUNS,
        Capability.VIEW_SOCIALE_KAART,
        Capability.VIEW_MONITORING,
        Capability.DELIVER_STATISTICS,
    ],
    # The financieel consulent finds a person and opens the file, but sees only its basis and financiën/ontzorgen
    # sections (accounts.sections.LEGAL_MAXIMUM, #12 item 1): never the intake, health, PIP or notes. Provider,
    # contract and begeleider roles have their own scoped screens (#6-#8) and no client-file capability.
    # A second financieel consulent (or the teamleider) approves a payment run; never the one who prepared it.
    RoleCode.FINANCIEEL_CONSULENT: [
        Capability.SEARCH_PERSONS,
        Capability.VIEW_CLIENT_FILES,
        Capability.MANAGE_ONTZORGEN,
        Capability.APPROVE_PAYMENT_RUNS,
    ],
    RoleCode.CONTRACTMANAGER: [Capability.MANAGE_PROVIDERS, Capability.VIEW_CONTRACT_RESULTS],
    RoleCode.BELEIDSMEDEWERKER: [
        Capability.VIEW_CONTRACT_RESULTS,
        Capability.VIEW_MONITORING,
        Capability.DELIVER_STATISTICS,
    ],
    # A provider sees only its own enrolled clients with the minimum data (providers app), never client files.
    RoleCode.AANBIEDER: [Capability.REPORT_PROGRESS],
    RoleCode.MAATSCHAPPELIJK_BEGELEIDER: [Capability.VIEW_BEGELEIDING_CASELOAD, Capability.VIEW_SOCIALE_KAART],
    RoleCode.KETENPARTNER: [Capability.HANDLE_REFERRALS],
    RoleCode.REGIOCOORDINATOR: [Capability.VIEW_REGIONAL_MONITORING],
    RoleCode.FUNCTIONEEL_BEHEERDER: [
        Capability.MANAGE_STAFF,
        Capability.VIEW_FILE_AUDIT,
        Capability.VIEW_GEMEENTE_AUDIT,
        Capability.PURGE_SIGNALS,
        Capability.MANAGE_LEGAL_HOLDS,
        Capability.MANAGE_SOCIALE_KAART,
        Capability.VIEW_SOCIALE_KAART,
        Capability.MANAGE_INTEGRATIONS,
        Capability.MANAGE_PORTAL,
    ],
}

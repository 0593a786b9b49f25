"""The register of processing activities (AVG art. 30) and the link from every audit event to one of them.

Each activity says what the gemeente does with personal data in Open Inburgering, why (doelbinding), on which legal
basis (grondslag), which sections of the file it touches, who receives data, and how long it is kept. Every audit
event type belongs to exactly one activity (``activity_for``), so each logged read or change can be exported as a
*verwerkingsactie* in the shape of the VNG Verwerkingenlogging API (``audit.verwerkingen``) and shown on the
functioneel beheerder's register page. A test keeps the catalogue and this register complete.

The legal texts cited are those this project works from (shared/domain/law-texts.md and wi2021.md). The register
is a starting point for the gemeente's own register and DPIA (docs/privacy.md): the gemeente's privacy officer
confirms or adapts it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from openinburgering.accounts.sections import Section

NAMESPACE = uuid.UUID("6f1f6c1e-5d0a-4f7e-9a52-0b6f9d3c1a10")
"""Namespace for the stable UUIDs of activities, processings and actions in the Verwerkingenlogging export."""


@dataclass(frozen=True)
class ProcessingActivity:
    code: str
    name: str
    purpose: str
    legal_basis: str
    sections: tuple[Section, ...]
    recipients: str
    retention: str
    confidential: bool = False

    @property
    def uuid(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"verwerkingsactiviteit:{self.code}")


RETENTION_FILE = (
    "Tot vijf jaar na het einde van de inburgeringsplicht; BSN, naam, adres, geboortedatum en de gegevens over "
    "vrijstelling, ontheffing en voldaan tot vijftig jaar (Besluit inburgering 2021 art. 9.9)."
)
AVG_TASK = "AVG art. 6 lid 1 sub c en e (wettelijke plicht en publieke taak)"

ACTIVITIES: tuple[ProcessingActivity, ...] = (
    ProcessingActivity(
        code="regie",
        name="Regie op de inburgering",
        purpose="Het dossier, het huishouden, de status, termijnen en werklijsten bijhouden om de inburgeringsplicht "
        "uit te voeren.",
        legal_basis=f"Wet inburgering 2021 art. 3, 6, 11 en 14; {AVG_TASK}.",
        sections=(Section.BASIS,),
        recipients="Medewerkers van de gemeente met een rol in het dossier.",
        retention=RETENTION_FILE,
    ),
    ProcessingActivity(
        code="signalen",
        name="Signalen van DUO en COA verwerken",
        purpose="Berichten van DUO en COA (kennisgeving, koppeling, examens, termijn) aan het juiste dossier koppelen.",
        legal_basis=f"Wet inburgering 2021 art. 3 en 14; {AVG_TASK}.",
        sections=(Section.BASIS, Section.VOORTGANG),
        recipients="Medewerkers van de gemeente; DUO en COA als bron.",
        retention=RETENTION_FILE,
    ),
    ProcessingActivity(
        code="brede_intake",
        name="Brede intake en leerbaarheidstoets",
        purpose="De situatie op alle leefgebieden in kaart brengen en de leerroute bepalen.",
        legal_basis=f"Wet inburgering 2021 art. 14 en 15; {AVG_TASK}. Gezondheid: AVG art. 9 lid 2 sub a "
        "(uitdrukkelijke toestemming van de inburgeraar, vastgelegd in het dossier).",
        sections=(Section.INTAKE, Section.GEZONDHEID),
        recipients="De klantregisseur en de teamleider; andere rollen niet.",
        retention=RETENTION_FILE,
        confidential=True,
    ),
    ProcessingActivity(
        code="pip",
        name="Persoonlijk plan inburgering en participatie (PIP)",
        purpose="Het PIP opstellen, vaststellen bij beschikking en bijstellen; bezwaar behandelen.",
        legal_basis=f"Wet inburgering 2021 art. 15 en 17; Besluit inburgering 2021 art. 5.3-5.5; {AVG_TASK}.",
        sections=(Section.PIP,),
        recipients="Medewerkers van de gemeente; DUO (het PIP en de leerroute).",
        retention=RETENTION_FILE,
    ),
    ProcessingActivity(
        code="ontzorgen",
        name="Financieel ontzorgen",
        purpose="Vaste lasten betalen uit de bijstand in het eerste half jaar en de inburgeraar daarna begeleiden.",
        legal_basis=f"Participatiewet art. 56a; Wet inburgering 2021 art. 15 lid 3; {AVG_TASK}.",
        sections=(Section.FINANCIEN,),
        recipients="De financieel consulent; de schuldeisers die worden betaald (alleen wat zij nodig hebben).",
        retention=RETENTION_FILE,
    ),
    ProcessingActivity(
        code="voortgang",
        name="Leerroute, voortgang en examens",
        purpose="Plaatsing bij aanbieders, aanwezigheid, uren, examens en voortgangsgesprekken volgen.",
        legal_basis=f"Wet inburgering 2021 art. 6-9, 16 en 17; {AVG_TASK}.",
        sections=(Section.VOORTGANG,),
        recipients="Medewerkers van de gemeente; de aanbieder alleen de minimale gegevens van eigen cursisten.",
        retention=RETENTION_FILE,
    ),
    ProcessingActivity(
        code="handhaving",
        name="Handhaving en voldaan",
        purpose="Boetes opleggen en vaststellen dat aan de inburgeringsplicht is voldaan.",
        legal_basis=f"Wet inburgering 2021 art. 6, 22-27; Besluit inburgering 2021 art. 7.1; Awb 4:87; {AVG_TASK}.",
        sections=(Section.HANDHAVING,),
        recipients="Medewerkers van de gemeente; DUO (voldaan, boetes).",
        retention=RETENTION_FILE,
    ),
    ProcessingActivity(
        code="begeleiding",
        name="Begeleiding, netwerk en vervolg",
        purpose="Maatschappelijke begeleiding, verwijzingen naar ketenpartners en het vervolg na de inburgering.",
        legal_basis=f"Wet inburgering 2021 art. 15 en 18; {AVG_TASK}; verwijzingen met toestemming (AVG art. 6 lid 1 "
        "sub a en art. 9 lid 2 sub a).",
        sections=(Section.BEGELEIDING,),
        recipients="De maatschappelijk begeleider; ketenpartners alleen wat de inburgeraar toestond.",
        retention=RETENTION_FILE,
    ),
    ProcessingActivity(
        code="documenten",
        name="Brieven en documenten",
        purpose="Brieven en beschikkingen maken, versturen en bewaren.",
        legal_basis=f"Wet inburgering 2021 art. 14, 15, 22-26; Awb 3:41; {AVG_TASK}.",
        sections=(Section.DOCUMENTEN,),
        recipients="De inburgeraar; medewerkers van de gemeente.",
        retention=RETENTION_FILE,
    ),
    ProcessingActivity(
        code="sturing",
        name="Monitoring en sturing",
        purpose="Geaggregeerde cijfers over instroom, trajecten, contracten en resultaten (geen personen).",
        legal_basis=f"Wet inburgering 2021 art. 2 (regie van het college); {AVG_TASK}.",
        sections=(),
        recipients="Beleidsmedewerkers en contractmanagers: alleen cijfers.",
        retention="Cijfers zonder persoonsgegevens: zolang nodig voor beleid.",
    ),
    # #16 item 5: the quarterly file holds persons (BSN), unlike the figures of "sturing".
    ProcessingActivity(
        code="statistiek",
        name="Levering aan het CBS (Statistiek Wet inburgering)",
        purpose="Elk kwartaal gegevens over inburgeraars aan het CBS leveren: BSN, doelgroep, status, brede intake, "
        "PIP en leerroute, ontzorgen, PVT en MAP, voldaan.",
        legal_basis=f"Wet inburgering 2021 art. 39; Besluit inburgering 2021 art. 9.12; {AVG_TASK}.",
        sections=(Section.BASIS, Section.PIP),
        recipients="Het CBS. In de gemeente: de teamleider en de beleidsmedewerker die het bestand maken en leveren.",
        retention="Het bestand blijft bewaard als verantwoording van de levering; vernietigen is nog niet gebouwd.",
    ),
    ProcessingActivity(
        code="beveiliging",
        name="Beveiliging en verantwoording",
        purpose="Toegang beheren, inloggen, het auditlogboek en back-ups: aantonen wie wat deed en waarom.",
        legal_basis="AVG art. 5 lid 2, art. 30 en art. 32; BIO.",
        sections=(Section.AUDIT,),
        recipients="De functioneel beheerder, de teamleider en de privacy officer van de gemeente.",
        retention="Zo lang als de gegevens waarover het logboek gaat, en ten minste de logtermijn van de gemeente.",
    ),
)

BY_CODE = {activity.code: activity for activity in ACTIVITIES}

_PREFIXES: tuple[tuple[str, str], ...] = (
    # (event type prefix, activity code): the first that matches decides.
    ("signal", "signalen"),
    ("plicht_mismatch", "signalen"),
    ("file_signal", "signalen"),
    ("intake", "brede_intake"),
    ("leefgebied", "brede_intake"),
    ("lbt", "brede_intake"),
    ("route_advice", "brede_intake"),
    ("pip", "pip"),
    ("bezwa", "pip"),
    ("progress_talk", "pip"),
    ("afschalen", "voortgang"),
    ("route_switch", "pip"),
    ("progress_settings", "beveiliging"),
    ("progress", "voortgang"),
    ("low_attendance", "voortgang"),
    ("provider_created", "sturing"),
    ("provider_updated", "sturing"),
    ("provider_user_linked", "beveiliging"),
    ("contract", "sturing"),
    ("provider", "voortgang"),
    ("enrolment", "voortgang"),
    ("weekly_report", "voortgang"),
    ("exam_result", "voortgang"),
    ("module_milestone", "voortgang"),
    ("lesson_visit", "sturing"),
    ("satisfaction_survey", "sturing"),
    ("monitoring", "sturing"),
    ("fine", "handhaving"),
    ("handhaving", "handhaving"),
    ("voldaan", "handhaving"),
    ("achievement", "handhaving"),
    ("followup", "begeleiding"),
    ("letter_settings", "beveiliging"),
    ("letter", "documenten"),
    ("file_audit", "beveiliging"),
    ("verwerkingen", "beveiliging"),
    ("gemeente_audit", "beveiliging"),
    ("backup", "beveiliging"),
    ("retention", "beveiliging"),
    ("legal_hold", "beveiliging"),
    ("section_access", "beveiliging"),
    ("consent", "regie"),
    ("login", "beveiliging"),
    ("logged_out", "beveiliging"),
    ("password", "beveiliging"),
    ("two_factor", "beveiliging"),
    ("api_token", "beveiliging"),
    ("gemeente_switched", "beveiliging"),
    ("staff", "beveiliging"),
    ("membership", "beveiliging"),
    ("team", "beveiliging"),
    ("client", "regie"),
    ("household", "regie"),
    ("person", "regie"),
    ("caseload", "regie"),
    ("status_history", "regie"),
    ("note", "regie"),
    ("timeline", "regie"),
    ("deadlines", "regie"),
    # >>> ontzorgen (#13 financieel ontzorgen): add this work's entries below this line
    ("ontzorgen", "ontzorgen"),
    ("machtiging", "ontzorgen"),
    ("obligation", "ontzorgen"),
    ("payment_run", "ontzorgen"),
    ("payment_file", "ontzorgen"),
    ("ledger", "ontzorgen"),
    ("bank_statement", "ontzorgen"),
    ("bank_worklist", "ontzorgen"),
    ("statement_line", "ontzorgen"),
    ("toeslag", "ontzorgen"),
    ("loslaten", "ontzorgen"),
    # <<< ontzorgen
    # >>> netwerk (#14 zorg en netwerk): add this work's entries below this line
    ("sociale_kaart", "begeleiding"),
    ("partner_user", "beveiliging"),
    ("referral", "begeleiding"),
    ("handover", "begeleiding"),
    ("begeleiding", "begeleiding"),
    ("buddy", "begeleiding"),
    ("contact_card", "begeleiding"),
    ("contact_person", "begeleiding"),
    ("netwerk_figures", "sturing"),
    # <<< netwerk
    # >>> portal (#15 portaal): add this work's entries below this line
    ("portal_logged", "beveiliging"),
    ("portal_settings", "beveiliging"),
    ("portal_access_log", "beveiliging"),
    ("portal_upload", "documenten"),
    ("portal_letter", "documenten"),
    ("portal_documents", "documenten"),
    ("portal_plan", "pip"),
    ("portal_progress", "voortgang"),
    ("portal_notification", "regie"),
    ("portal_consent", "regie"),
    ("portal", "regie"),
    # <<< portal
    # >>> monitoring (#16 monitoring): add this work's entries below this line
    ("council_report", "sturing"),
    # <<< monitoring
    # >>> cbs (#16 item 5 the quarterly CBS file): add this work's entries below this line
    ("cbs_delivery", "statistiek"),
    # <<< cbs
    # >>> interop (#17 BRP, ZGW, notificaties, Open Klant): add this work's entries below this line
    ("integration_notification_signalled", "signalen"),  # a signal on a file, before the "integration" prefix
    ("integration", "beveiliging"),
    ("brp", "regie"),
    # <<< interop
    # >>> duo (#17 DUO M2M and letters sent): add this work's entries below this line
    ("duo", "signalen"),
    ("residence_check", "signalen"),
    ("klantcontact", "regie"),
    ("digital_address", "regie"),
    # <<< duo
    # >>> queue (#18 jobs and performance): add this work's entries below this line
    # <<< queue
    # >>> auditpart (#18 item 6 audit partitions): add this work's entries below this line
    ("audit_partition", "beveiliging"),
    # <<< auditpart
)


def activity_for(event_type: str) -> ProcessingActivity:
    """The processing activity an audit event type belongs to; an unmapped type is a programming error."""
    for prefix, code in _PREFIXES:
        if event_type.startswith(prefix):
            return BY_CODE[code]
    raise LookupError(f"Audit event type {event_type!r} belongs to no processing activity: add it to audit.processing.")

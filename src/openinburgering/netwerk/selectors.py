"""Scoped reads of zorg en netwerk, each with a constant number of queries. Callers reach a file through
``clients.access`` or ``netwerk.access`` first; these functions filter on the gemeente (or the partner's
organisation) themselves as well."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente, User
from openinburgering.accounts.roles import Capability, RoleCode
from openinburgering.clients.choices import CLOSED_STATUSES
from openinburgering.clients.models import ClientFile
from openinburgering.core import sql
from openinburgering.intakes.choices import Leefgebied
from openinburgering.letters.models import LetterSettings

from .models import (
    BegeleidingEntry,
    BuddyMatch,
    ContactPerson,
    Offer,
    Organisation,
    Referral,
    ReferralStatus,
    ReferralTerm,
)

DEFAULT_ANSWER_DAYS = 10
OPEN_STATUSES = (ReferralStatus.VERZONDEN, ReferralStatus.GEACCEPTEERD, ReferralStatus.GESTART)
CONTACT_STATUSES = (ReferralStatus.GEACCEPTEERD, ReferralStatus.GESTART)
ACCEPTED_STATUSES = (
    ReferralStatus.GEACCEPTEERD,
    ReferralStatus.GESTART,
    ReferralStatus.AFGEROND,
    ReferralStatus.TERUGGEMELD,
)


# --- Sociale kaart -----------------------------------------------------------------------------------------------


def organisations_for(gemeente: Gemeente) -> QuerySet[Organisation]:
    """The organisations a gemeente's staff may use: its own and those shared in its arbeidsmarktregio."""
    return Organisation.objects.filter(Q(gemeente_id=gemeente.pk) | Q(region_id=gemeente.region_id))


def offers_for(
    gemeente: Gemeente,
    *,
    theme: str = "",
    language: str = "",
    place: str = "",
    text: str = "",
    active_only: bool = True,
) -> QuerySet[Offer]:
    """The sociale kaart of a gemeente, searched by theme (leefgebied), language, place and free text (1 query)."""
    offers = Offer.objects.filter(
        Q(organisation__gemeente_id=gemeente.pk) | Q(organisation__region_id=gemeente.region_id)
    ).select_related("organisation")
    if active_only:
        offers = offers.filter(is_active=True, organisation__is_active=True)
    if theme:
        offers = offers.filter(theme=theme)
    if language:
        offers = offers.filter(languages__icontains=language.strip())
    if place:
        offers = offers.filter(place__icontains=place.strip())
    if text:
        offers = offers.filter(Q(name__icontains=text) | Q(organisation__name__icontains=text))
    return offers.order_by("theme", "name", "id")


# --- Contact card ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactEntry:
    """One line of the contact card: who, for what, and how the client reaches them."""

    role: str
    about: str
    name: str
    organisation: str
    reach: str


def contact_card_for(client_file: ClientFile) -> list[ContactEntry]:
    """The client's contacts: klantregisseur, maatschappelijk begeleider, the chain partners of accepted referrals
    whose consent stands, active buddies and taalmaatjes, and contacts entered by hand (4 queries at most).
    Shown on the file page, printed for the client and read by the portal."""
    entries: list[ContactEntry] = []
    settings_row = LetterSettings.objects.filter(gemeente_id=client_file.gemeente_id).first()
    team_reach = ", ".join(part for part in (settings_row.phone, settings_row.email) if part) if settings_row else ""
    user = client_file.assigned_to if client_file.assigned_to_id is not None else None
    if user is not None:
        entries.append(ContactEntry("Klantregisseur", "Uw inburgering en uw plan (PIP)", user.display_name,
                                    "Gemeente", team_reach or user.email))  # fmt: skip
    user = client_file.begeleider if client_file.begeleider_id is not None else None
    if user is not None:
        entries.append(ContactEntry("Maatschappelijk begeleider", "Hulp bij wonen, regelen en meedoen",
                                    user.display_name, "Gemeente", team_reach or user.email))  # fmt: skip
    referrals = (
        Referral.objects.filter(client_file=client_file, status__in=CONTACT_STATUSES)
        .filter(consent__isnull=False, consent__withdrawal__isnull=True)
        .select_related("offer", "organisation")
    )
    for referral in referrals:
        organisation = referral.organisation
        reach = referral.offer.contact or ", ".join(p for p in (organisation.phone, organisation.email) if p)
        entries.append(ContactEntry(referral.get_theme_display(), referral.offer.name, organisation.name,
                                    organisation.name, reach))  # fmt: skip
    for buddy in BuddyMatch.objects.filter(client_file=client_file, ended_on__isnull=True).select_related(
        "organisation"
    ):
        entries.append(ContactEntry(buddy.get_kind_display(), "Samen oefenen en meedoen", buddy.volunteer_name,
                                    buddy.organisation.name, buddy.volunteer_contact))  # fmt: skip
    for contact in ContactPerson.objects.filter(client_file=client_file):
        entries.append(ContactEntry(contact.get_role_display(), contact.about, contact.name, "", contact.reach))
    return entries


# --- Referrals -----------------------------------------------------------------------------------------------------


def referrals_of(client_file: ClientFile) -> list[Referral]:
    """Every referral of a file, newest first, with offer, organisation and consent (1 query)."""
    return list(
        Referral.objects.filter(client_file=client_file)
        .select_related("offer", "organisation", "consent", "consent__withdrawal", "created_by")
        .order_by("-created_at", "-id")
    )


def inbox_for(organisation: Organisation, gemeente_id: int) -> QuerySet[Referral]:
    """A partner's inbox: the referrals sent to its organisation in this gemeente whose consent stands. Never a
    concept, never another organisation's (1 query)."""
    return (
        Referral.objects.filter(organisation=organisation, gemeente_id=gemeente_id)
        .exclude(status=ReferralStatus.CONCEPT)
        .filter(consent__isnull=False, consent__withdrawal__isnull=True)
        .select_related("offer", "package")
        .order_by("-sent_at", "-id")
    )


def package_name(referral: Referral) -> str:
    """The person's name as the package carries it (only when the client consented to share the basis section);
    otherwise the partner sees no name at all."""
    package = getattr(referral, "package", None)
    if package is None:
        return ""
    for label, value in package.content.get("basis", {}).get("lines", []):
        if label == "Naam":
            return str(value)
    return ""


def follow_up_queue(actor: Actor, *, as_of: date) -> QuerySet[Referral]:
    """The referrals the klantregisseur has to follow up: follow-up date reached, in the actor's own caseload (the
    teamleider: the gemeente's). One query, separate from the caseload's own query on purpose."""
    queryset = Referral.objects.filter(gemeente_id=actor.gemeente_id, follow_up_on__lte=as_of)
    if not actor.can(Capability.VIEW_TEAM_CASELOAD):
        queryset = queryset.filter(client_file__assigned_to=actor.user)
    return queryset.select_related("client_file__person", "organisation", "offer").order_by("follow_up_on", "id")


def answer_days(gemeente_id: int) -> int:
    """The gemeente's term for a partner to answer a sent referral (1 query)."""
    term = ReferralTerm.objects.filter(gemeente_id=gemeente_id).values_list("answer_days", flat=True).first()
    return term or DEFAULT_ANSWER_DAYS


# --- Begeleiding ---------------------------------------------------------------------------------------------------


def begeleiding_caseload(actor: Actor) -> QuerySet[ClientFile]:
    """The maatschappelijk begeleider's caseload: the open files of the gemeente assigned to them (1 query)."""
    latest = BegeleidingEntry.objects.filter(client_file=OuterRef("pk")).order_by("-on", "-id")
    return (
        ClientFile.objects.filter(gemeente_id=actor.gemeente_id, begeleider=actor.user)
        .exclude(status__in=CLOSED_STATUSES)
        .annotate(latest_on=Subquery(latest.values("on")[:1]), latest_kind=Subquery(latest.values("kind")[:1]))
        .select_related("person")
        .order_by("person__surname", "id")
    )


def begeleiders_for(gemeente_id: int) -> QuerySet[User]:
    """The active maatschappelijk begeleiders of a gemeente (assignment choices, 1 query)."""
    return (
        User.objects.filter(
            is_active=True, memberships__gemeente_id=gemeente_id, memberships__is_active=True,
            memberships__role__code=RoleCode.MAATSCHAPPELIJK_BEGELEIDER,
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )  # fmt: skip


def begeleiding_of(client_file: ClientFile) -> list[BegeleidingEntry]:
    return list(BegeleidingEntry.objects.filter(client_file=client_file).select_related("recorded_by"))


def buddies_of(client_file: ClientFile) -> list[BuddyMatch]:
    return list(BuddyMatch.objects.filter(client_file=client_file).select_related("organisation"))


# --- Monitoring ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerFigures:
    organisation: str
    sent: int
    accepted: int
    refused: int
    acceptance_percent: int | None
    average_days_to_accept: float | None


@dataclass
class _Tally:
    sent: int = 0
    accepted: int = 0
    refused: int = 0
    days: list[float] = field(default_factory=list)


def referral_figures(
    gemeente_id: int,
    *,
    sent_from: date | None = None,
    sent_before: date | None = None,
    doelgroep: str | None = None,
    team: int | None = None,
) -> dict[str, object]:
    """Aggregates only (no persons): sent referrals by theme; per partner the acceptance rate (accepted of those
    answered) and the average days from sending to acceptance (1 query). Optionally only referrals sent in a
    period and of files of a doelgroep or team (the monitoring dashboard's filters; team 0 = no team)."""
    rows = Referral.objects.filter(gemeente_id=gemeente_id).exclude(status=ReferralStatus.CONCEPT)
    if sent_from is not None:
        rows = rows.filter(sent_at__date__gte=sent_from)
    if sent_before is not None:
        rows = rows.filter(sent_at__date__lt=sent_before)
    if doelgroep is not None:
        rows = rows.filter(client_file__doelgroep=doelgroep)
    if team is not None:
        rows = rows.filter(client_file__team__isnull=True) if team == 0 else rows.filter(client_file__team_id=team)
    by_theme: dict[str, int] = defaultdict(int)
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for theme, status, name, sent_at, answered_at in rows.values_list(
        "theme", "status", "organisation__name", "sent_at", "answered_at"
    ):
        by_theme[theme] += 1
        tally = tallies[name]
        tally.sent += 1
        if status in ACCEPTED_STATUSES:
            tally.accepted += 1
            if sent_at and answered_at:
                tally.days.append((answered_at - sent_at).total_seconds() / 86_400)
        elif status == ReferralStatus.GEWEIGERD:
            tally.refused += 1
    labels = dict(Leefgebied.choices)
    partners = []
    for name in sorted(tallies):
        tally = tallies[name]
        answered = tally.accepted + tally.refused
        partners.append(PartnerFigures(
            organisation=name, sent=tally.sent, accepted=tally.accepted, refused=tally.refused,
            acceptance_percent=round(100 * tally.accepted / answered) if answered else None,
            average_days_to_accept=round(sum(tally.days) / len(tally.days), 1) if tally.days else None,
        ))  # fmt: skip
    return {
        "by_theme": [{"theme": code, "label": str(labels.get(code, code)), "count": count}
                     for code, count in sorted(by_theme.items())],
        "partners": partners,
    }  # fmt: skip


def file_count_annotations() -> dict[str, Subquery]:
    """The file page block's two counts of the outer file (``open_count``, ``contact_count``) as subqueries on a
    ClientFile queryset, so the file page reads them in its summary row (``casefile.summary.summary_and_facts_of``,
    #18)."""
    return {
        "open_count": sql.count_of(Referral.objects.filter(client_file=OuterRef("pk"), status__in=OPEN_STATUSES)),
        "contact_count": sql.count_of(ContactPerson.objects.filter(client_file=OuterRef("pk"))),
    }

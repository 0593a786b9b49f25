"""Figures per klantregisseur (#16 item 1): caseload, overdue steps, steps this week, and the average time from the
kennisgeving to the brede intake and to the PIP. The teamleider sees every caseworker of the gemeente side by
side (workload balance) with links to the team caseload; a klantregisseur sees only their own row.

Caseload, overdue and this week are the state of today, read from the stored next step of each file
(``ClientFile.next_deadline_on``, kept by the deadline refresh from the rules) in one grouped query on indexed
columns; the averages come from the aggregate layer's facts (``FileFact``) for intakes and PIPs in the last
twelve months. Three queries, whatever the number of caseworkers or files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Membership
from openinburgering.accounts.roles import Capability, RoleCode
from openinburgering.clients.models import ClientFile
from openinburgering.clients.selectors import WEEK_DAYS
from openinburgering.core.errors import NotFound

from .facts import UNDER_PLICHT
from .figures import add_months
from .models import FileFact
from .selectors import _DaysBetween

CASEWORKER_ROLES = (RoleCode.KLANTREGISSEUR, RoleCode.TEAMLEIDER)


@dataclass
class CaseworkerRow:
    user_id: int
    name: str
    team: str
    caseload: int = 0
    overdue: int = 0
    this_week: int = 0
    unplanned: int = 0
    intake_count: int = 0
    intake_days: Decimal | None = None
    pip_count: int = 0
    pip_days: Decimal | None = None


def _tenth(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def caseworker_rows(actor: Actor, *, today: date) -> list[CaseworkerRow]:
    """The teamleider's side-by-side view, or the klantregisseur's own row (404 for other roles)."""
    if actor.can(Capability.VIEW_TEAM_CASELOAD):
        only_user = None
    elif actor.can(Capability.VIEW_OWN_CASELOAD):
        only_user = actor.user.pk
    else:
        raise NotFound()
    memberships = (
        Membership.objects.filter(gemeente_id=actor.gemeente_id, role__code__in=CASEWORKER_ROLES, is_active=True)
        .select_related("user", "team")
        .order_by("user__first_name", "user__last_name", "user_id")
    )
    if only_user is not None:
        memberships = memberships.filter(user_id=only_user)
    rows: dict[int, CaseworkerRow] = {}
    for membership in memberships:
        row = rows.setdefault(membership.user_id, CaseworkerRow(membership.user_id, membership.user.display_name, ""))
        if membership.team is not None and not row.team:
            row.team = membership.team.name
    ids = list(rows)
    week_end = today + timedelta(days=WEEK_DAYS)
    for item in (
        ClientFile.objects.filter(gemeente_id=actor.gemeente_id, assigned_to_id__in=ids, status__in=UNDER_PLICHT)
        .values("assigned_to_id")
        .annotate(
            caseload=Count("id"),
            overdue=Count("id", filter=Q(next_deadline_on__lt=today)),
            this_week=Count("id", filter=Q(next_deadline_on__gte=today, next_deadline_on__lt=week_end)),
            unplanned=Count("id", filter=Q(next_deadline_on__isnull=True)),
        )
        .order_by()
    ):
        row = rows[item["assigned_to_id"]]
        row.caseload, row.overdue = item["caseload"], item["overdue"]
        row.this_week, row.unplanned = item["this_week"], item["unplanned"]
    since = add_months(today.replace(day=1), -11)
    facts = FileFact.objects.filter(gemeente_id=actor.gemeente_id, assigned_to_id__in=ids)
    for averages in (
        facts.filter(kennisgeving_on__isnull=False)
        .values("assigned_to_id")
        .annotate(
            intake_count=Count("pk", filter=Q(intake_on__gte=since)),
            intake_days=Avg(_DaysBetween("intake_on", "kennisgeving_on"), filter=Q(intake_on__gte=since)),
            pip_count=Count("pk", filter=Q(pip_on__gte=since)),
            pip_days=Avg(_DaysBetween("pip_on", "kennisgeving_on"), filter=Q(pip_on__gte=since)),
        )
        .order_by()
    ):
        row = rows[averages["assigned_to_id"]]
        row.intake_count, row.pip_count = averages["intake_count"], averages["pip_count"]
        row.intake_days, row.pip_days = _tenth(averages["intake_days"]), _tenth(averages["pip_days"])
    return list(rows.values())


TEAM_COLUMNS = [
    "Klantregisseur", "Team", "Caseload", "Stap te laat", "Stap deze week", "Zonder geplande stap",
    "Brede intakes (12 maanden)", "Gemiddeld dagen tot brede intake", "PIP's (12 maanden)",
    "Gemiddeld dagen tot PIP",
]  # fmt: skip


def team_table_rows(rows: list[CaseworkerRow]) -> list[list[object]]:
    return [
        [r.name, r.team, r.caseload, r.overdue, r.this_week, r.unplanned, r.intake_count, r.intake_days, r.pip_count,
         r.pip_days]
        for r in rows
    ]  # fmt: skip

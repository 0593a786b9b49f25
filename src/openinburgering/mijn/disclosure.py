""" "Wie heeft mijn dossier bekeken" (#15 item 8): from the audit trail, per month, which organisation and role read
or changed which part of the client's file and why; staff names only when the gemeente turns them on."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.utils import timezone

from openinburgering.accounts.models import Gemeente
from openinburgering.audit.catalogue import EVENT_TYPES
from openinburgering.audit.models import AuditEvent
from openinburgering.audit.processing import activity_for

from .access import PortalClient
from .labels import PURPOSE_LABELS, ROLE_LABELS, SECTION_LABELS, SYSTEM_ROLE

KIND_OF = {event.code: event.kind for event in EVENT_TYPES}


@dataclass(frozen=True)
class AccessRow:
    organisation: str
    role: str
    staff_name: str
    is_change: bool
    sections: tuple[str, ...]
    purpose: str
    count: int
    last_on: date


@dataclass(frozen=True)
class AccessMonth:
    month: date  # the first day of the month
    rows: list[AccessRow]


def access_log(client: PortalClient, *, limit_months: int = 12) -> list[AccessMonth]:
    """Reads and changes by others (not the client) on the client's own file, newest month first, one row per
    organisation + role (+ name) + read/change + parts + purpose with how often (two queries)."""
    events = (
        AuditEvent.objects.filter(client_file=client.client_file)
        .exclude(actor=client.account.user)
        .select_related("actor")
        .only(
            "occurred_at",
            "actor_role",
            "gemeente_id",
            "event_type",
            "actor__first_name",
            "actor__last_name",
            "actor__username",
        )
        .order_by("-occurred_at", "-id")[:5000]
    )
    names = dict(Gemeente.objects.values_list("pk", "name"))
    show_names = client.settings.show_staff_names
    months: dict[date, dict[tuple[str, str, str, bool, tuple[str, ...], str], AccessRow]] = {}
    for event in events:
        kind = KIND_OF.get(event.event_type)
        if kind not in ("read", "change", "export"):
            continue
        local = timezone.localtime(event.occurred_at)
        month = local.date().replace(day=1)
        if month not in months and len(months) >= limit_months:
            break
        activity = activity_for(event.event_type)
        sections = tuple(str(SECTION_LABELS[str(s)]) for s in activity.sections if str(s) in SECTION_LABELS)
        role = str(ROLE_LABELS.get(event.actor_role, SYSTEM_ROLE)) if event.actor_role else str(SYSTEM_ROLE)
        staff_name = event.actor.get_full_name() if show_names and event.actor and event.actor_role else ""
        row = AccessRow(
            organisation=names.get(event.gemeente_id or 0, ""), role=role, staff_name=staff_name,
            is_change=kind == "change", sections=sections,
            purpose=str(PURPOSE_LABELS.get(activity.code, activity.name)), count=1, last_on=local.date(),
        )  # fmt: skip
        key = (row.organisation, row.role, row.staff_name, row.is_change, row.sections, row.purpose)
        bucket = months.setdefault(month, {})
        seen = bucket.get(key)
        # Events come newest first: the first one of a group holds its last day.
        bucket[key] = row if seen is None else replace(seen, count=seen.count + 1)
    return [AccessMonth(month=month, rows=list(bucket.values())) for month, bucket in months.items()]

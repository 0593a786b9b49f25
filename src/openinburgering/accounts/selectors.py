"""Scoped reads for staff management and the gemeente audit log. Everything filters on the actor's gemeente;
lists use a constant number of queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from openinburgering.audit.models import AuditEvent
from openinburgering.core.errors import NotFound

from .actor import Actor
from .models import Membership, Role, Team, User
from .roles import Capability


def gemeente_audit(*, actor: Actor, event_type: str = "", since: date | None = None) -> QuerySet[AuditEvent]:
    """The audit events of the actor's gemeente (functioneel beheerder), newest first; 404 without the capability."""
    if not actor.can(Capability.VIEW_GEMEENTE_AUDIT):
        raise NotFound()
    queryset: QuerySet[AuditEvent] = AuditEvent.objects.filter(gemeente_id=actor.gemeente_id).select_related(
        "actor", "client_file"
    )
    if event_type:
        queryset = queryset.filter(event_type=event_type)
    if since:
        queryset = queryset.filter(occurred_at__date__gte=since)
    return queryset.order_by("-occurred_at", "-id")


def _require_manage_staff(actor: Actor) -> None:
    if not actor.can(Capability.MANAGE_STAFF):
        raise NotFound()


def _gemeente_memberships(actor: Actor) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(gemeente_id=actor.gemeente_id)
        .select_related("role", "team")
        .order_by("-is_active", "role__name", "pk")
    )


def staff_of_gemeente(*, actor: Actor, query: str = "", show: str = "active") -> QuerySet[User]:
    """The users who work (or worked) for the actor's gemeente, each with `gemeente_memberships` (only this
    gemeente's) prefetched. `show`: "active" (an active membership here), "inactive" (none active), "all"."""
    _require_manage_staff(actor)
    in_gemeente = Membership.objects.filter(gemeente_id=actor.gemeente_id)
    queryset = User.objects.filter(pk__in=in_gemeente.values("user_id"))
    active_here = in_gemeente.filter(is_active=True).values("user_id")
    if show == "active":
        queryset = queryset.filter(pk__in=active_here)
    elif show == "inactive":
        queryset = queryset.exclude(pk__in=active_here)
    text = " ".join(query.split())
    for word in text.split(" ") if text else []:
        queryset = queryset.filter(
            Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    return queryset.prefetch_related(
        Prefetch("memberships", queryset=_gemeente_memberships(actor), to_attr="gemeente_memberships")
    ).order_by("last_name", "first_name", "username", "pk")


def memberships_here(*, actor: Actor, user: User) -> list[Membership]:
    """The user's memberships in the actor's gemeente, active ones first."""
    _require_manage_staff(actor)
    return list(_gemeente_memberships(actor).filter(user=user))


def works_elsewhere(*, actor: Actor, user: User) -> bool:
    """Whether the user also has an active membership in another gemeente (shown without saying which)."""
    return Membership.objects.filter(user=user, is_active=True).exclude(gemeente_id=actor.gemeente_id).exists()


def roles() -> QuerySet[Role]:
    return Role.objects.order_by("name")


def teams_of_gemeente(*, actor: Actor) -> QuerySet[Team]:
    _require_manage_staff(actor)
    return (
        Team.objects.filter(gemeente_id=actor.gemeente_id)
        .annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("name")
    )


def audit_log(
    *, actor: Actor, event_type: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[AuditEvent]:
    """The gemeente's audit events, newest first (gemeente_audit above), optionally up to a date."""
    queryset = gemeente_audit(actor=actor, event_type=event_type, since=since)
    if until:
        queryset = queryset.filter(occurred_at__date__lte=until)
    return queryset

"""The actor: who acts, for which gemeente, in which role. Every access check and audit event starts here."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.db import connection

from openinburgering.core.sql import JoinedSelect, column

from .models import Gemeente, Membership, Role, User
from .roles import Capability

SESSION_MEMBERSHIP_KEY = "membership_id"
# Set by the portal's DigiD login (mijn.signals): a client's session, whose user has no memberships (#18: the actor
# middleware then reads none).
SESSION_PORTAL_ACCOUNT_KEY = "mijn_account_id"


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership
    # Every active membership of the user, when resolve_actor loaded them anyway (the gemeente switch in the page
    # header lists the others): one query per request instead of two (#18). None: not loaded.
    memberships: tuple[Membership, ...] | None = field(default=None, compare=False, repr=False)

    @property
    def gemeente(self) -> Gemeente:
        return self.membership.gemeente

    @property
    def gemeente_id(self) -> int:
        return self.membership.gemeente_id

    @property
    def role_code(self) -> str:
        return self.membership.role.code

    def can(self, capability: Capability | str) -> bool:
        return str(capability) in self.membership.role.capabilities


@functools.cache
def _memberships_select() -> JoinedSelect:
    """The active memberships of a user with gemeente, role and team, as ``Membership.objects.filter(user=user,
    is_active=True, gemeente__is_active=True).select_related("gemeente", "role", "team").order_by("gemeente__name",
    "role__name")``, its SQL written once per process (#18: compiling that query on every staff request was about a
    tenth of a list page's CPU). tests/accounts/test_active_memberships.py compares the two."""
    select = JoinedSelect(Membership, ("gemeente", "role", "team"))
    m, g, r = select.alias(), select.alias("gemeente"), select.alias("role")
    select.sql += (
        f" WHERE {m}.{column(Membership, 'user')} = %s AND {m}.{column(Membership, 'is_active')}"
        f" AND {g}.{column(Gemeente, 'is_active')}"
        f" ORDER BY {g}.{column(Gemeente, 'name')} ASC, {r}.{column(Role, 'name')} ASC"
    )
    return select


def active_memberships(user: User) -> list[Membership]:
    select = _memberships_select()
    with connection.cursor() as cursor:
        cursor.execute(select.sql, [user.pk])
        rows = cursor.fetchall()
    return [select.load(row) for row in rows]


def resolve_actor(user: User, membership_id: int | None) -> Actor | None:
    """The actor for a logged-in user: the chosen membership, or the first active one."""
    if not user.is_active:
        return None
    memberships = active_memberships(user)
    chosen = next((m for m in memberships if m.pk == membership_id), None)
    if chosen is None and memberships:
        chosen = memberships[0]
    return Actor(user=user, membership=chosen, memberships=tuple(memberships)) if chosen else None

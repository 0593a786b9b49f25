"""The actor: who acts, for which gemeente, in which role. Every access check and audit event starts here."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Gemeente, Membership, User
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


def active_memberships(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, is_active=True, gemeente__is_active=True)
        .select_related("gemeente", "role", "team")
        .order_by("gemeente__name", "role__name")
    )


def resolve_actor(user: User, membership_id: int | None) -> Actor | None:
    """The actor for a logged-in user: the chosen membership, or the first active one."""
    if not user.is_active:
        return None
    memberships = active_memberships(user)
    chosen = next((m for m in memberships if m.pk == membership_id), None)
    if chosen is None and memberships:
        chosen = memberships[0]
    return Actor(user=user, membership=chosen, memberships=tuple(memberships)) if chosen else None

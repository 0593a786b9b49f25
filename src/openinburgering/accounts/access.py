"""The only door to a staff member for the functioneel beheerder. Missing, another gemeente's user and a missing
capability all raise NotFound (404): whether a user exists elsewhere is not this gemeente's business."""

from __future__ import annotations

from openinburgering.core.errors import NotFound

from .actor import Actor
from .models import Membership, User
from .roles import Capability


def access_staff_member(actor: Actor, user_id: int) -> User:
    """A user who holds (or held) a membership in the actor's gemeente, for an actor who may manage staff."""
    if not actor.can(Capability.MANAGE_STAFF):
        raise NotFound()
    user = User.objects.filter(
        pk=user_id, pk__in=Membership.objects.filter(gemeente_id=actor.gemeente_id).values("user_id")
    ).first()
    if user is None:
        raise NotFound()
    return user


def access_membership(actor: Actor, user: User, membership_id: int) -> Membership:
    """One membership of `user` in the actor's gemeente (never one in another gemeente)."""
    if not actor.can(Capability.MANAGE_STAFF):
        raise NotFound()
    membership = (
        Membership.objects.select_related("role", "team", "gemeente")
        .filter(pk=membership_id, user=user, gemeente_id=actor.gemeente_id)
        .first()
    )
    if membership is None:
        raise NotFound()
    return membership

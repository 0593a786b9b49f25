"""Every change to staff users, memberships and teams. Keyword-only, atomic, audited in the same transaction."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError, NotFound

from .actor import Actor, active_memberships
from .models import Membership, User

FieldErrors = dict[str, list[str]]

PURPOSE_SECURITY = "beveiliging"


@transaction.atomic
def switch_membership(*, actor: Actor, membership_id: int) -> Membership:
    """The user now works for another gemeente or in another role. Only one of their own active memberships."""
    chosen = next((m for m in active_memberships(actor.user) if m.pk == membership_id), None)
    if chosen is None:
        raise NotFound()
    if chosen.pk != actor.membership.pk:
        record_event(
            actor=Actor(user=actor.user, membership=chosen),
            event_type="gemeente_switched",
            purpose=PURPOSE_SECURITY,
            subject=chosen,
            changes={"membership": {"old": actor.membership.pk, "new": chosen.pk}},
        )
    return chosen


def _password_errors(password: str, user: User | None) -> list[str]:
    """Django's validators from settings, always in Dutch (the UI is Dutch whatever the browser asks)."""
    with translation.override("nl"):
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            return [str(message) for message in error.messages]
    return []


@transaction.atomic
def change_password(*, user: User, old_password: str, new_password: str, new_password_again: str) -> User:
    errors: FieldErrors = {}
    if not user.check_password(old_password):
        errors["old_password"] = ["Uw huidige wachtwoord klopt niet."]
    if new_password != new_password_again:
        errors["new_password2"] = ["De twee nieuwe wachtwoorden zijn niet hetzelfde."]
    problems = _password_errors(new_password, user)
    if problems:
        errors["new_password1"] = problems
    if errors:
        raise ApplicationError("Het wachtwoord is niet gewijzigd.", field_errors=errors)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record_event(actor_user=user, event_type="password_changed", purpose=PURPOSE_SECURITY, subject=user)
    return user

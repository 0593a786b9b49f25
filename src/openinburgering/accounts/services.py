"""Every change to staff users, memberships and teams. Keyword-only, atomic, audited in the same transaction."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation

from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError, NotFound

from . import throttle
from .actor import Actor, active_memberships
from .models import Gemeente, Membership, OidcProvider, Role, Team, User
from .roles import Capability

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


_PASSWORD_MESSAGES = {
    "password_too_short": "Het wachtwoord is te kort: gebruik minstens {min_length} tekens.",
    "password_too_common": "Dit wachtwoord wordt te veel gebruikt. Kies een ander wachtwoord.",
    "password_entirely_numeric": "Het wachtwoord mag niet alleen uit cijfers bestaan.",
    "password_too_similar": "Het wachtwoord lijkt te veel op de naam of gebruikersnaam.",
    "password_contains_name": (
        "Het wachtwoord bevat uw naam, gebruikersnaam of e-mailadres. Kies een ander wachtwoord."
    ),
    "password_too_repetitive": (
        "Het wachtwoord bestaat te veel uit dezelfde tekens. Gebruik minstens {min} verschillende tekens."
    ),
}


def _password_errors(password: str, user: User | None) -> list[str]:
    """Django's validators from settings (AUTH_PASSWORD_VALIDATORS), with our own plain Dutch messages: the UI
    is Dutch whatever language the browser asks for."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        messages = []
        for item in error.error_list:
            template = _PASSWORD_MESSAGES.get(item.code or "")
            if template is None:
                with translation.override("nl"):
                    messages.extend(item.messages)
            else:
                messages.append(template.format(**(item.params or {})))
        return messages
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


# ---------------------------------------------------------------------------------------------------------------
# Staff management by the functioneel beheerder, always inside the actor's own gemeente.

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9._-]{2,150}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PURPOSE_MANAGEMENT = "beheer medewerkers en rollen"


def _require_manage_staff(actor: Actor) -> None:
    if not actor.can(Capability.MANAGE_STAFF):
        raise NotFound()


def _role_and_team(
    actor: Actor, role_code: str, team_id: int | None, errors: FieldErrors
) -> tuple[Role | None, Team | None]:
    role = Role.objects.filter(code=role_code).first() if role_code else None
    if role is None:
        errors["role"] = ["Kies een rol."]
    team = None
    if team_id is not None:
        team = Team.objects.filter(pk=team_id, gemeente_id=actor.gemeente_id).first()
        if team is None:
            errors["team"] = ["Kies een team van deze gemeente."]
    return role, team


@transaction.atomic
def create_staff_user(
    *,
    actor: Actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    password_again: str,
    role_code: str,
    team_id: int | None = None,
) -> User:
    """A new staff user with a first password (Django's validators from settings) and a first role in the
    actor's gemeente. All field errors come back at once; nothing is written unless everything is right."""
    _require_manage_staff(actor)
    username = username.strip()
    first_name, last_name, email = first_name.strip(), last_name.strip(), email.strip()
    errors: FieldErrors = {}
    if not USERNAME_PATTERN.match(username):
        errors["username"] = ["Gebruik 2 tot 150 letters, cijfers, punten, streepjes of liggende streepjes."]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["Deze gebruikersnaam bestaat al. Kies een andere."]
    if not first_name:
        errors["first_name"] = ["Vul de voornaam in."]
    if not last_name:
        errors["last_name"] = ["Vul de achternaam in."]
    if email and not EMAIL_PATTERN.match(email):
        errors["email"] = ["Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl."]
    if password != password_again:
        errors["password2"] = ["De twee wachtwoorden zijn niet hetzelfde."]
    candidate = User(username=username, first_name=first_name, last_name=last_name, email=email)
    problems = _password_errors(password, candidate)
    if problems:
        errors["password1"] = problems
    role, team = _role_and_team(actor, role_code, team_id, errors)
    if errors or role is None:
        raise ApplicationError("De medewerker is niet aangemaakt.", field_errors=errors)
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        raise ApplicationError(
            "De medewerker is niet aangemaakt.",
            field_errors={"username": ["Deze gebruikersnaam bestaat al. Kies een andere."]},
        ) from None
    record_event(actor=actor, event_type="staff_user_created", purpose=PURPOSE_MANAGEMENT, subject=candidate)
    membership = Membership.objects.create(user=candidate, gemeente=actor.gemeente, role=role, team=team)
    _record_membership(actor, "membership_granted", membership)
    return candidate


def _record_membership(actor: Actor, event_type: str, membership: Membership, **extra: Any) -> None:
    record_event(
        actor=actor,
        event_type=event_type,
        purpose=PURPOSE_MANAGEMENT,
        subject=membership,
        changes={
            "user": membership.user_id,
            "role": membership.role.code,
            "team": membership.team_id,
            "is_active": membership.is_active,
            **extra,
        },
    )


@transaction.atomic
def grant_membership(*, actor: Actor, user: User, role_code: str, team_id: int | None = None) -> Membership:
    """Gives `user` (reached through access_staff_member) a role in the actor's gemeente, or gives back one that
    was revoked. A user who was deactivated can log in again."""
    _require_manage_staff(actor)
    errors: FieldErrors = {}
    role, team = _role_and_team(actor, role_code, team_id, errors)
    if errors or role is None:
        raise ApplicationError("De rol is niet toegekend.", field_errors=errors)
    membership = (
        Membership.objects.select_for_update().filter(user=user, gemeente_id=actor.gemeente_id, role=role).first()
    )
    if membership is not None and membership.is_active:
        raise ApplicationError(
            "De rol is niet toegekend.", field_errors={"role": [f"{user.display_name} heeft deze rol al."]}
        )
    if membership is None:
        membership = Membership.objects.create(user=user, gemeente=actor.gemeente, role=role, team=team)
    else:
        membership.is_active = True
        membership.team = team
        membership.save(update_fields=["is_active", "team"])
    if not user.is_active:
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
    _record_membership(actor, "membership_granted", membership)
    return membership


@transaction.atomic
def revoke_membership(*, actor: Actor, membership: Membership) -> Membership:
    """Takes a role in the actor's gemeente away (kept, inactive). Not the role the actor is using now."""
    _require_manage_staff(actor)
    if membership.gemeente_id != actor.gemeente_id:
        raise NotFound()
    if membership.pk == actor.membership.pk:
        raise ApplicationError("U kunt de rol waarmee u nu werkt niet zelf intrekken.")
    if not membership.is_active:
        raise ApplicationError("Deze rol is al ingetrokken.")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    _record_membership(actor, "membership_revoked", membership)
    return membership


@transaction.atomic
def deactivate_staff_user(*, actor: Actor, user: User) -> int:
    """Revokes every role `user` has in the actor's gemeente. Roles in other gemeenten stay; only a user left
    without any active role is blocked from logging in. Returns the number of roles revoked."""
    _require_manage_staff(actor)
    if user.pk == actor.user.pk:
        raise ApplicationError("U kunt uw eigen account niet deactiveren.")
    memberships = list(
        Membership.objects.select_for_update()
        .select_related("role")
        .filter(user=user, gemeente_id=actor.gemeente_id, is_active=True)
    )
    if not memberships:
        raise ApplicationError("Deze medewerker heeft geen actieve rol meer in deze gemeente.")
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).update(is_active=False)
    blocked = not Membership.objects.filter(user=user, is_active=True).exists()
    if blocked:
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
    record_event(
        actor=actor,
        event_type="staff_user_deactivated",
        purpose=PURPOSE_MANAGEMENT,
        subject=user,
        changes={"revoked_memberships": [m.pk for m in memberships], "login_blocked": blocked},
    )
    return len(memberships)


@transaction.atomic
def set_staff_password(*, actor: Actor, user: User, password: str, password_again: str) -> User:
    """A new password for a colleague who forgot theirs. Only for users who work for no other gemeente:
    one gemeente must not take over an account that another gemeente also relies on."""
    _require_manage_staff(actor)
    if Membership.objects.filter(user=user).exclude(gemeente_id=actor.gemeente_id).exists():
        raise ApplicationError(
            "Deze medewerker werkt ook voor een andere gemeente. Een nieuw wachtwoord kan alleen de medewerker "
            "zelf instellen."
        )
    errors: FieldErrors = {}
    if password != password_again:
        errors["password2"] = ["De twee wachtwoorden zijn niet hetzelfde."]
    problems = _password_errors(password, user)
    if problems:
        errors["password1"] = problems
    if errors:
        raise ApplicationError("Het wachtwoord is niet ingesteld.", field_errors=errors)
    user.set_password(password)
    user.save(update_fields=["password"])
    throttle.clear_account(username=user.username)  # the colleague may log in at once, from anywhere
    record_event(actor=actor, event_type="staff_password_replaced", purpose=PURPOSE_MANAGEMENT, subject=user)
    return user


@transaction.atomic
def create_team(*, actor: Actor, name: str) -> Team:
    _require_manage_staff(actor)
    name = " ".join(name.split())
    if not name:
        raise ApplicationError("Het team is niet aangemaakt.", field_errors={"name": ["Vul de naam van het team in."]})
    if len(name) > 100:
        raise ApplicationError("Het team is niet aangemaakt.", field_errors={"name": ["Gebruik maximaal 100 tekens."]})
    if Team.objects.filter(gemeente_id=actor.gemeente_id, name__iexact=name).exists():
        raise ApplicationError(
            "Het team is niet aangemaakt.", field_errors={"name": ["Er is al een team met deze naam."]}
        )
    team = Team.objects.create(gemeente=actor.gemeente, name=name)
    record_event(actor=actor, event_type="team_created", purpose=PURPOSE_MANAGEMENT, subject=team)
    return team


# ---------------------------------------------------------------------------------------------------------------
# Login rules of the gemeente and sessions (#12 items 2-4).


@transaction.atomic
def change_login_settings(*, actor: Actor, requires_two_factor: bool, allows_local_login: bool = True) -> bool:
    """The functioneel beheerder sets the gemeente's login rules: two-factor login required (sessions without a
    second factor end at their next request, accounts.middleware), and password login allowed or not (only off
    while single sign-on is switched on, or nobody could log in). Returns whether anything changed."""
    _require_manage_staff(actor)
    gemeente = Gemeente.objects.select_for_update().get(pk=actor.gemeente_id)
    if not allows_local_login and not OidcProvider.objects.filter(gemeente=gemeente, is_enabled=True).exists():
        raise ApplicationError(
            "De inlogregels zijn niet opgeslagen.",
            field_errors={
                "allows_local_login": [
                    "Inloggen met een wachtwoord kan alleen uit als inloggen via de gemeente (single sign-on) "
                    "aan staat."
                ]
            },
        )
    wanted = {"requires_two_factor": requires_two_factor, "allows_local_login": allows_local_login}
    changes = {
        field: {"old": getattr(gemeente, field), "new": value}
        for field, value in wanted.items()
        if getattr(gemeente, field) != value
    }
    if not changes:
        return False
    record_event(
        actor=actor, event_type="login_settings_changed", purpose=PURPOSE_SECURITY, subject=gemeente, changes=changes
    )
    for field, value in wanted.items():
        setattr(gemeente, field, value)
        setattr(actor.gemeente, field, value)
    gemeente.save(update_fields=list(wanted))
    return True


@transaction.atomic
def end_all_sessions(*, user: User) -> None:
    """'Log out everywhere': raising the session version changes the session hash, so every session of the user
    (this one too) ends at its next request."""
    User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
    user.refresh_from_db(fields=["session_version"])
    record_event(actor_user=user, event_type="logged_out_everywhere", purpose=PURPOSE_SECURITY, subject=user)

"""Single sign-on with the gemeente's identity provider (#12 item 3): configuration per gemeente, and what a
login with verified claims does to users and memberships. The OpenID Connect protocol itself (authorization code
flow with PKCE, token exchange, ID token signature via the provider's JWKS) is mozilla-django-oidc's, in
accounts.oidc. See docs/adr/0008-staff-login.md.

Claims → user: by the stable subject (`sub`) once linked; the first time by e-mail address among the users who
already work for this gemeente; otherwise a new user. Claims → memberships: the values of the roles claim,
through the gemeente's mapping, are the user's roles in this gemeente (granted or revoked to match, audited).
Without any mapped role the login is refused with a Dutch message and no account is made.
"""

from __future__ import annotations

import re
from typing import Any

import requests
from django.db import transaction

from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError

from .models import Gemeente, Membership, OidcIdentity, OidcProvider, Role, User
from .roles import RoleCode

PURPOSE_SECURITY = "beveiliging"
SESSION_PROVIDER_KEY = "sso_provider_id"
GENERIC_REFUSAL = (
    "Inloggen via uw gemeente is niet gelukt. Probeer het opnieuw. Lukt het weer niet? Neem dan contact op met "
    "de functioneel beheerder van uw gemeente."
)


class SsoRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------------------------
# Reads


def enabled_provider(*, gemeente_code: str) -> OidcProvider | None:
    return (
        OidcProvider.objects.select_related("gemeente")
        .filter(gemeente__code=gemeente_code, gemeente__is_active=True, is_enabled=True)
        .first()
    )


def login_buttons() -> list[dict[str, str]]:
    """The buttons on the login page: one per gemeente with single sign-on switched on."""
    providers = OidcProvider.objects.select_related("gemeente").filter(is_enabled=True, gemeente__is_active=True)
    return [{"label": p.button_label, "gemeente_code": p.gemeente.code} for p in providers.order_by("gemeente__name")]


def mapped_roles(provider: OidcProvider, claims: dict[str, Any]) -> list[str]:
    """Our role codes for the roles claim: a list (or one value) for this gemeente, or a mapping per gemeente
    code of which only this gemeente's entry counts. Values without a mapping are ignored."""
    raw = claims.get(provider.roles_claim)
    if isinstance(raw, dict):
        raw = raw.get(provider.gemeente.code)
    values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    valid = set(RoleCode.values)
    mapping = provider.role_mapping if isinstance(provider.role_mapping, dict) else {}
    return sorted({str(mapping[v]) for v in values if isinstance(v, str) and mapping.get(v) in valid})


# ---------------------------------------------------------------------------------------------------------------
# Changes


def sign_in(*, provider: OidcProvider, claims: dict[str, Any]) -> User:
    """The user for verified claims, with memberships in the provider's gemeente matching the roles claim."""
    gemeente = provider.gemeente
    subject = str(claims.get("sub") or "")
    roles = mapped_roles(provider, claims)
    if not subject or not roles:
        # Outside any transaction: the refusal stays in the audit log.
        record_event(
            gemeente=gemeente,
            event_type="login_sso_refused",
            purpose=PURPOSE_SECURITY,
            changes={"reason": "no_subject" if not subject else "no_mapped_role"},
        )
        raise SsoRefused(
            f"U kunt niet inloggen: u heeft bij {gemeente.name} geen rol in Open Inburgering. Vraag de functioneel "
            "beheerder van uw gemeente om u een rol te geven."
        )
    return _link_and_sync(provider=provider, gemeente=gemeente, subject=subject, roles=roles, claims=claims)


@transaction.atomic
def _link_and_sync(
    *, provider: OidcProvider, gemeente: Gemeente, subject: str, roles: list[str], claims: dict[str, Any]
) -> User:
    identity = OidcIdentity.objects.select_related("user").filter(provider=provider, subject=subject).first()
    user = identity.user if identity else None
    email = str(claims.get("email") or "").strip()
    if user is None and email:
        candidates = list(User.objects.filter(email__iexact=email, memberships__gemeente=gemeente).distinct()[:2])
        user = candidates[0] if len(candidates) == 1 else None
    if user is None:
        user = User(
            username=_free_username(str(claims.get("preferred_username") or email.split("@")[0] or "medewerker")),
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
            email=email[:254],
        )
        user.set_unusable_password()
        user.save()
        record_event(
            actor_user=user,
            gemeente=gemeente,
            event_type="staff_user_created",
            purpose=PURPOSE_SECURITY,
            subject=user,
            changes={"source": "sso"},
        )
    if identity is None:
        OidcIdentity.objects.create(provider=provider, user=user, subject=subject)
    if not user.is_active:
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
    _sync_memberships(user=user, gemeente=gemeente, roles=roles)
    return user


def _free_username(wanted: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]", "", wanted)[:140] or "medewerker"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def _sync_memberships(*, user: User, gemeente: Gemeente, roles: list[str]) -> None:
    current = {m.role.code: m for m in Membership.objects.select_related("role").filter(user=user, gemeente=gemeente)}
    for code in roles:
        membership = current.get(code)
        if membership is None:
            membership = Membership.objects.create(user=user, gemeente=gemeente, role=Role.objects.get(code=code))
        elif membership.is_active:
            continue
        else:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
        _record(user, gemeente, "membership_granted", membership)
    for code, membership in current.items():
        if code not in roles and membership.is_active:
            membership.is_active = False
            membership.save(update_fields=["is_active"])
            _record(user, gemeente, "membership_revoked", membership)


def _record(user: User, gemeente: Gemeente, event_type: str, membership: Membership) -> None:
    record_event(
        actor_user=user,
        gemeente=gemeente,
        event_type=event_type,
        purpose="beheer medewerkers en rollen",
        subject=membership,
        changes={"user": user.pk, "role": membership.role.code, "is_active": membership.is_active, "source": "sso"},
    )


@transaction.atomic
def configure_provider(
    *,
    gemeente: Gemeente,
    discovery_url: str,
    client_id: str,
    client_secret: str,
    role_mapping: dict[str, str],
    button_label: str = "",
    roles_claim: str = "roles",
    scopes: str = "openid email profile",
    timeout: float = 10.0,
) -> OidcProvider:
    """Sets (or replaces) the gemeente's identity provider from its discovery document. Audited as
    `login_settings_changed` (never with the secret)."""
    unknown = sorted(code for code in role_mapping.values() if code not in RoleCode.values)
    if unknown:
        raise ApplicationError(f"Onbekende rol in de koppeling: {', '.join(unknown)}.")
    try:
        response = requests.get(discovery_url, timeout=timeout)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ApplicationError(f"Het discovery-document is niet te lezen: {error.__class__.__name__}.") from None
    needed = ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"]
    missing = [key for key in needed if not isinstance(document.get(key), str)]
    if missing:
        raise ApplicationError(f"Het discovery-document mist: {', '.join(missing)}.")
    values = {
        "is_enabled": True,
        "button_label": button_label or f"Inloggen met uw account van {gemeente.name}",
        "issuer": document["issuer"],
        "authorization_endpoint": document["authorization_endpoint"],
        "token_endpoint": document["token_endpoint"],
        "userinfo_endpoint": str(document.get("userinfo_endpoint") or ""),
        "jwks_uri": document["jwks_uri"],
        "client_id": client_id,
        "client_secret": client_secret,
        "scopes": scopes,
        "roles_claim": roles_claim,
        "role_mapping": role_mapping,
    }
    provider, created = OidcProvider.objects.update_or_create(gemeente=gemeente, defaults=values)
    record_event(
        gemeente=gemeente,
        event_type="login_settings_changed",
        purpose=PURPOSE_SECURITY,
        subject=provider,
        via="command",
        changes={
            "sso": {"new": {k: v for k, v in values.items() if k != "client_secret"}, "created": created},
        },
    )
    return provider

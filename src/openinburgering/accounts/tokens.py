"""API tokens: shown once, stored as a SHA-256 hash, each acting as one membership (gemeente + role)."""

from __future__ import annotations

import functools
import hashlib
import secrets

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from openinburgering.audit.services import record_event
from openinburgering.core.sql import JoinedSelect, column

from .models import ApiToken, Membership


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the plain key (`oi_<prefix>_<secret>`), which is never stored."""
    prefix = secrets.token_hex(4)
    key = f"oi_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        membership=membership,
        name=name,
        prefix=prefix,
        key_hash=hash_key(key),
        expires_at=timezone.now() + settings.ACCESS_TOKEN_MAX_AGE,
    )
    record_event(
        actor_user=membership.user, gemeente=membership.gemeente, event_type="api_token_created",
        purpose="beheer", subject=token, via="command",
    )  # fmt: skip
    return token, key


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor_user=token.membership.user, gemeente=token.membership.gemeente, event_type="api_token_revoked",
            purpose="beheer", subject=token, via="command",
        )  # fmt: skip


# The token with its membership, user, gemeente, role and team: one query, its SQL written once per process (#18:
# compiling the select_related query was about a quarter of an API call's CPU). Nothing is kept between calls, so a
# revoked or expired token, or a deactivated membership, user or gemeente, is refused on the very next request.
_TOKEN_PATHS = ("membership", "membership__user", "membership__gemeente", "membership__role", "membership__team")


@functools.cache
def _token_select() -> JoinedSelect:
    select = JoinedSelect(ApiToken, _TOKEN_PATHS)
    token = select.alias()
    select.sql += (
        f" WHERE {token}.{column(ApiToken, 'prefix')} = %s AND {token}.{column(ApiToken, 'revoked_at')} IS NULL"
        f" AND {token}.{column(ApiToken, 'expires_at')} > %s"
    )
    return select


def find_active_token(key: str) -> ApiToken | None:
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != "oi":
        return None
    select = _token_select()
    with connection.cursor() as cursor:  # the prefix is unique: one row at most
        cursor.execute(select.sql, [parts[1], timezone.now()])
        row = cursor.fetchone()
    token: ApiToken | None = select.load(row) if row is not None else None
    if token is None or not secrets.compare_digest(token.key_hash, hash_key(key)):
        return None
    membership = token.membership
    if not (membership.is_active and membership.user.is_active and membership.gemeente.is_active):
        return None
    return token
